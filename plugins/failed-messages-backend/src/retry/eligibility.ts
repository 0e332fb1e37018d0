import { DateTime } from 'luxon';
import {
  ErrorCodeCatalogue,
  ErrorCodeInfo,
  RetryEligibility,
} from '@internal/plugin-failed-messages-common';
import { FailedMessageRecord } from '../database/FailedMessageStore';

/**
 * When the message may be retried at the earliest: its code's minimum wait
 * (with the documented backoff for the attempts so far) after the later of
 * the failure and the last attempt.
 */
export function earliestRetryAt(
  message: Pick<
    FailedMessageRecord,
    'failedAt' | 'lastAttemptAt' | 'automaticAttempts' | 'manualAttempts'
  >,
  info: ErrorCodeInfo,
): DateTime {
  const since = DateTime.fromISO(message.lastAttemptAt ?? message.failedAt, {
    zone: 'utc',
  });
  const previousAttempts = message.automaticAttempts + message.manualAttempts;
  return since.plus({
    seconds: ErrorCodeCatalogue.waitBeforeRetrySeconds(info, previousAttempts),
  });
}

function formatTime(time: DateTime): string {
  return time.toUTC().toFormat("d LLL yyyy, HH:mm 'UTC'");
}

/**
 * Whether a person may retry the message now and, if not, why in words an
 * agent understands. The one place that answers this question.
 */
export function evaluateEligibility(
  message: FailedMessageRecord,
  info: ErrorCodeInfo,
  now: DateTime,
): RetryEligibility {
  const no = (reason: string, earliestAt: DateTime | null = null) => ({
    canRetry: false,
    reason,
    earliestAt: earliestAt?.toUTC().toISO() ?? null,
  });

  if (message.resolvedAt) {
    return no('Already delivered: a retry was accepted by WhatsApp.');
  }
  if (message.retryStatus === 'retrying') {
    return no('A retry of this message is already running.');
  }
  if (message.retryStatus === 'outcome-unknown') {
    return no(
      'The last retry may or may not have been sent; check it with the customer before retrying.',
    );
  }
  if (message.payload === null) {
    return no(
      'Cannot retry: we never saw the content of this message, so it cannot be resent exactly.',
    );
  }
  if (info.category === 'non-retryable') {
    return no(`Cannot retry: ${info.title.toLowerCase()}. ${info.action}`);
  }
  if (info.category === 'business-logic') {
    return no(
      `A business rule blocked this message (${info.title.toLowerCase()}). ${
        info.action
      } A retry must be forced and confirmed.`,
    );
  }
  const earliest = earliestRetryAt(message, info);
  if (earliest > now) {
    return no(
      `The recommended wait for this error has not passed: retry after ${formatTime(
        earliest,
      )}.`,
      earliest,
    );
  }
  return { canRetry: true, reason: null, earliestAt: null };
}
