import { TranslationFunction } from '@backstage/frontend-plugin-api';
import { FailedMessageDetail } from '@msgops/plugin-failed-messages-common';
import { failedMessagesTranslationRef } from '../../translation';
import { formatExactTime } from '../../utils/formatTime';
import {
  AutomaticRun,
  nextAutomaticRetry,
} from '../../utils/nextAutomaticRetry';

type Translate = TranslationFunction<typeof failedMessagesTranslationRef.T>;

/** In words, when the automatic retry sends the message again. */
function automaticRetryText(
  t: Translate,
  message: FailedMessageDetail,
  automaticRun: AutomaticRun | undefined,
): string {
  // A dismissed or resolved message keeps its time, but no run sends it.
  const next = nextAutomaticRetry(
    message.state === 'open' ? message.nextAutomaticRetryAt : null,
    automaticRun,
  );
  switch (next.kind) {
    case 'next-run':
      return next.at
        ? t('eligibility.nextRunAt', { time: formatExactTime(next.at) })
        : t('eligibility.nextRun');
    case 'after':
      return t('eligibility.firstRunAfter', { time: formatExactTime(next.at) });
    default:
      return t('eligibility.noAutomaticRetry');
  }
}

/** Whether and when the message can be retried, in words. */
export function eligibilityText(
  t: Translate,
  message: FailedMessageDetail,
  automaticRun?: AutomaticRun,
): string {
  const { eligibility } = message;
  if (!eligibility.canRetry) {
    // The backend's reason is a whole sentence written for agents.
    return eligibility.reason ?? t('eligibility.cannotRetry');
  }
  const parts: string[] = [t('eligibility.canRetry')];
  if (
    eligibility.earliestAt &&
    new Date(eligibility.earliestAt).getTime() > Date.now()
  ) {
    parts.push(
      t('eligibility.notBefore', {
        time: formatExactTime(eligibility.earliestAt),
      }),
    );
  }
  parts.push(automaticRetryText(t, message, automaticRun));
  return parts.join(' ');
}
