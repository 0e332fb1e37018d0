import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  FailedMessageDetail,
  RetryAttempt,
  failedMessagesRetryPermission,
} from '@internal/plugin-failed-messages-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Drawer from '@material-ui/core/Drawer';
import IconButton from '@material-ui/core/IconButton';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import { Theme, makeStyles } from '@material-ui/core/styles';
import CloseIcon from '@material-ui/icons/Close';
import Alert from '@material-ui/lab/Alert';
import { ReactNode, useId, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { failedMessagesApiRef } from '../../api';
import { CategoryChip } from './CategoryChip';
import { describeError } from './describeError';
import {
  formatExactTime,
  outcomeLabels,
  retryStatusLabels,
  triggerLabels,
} from './labels';
import { AutomaticRun, nextAutomaticRetry } from './nextAutomaticRetry';

const useStyles = makeStyles(theme => ({
  paper: {
    width: '40rem',
    maxWidth: '100vw',
    padding: theme.spacing(3),
  },
  fullScreenPaper: {
    width: '100%',
    padding: theme.spacing(2),
  },
  header: {
    display: 'flex',
    alignItems: 'flex-start',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
  },
  section: {
    marginTop: theme.spacing(3),
  },
  pre: {
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    backgroundColor: theme.palette.background.default,
    padding: theme.spacing(1.5),
    borderRadius: theme.shape.borderRadius,
    fontSize: '0.8rem',
    margin: 0,
  },
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

function Section(props: { title: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <section className={classes.section} aria-label={props.title}>
      <Typography variant="h6" component="h3" gutterBottom>
        {props.title}
      </Typography>
      {props.children}
    </section>
  );
}

/** In words, when the automatic retry sends the message again. */
function automaticRetryText(
  message: FailedMessageDetail,
  automaticRun: AutomaticRun | undefined,
): string {
  const next = nextAutomaticRetry(message.nextAutomaticRetryAt, automaticRun);
  switch (next.kind) {
    case 'next-run':
      return next.at
        ? `The next automatic run retries it, on ${formatExactTime(next.at)}.`
        : 'The next automatic run retries it.';
    case 'after':
      return `The first automatic run after ${formatExactTime(
        next.at,
      )} retries it.`;
    default:
      return 'No automatic retry is scheduled.';
  }
}

/** Whether and when the message can be retried, in words. */
export function eligibilityText(
  message: FailedMessageDetail,
  automaticRun?: AutomaticRun,
): string {
  const { eligibility } = message;
  if (!eligibility.canRetry) {
    // The backend's reason is a whole sentence written for agents.
    return eligibility.reason ?? 'Cannot be retried.';
  }
  const parts = ['Can be retried.'];
  if (
    eligibility.earliestAt &&
    new Date(eligibility.earliestAt).getTime() > Date.now()
  ) {
    parts.push(`Not before ${formatExactTime(eligibility.earliestAt)}.`);
  }
  parts.push(automaticRetryText(message, automaticRun));
  return parts.join(' ');
}

function AttemptTimeline(props: { attempts: RetryAttempt[] }) {
  const classes = useStyles();
  if (!props.attempts.length) {
    return <Typography>No retry attempts yet.</Typography>;
  }
  return (
    <ol className={classes.timeline} aria-label="Retry attempts">
      {props.attempts.map(attempt => (
        <li key={attempt.id}>
          <Typography variant="subtitle2" component="p">
            Attempt {attempt.attemptNumber} · {triggerLabels[attempt.trigger]} ·{' '}
            {outcomeLabels[attempt.outcome]}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            {formatExactTime(attempt.startedAt)} by{' '}
            {attempt.actor ?? 'the automatic retry'}
          </Typography>
          {attempt.error && (
            <Typography variant="body2">
              Error {attempt.error.code}
              {attempt.error.title ? `: ${attempt.error.title}` : ''}
              {attempt.error.message ? ` (${attempt.error.message})` : ''}
            </Typography>
          )}
        </li>
      ))}
    </ol>
  );
}

/** An optional note on why the message is retried, kept with the attempt. */
function ReasonField(props: {
  id: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <TextField
      id={props.id}
      label="Reason"
      helperText="Optional; kept with the retry attempt"
      value={props.value}
      onChange={event => props.onChange(event.target.value)}
      fullWidth
      margin="dense"
    />
  );
}

/** "Retry now", shown only to those allowed to retry a message. */
function RetryButton(props: {
  message: FailedMessageDetail;
  onRetried: () => void;
}) {
  const { message, onRetried } = props;
  const api = useApi(failedMessagesApiRef);
  const { allowed } = usePermission({
    permission: failedMessagesRetryPermission,
  });
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<Error>();

  if (!allowed) {
    return null;
  }

  // A business rule (e.g. a daily limit) may still apply, so the sender is asked first.
  const needsConfirmation = message.category === 'business-logic';

  const retry = async () => {
    setConfirming(false);
    setRunning(true);
    setError(undefined);
    try {
      await api.retryMessage(message.id, {
        force: needsConfirmation,
        reason: reason.trim() || undefined,
      });
      setReason('');
      onRetried();
    } catch (e) {
      setError(e as Error);
    } finally {
      setRunning(false);
    }
  };

  return (
    <>
      {message.eligibility.canRetry && !needsConfirmation && (
        <ReasonField
          id="failed-messages-retry-reason"
          value={reason}
          onChange={setReason}
        />
      )}
      <Button
        variant="contained"
        color="primary"
        disabled={running || !message.eligibility.canRetry}
        onClick={() => (needsConfirmation ? setConfirming(true) : retry())}
      >
        {running ? 'Retrying…' : 'Retry now'}
      </Button>
      {error && (
        <Alert severity="error" style={{ marginTop: 8 }}>
          Retry failed: {describeError(error)}
        </Alert>
      )}
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        aria-labelledby="failed-messages-confirm-retry"
      >
        <DialogTitle id="failed-messages-confirm-retry">
          Retry despite the business rule?
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            This message failed because a business rule was violated (
            {message.error.title ?? message.error.code}). Retrying it before the
            rule is resolved may fail again.
          </DialogContentText>
          <ReasonField
            id="failed-messages-forced-retry-reason"
            value={reason}
            onChange={setReason}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>Cancel</Button>
          <Button color="primary" onClick={retry}>
            Retry anyway
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

export interface MessageDetailsDrawerProps {
  /** The open message; the drawer is closed without one. */
  messageId?: string;
  /** Changes when the message may have changed, so that it is fetched again. */
  refreshKey?: number;
  /** The automatic retry run, once known: a message waits for it. */
  automaticRun?: AutomaticRun;
  onClose: () => void;
  /** Called after a retry: the list and the counts refresh, and refreshKey changes. */
  onRetried: () => void;
}

/** Why a message failed, what to do, whether it can be retried, and its retry history. */
export function MessageDetailsDrawer(props: MessageDetailsDrawerProps) {
  const { messageId, refreshKey, automaticRun, onClose, onRetried } = props;
  const classes = useStyles();
  const api = useApi(failedMessagesApiRef);
  const titleId = useId();
  // A phone has no room beside the list, so the details cover the screen.
  const fullScreen = useMediaQuery((theme: Theme) =>
    theme.breakpoints.down('xs'),
  );
  const details = useAsync(
    async () => (messageId ? api.getMessage(messageId) : undefined),
    [api, messageId, refreshKey],
  );
  // While it is fetched again the message stays on screen, so that a refresh
  // neither flickers nor loses a reason being typed.
  const message = details.value?.id === messageId ? details.value : undefined;

  return (
    <Drawer
      anchor="right"
      open={Boolean(messageId)}
      onClose={onClose}
      classes={{ paper: fullScreen ? classes.fullScreenPaper : classes.paper }}
      PaperProps={{
        role: 'dialog',
        'aria-modal': true,
        'aria-labelledby': titleId,
      }}
    >
      <div className={classes.header}>
        <Typography id={titleId} variant="h5" component="h2">
          {message
            ? `Message to ${message.recipient}`
            : 'Failed message details'}
        </Typography>
        <IconButton aria-label="Close details" onClick={onClose}>
          <CloseIcon />
        </IconButton>
      </div>
      {details.loading && !message && <Progress />}
      {details.error && (
        <Alert severity="error">
          Could not load the message: {describeError(details.error)}
        </Alert>
      )}
      {message && (
        <>
          <Typography variant="subtitle1">
            Error {message.error.code}
            {message.error.title ? ` — ${message.error.title}` : ''}{' '}
            <CategoryChip category={message.category} />
          </Typography>
          <Typography variant="body2" color="textSecondary">
            Failed {formatExactTime(message.failedAt)} ·{' '}
            {retryStatusLabels[message.retryStatus]}
            {message.campaign ? ` · Campaign ${message.campaign}` : ''}
            {message.templateName ? ` · Template ${message.templateName}` : ''}
          </Typography>
          <Section title="What happened">
            <Typography>{message.explanation.meaning}</Typography>
          </Section>
          <Section title="What to do">
            <Typography>{message.explanation.action}</Typography>
          </Section>
          <Section title="Retry">
            <Typography paragraph>
              {eligibilityText(message, automaticRun)}
            </Typography>
            <RetryButton message={message} onRetried={onRetried} />
          </Section>
          <Section title="Provider error">
            <pre className={classes.pre}>
              {JSON.stringify(message.error, null, 2)}
            </pre>
          </Section>
          <Section title="Payload">
            {message.payload ? (
              <pre className={classes.pre}>
                {JSON.stringify(message.payload, null, 2)}
              </pre>
            ) : (
              <Typography>The sent request was not stored.</Typography>
            )}
          </Section>
          <Section title="Retry history">
            <AttemptTimeline attempts={message.attempts} />
          </Section>
        </>
      )}
    </Drawer>
  );
}
