import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  failedMessagesBulkRetryPermission,
  failedMessagesReadPermission,
} from '@msgops/plugin-failed-messages-common';
import { createPermissionGuard } from '../permissions/requirePermission';
import { SendingAccounts } from '../retry/SendingAccounts';
import { createOpenApiRouter } from '../schema/openapi.generated';
import { FailedMessagesSignals } from '../signals/FailedMessagesSignals';
import { audited } from './audited';

type ApiRouter = Awaited<ReturnType<typeof createOpenApiRouter>>;

/**
 * The routes of business numbers and accounts: the configured numbers, and
 * resuming accounts paused after an account-level error.
 */
export function addAccountRoutes(
  api: ApiRouter,
  options: {
    sending: SendingAccounts;
    auditor: AuditorService;
    httpAuth: HttpAuthService;
    permissions: PermissionsService;
    signals: FailedMessagesSignals;
  },
): void {
  const { sending, auditor } = options;
  const requirePermission = createPermissionGuard(options);

  api.get('/business-numbers', async (req, res) => {
    await requirePermission(req, failedMessagesReadPermission);
    res.json(
      sending.numbers.numbers.map(
        ({ phoneNumberId, label, account, ratePerSecond }) => ({
          phoneNumberId,
          label,
          account,
          ratePerSecond,
        }),
      ),
    );
  });

  api.post('/auto-retry/resume', async (req, res) => {
    await requirePermission(req, failedMessagesBulkRetryPermission);
    const account = req.body?.account;
    if (account !== undefined && !sending.accountIds.includes(account)) {
      throw new InputError(
        `Invalid account '${account}': the configured accounts are ${sending.accountIds.join(
          ', ',
        )}`,
      );
    }
    const resumed = await audited(
      auditor,
      {
        eventId: 'auto-retry-resume',
        request: req,
        meta: { account: account ?? 'all' },
      },
      () => sending.resume(account),
      accounts => ({ resumed: accounts }),
    );
    options.signals.messagesChanged();
    res.json({ resumed, paused: await sending.listPauses() });
  });
}
