import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { TranslationFunction } from '@backstage/frontend-plugin-api';
import { FailedMessage } from '@msgops/plugin-failed-messages-common';
import { failedMessagesTranslationRef } from '../../translation';
import {
  formatExactTime,
  formatRelativeTime,
  formatShortTime,
} from '../../utils/formatTime';
import {
  AutomaticRun,
  nextAutomaticRetry,
} from '../../utils/nextAutomaticRetry';

/** What a row or card of one message shows and does. */
export interface MessageItemProps {
  message: FailedMessage;
  maxAutomaticAttempts: number;
  automaticRun?: AutomaticRun;
  /** Shows which business number sent it: more than one is configured. */
  showBusinessNumber: boolean;
  onOpen: (message: FailedMessage) => void;
  /** Whether the message is selected, where messages can be selected. */
  selected?: boolean;
  onToggleSelected: (message: FailedMessage) => void;
}

/**
 * The retry status, and the state where it is not open (dismissed,
 * resolved, or resolved because a newer message reached the recipient).
 */
export function statusText(
  t: TranslationFunction<typeof failedMessagesTranslationRef.T>,
  message: FailedMessage,
): string {
  const status = t(`retryStatus.${message.retryStatus}`);
  if (message.state === 'open') {
    return status;
  }
  return t('messageList.statusWithState', {
    status,
    state:
      message.resolution?.cause === 'newer-delivery'
        ? t('messageList.newerDelivered')
        : t(`state.${message.state}`),
  });
}

/** How often the message was retried, automatically out of how many, and by hand. */
export function AttemptsText(props: {
  message: FailedMessage;
  maxAutomaticAttempts: number;
}) {
  const { message, maxAutomaticAttempts } = props;
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  return (
    <>
      {t('messageList.attempts', {
        automatic: String(message.automaticAttempts),
        max: String(maxAutomaticAttempts),
        manual: String(message.manualAttempts),
      })}
    </>
  );
}

/** A time relative to now, with the exact time on hover. */
export function Time(props: { iso: string }) {
  return (
    <time dateTime={props.iso} title={formatExactTime(props.iso)}>
      {formatRelativeTime(props.iso)}
    </time>
  );
}

/** When the automatic retry sends the message again, or "None". */
export function NextAutomaticRetryTime(props: {
  message: FailedMessage;
  automaticRun?: AutomaticRun;
}) {
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const { message } = props;
  // A dismissed or resolved message keeps its time, but no run sends it.
  const next = nextAutomaticRetry(
    message.state === 'open' ? message.nextAutomaticRetryAt : null,
    props.automaticRun,
  );
  if (next.kind === 'none') {
    return <>{t('messageList.noAutomaticRetry')}</>;
  }
  if (next.kind === 'after') {
    return <Time iso={next.at} />;
  }
  if (!next.at) {
    return <>{t('messageList.nextRun')}</>;
  }
  return (
    <time dateTime={next.at} title={formatExactTime(next.at)}>
      {t('messageList.nextRunAt', { time: formatShortTime(next.at) })}
    </time>
  );
}
