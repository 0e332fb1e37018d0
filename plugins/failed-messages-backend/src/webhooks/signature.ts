import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';

/**
 * Checks Meta's `X-Hub-Signature-256` header: the HMAC-SHA256 of the raw
 * request bytes keyed with the app secret. Compared in constant time so the
 * check leaks nothing about how much of a forged signature was right.
 */
export function isValidWebhookSignature(options: {
  rawBody: Buffer;
  header: string | undefined;
  appSecret: string;
}): boolean {
  const { rawBody, header, appSecret } = options;
  if (!header?.startsWith(PREFIX)) {
    return false;
  }
  const received = Buffer.from(header.slice(PREFIX.length), 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return (
    received.length === expected.length && timingSafeEqual(received, expected)
  );
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/**
 * Checks the `hub.verify_token` of Meta's verification handshake. Compares
 * equal-length digests in constant time, so the time taken reveals neither
 * how much of a guess was right nor the token's length.
 */
export function isValidVerifyToken(options: {
  received: unknown;
  verifyToken: string;
}): boolean {
  const { received, verifyToken } = options;
  return (
    typeof received === 'string' &&
    timingSafeEqual(sha256(received), sha256(verifyToken))
  );
}
