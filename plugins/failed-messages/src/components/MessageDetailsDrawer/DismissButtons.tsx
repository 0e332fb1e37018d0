import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  FailedMessageDetail,
  failedMessagesRetryPermission,
} from '@msgops/plugin-failed-messages-common';
import Button from '@material-ui/core/Button';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { failedMessagesApiRef } from '../../api';
import { failedMessagesTranslationRef } from '../../translation';
import { describeError } from '../../utils/describeError';
import { ReasonDialog } from './ReasonDialog';

/**
 * "Dismiss" for an open failure that needs no resend, with a reason asked
 * in a dialog, and "Reopen" for a dismissed one; only for those who may
 * retry messages (agents and admins). A message being retried cannot be
 * dismissed: the backend says so, and the button waits for the outcome.
 */
export function DismissButtons(props: {
  message: FailedMessageDetail;
  onChanged: () => void;
}) {
  const { message, onChanged } = props;
  const api = useApi(failedMessagesApiRef);
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const { allowed } = usePermission({
    permission: failedMessagesRetryPermission,
  });
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string>();

  if (!allowed || message.state === 'resolved') {
    return null;
  }

  const change = async (
    work: () => Promise<unknown>,
    failed: (error: string) => string,
  ) => {
    setAsking(false);
    setRunning(true);
    setError(undefined);
    try {
      await work();
      setReason('');
      onChanged();
    } catch (e) {
      setError(failed(describeError(e as Error)));
    } finally {
      setRunning(false);
    }
  };

  return (
    <>
      {message.state === 'dismissed' ? (
        <Button
          variant="outlined"
          disabled={running}
          onClick={() =>
            change(
              () => api.reopenMessage(message.id),
              failure => t('dismiss.reopenFailed', { error: failure }),
            )
          }
        >
          {t('dismiss.reopen')}
        </Button>
      ) : (
        <Button
          variant="outlined"
          disabled={running || message.retryStatus === 'retrying'}
          onClick={() => setAsking(true)}
          style={{ marginLeft: 8 }}
        >
          {t('dismiss.dismiss')}
        </Button>
      )}
      {error && (
        <Alert severity="error" style={{ marginTop: 8 }}>
          {error}
        </Alert>
      )}
      <ReasonDialog
        titleId="failed-messages-confirm-dismiss"
        reasonId="failed-messages-dismiss-reason"
        open={asking}
        title={t('dismiss.dialogTitle')}
        text={t('dismiss.dialogText')}
        reasonLabel={t('dismiss.reason')}
        reasonHelp={t('dismiss.reasonHelp')}
        cancelLabel={t('dismiss.cancel')}
        confirmLabel={t('dismiss.confirm')}
        reason={reason}
        onReasonChange={setReason}
        onClose={() => setAsking(false)}
        onConfirm={() =>
          change(
            () => api.dismissMessage(message.id, reason.trim()),
            failure => t('dismiss.dismissFailed', { error: failure }),
          )
        }
      />
    </>
  );
}
