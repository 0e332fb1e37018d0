import { DateTime } from 'luxon';
import {
  ErrorCodeCatalogue,
  ErrorCodeInfo,
  RetryEligibility,
} from '@msgops/plugin-failed-messages-common';
import { FailedMessageRecord } from '../database/FailedMessageStore';

/** What besides the message itself decides whether it may be retried. */
export interface EligibilityContext {
  now: DateTime;
  /** A person confirmed the retry despite a warning. */
  force?: boolean;
  /** Set for the daily run, with its limit of automatic attempts. */
  automatic?: { maxAttempts: number };
  /** A later message to the same recipient and template was delivered. */
  newerDelivered: boolean;
}

/** Eligibility with whether `force` would turn a "no" into a "yes". */
export interface RetryDecision extends RetryEligibility {
  forceable: boolean;
}

/**
 * When the message may be retried at the earliest, in epoch milliseconds:
 * its code's minimum wait (with the documented backoff for the attempts so
 * far) after the later of the failure and the last attempt.
 */
function earliestRetryMillis(
  message: Pick<
    FailedMessageRecord,
    'failedAt' | 'lastAttemptAt' | 'automaticAttempts' | 'manualAttempts'
  >,
  info: ErrorCodeInfo,
): number {
  const previousAttempts = message.automaticAttempts + message.manualAttempts;
  return (
    utcMillis(message.lastAttemptAt ?? message.failedAt) +
    ErrorCodeCatalogue.waitBeforeRetrySeconds(info, previousAttempts) * 1000
  );
}

/**
 * An ISO time as epoch milliseconds, a time without an offset read as UTC.
 * The store's times end in Z, which Date.parse reads in a fifteenth of
 * luxon's time (a bulk run checks every message it claims).
 */
function utcMillis(iso: string): number {
  return iso.endsWith('Z')
    ? Date.parse(iso)
    : DateTime.fromISO(iso, { zone: 'utc' }).toMillis();
}

function formatTime(time: DateTime): string {
  return time.toUTC().toFormat("d LLL yyyy, HH:mm 'UTC'");
}

const YES: RetryDecision = {
  canRetry: true,
  reason: null,
  earliestAt: null,
  forceable: false,
};

/**
 * Whether the message may be retried now and, if not, why in words an agent
 * understands. The one place that answers this, for manual, bulk and
 * automatic retries alike.
 */
export function evaluateEligibility(
  message: FailedMessageRecord,
  info: ErrorCodeInfo,
  context: EligibilityContext,
): RetryDecision {
  const { now, force = false, automatic } = context;
  const never = (reason: string): RetryDecision => ({
    canRetry: false,
    reason,
    earliestAt: null,
    forceable: false,
  });
  // A warning a person may override with force; the automatic run never does.
  const unlessForced = (
    reason: string,
    earliestAt: DateTime | null = null,
  ): RetryDecision =>
    force && !automatic
      ? YES
      : {
          canRetry: false,
          reason,
          earliestAt: earliestAt?.toUTC().toISO() ?? null,
          forceable: !automatic,
        };

  if (message.resolvedAt) {
    return never('Already delivered: a retry was accepted and delivered.');
  }
  if (message.state === 'dismissed') {
    return never('Dismissed: reopen it before retrying.');
  }
  // Resolved only because a newer message reached the recipient: a person
  // may still force it, as they may force any stale message.
  const resolvedByNewer = message.resolution?.cause === 'newer-delivery';
  if (message.state === 'resolved' && !resolvedByNewer) {
    return never('Already resolved: it reached the recipient.');
  }
  if (message.retryStatus === 'retrying') {
    return never('A retry of this message is already running.');
  }
  if (message.retryStatus === 'retry-succeeded') {
    return never(
      'WhatsApp accepted the last retry; wait for its delivery report before sending again.',
    );
  }
  if (message.payload === null) {
    return never(
      'Cannot retry: we never saw the content of this message, so it cannot be resent exactly.',
    );
  }
  if (info.category === 'non-retryable') {
    return never(`Cannot retry: ${info.title.toLowerCase()}. ${info.rule}`);
  }
  if (automatic) {
    if (!info.autoRetry) {
      return never(
        'The automatic run does not retry this error; a person has to decide.',
      );
    }
    if (message.automaticAttempts >= automatic.maxAttempts) {
      return never(
        `All ${automatic.maxAttempts} automatic attempts are used; it can still be retried by hand.`,
      );
    }
  }
  if (message.retryStatus === 'outcome-unknown') {
    return unlessForced(
      'The last retry may or may not have been sent; check with the customer, then force a retry if needed.',
    );
  }
  if (context.newerDelivered || resolvedByNewer) {
    return unlessForced(
      'A newer message with the same template has since reached this recipient; resending this one would be stale.',
    );
  }
  // The automatic run leaves every business rule to a person.
  if (automatic && info.category === 'business-logic') {
    return never(
      `A business rule blocked this message (${info.title.toLowerCase()}): ${
        info.rule
      }`,
    );
  }
  const manualRetry = automatic ? 'after-wait' : info.manualRetry;
  if (manualRetry === 'never') {
    return unlessForced(
      `Not retried by hand (${info.title.toLowerCase()}): ${
        info.rule
      } A retry must be forced, with a reason.`,
    );
  }
  if (manualRetry === 'allowed') {
    return YES;
  }
  const earliestMillis = earliestRetryMillis(message, info);
  if (earliestMillis > now.toMillis()) {
    const earliest = DateTime.fromMillis(earliestMillis, { zone: 'utc' });
    return unlessForced(
      `The recommended wait for this error has not passed: retry after ${formatTime(
        earliest,
      )}. ${info.rule}`,
      earliest,
    );
  }
  return YES;
}
