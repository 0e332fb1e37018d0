import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  failedMessagesForceRetryPermission,
  failedMessagesRetryPermission,
  FailedMessageDetail,
  operations,
} from '@msgops/plugin-failed-messages-common';
import { requirePermissionOf } from '../permissions/requirePermission';
import { createOpenApiRouter } from '../schema/openapi.generated';
import { FailedMessagesSignals } from '../signals/FailedMessagesSignals';
import {
  DismissalResult,
  MessageStateStore,
  ReopeningResult,
  SettlementStore,
} from '../database/FailedMessageStore';
import { audited } from './audited';
import { readSettlement, settleMessage } from './settlement';

/** The body of `POST /messages/{id}/dismiss`, as the validator checked it. */
type DismissBody =
  operations['DismissMessage']['requestBody']['content']['application/json'];

/** Why a dismissal was refused, in the 409's words. */
const DISMISSAL_REFUSALS: Record<
  Exclude<DismissalResult, 'dismissed' | 'not-found'>,
  string
> = {
  'already-dismissed': 'This message is already dismissed.',
  resolved:
    'This message is resolved: it, or a newer message with the same template, reached the recipient.',
  retrying:
    'A retry of this message is in progress: dismiss it once its outcome is known.',
};

const REOPENING_REFUSALS: Record<
  Exclude<ReopeningResult, 'reopened' | 'not-found'>,
  string
> = {
  'not-dismissed': 'Only a dismissed message can be reopened; this one is not.',
};

function answer<Result extends string>(
  messageId: string,
  result: Result,
  done: Result,
  refusals: Partial<Record<Result, string>>,
): void {
  if (result === 'not-found') {
    throw new NotFoundError(`No failed message with id ${messageId}`);
  }
  if (result !== done) {
    throw new ConflictError(refusals[result]);
  }
}

/** A dismissal's reason: the document checks its length, not its words. */
export function readDismissalReason(body: DismissBody): string {
  const reason = body.reason.trim();
  if (!reason) {
    throw new InputError('Invalid dismissal: reason must not be blank');
  }
  return reason;
}

/**
 * The routes that change a message's state by hand: a person with the retry
 * permission dismisses a failure that needs no resend, or reopens it; a
 * holder of force-retry settles a resend whose outcome is unknown. Each is
 * audited, and answers with the message as the change left it.
 */
export function addMessageStateRoutes(
  api: Awaited<ReturnType<typeof createOpenApiRouter>>,
  options: {
    store: MessageStateStore & SettlementStore;
    auditor: AuditorService;
    httpAuth: HttpAuthService;
    permissions: PermissionsService;
    signals: FailedMessagesSignals;
    readDetail: (id: string) => Promise<FailedMessageDetail>;
  },
): void {
  const { store, auditor, httpAuth, permissions, signals } = options;

  api.post('/messages/:id/dismiss', async (req, res) => {
    // A dismissal names the person who made it.
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    await requirePermissionOf(
      permissions,
      credentials,
      failedMessagesRetryPermission,
    );
    const messageId = req.params.id;
    const reason = readDismissalReason(req.body);
    await audited(
      auditor,
      { eventId: 'dismiss', request: req, meta: { messageId, reason } },
      async () =>
        answer(
          messageId,
          await store.dismissMessage({
            messageId,
            reason,
            actor: credentials.principal.userEntityRef,
            now: new Date(),
          }),
          'dismissed',
          DISMISSAL_REFUSALS,
        ),
    );
    signals.messagesChanged();
    res.json({ message: await options.readDetail(messageId) });
  });

  api.post('/messages/:id/reopen', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    await requirePermissionOf(
      permissions,
      credentials,
      failedMessagesRetryPermission,
    );
    const messageId = req.params.id;
    await audited(
      auditor,
      { eventId: 'reopen', request: req, meta: { messageId } },
      async () =>
        answer(
          messageId,
          await store.reopenMessage({
            messageId,
            actor: credentials.principal.userEntityRef,
            now: new Date(),
          }),
          'reopened',
          REOPENING_REFUSALS,
        ),
    );
    signals.messagesChanged();
    res.json({ message: await options.readDetail(messageId) });
  });

  api.post('/messages/:id/settle', async (req, res) => {
    // Only a person can vouch for what happened to a message.
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    await requirePermissionOf(
      permissions,
      credentials,
      failedMessagesForceRetryPermission,
    );
    const settlement = readSettlement(
      req.params.id,
      req.body,
      credentials.principal.userEntityRef,
      new Date(),
    );
    await audited(
      auditor,
      {
        eventId: 'settle',
        request: req,
        meta: {
          messageId: settlement.messageId,
          outcome: settlement.outcome,
          reason: settlement.reason,
        },
      },
      () => settleMessage(store, settlement),
    );
    signals.messagesChanged();
    res.json({ message: await options.readDetail(settlement.messageId) });
  });
}
