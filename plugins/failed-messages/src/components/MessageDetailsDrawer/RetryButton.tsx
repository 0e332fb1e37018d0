import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  FailedMessageDetail,
  failedMessagesForceRetryPermission,
  failedMessagesRetryPermission,
} from '@msgops/plugin-failed-messages-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { failedMessagesApiRef } from '../../api';
import { failedMessagesTranslationRef } from '../../translation';
import { describeError } from '../../utils/describeError';

/**
 * A note on why the message is retried, kept with the attempt: optional for
 * a retry the rules allow, required for a forced one.
 */
function ReasonField(props: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
}) {
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  return (
    <TextField
      id={props.id}
      label={t('retry.reason')}
      helperText={
        props.required ? t('retry.forceReasonHelp') : t('retry.reasonHelp')
      }
      required={props.required}
      value={props.value}
      onChange={event => props.onChange(event.target.value)}
      fullWidth
      margin="dense"
    />
  );
}

/**
 * "Retry now", shown only to those allowed to retry a message; where the
 * code's rule allows a resend at once, it asks first whether the rule holds.
 * Where the eligibility rules say no but a forced retry may override them,
 * "Force retry" with a confirmation, shown only to those allowed to force.
 */
export function RetryButton(props: {
  message: FailedMessageDetail;
  onRetried: () => void;
}) {
  const { message, onRetried } = props;
  const api = useApi(failedMessagesApiRef);
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const { allowed } = usePermission({
    permission: failedMessagesRetryPermission,
  });
  const { allowed: mayForce } = usePermission({
    permission: failedMessagesForceRetryPermission,
  });
  const [confirming, setConfirming] = useState(false);
  const [confirmingRule, setConfirmingRule] = useState(false);
  const [reason, setReason] = useState('');
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<Error>();

  if (!allowed) {
    return null;
  }

  const { canRetry, forceable } = message.eligibility;
  // The reason not to retry (a business rule, a wait, an unknown outcome)
  // may still hold, so the sender confirms first.
  const forcing = !canRetry && forceable === true && mayForce;
  // No wait stands between the failure and a resend, only the rule, which
  // nobody but the person retrying can check.
  const checkRule = canRetry && message.explanation.manualRetry === 'allowed';

  const retry = async () => {
    setConfirming(false);
    setConfirmingRule(false);
    setRunning(true);
    setError(undefined);
    try {
      await api.retryMessage(message.id, {
        force: forcing,
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
      {canRetry && (
        <ReasonField
          id="failed-messages-retry-reason"
          value={reason}
          onChange={setReason}
        />
      )}
      <Button
        variant="contained"
        color="primary"
        disabled={running || !(canRetry || forcing)}
        onClick={() => {
          if (forcing) {
            setConfirming(true);
          } else if (checkRule) {
            setConfirmingRule(true);
          } else {
            retry();
          }
        }}
      >
        {running && t('retry.retrying')}
        {!running && (forcing ? t('retry.forceRetry') : t('retry.retryNow'))}
      </Button>
      {error && (
        <Alert severity="error" style={{ marginTop: 8 }}>
          {t('retry.failed', { error: describeError(error) })}
        </Alert>
      )}
      <Dialog
        open={confirmingRule}
        onClose={() => setConfirmingRule(false)}
        aria-labelledby="failed-messages-confirm-rule"
      >
        <DialogTitle id="failed-messages-confirm-rule">
          {t('retry.confirmRuleTitle')}
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            {t('retry.confirmRuleText', { rule: message.explanation.rule })}
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirmingRule(false)}>
            {t('retry.cancel')}
          </Button>
          <Button color="primary" onClick={retry}>
            {t('retry.resend')}
          </Button>
        </DialogActions>
      </Dialog>
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        aria-labelledby="failed-messages-confirm-retry"
      >
        <DialogTitle id="failed-messages-confirm-retry">
          {t('retry.confirmTitle')}
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            {t('retry.confirmText', {
              reason: message.eligibility.reason ?? '',
            })}
          </DialogContentText>
          <ReasonField
            id="failed-messages-forced-retry-reason"
            value={reason}
            onChange={setReason}
            required
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>
            {t('retry.cancel')}
          </Button>
          <Button color="primary" onClick={retry} disabled={!reason.trim()}>
            {t('retry.retryAnyway')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
