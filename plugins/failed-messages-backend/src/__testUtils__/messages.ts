import { NewFailedMessage } from '../database/FailedMessageStore';

/** A stored-ready failure with sensible defaults for tests. */
export function newMessage(
  overrides: Partial<NewFailedMessage> = {},
): NewFailedMessage {
  return {
    channel: 'whatsapp',
    externalId: null,
    recipient: '+16505551234',
    campaign: 'order-updates',
    templateName: 'order_update',
    payload: { messaging_product: 'whatsapp', to: '+16505551234' },
    error: {
      code: '130429',
      title: 'Rate limit hit',
      message: '(#130429) Rate limit hit',
      details: null,
    },
    category: 'retryable',
    failedAt: new Date('2026-11-20T10:00:00Z'),
    nextAutomaticRetryAt: null,
    businessNumber: null,
    ...overrides,
  };
}
