import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { TranslationFunction } from '@backstage/frontend-plugin-api';
import {
  BulkRetry,
  BulkRetryPreview,
} from '@msgops/plugin-failed-messages-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import LinearProgress from '@material-ui/core/LinearProgress';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useMountedState from 'react-use/esm/useMountedState';
import { BulkRetryScope, failedMessagesApiRef } from '../../api';
import { useLiveRefresh } from '../../hooks';
import { failedMessagesTranslationRef } from '../../translation';
import { describeError } from '../../utils/describeError';
import { formatExactTime } from '../../utils/formatTime';

/** How often a running bulk retry is asked for its counts when the app has no signals. */
export const BULK_RETRY_POLL_INTERVAL_MS = 1000;

/** With signals, a running bulk retry is still asked this often, in case a signal was lost. */
const BULK_RETRY_SIGNALS_SAFETY_POLL_MS = 10_000;

const TITLE_ID = 'failed-messages-bulk-retry-title';

type Translate = TranslationFunction<typeof failedMessagesTranslationRef.T>;

function SkippedReasons(props: { skipped: BulkRetryPreview['skipped'] }) {
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  if (!props.skipped.length) {
    return null;
  }
  return (
    <>
      <Typography variant="subtitle2" component="h3">
        {t('bulkRetry.skipped')}
      </Typography>
      <ul aria-label={t('bulkRetry.skippedByReason')}>
        {/* The count first: reasons are whole sentences with their own full stop. */}
        {props.skipped.map(({ reason, count }) => (
          <li key={reason}>
            {t('bulkRetry.skippedReason', { count, reason })}
          </li>
        ))}
      </ul>
    </>
  );
}

