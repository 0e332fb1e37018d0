import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  BulkRetry,
  BulkRetryStatus,
  FAILED_MESSAGES_SIGNAL_CHANNEL,
  FailedMessagesSignal,
} from '@msgops/plugin-failed-messages-common';

/** Statuses after which a bulk retry changes no more. */
const FINAL_BULK_STATUSES: ReadonlySet<BulkRetryStatus> = new Set([
  'completed',
  'cancelled',
  'failed',
]);

export interface FailedMessagesSignalsOptions {
  signals: SignalsService;
  logger: LoggerService;
  /** At most one signal of each kind (per bulk retry) in this time. */
  intervalMs?: number;
}

/**
 * Tells open pages that failed messages or a bulk retry changed, so they
 * fetch again. A busy backend changes thousands of messages a second: each
 * kind of signal is sent at most once per interval, at its end, so the last
 * change is always announced. A bulk retry's final status goes out at once.
 * Publishing problems are logged and never fail the change itself.
 */
export class FailedMessagesSignals {
  private readonly intervalMs: number;
  private messagesTimer: NodeJS.Timeout | undefined;
  private readonly bulkTimers = new Map<
    string,
    { timer: NodeJS.Timeout; status: BulkRetryStatus }
  >();

  constructor(private readonly options: FailedMessagesSignalsOptions) {
    this.intervalMs = options.intervalMs ?? 1000;
  }

  /** Messages were added, retried or removed. */
  messagesChanged(): void {
    if (this.messagesTimer) {
      return;
    }
    this.messagesTimer = this.later(() => {
      this.messagesTimer = undefined;
      this.publish({ type: 'messages-changed' });
    });
  }

  /** A bulk retry made progress or changed status. */
  bulkRetryChanged(bulk: Pick<BulkRetry, 'id' | 'status'>): void {
    const pending = this.bulkTimers.get(bulk.id);
    if (FINAL_BULK_STATUSES.has(bulk.status)) {
      // Nothing follows a final status, not even pending progress.
      if (pending) {
        clearTimeout(pending.timer);
        this.bulkTimers.delete(bulk.id);
      }
      this.publishBulk(bulk.id, bulk.status);
      return;
    }
    if (pending) {
      pending.status = bulk.status;
      return;
    }
    const entry = {
      status: bulk.status,
      timer: this.later(() => {
        this.bulkTimers.delete(bulk.id);
        this.publishBulk(bulk.id, entry.status);
      }),
    };
    this.bulkTimers.set(bulk.id, entry);
  }

  private later(fn: () => void): NodeJS.Timeout {
    const timer = setTimeout(fn, this.intervalMs);
    // A pending announcement must not keep a stopping process alive.
    timer.unref();
    return timer;
  }

  private publishBulk(bulkRetryId: string, status: BulkRetryStatus) {
    this.publish({ type: 'bulk-retry', bulkRetryId, status });
  }

  private publish(message: FailedMessagesSignal) {
    this.options.signals
      .publish({
        recipients: { type: 'broadcast' },
        channel: FAILED_MESSAGES_SIGNAL_CHANNEL,
        message,
      })
      .catch(error =>
        this.options.logger.warn(
          `Could not publish the ${message.type} signal: ${error}`,
        ),
      );
  }
}
