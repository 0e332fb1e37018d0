import { NotFoundError } from '@backstage/errors';
import {
  ErrorCodeCatalogue,
  FailedMessageDetail,
} from '@msgops/plugin-failed-messages-common';
import {
  FailedMessageReads,
  FailedMessageRecord,
  MessageStateStore,
  RetryCandidateReads,
} from '../database/FailedMessageStore';
import { KnownFacts, RetryEngine } from '../retry/RetryEngine';

interface MessageDetailDeps {
  catalogue: ErrorCodeCatalogue;
  engine: RetryEngine;
  store: FailedMessageReads & RetryCandidateReads & MessageStateStore;
}

/**
 * A message as its detail view shows it: what the error means, whether a
 * person may retry it now, its attempts, dismissals and reopenings. Shared by the HTTP API and the
 * actions so both answer alike.
 */
export async function describeMessage(
  message: FailedMessageRecord,
  deps: MessageDetailDeps,
  known: KnownFacts,
): Promise<FailedMessageDetail> {
  const info = deps.catalogue.lookup(message.error.code);
  const { canRetry, reason, earliestAt, forceable } = deps.engine.decide(
    message,
    { trigger: 'manual' },
    known,
  );
  const [attempts, stateChanges] = await Promise.all([
    deps.store.listAttempts(message.id),
    deps.store.listStateChanges(message.id),
  ]);
  return {
    ...deps.engine.sending.numbers.labelled(message),
    explanation: {
      meaning: info.meaning,
      action: info.action,
      docsUrl: info.docsUrl,
      manualRetry: info.manualRetry,
      rule: info.rule,
    },
    eligibility: { canRetry, reason, earliestAt, forceable },
    attempts,
    stateChanges,
  };
}

/**
 * The detail of the message with this id, read with its newer-delivery flag
 * in one query; a NotFoundError when there is none.
 */
export async function readMessageDetail(
  id: string,
  deps: MessageDetailDeps,
): Promise<FailedMessageDetail> {
  const [candidate] = await deps.store.getRetryCandidates([id]);
  if (!candidate) {
    throw new NotFoundError(`No failed message with id ${id}`);
  }
  return describeMessage(candidate.message, deps, {
    newerDelivered: candidate.newerDelivered,
  });
}
