import { DateTime } from 'luxon';
import {
  BulkRetryPreview,
  ErrorCodeCatalogue,
  ErrorCodeInfo,
} from '@msgops/plugin-failed-messages-common';
import {
  BulkRetryScope,
  FailedMessageRecord,
  RetryCandidateCount,
  RetryCandidateReads,
  RetryWaitRule,
} from '../database/FailedMessageStore';
import { RetryDecision } from './eligibility';
import { RetryEngine } from './RetryEngine';

/** How a preview counts the messages whose recommended wait is still running. */
export const WAIT_NOT_PASSED =
  'The recommended wait for the error has not passed yet; the run skips these messages.';

const BULK = { trigger: 'bulk' } as const;

/** Said of a group whose messages were all deleted while it was counted. */
const GONE = 'The message no longer exists.';

/**
 * A code's wait (ErrorCodeCatalogue.waitBeforeRetrySeconds) as the database
 * computes it: the wait grows with each attempt until its cap, so the rule
 * names the number of attempts from which it stops growing.
 */
export function retryWaitRule(info: ErrorCodeInfo): RetryWaitRule {
  const wait = (attempts: number) =>
    ErrorCodeCatalogue.waitBeforeRetrySeconds(info, attempts);
  const steadyAt = (attempts: number) => wait(attempts) === wait(attempts + 1);
  let upper = 1;
  while (!steadyAt(upper) && upper < 2 ** 30) {
    upper *= 2;
  }
  let lower = 0;
  while (lower < upper) {
    const middle = Math.floor((lower + upper) / 2);
    if (steadyAt(middle)) {
      upper = middle;
    } else {
      lower = middle + 1;
    }
  }
  return {
    errorCode: info.code,
    firstWaitSeconds: info.minWaitSeconds,
    backoffFactor: info.backoffFactor ?? 1,
    steadyFromAttempts: lower,
    steadyWaitSeconds: wait(lower),
  };
}

/**
 * The groups of a scope, each with its code's wait rule: the catalogue's
 * codes first, then, for messages whose code it does not list, those codes
 * as the catalogue resolves them, counted again.
 */
async function countWithWaits(
  store: RetryCandidateReads,
  catalogue: ErrorCodeCatalogue,
  scope: BulkRetryScope,
  now: Date,
): Promise<RetryCandidateCount[]> {
  const counts = await store.countRetryCandidates(scope, {
    now,
    waits: catalogue.list().map(retryWaitRule),
  });
  const unlisted = [
    ...new Set(counts.filter(c => c.waitPassed === null).map(c => c.errorCode)),
  ];
  if (!unlisted.length) {
    return counts;
  }
  const recounted = await store.countRetryCandidates(
    'ids' in scope
      ? scope
      : { filter: { ...scope.filter, errorCode: unlisted } },
    {
      now,
      waits: unlisted.map(code => retryWaitRule(catalogue.lookup(code))),
    },
  );
  return [
    ...counts.filter(c => c.waitPassed !== null),
    ...recounted.filter(c => unlisted.includes(c.errorCode)),
  ];
}

/**
 * A message that stands for its group: a real one of them, with every fact
 * the group was counted by set as counted, and its last failure or attempt
 * a day clear of its wait's end, so the decision's clock cannot tip it.
 */
function representative(
  count: RetryCandidateCount,
  sample: FailedMessageRecord,
  info: ErrorCodeInfo,
  now: DateTime,
): FailedMessageRecord {
  const message: FailedMessageRecord = {
    ...sample,
    error: { ...sample.error, code: count.errorCode },
    retryStatus: count.retryStatus,
    state: count.state,
    resolvedAt: count.resolved ? sample.resolvedAt ?? now.toISO()! : null,
    payload: count.hasPayload ? sample.payload ?? {} : null,
  };
  if (count.waitPassed === null) {
    return message;
  }
  const wait = ErrorCodeCatalogue.waitBeforeRetrySeconds(
    info,
    sample.automaticAttempts + sample.manualAttempts,
  );
  const since = now
    .minus({ seconds: wait })
    .plus({ days: count.waitPassed ? -1 : 1 })
    .toISO()!;
  return sample.lastAttemptAt === null
    ? { ...message, failedAt: since }
    : { ...message, lastAttemptAt: since };
}

/**
 * Why a bulk run would skip the message, as it claims: a paused account
 * first, then the engine's decision; null when it would send it. Each
 * message's wait ends at its own time: over a million messages, reasons
 * naming that time would be a million lines, so they are one.
 */
export async function reasonNotToRetry(
  engine: RetryEngine,
  message: FailedMessageRecord,
  newerDelivered: boolean,
): Promise<string | null> {
  const paused = await engine.sending.pausedReason(message, BULK);
  if (paused) {
    return paused;
  }
  const decision: RetryDecision = engine.decide(message, BULK, {
    newerDelivered,
  });
  if (decision.canRetry) {
    return null;
  }
  return decision.earliestAt
    ? WAIT_NOT_PASSED
    : decision.reason ?? 'Not eligible';
}

/**
 * What a bulk retry of the scope would do now, counted in the database and
 * decided once per group of alike messages by the engine's own decision:
 * matched, eligible, and skipped by reason, most frequent first.
 */
export async function previewBulkRetry(options: {
  store: RetryCandidateReads;
  engine: RetryEngine;
  catalogue: ErrorCodeCatalogue;
  scope: BulkRetryScope;
  now: DateTime;
}): Promise<BulkRetryPreview> {
  const { store, engine, catalogue, scope, now } = options;
  const counts = await countWithWaits(store, catalogue, scope, now.toJSDate());
  const samples = new Map(
    (await store.getRetryCandidates(counts.map(c => c.sampleId))).map(
      ({ message }) => [message.id, message],
    ),
  );
  const anySample: FailedMessageRecord | undefined = samples
    .values()
    .next().value;
  const reasons = new Map<string, number>();
  let matched = 0;
  let eligible = 0;
  for (const count of counts) {
    matched += count.count;
    // A deleted sample: any message stands in, all counted facts are set.
    const sample = samples.get(count.sampleId) ?? anySample;
    let reason: string | null = GONE;
    if (sample) {
      reason = await reasonNotToRetry(
        engine,
        representative(count, sample, catalogue.lookup(count.errorCode), now),
        count.newerDelivered,
      );
    }
    if (reason === null) {
      eligible += count.count;
    } else {
      reasons.set(reason, (reasons.get(reason) ?? 0) + count.count);
    }
  }
  return {
    matched,
    eligible,
    skipped: [...reasons.entries()]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count),
  };
}
