import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  BulkRetry,
  BulkRetryPreview,
} from '@internal/plugin-failed-messages-common';
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
import { describeError } from './describeError';
import { useLiveRefresh } from './useLiveRefresh';

/** How often a running bulk retry is asked for its counts when the app has no signals. */
export const BULK_RETRY_POLL_INTERVAL_MS = 1000;

/** With signals, a running bulk retry is still asked this often, in case a signal was lost. */
const BULK_RETRY_SIGNALS_SAFETY_POLL_MS = 10_000;

const TITLE_ID = 'failed-messages-bulk-retry-title';

function messages(count: number) {
  return `${count} message${count === 1 ? '' : 's'}`;
}

function SkippedReasons(props: { skipped: BulkRetryPreview['skipped'] }) {
  if (!props.skipped.length) {
    return null;
  }
  return (
    <>
      <Typography variant="subtitle2" component="h3">
        Skipped
      </Typography>
      <ul aria-label="Skipped messages by reason">
        {/* The count first: reasons are whole sentences with their own full stop. */}
        {props.skipped.map(({ reason, count }) => (
          <li key={reason}>
            {messages(count)} — {reason}
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
        {preview.loading && <Progress />}
        {preview.error && (
          <Alert severity="error">
            Could not check the messages: {describeError(preview.error)}
          </Alert>
        )}
        {preview.value && (
          <>
            <DialogContentText>
              {preview.value.matched} matched, {eligible} will be retried
            </DialogContentText>
            <SkippedReasons skipped={preview.value.skipped} />
            <TextField
              id="failed-messages-bulk-retry-reason"
              label="Reason"
              helperText="Optional; kept with the retry attempts"
              value={reason}
              onChange={event => setReason(event.target.value)}
              fullWidth
              margin="dense"
            />
          </>
        )}
        {startError && (
          <Alert severity="error">
            Could not start the retry: {describeError(startError)}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Cancel</Button>
        <Button
          variant="contained"
          color="primary"
          disabled={!preview.value || eligible === 0 || starting}
          onClick={start}
        >
          Retry {messages(eligible)}
        </Button>
      </DialogActions>
    </>
  );
}

function runSummary(run: BulkRetry): string {
  const counts = `${run.succeeded} sent, ${run.failed} failed, ${run.skipped} skipped`;
  switch (run.status) {
    case 'completed':
      return `Done: ${counts}`;
    case 'cancelled':
      return `Stopped after ${run.processed} of ${run.total} (${counts})`;
    case 'paused':
      return `Paused after ${run.processed} of ${run.total} (${counts})`;
    default:
      return `Failed after ${run.processed} of ${run.total} (${counts})`;
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
          aria-label="Bulk retry progress"
        />
        <Box mt={1} role="status" aria-live="polite">
          <Typography variant="body2">
            {running
              ? `${run.processed} of ${run.total} processed: ${run.succeeded} sent, ${run.failed} failed, ${run.skipped} skipped`
              : runSummary(run)}
          </Typography>
        </Box>
        {error && (
          <Alert severity="error">
            Could not follow the retry: {describeError(error)}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        {running && !error ? (
          <Button onClick={stop} disabled={stopping}>
            Stop
          </Button>
        ) : (
          <Button variant="contained" color="primary" onClick={props.onClose}>
            Close
          </Button>
        )}
      </DialogActions>
    </>
  );
}

export interface BulkRetryDialogProps {
  scope: BulkRetryScope;
  /** `started` is true when messages may have been sent, so the list should reload. */
  onClose: (started: boolean) => void;
}

/** Bulk retry of a selection or of a whole filter: preview, confirm, follow, summarise. */
export function BulkRetryDialog(props: BulkRetryDialogProps) {
  const { scope, onClose } = props;
  const [run, setRun] = useState<BulkRetry>();

  return (
    <Dialog
      open
      fullWidth
      maxWidth="sm"
      aria-labelledby={TITLE_ID}
      // While it runs, only Stop or the end of the run closes the dialog.
      onClose={() => {
        if (!run) {
          onClose(false);
        } else if (run.status !== 'running') {
          onClose(true);
        }
      }}
    >
      <DialogTitle id={TITLE_ID}>
        {scope.ids
          ? `Retry ${messages(scope.ids.length)} selected`
          : 'Retry all matching messages'}
      </DialogTitle>
      {run ? (
        <BulkRetryProgress
          run={run}
          onRunChange={setRun}
          onClose={() => onClose(true)}
        />
      ) : (
        <BulkRetryConfirmation
          scope={scope}
          onCancel={() => onClose(false)}
          onStarted={setRun}
        />
      )}
    </Dialog>
  );
}
