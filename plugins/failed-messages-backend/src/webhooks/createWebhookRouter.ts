import express from 'express';
import Router from 'express-promise-router';
import {
  AuthenticationError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { WebhookSettings } from '../config';
import { FailedMessageIngestion } from '../service/FailedMessageIngestion';
import { isValidVerifyToken, isValidWebhookSignature } from './signature';
import { parseStatusWebhook } from './statusWebhook';

/** Meta sends payloads of up to 3 MB. */
const MAX_WEBHOOK_BYTES = 3 * 1024 * 1024;

/**
 * Meta's WhatsApp webhook: the verification handshake and signed status
 * deliveries. Kept apart from the JSON API because the signature covers the
 * raw bytes, which must not be parsed before they are checked.
 */
export function createWebhookRouter(options: {
  webhooks: WebhookSettings | undefined;
  ingestion: FailedMessageIngestion;
}): express.Router {
  const { webhooks, ingestion } = options;
  const router = Router();

  const settings = (): WebhookSettings => {
    if (!webhooks) {
      throw new ServiceUnavailableError(
        'WhatsApp webhooks are not configured: set failedMessages.whatsapp.appSecret and verifyToken',
      );
    }
    return webhooks;
  };

  router.get('/whatsapp', (req, res) => {
    const { verifyToken } = settings();
    if (
      req.query['hub.mode'] !== 'subscribe' ||
      !isValidVerifyToken({
        received: req.query['hub.verify_token'],
        verifyToken,
      }) ||
      typeof req.query['hub.challenge'] !== 'string'
    ) {
      throw new NotAllowedError(
        'Webhook verification failed: hub.mode must be subscribe and hub.verify_token must match the configured verify token',
      );
    }
    res.type('text/plain').send(req.query['hub.challenge']);
  });

  router.post(
    '/whatsapp',
    express.raw({ type: () => true, limit: MAX_WEBHOOK_BYTES }),
    async (req, res) => {
      const { appSecret } = settings();
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (
        !isValidWebhookSignature({
          rawBody,
          header: req.header('x-hub-signature-256'),
          appSecret,
        })
      ) {
        throw new AuthenticationError(
          'Invalid or missing X-Hub-Signature-256: the body must be signed with the app secret',
        );
      }
      let body: unknown;
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        body = undefined;
      }
      await ingestion.applyStatusEvents(parseStatusWebhook(body));
      res.status(200).json({ status: 'ok' });
    },
  );

  return router;
}
