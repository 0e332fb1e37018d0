import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { failedMessagesPermissions } from '@msgops/plugin-failed-messages-common';
import {
  failedMessagesSenderExtensionPoint,
  MessageSender,
} from '@msgops/plugin-failed-messages-node';
import { registerFailedMessagesActions } from './actions';
import { readFailedMessagesSettings } from './config';
import { KnexFailedMessageStore } from './database/KnexFailedMessageStore';
import { seedDemoData } from './demo/seedDemoData';
import { RetryNotifier } from './notifications/RetryNotifier';
import { AutomaticRetry } from './retry/AutomaticRetry';
import { BulkRetries } from './retry/BulkRetries';
import { scheduleRetryTasks } from './retry/autoRetryTask';
import { ManualRetryQuota } from './retry/ManualRetryQuota';
import { RetryEngine } from './retry/RetryEngine';
import { RetryRateLimiter } from './retry/RetryRateLimiter';
import { LocalSendSlots } from './retry/SendSlots';
import { SharedSendSlots } from './retry/SharedSendSlots';
import { AccountPauses } from './retry/AccountPauses';
import { BusinessNumbers } from './numbers/BusinessNumbers';
import { SandboxSender, WhatsAppCloudSender } from './senders';
import { createRouter } from './service/router';
import { FailedMessagesSignals } from './signals/FailedMessagesSignals';

/** How long a shutdown waits for the automatic run's sends in flight. */
const AUTO_RETRY_SHUTDOWN_GRACE_MS = 20_000;

/**
 * The failed-messages backend plugin: stores failed WhatsApp messages,
 * ingests reports and status webhooks, retries them, and serves them to the
 * portal.
 *
 * @public
 */
export const failedMessagesPlugin = createBackendPlugin({
  pluginId: 'failed-messages',
  register(env) {
    let installedSender: MessageSender | undefined;
    env.registerExtensionPoint(failedMessagesSenderExtensionPoint, {
      setSender(sender) {
        if (installedSender) {
          throw new Error(
            'A failed-messages sender is already installed; only one module may set it',
          );
        }
        installedSender = sender;
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        actionsRegistry: actionsRegistryServiceRef,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        notifications: notificationService,
        signals: signalsServiceRef,
      },
      async init(deps) {
        const settings = readFailedMessagesSettings(deps.config);
        const store = await KnexFailedMessageStore.create({
          database: deps.database,
        });
        const numbers = new BusinessNumbers(
          settings.accounts,
          settings.retry.ratePerSecond,
        );
        if (settings.demoData) {
          await seedDemoData({
            store,
            catalogue: settings.catalogue,
            logger: deps.logger,
            maxAutomaticAttempts: settings.autoRetry.maxAttempts,
            numbers,
          });
        }
        // Open pages reload when something changed, instead of polling.
        const signals = new FailedMessagesSignals({
          signals: deps.signals,
          logger: deps.logger,
        });
        const pauses = new AccountPauses({ store, logger: deps.logger });
        // Bulk, automatic and manual retries share each number's rate limit,
        // on PostgreSQL with every replica.
        const limiter = new RetryRateLimiter(
          settings.retry,
          store.sharedBetweenProcesses
            ? new SharedSendSlots(store)
            : new LocalSendSlots(),
        );
        // Closed at shutdown; a sender a module installs is the module's own.
        const cloudSender =
          !installedSender && settings.whatsapp
            ? new WhatsAppCloudSender(settings.whatsapp, settings.accounts)
            : undefined;
        const engine = new RetryEngine({
          store,
          signals,
          limiter,
          manualQuota: new ManualRetryQuota(
            settings.retry.manualPerUserPerMinute,
          ),
          catalogue: settings.catalogue,
          sender: installedSender ?? cloudSender ?? new SandboxSender(),
          numbers,
          pauses,
          logger: deps.logger,
          maxAutomaticAttempts: settings.autoRetry.maxAttempts,
        });

        const notifier = new RetryNotifier({
          notifications: deps.notifications,
          settings: settings.notifications,
          logger: deps.logger,
        });

        const bulkRetries = new BulkRetries({
          store,
          engine,
          catalogue: settings.catalogue,
          limiter,
          logger: deps.logger,
          signals,
          onFinished: bulk => notifier.bulkRetryEnded(bulk),
        });
        const automatic = new AutomaticRetry({
          store,
          engine,
          catalogue: settings.catalogue,
          limiter,
          logger: deps.logger,
          onFinished: run => notifier.autoRetryEnded(run),
        });
        // A send in flight ends within the sender's timeout (15 s by
        // default); one that does not is cut off and lapses into
        // outcome-unknown. Once the runs have stopped sending, the
        // connections to WhatsApp are closed.
        deps.lifecycle.addShutdownHook(async () => {
          try {
            await Promise.all([
              bulkRetries.stop(),
              automatic.stop(AUTO_RETRY_SHUTDOWN_GRACE_MS),
            ]);
          } finally {
            await cloudSender?.close();
          }
        });
        await scheduleRetryTasks({
          scheduler: deps.scheduler,
          settings: settings.autoRetry,
          store,
          bulkRetries,
          retentionDays: settings.retentionDays,
          sendLogRetentionDays: settings.sendLogRetentionDays,
          logger: deps.logger,
          signals,
          automatic,
        });

        deps.permissionsRegistry.addPermissions(failedMessagesPermissions);
        // For AI and MCP clients: the same checks as the HTTP routes.
        registerFailedMessagesActions({
          actionsRegistry: deps.actionsRegistry,
          store,
          engine,
          bulkRetries,
          catalogue: settings.catalogue,
          permissions: deps.permissions,
          auditor: deps.auditor,
        });
        deps.httpRouter.use(
          await createRouter({
            store,
            engine,
            bulkRetries,
            autoRetry: settings.autoRetry,
            automatic,
            scheduler: deps.scheduler,
            catalogue: settings.catalogue,
            webhooks: settings.webhooks,
            auditor: deps.auditor,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            logger: deps.logger,
            signals,
          }),
        );
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
        // Meta authenticates with the webhook signature, not a Backstage token.
        deps.httpRouter.addAuthPolicy({
          path: '/webhooks',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
