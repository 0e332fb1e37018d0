import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { NewFailedMessage } from '../../types';

/** JSON with every object's keys sorted, so equal content serialises alike. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * What a report without an external id is idempotent on: its content and
 * the UTC day it failed on, so a client sending it again that day (after a
 * timeout, say) gets the existing record instead of a second one.
 */
export function contentHash(
  message: Pick<
    NewFailedMessage,
    | 'recipient'
    | 'payload'
    | 'campaign'
    | 'templateName'
    | 'error'
    | 'failedAt'
    | 'businessNumber'
  >,
): string {
  const content = canonicalJson({
    recipient: message.recipient,
    payload: message.payload,
    campaign: message.campaign,
    templateName: message.templateName,
    error: message.error,
    // Absent when not reported, so reports stored before numbers were
    // known keep their hash.
    phoneNumberId: message.businessNumber?.phoneNumberId,
  });
  const day = DateTime.fromJSDate(message.failedAt, {
    zone: 'utc',
  }).toISODate();
  return createHash('sha256').update(`${day}\n${content}`).digest('hex');
}