/** First step: what would be retried, an optional reason, and confirmation. */
function BulkRetryConfirmation(props: {
  scope: BulkRetryScope;
  onCancel: () => void;
  onStarted: (run: BulkRetry) => void;
}) {
  const { scope, onCancel, onStarted } = props;
  const api = useApi(failedMessagesApiRef);
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const preview = useAsync(() => api.previewBulkRetry(scope), [api, scope]);
  const [reason, setReason] = useState('');
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<Error>();

  const start = async () => {
    setStarting(true);
    setStartError(undefined);
    try {
      onStarted(await api.startBulkRetry(scope, reason.trim() || undefined));
    } catch (e) {
      setStartError(e as Error);
      setStarting(false);
    }
  };

  const eligible = preview.value?.eligible ?? 0;
  return (
    <>
      <DialogContent>
        {preview.loading && (
          // Counting a million messages takes a second or two: say so.
          <Box role="status" aria-live="polite">
            <LinearProgress aria-label={t('bulkRetry.previewing')} />
            <Box mt={1}>
              <Typography variant="body2">
                {t('bulkRetry.previewing')}
              </Typography>
            </Box>
          </Box>
        )}
        {preview.error && (
          <Alert severity="error">
            {t('bulkRetry.checkFailed', {
              error: describeError(preview.error),
            })}
          </Alert>
        )}
        {preview.value && (
          <>
            <DialogContentText>
              {t('bulkRetry.preview', {
                matched: String(preview.value.matched),
                eligible: String(eligible),
              })}
            </DialogContentText>
            <SkippedReasons skipped={preview.value.skipped} />
            <TextField
              id="failed-messages-bulk-retry-reason"
              label={t('bulkRetry.reason')}
              helperText={t('bulkRetry.reasonHelp')}
              value={reason}
              onChange={event => setReason(event.target.value)}
              fullWidth
              margin="dense"
            />
          </>
        )}
        {startError && (
          <Alert severity="error">
            {t('bulkRetry.startFailed', { error: describeError(startError) })}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>{t('bulkRetry.cancel')}</Button>
        <Button
          variant="contained"
          color="primary"
          disabled={!preview.value || eligible === 0 || starting}
          onClick={start}
        >
          {t('bulkRetry.start', { count: eligible })}
        </Button>
      </DialogActions>
    </>
  );
}

/** The run's progress while it runs, and how it ended once it has. */
function runSummary(t: Translate, run: BulkRetry): string {
  const numbers = {
    processed: String(run.processed),
    total: String(run.total),
    succeeded: String(run.succeeded),
    failed: String(run.failed),
    skipped: String(run.skipped),
  };
  if (run.status === 'running') {
    return t('bulkRetry.running', numbers);
  }
  const counts = t('bulkRetry.counts', numbers);
  switch (run.status) {
    case 'completed':
      return t('bulkRetry.completed', { counts });
    case 'cancelled':
      return t('bulkRetry.cancelled', { ...numbers, counts });
    case 'paused':
      return t('bulkRetry.paused', { ...numbers, counts });
    default:
      return t('bulkRetry.failed', { ...numbers, counts });
  }
}

/** Second step: live progress of a started bulk retry, Stop, and the final summary. */
function BulkRetryProgress(props: {
  run: BulkRetry;
  onRunChange: (run: BulkRetry) => void;
  onClose: () => void;
}) {
  const { run, onRunChange: setRun } = props;
  const api = useApi(failedMessagesApiRef);
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const [error, setError] = useState<Error>();
  const [stopping, setStopping] = useState(false);
  const isMounted = useMountedState();
  const running = run.status === 'running';

  useLiveRefresh({
    refresh: () =>
      api.getBulkRetry(run.id).then(
        next => isMounted() && setRun(next),
        e => isMounted() && setError(e),
      ),
    concerns: signal =>
      signal.type === 'bulk-retry' && signal.bulkRetryId === run.id,
    pollIntervalMs: BULK_RETRY_POLL_INTERVAL_MS,
    pollIntervalWithSignalsMs: BULK_RETRY_SIGNALS_SAFETY_POLL_MS,
    minIntervalMs: BULK_RETRY_POLL_INTERVAL_MS,
    enabled: running && !error,
  });

  const stop = async () => {
    setStopping(true);
    try {
      setRun(await api.cancelBulkRetry(run.id));
    } catch (e) {
      setError(e as Error);
    } finally {
      setStopping(false);
    }
  };

  const percent = run.total ? (run.processed / run.total) * 100 : 0;
  return (
    <>
      <DialogContent>
        <LinearProgress
          variant="determinate"
          value={Math.min(100, percent)}
          aria-label={t('bulkRetry.progress')}
        />
        <Box mt={1} role="status" aria-live="polite">
          <Typography variant="body2">{runSummary(t, run)}</Typography>
        </Box>
        {error && (
          <Alert severity="error">
            {t('bulkRetry.followFailed', { error: describeError(error) })}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        {running && !error ? (
          <Button onClick={stop} disabled={stopping}>
            {t('bulkRetry.stop')}
          </Button>
        ) : (
          <Button variant="contained" color="primary" onClick={props.onClose}>
            {t('bulkRetry.close')}
          </Button>
        )}
      </DialogActions>
    </>
  );
}

export type BulkRetryDialogProps = {
  /** `started` is true when messages may have been sent, so the list should reload. */
  onClose: (started: boolean) => void;
} & (
  | { scope: BulkRetryScope }
  /** A run already going (reopened from the list): watched, and stopped if need be. */
  | { run: BulkRetry }
);

/**
 * Bulk retry of a selection or of a whole filter: preview, confirm, follow,
 * summarise; or, given a run, follow it from wherever it got to.
 */
export function BulkRetryDialog(props: BulkRetryDialogProps) {
  const { onClose } = props;
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const watched = 'run' in props ? props.run : undefined;
  const [run, setRun] = useState<BulkRetry | undefined>(watched);

  let title: string;
  if (watched) {
    title = t('bulkRetry.titleWatched', {
      time: formatExactTime(watched.createdAt),
    });
  } else if ('scope' in props && props.scope.ids) {
    title = t('bulkRetry.titleSelected', { count: props.scope.ids.length });
  } else {
    title = t('bulkRetry.titleAllMatching');
  }

  return (
    <Dialog
      open
      fullWidth
      maxWidth="sm"
      aria-labelledby={TITLE_ID}
      // While it runs, only Stop or the end of the run closes the dialog
      // that started it; one watched from the list just closes.
      onClose={() => {
        if (!run) {
          onClose(false);
        } else if (watched || run.status !== 'running') {
          onClose(true);
        }
      }}
    >
      <DialogTitle id={TITLE_ID}>{title}</DialogTitle>
      {run ? (
        <BulkRetryProgress
          run={run}
          onRunChange={setRun}
          onClose={() => onClose(true)}
        />
      ) : (
        'scope' in props && (
          <BulkRetryConfirmation
            scope={props.scope}
            onCancel={() => onClose(false)}
            onStarted={setRun}
          />
        )
      )}
    </Dialog>
  );
}
