import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import {
  RetryAttempt,
  StateChange,
} from '@msgops/plugin-failed-messages-common';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { failedMessagesTranslationRef } from '../../translation';
import { formatExactTime } from '../../utils/formatTime';

const useStyles = makeStyles(theme => ({
  timeline: {
    listStyle: 'none',
    padding: 0,
    margin: 0,
    borderLeft: `2px solid ${theme.palette.divider}`,
    '& > li': {
      paddingLeft: theme.spacing(2),
      paddingBottom: theme.spacing(2),
    },
  },
}));

/**
 * What WhatsApp said of a resend: accepted when, then each status its
 * webhook reported (sent, delivered, read, or failed) with Meta's time of it.
 */
function WhatsAppReport(props: { attempt: RetryAttempt }) {
  const { attempt } = props;
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const steps = [];
  if (attempt.providerMessageId && attempt.finishedAt) {
    steps.push(
      t('attempts.accepted', { time: formatExactTime(attempt.finishedAt) }),
    );
  }
  for (const { status, at } of attempt.statuses) {
    steps.push(t(`attempts.delivery.${status}`, { time: formatExactTime(at) }));
  }
  if (!steps.length) {
    return null;
  }
  return <Typography variant="body2">{steps.join(' → ')}</Typography>;
}

/**
 * A dismissal or reopening (what, who, when and why), or a resolution by a
 * newer delivery, which nobody made: what and when.
 */
function StateChangeEntry(props: { change: StateChange }) {
  const { change } = props;
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const time = formatExactTime(change.at);
  return (
    <li>
      <Typography variant="subtitle2" component="p">
        {t(`attempts.${change.change}`)}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {change.actor
          ? t('attempts.byActor', { time, actor: change.actor })
          : time}
      </Typography>
      {change.reason && (
        <Typography variant="body2">
          {t('attempts.reason', { reason: change.reason })}
        </Typography>
      )}
    </li>
  );
}

/**
 * The history of a message, oldest first: its retry attempts (trigger,
 * outcome, who and when, why and whether forced, what WhatsApp reported
 * afterwards, and for an unknown outcome settled by hand, who settled it as
 * what, when and why), its dismissals and reopenings, and its resolutions
 * because a newer message reached the recipient.
 */
export function AttemptTimeline(props: {
  attempts: RetryAttempt[];
  stateChanges?: StateChange[];
}) {
  const classes = useStyles();
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const { attempts, stateChanges = [] } = props;
  if (!attempts.length && !stateChanges.length) {
    return <Typography>{t('attempts.none')}</Typography>;
  }
  // Both lists come oldest first; merged by time, an attempt before a
  // change of the same instant.
  const entries: Array<
    { at: string; attempt: RetryAttempt } | { at: string; change: StateChange }
  > = [
    ...attempts.map(attempt => ({ at: attempt.startedAt, attempt })),
    ...stateChanges.map(change => ({ at: change.at, change })),
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return (
    <ol className={classes.timeline} aria-label={t('attempts.title')}>
      {entries.map((entry, index) => {
        if ('change' in entry) {
          return (
            <StateChangeEntry key={`change-${index}`} change={entry.change} />
          );
        }
        const { attempt } = entry;
        const { error } = attempt;
        let errorText;
        if (error) {
          errorText = error.title
            ? t('attempts.errorWithTitle', {
                code: error.code,
                title: error.title,
              })
            : t('attempts.error', { code: error.code });
          if (error.message) {
            errorText = t('attempts.errorWithMessage', {
              error: errorText,
              message: error.message,
            });
          }
        }
        return (
          <li key={attempt.id}>
            <Typography variant="subtitle2" component="p">
              {t('attempts.attempt', {
                number: String(attempt.attemptNumber),
                trigger: t(`trigger.${attempt.trigger}`),
                outcome: t(`outcome.${attempt.outcome}`),
              })}
            </Typography>
            <Typography variant="body2" color="textSecondary">
              {t('attempts.startedBy', {
                time: formatExactTime(attempt.startedAt),
                actor: attempt.actor ?? t('attempts.automaticActor'),
              })}
            </Typography>
            {attempt.forced && (
              <Typography variant="body2">{t('attempts.forced')}</Typography>
            )}
            {attempt.reason && (
              <Typography variant="body2">
                {t('attempts.reason', { reason: attempt.reason })}
              </Typography>
            )}
            <WhatsAppReport attempt={attempt} />
            {errorText && <Typography variant="body2">{errorText}</Typography>}
            {attempt.settlement && (
              <Typography variant="body2">
                {t('attempts.settled', {
                  outcome: t(`settle.${attempt.settlement.outcome}`),
                  time: formatExactTime(attempt.settlement.at),
                  actor: attempt.settlement.actor,
                  reason: attempt.settlement.reason,
                })}
              </Typography>
            )}
          </li>
        );
      })}
    </ol>
  );
}
