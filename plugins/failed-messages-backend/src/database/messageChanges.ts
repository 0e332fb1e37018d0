import { AttemptTrigger } from '@msgops/plugin-failed-messages-common';
import { AttemptFinish, FailedMessageRecord } from './FailedMessageStore';

/*
 * What claims and finishes make of a message, as records: the store writes
 * these (its PostgreSQL statements say the same in SQL), and the retry
 * engine answers with them without reading the message back.
 */

/**
 * The message as a claim for an attempt made at `now` leaves it: retrying,
 * with the attempt counted at once, and open again if a forced retry took
 * it from resolved by a newer delivery.
 */
export function claimedMessage(
  message: FailedMessageRecord,
  trigger: AttemptTrigger,
  now: Date,
): FailedMessageRecord {
  const automatic = trigger === 'automatic';
  return {
    ...message,
    retryStatus: 'retrying',
    state: 'open',
    resolution: null,
    automaticAttempts: message.automaticAttempts + (automatic ? 1 : 0),
    manualAttempts: message.manualAttempts + (automatic ? 0 : 1),
    lastAttemptAt: now.toISOString(),
  };
}

/** The claimed message as the outcome of its attempt leaves it. */
export function finishedMessage(
  claimed: FailedMessageRecord,
  change: AttemptFinish['message'],
): FailedMessageRecord {
  return {
    ...claimed,
    retryStatus: change.retryStatus,
    nextAutomaticRetryAt: change.nextAutomaticRetryAt?.toISOString() ?? null,
    ...(change.category ? { category: change.category } : {}),
    // A new error is a new failure: it is no longer resolved. A dismissal
    // stands: the failure stays closed until someone reopens it.
    ...(change.error
      ? {
          error: change.error,
          resolvedAt: null,
          state: claimed.state === 'resolved' ? 'open' : claimed.state,
        }
      : {}),
  };
}
