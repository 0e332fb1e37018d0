import {
  FailedMessage,
  FailedMessageDetail,
} from '@msgops/plugin-failed-messages-common';
import { createEmptyFailedMessagesApi } from './emptyFailedMessagesApi';

/** Meta's error-code page, which the catalogue links every numeric code to. */
export const metaErrorCodesUrl =
  'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes';

export const fakeMessage: FailedMessage = {
  id: 'msg-1',
  channel: 'whatsapp',
  externalId: 'wamid.1',
  recipient: '+4915112345678',
  campaign: 'black-friday',
  templateName: 'offer',
  error: {
    code: '130429',
    title: 'Rate limit hit',
    message: null,
    details: null,
  },
  category: 'retryable',
  retryStatus: 'retry-failed',
  automaticAttempts: 1,
  manualAttempts: 0,
  nextAutomaticRetryAt: null,
  failedAt: '2026-11-26T10:00:00.000Z',
  lastAttemptAt: '2026-11-26T12:00:00.000Z',
  resolvedAt: null,
  state: 'open',
  dismissal: null,
  resolution: null,
  businessNumber: null,
};

export const fakeMessageDetail: FailedMessageDetail = {
  ...fakeMessage,
  explanation: {
    meaning: 'WhatsApp was sending too many messages for this number.',
    action: 'Wait; the automatic retry sends it again.',
    docsUrl: metaErrorCodesUrl,
    manualRetry: 'after-wait',
    rule: 'Only time: the number must be back under its limit.',
  },
  eligibility: { canRetry: true, reason: null, earliestAt: null },
  payload: null,
  attempts: [],
  stateChanges: [],
};

/** A fake client whose backend holds one retryable failure. */
export function createFakeFailedMessagesApi() {
  const api = createEmptyFailedMessagesApi();
  api.listMessages.mockResolvedValue({ items: [fakeMessage], totalCount: 1 });
  api.getSummary.mockResolvedValue({
    total: 5,
    retryable: 3,
    nonRetryable: 1,
    businessLogic: 1,
  });
  api.getMessage.mockResolvedValue(fakeMessageDetail);
  return api;
}
