import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import {
  AutoRetryRunFigures,
  AutoRetryStatus,
} from '@msgops/plugin-failed-messages-common';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import Alert from '@material-ui/lab/Alert';
import { DateTime } from 'luxon';
import { useState } from 'react';
import { failedMessagesApiRef } from '../../api';
import { failedMessagesTranslationRef } from '../../translation';
import { describeError } from '../../utils/describeError';
import { formatExactTime } from '../../utils/formatTime';
import { RecentAutoRetryRuns, skippedTotal } from './RecentAutoRetryRuns';
import { useWatchedAutoRetry } from './useWatchedAutoRetry';

export interface AutoRetryPanelProps {
  /** GET /auto-retry as the page last fetched it; undefined while it loads. */
  status: AutoRetryStatus | undefined;
  /** The page's error fetching it. */
  error?: Error;
  /** Whether the viewer may start a run (the bulk-retry permission). */
  canRunNow: boolean;
  /** Called once a run the panel watched has ended. */
  onRunFinished: () => void;
}

/** The next run in the viewer's zone and, when it differs, in the schedule's. */
function NextRun(props: { status: AutoRetryStatus }) {
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const { enabled, nextRunAt, timezone } = props.status;
  if (!enabled) {
    return (
      <Typography variant="body2">{t('autoRetryPanel.disabled')}</Typography>
    );
  }
  if (!nextRunAt) {
    return (
      <Typography variant="body2">
        {t('autoRetryPanel.onDemandOnly')}
      </Typography>
    );
  }
  const next = DateTime.fromISO(nextRunAt);
  return (
    <Typography variant="body2">
      {t('autoRetryPanel.nextRun', {
        time: formatExactTime(nextRunAt),
        viewerZone: next.toLocal().zoneName ?? '',
      })}
      {'. '}
      {t('autoRetryPanel.scheduleZone', {
        zone: timezone,
        time: next.setZone(timezone).toLocaleString(DateTime.DATETIME_MED),
      })}
    </Typography>
  );
}

/** The run going on now and its figures so far. */
function RunGoing(props: { run: AutoRetryRunFigures }) {
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const { run } = props;
  return (
    <Box my={1} role="status">
      <Typography variant="body2">
        {t('autoRetryPanel.going', { time: formatExactTime(run.startedAt) })}
      </Typography>
      {/* How many messages a run will reach is not known until it ends. */}
      <LinearProgress aria-label={t('autoRetryPanel.progressLabel')} />
      <Typography variant="body2">
        {t('autoRetryPanel.goingProgress', {
          attempted: String(run.attempted),
          succeeded: String(run.succeeded),
          failed: String(run.failed),
          skipped: String(skippedTotal(run)),
        })}
      </Typography>
    </Box>
  );
}

/**
 * The automatic run for admins and managers: the next run in the viewer's
 * time zone (and the schedule's), the run going now with its progress, the
 * last runs with their counts, and for admins Run now.
 */
export function AutoRetryPanel(props: AutoRetryPanelProps) {
  const { canRunNow, onRunFinished } = props;
  const api = useApi(failedMessagesApiRef);
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const watched = useWatchedAutoRetry(props.status, onRunFinished);
  const { status } = watched;
  const [starting, setStarting] = useState(false);
  const [runAnswer, setRunAnswer] = useState<
    { alreadyRunning: true } | { error: Error }
  >();

  const runNow = async () => {
    setStarting(true);
    setRunAnswer(undefined);
    try {
      const answer = await api.runAutoRetry();
      if (answer.status === 'already-running') {
        setRunAnswer({ alreadyRunning: true });
      }
      watched.awaitRun();
    } catch (e) {
      setRunAnswer({ error: e as Error });
    } finally {
      setStarting(false);
    }
  };

  const error = props.error ?? watched.error;
  return (
    <Box mb={2} component="section" aria-label={t('autoRetryPanel.title')}>
      <Accordion variant="outlined" TransitionProps={{ unmountOnExit: true }}>
        <AccordionSummary
          expandIcon={<ExpandMoreIcon />}
          aria-controls="auto-retry-panel-details"
          id="auto-retry-panel-summary"
        >
          <Box>
            <Typography variant="subtitle1" component="span">
              {t('autoRetryPanel.title')}
            </Typography>
            {status && <NextRun status={status} />}
            {status?.current && (
              <Typography variant="body2">
                {t('autoRetryPanel.going', {
                  time: formatExactTime(status.current.startedAt),
                })}
              </Typography>
            )}
          </Box>
        </AccordionSummary>
        <AccordionDetails>
          <Box width="100%">
            {error && (
              <Alert severity="error">
                {t('autoRetryPanel.loadFailed', {
                  error: describeError(error),
                })}
              </Alert>
            )}
            {canRunNow && status?.enabled && (
              <Box mb={1}>
                <Button
                  variant="outlined"
                  color="primary"
                  disabled={starting || Boolean(status.current)}
                  onClick={runNow}
                >
                  {t('autoRetryPanel.runNow')}
                </Button>
              </Box>
            )}
            {starting && (
              <Typography variant="body2" role="status">
                {t('autoRetryPanel.starting')}
              </Typography>
            )}
            {runAnswer && 'alreadyRunning' in runAnswer && (
              <Typography variant="body2" role="status">
                {t('autoRetryPanel.alreadyRunning')}
              </Typography>
            )}
            {runAnswer && 'error' in runAnswer && (
              <Alert severity="error">
                {t('autoRetryPanel.runFailed', {
                  error: describeError(runAnswer.error),
                })}
              </Alert>
            )}
            {status?.current && <RunGoing run={status.current} />}
            <Typography variant="subtitle2" component="h3">
              {t('autoRetryPanel.recentRuns')}
            </Typography>
            {status && <RecentAutoRetryRuns runs={status.recentRuns} />}
          </Box>
        </AccordionDetails>
      </Accordion>
    </Box>
  );
}
