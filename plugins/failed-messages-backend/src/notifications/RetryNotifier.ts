import { LoggerService } from '@backstage/backend-plugin-api';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { BulkRetry } from '@msgops/plugin-failed-messages-common';
import { NotificationSettings } from '../config';
import { AutoRetryRun } from '../database/FailedMessageStore';

/** The topic of every notification of this plugin. */
export const NOTIFICATION_TOPIC = 'failed-messages';

/** The page filtered to messages whose retry did not succeed. */
export const BULK_RETRY_FAILED_LINK =
  '/failed-messages?retryStatus=retry-failed&retryStatus=max-attempts-reached';
/** The page filtered to messages whose last retry failed. */
export const AUTO_RETRY_FAILED_LINK =
  '/failed-messages?retryStatus=retry-failed';

const BULK_ENDING: Record<string, string> = {
  completed: 'finished',
  cancelled: 'stopped',
  failed: 'failed',
};

export interface RetryNotifierOptions {
  notifications: NotificationService;
  settings: NotificationSettings;
  logger: LoggerService;
}

/**
 * Tells people how retries ended: the starter of a bulk retry, and the
 * admins when an automatic run pauses or ends with failures. A notification
 * problem is logged and never fails a retry run.
 */
export class RetryNotifier {
  constructor(private readonly options: RetryNotifierOptions) {}

  async bulkRetryEnded(bulk: BulkRetry): Promise<void> {
    const { settings, logger } = this.options;
    if (!settings.bulkRetry) {
      return;
    }
    // Services and plugins start runs too; only people have an inbox.
    if (!bulk.createdBy.startsWith('user:')) {
      logger.debug(
        `Bulk retry ${bulk.id}: not notifying ${bulk.createdBy}, not a user`,
      );
      return;
    }
    const ending = BULK_ENDING[bulk.status] ?? bulk.status;
    const figures = `${bulk.succeeded} sent, ${bulk.failed} failed, ${bulk.skipped} skipped`;
    const unprocessed = bulk.total - bulk.processed;
    const description = [
      bulk.reason ? `Reason: ${bulk.reason}.` : undefined,
      `${bulk.processed} of ${bulk.total} messages processed: ${figures}.`,
      unprocessed > 0 ? `${unprocessed} not reached.` : undefined,
    ]
      .filter(Boolean)
      .join(' ');
    await this.send(`bulk retry ${bulk.id}`, {
      recipients: { type: 'entity', entityRef: bulk.createdBy },
      payload: {
        title: `Bulk retry ${ending}: ${figures}`,
        description,
        link: BULK_RETRY_FAILED_LINK,
        severity:
          bulk.failed > 0 || bulk.status === 'failed' ? 'high' : 'normal',
        topic: NOTIFICATION_TOPIC,
        scope: `bulk-retry:${bulk.id}`,
      },
    });
  }

  async autoRetryEnded(run: AutoRetryRun): Promise<void> {
    const { settings, logger } = this.options;
    if (!settings.autoRetry || (!run.pausedReason && run.failed <= 0)) {
      return;
    }
    if (!settings.adminRefs.length) {
      logger.warn(
        `Automatic retry run ${run.id}: no one to notify, failedMessages.roles.admin is empty`,
      );
      return;
    }
    const figures = `${run.attempted} attempted, ${run.succeeded} accepted, ${run.failed} failed.`;
    await this.send(`automatic retry run ${run.id}`, {
      recipients: { type: 'entity', entityRef: settings.adminRefs },
      payload: run.pausedReason
        ? {
            title: `Automatic retry paused: ${run.pausedReason}`,
            description: `The run stopped early; messages it did not reach keep their attempts. ${figures}`,
            link: AUTO_RETRY_FAILED_LINK,
            severity: 'high',
            topic: NOTIFICATION_TOPIC,
            scope: `auto-retry:${run.id}`,
          }
        : {
            title: `Automatic retry: ${run.failed} of ${run.attempted} failed`,
            description: figures,
            link: AUTO_RETRY_FAILED_LINK,
            severity: 'normal',
            topic: NOTIFICATION_TOPIC,
            scope: `auto-retry:${run.id}`,
          },
    });
  }

  private async send(what: string, options: NotificationSendOptions) {
    try {
      await this.options.notifications.send(options);
    } catch (error) {
      this.options.logger.warn(
        `Could not send the notification about ${what}: ${error}`,
      );
    }
  }
}
