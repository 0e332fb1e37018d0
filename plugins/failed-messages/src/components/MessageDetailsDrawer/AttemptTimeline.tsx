import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { RetryAttempt } from '@internal/plugin-failed-messages-common';
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
 * The retry attempts of a message, oldest first: trigger, outcome, who and
 * when, and for an unknown outcome settled by hand, who settled it as what,
 * when and why.
 */
export function AttemptTimeline(props: { attempts: RetryAttempt[] }) {
  const classes = useStyles();
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  if (!props.attempts.length) {
    return <Typography>{t('attempts.none')}</Typography>;
  }
  return (
    <ol className={classes.timeline} aria-label={t('attempts.title')}>
      {props.attempts.map(attempt => {
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
