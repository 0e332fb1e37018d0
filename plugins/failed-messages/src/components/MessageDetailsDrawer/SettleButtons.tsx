import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  FailedMessageDetail,
  failedMessagesForceRetryPermission,
  SettlementOutcome,
} from '@msgops/plugin-failed-messages-common';
import Button from '@material-ui/core/Button';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { failedMessagesApiRef } from '../../api';
import { failedMessagesTranslationRef } from '../../translation';
import { describeError } from '../../utils/describeError';
import { ReasonDialog } from './ReasonDialog';

const SETTLEMENT_OUTCOMES: SettlementOutcome[] = ['delivered', 'failed'];

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
      <ReasonDialog
        titleId="failed-messages-confirm-settle"
        reasonId="failed-messages-settle-reason"
        open={outcome !== undefined}
        title={
          delivered
            ? t('settle.confirmDeliveredTitle')
            : t('settle.confirmFailedTitle')
        }
        text={
          delivered
            ? t('settle.confirmDeliveredText')
            : t('settle.confirmFailedText')
        }
        reasonLabel={t('settle.reason')}
        reasonHelp={t('settle.reasonHelp')}
        cancelLabel={t('settle.cancel')}
        confirmLabel={t('settle.confirm')}
        reason={reason}
        onReasonChange={setReason}
        onClose={() => setOutcome(undefined)}
        onConfirm={() => outcome && settle(outcome)}
      />
    </>
  );
}
