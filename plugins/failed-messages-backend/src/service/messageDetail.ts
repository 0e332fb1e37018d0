import {
  ErrorCodeCatalogue,
  FailedMessageDetail,
} from '@internal/plugin-failed-messages-common';
import {
  FailedMessageReads,
  FailedMessageRecord,
} from '../database/FailedMessageStore';
import { KnownFacts, RetryEngine } from '../retry/RetryEngine';

/**
 * A message as its detail view shows it: what the error means, whether a
 * person may retry it now, and its attempts. Shared by the HTTP API and the
 * actions so both answer alike.
 */
export async function describeMessage(
  message: FailedMessageRecord,
  deps: {
    catalogue: ErrorCodeCatalogue;
    engine: RetryEngine;
    store: FailedMessageReads;
  },
  known?: KnownFacts,
): Promise<FailedMessageDetail> {
  const info = deps.catalogue.lookup(message.error.code);
  const { canRetry, reason, earliestAt } = await deps.engine.decide(
    message,
    { trigger: 'manual' },
    known,
  );
  return {
    ...message,
    explanation: { meaning: info.meaning, action: info.action },
    eligibility: { canRetry, reason, earliestAt },
    attempts: await deps.store.listAttempts(message.id),
  };
}
