import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { AccountPause } from '@msgops/plugin-failed-messages-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { DateTime } from 'luxon';
import { useState } from 'react';
import { failedMessagesApiRef } from '../../api';
import { failedMessagesTranslationRef } from '../../translation';
import { describeError } from '../../utils/describeError';

/** When an account was paused, in the viewer's own time zone. */
function Since(props: { iso: string }) {
  return (
    <time dateTime={props.iso}>
      {DateTime.fromISO(props.iso).toLocaleString(DateTime.DATETIME_MED)}
    </time>
  );
}

export interface PausedAccountsBannerProps {
  /** The paused accounts as the backend last said (GET /auto-retry). */
  paused: AccountPause[];
  /** Whether the viewer may resume them (the bulk-retry permission). */
  canResume: boolean;
  /** Called after a resume, so that the page fetches what changed. */
  onResumed: () => void;
}

/**
 * Names each account whose automatic and bulk retries are paused after an
 * account-level error, why and since when; those allowed resume one account
 * or all of them once the cause is fixed.
 */
export function PausedAccountsBanner(props: PausedAccountsBannerProps) {
  const { paused, canResume, onResumed } = props;
  const api = useApi(failedMessagesApiRef);
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  // A resume's answer stands until the page brings newer paused accounts.
  const [answered, setAnswered] = useState<{
    to: AccountPause[];
    paused: AccountPause[];
  }>();
  const [resuming, setResuming] = useState(false);
  const [error, setError] = useState<Error>();
  const shown = answered?.to === paused ? answered.paused : paused;

  if (!shown.length) {
    return null;
  }

  const resume = async (account?: string) => {
    setResuming(true);
    setError(undefined);
    try {
      const result = await api.resumeAutoRetry(account);
      setAnswered({ to: paused, paused: result.paused });
      onResumed();
    } catch (e) {
      setError(e as Error);
    } finally {
      setResuming(false);
    }
  };

  return (
    <Box mb={2} component="section" aria-label={t('pausedAccounts.title')}>
      <Alert
        severity="warning"
        action={
          canResume &&
          shown.length > 1 && (
            <Button
              color="inherit"
              size="small"
              disabled={resuming}
              onClick={() => resume()}
            >
              {t('pausedAccounts.resumeAll')}
            </Button>
          )
        }
      >
        <AlertTitle>{t('pausedAccounts.title')}</AlertTitle>
        {shown.map(pause => (
          <Box
            key={pause.account}
            display="flex"
            alignItems="center"
            flexWrap="wrap"
          >
            <Typography variant="body2" component="span">
              {t('pausedAccounts.account', {
                account: pause.account,
                since: <Since iso={pause.since} />,
                code: pause.code,
                reason: pause.reason,
              })}
            </Typography>
            {canResume && (
              <Button
                color="inherit"
                size="small"
                disabled={resuming}
                aria-label={t('pausedAccounts.resumeAccount', {
                  account: pause.account,
                })}
                onClick={() => resume(pause.account)}
              >
                {t('pausedAccounts.resume')}
              </Button>
            )}
          </Box>
        ))}
        {error && (
          <Typography variant="body2">
            {t('pausedAccounts.resumeFailed', { error: describeError(error) })}
          </Typography>
        )}
      </Alert>
    </Box>
  );
}
