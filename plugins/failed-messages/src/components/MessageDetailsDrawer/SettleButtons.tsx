import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  FailedMessageDetail,
  failedMessagesForceRetryPermission,
  SettlementOutcome,
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

const SETTLEMENT_OUTCOMES: SettlementOutcome[] = ['delivered', 'failed'];

/** The longest reason the backend keeps. */
const MAX_REASON_LENGTH = 500;

/**
 * "Mark delivered" and "Mark failed" for a message whose last retry has an
 * unknown outcome, shown only to those allowed to override retry safety:
 * after checking what happened, they settle it with a reason.
 */
export function SettleButtons(props: {
  message: FailedMessageDetail;
  onSettled: () => void;
}) {
  const { message, onSettled } = props;
  const api = useApi(failedMessagesApiRef);
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const { allowed } = usePermission({
    permission: failedMessagesForceRetryPermission,
  });
  const [outcome, setOutcome] = useState<SettlementOutcome>();
  const [reason, setReason] = useState('');
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<Error>();

  if (!allowed || message.retryStatus !== 'outcome-unknown') {
    return null;
  }

  const settle = async (settledAs: SettlementOutcome) => {
    setOutcome(undefined);
    setRunning(true);
    setError(undefined);
    try {
      await api.settleMessage(message.id, {
        outcome: settledAs,
        reason: reason.trim(),
      });
      setReason('');
      onSettled();
    } catch (e) {
      setError(e as Error);
    } finally {
      setRunning(false);
    }
  };

  const delivered = outcome === 'delivered';
  return (
    <>
      {SETTLEMENT_OUTCOMES.map(settledAs => (
        <Button
          key={settledAs}
          variant="outlined"
          disabled={running}
          onClick={() => setOutcome(settledAs)}
          style={{ marginLeft: 8 }}
        >
          {settledAs === 'delivered'
            ? t('settle.markDelivered')
            : t('settle.markFailed')}
        </Button>
      ))}
      {error && (
        <Alert severity="error" style={{ marginTop: 8 }}>
          {t('settle.failedToSettle', { error: describeError(error) })}
        </Alert>
      )}
      <Dialog
        open={outcome !== undefined}
        onClose={() => setOutcome(undefined)}
        aria-labelledby="failed-messages-confirm-settle"
      >
        <DialogTitle id="failed-messages-confirm-settle">
          {delivered
            ? t('settle.confirmDeliveredTitle')
            : t('settle.confirmFailedTitle')}
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            {delivered
              ? t('settle.confirmDeliveredText')
              : t('settle.confirmFailedText')}
          </DialogContentText>
          <TextField
            id="failed-messages-settle-reason"
            label={t('settle.reason')}
            helperText={t('settle.reasonHelp')}
            value={reason}
            onChange={event => setReason(event.target.value)}
            inputProps={{ maxLength: MAX_REASON_LENGTH }}
            required
            fullWidth
            margin="dense"
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOutcome(undefined)}>
            {t('settle.cancel')}
          </Button>
          <Button
            color="primary"
            disabled={!reason.trim()}
            onClick={() => outcome && settle(outcome)}
          >
            {t('settle.confirm')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
