import { DateTime } from 'luxon';
import {
  ErrorCodeCatalogue,
  ProviderError,
} from '@msgops/plugin-failed-messages-common';
import { FailedMessageRecord } from '../database/FailedMessageStore';

/** Where a failed attempt leaves the message: its new error decides. */
export function afterFailure(
  catalogue: ErrorCodeCatalogue,
  maxAutomaticAttempts: number,
  message: FailedMessageRecord,
  error: ProviderError,
) {
  const info = catalogue.lookup(error.code);
  const exhausted = message.automaticAttempts >= maxAutomaticAttempts;
  const next =
    info.autoRetry && !exhausted
      ? DateTime.fromISO(message.lastAttemptAt ?? message.failedAt).plus({
          seconds: ErrorCodeCatalogue.waitBeforeRetrySeconds(
            info,
            message.automaticAttempts + message.manualAttempts,
          ),
        })
      : null;
  return {
    retryStatus: exhausted
      ? ('max-attempts-reached' as const)
      : ('retry-failed' as const),
    error: { ...error, title: error.title ?? info.title },
    category: info.category,
    nextAutomaticRetryAt: next?.toJSDate() ?? null,
  };
}
