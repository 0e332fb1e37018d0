import { LoggerService } from '@backstage/backend-plugin-api';
import { BulkRetryStore } from '../database/FailedMessageStore';

/**
 * The stamp of the worker on a bulk retry, on a timer a third of the window
 * apart rather than once per page: a page whose sends outlast the window (a
 * slow provider, a low rate) does not let another replica take the run over
 * while this one still sends. One statement per tick, none per message.
 *
 * The worker stops working on the run (`holds` turns false) once a stamp
 * finds it cancelled or owned by another worker's token, or once stamps have
 * failed for so long that the run may lapse before the next tick: another
 * replica may then take it, and the two must not work on it side by side.
 */
export class BulkHeartbeat {
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly intervalMs: number;
  private lastStampedAt = Date.now();
  private stamping = false;
  private lost = false;

  constructor(
    private readonly options: {
      store: Pick<BulkRetryStore, 'touchBulkRetry'>;
      logger: LoggerService;
      bulkRetryId: string;
      ownerToken: string;
      /** A run without a stamp for this long may be taken over. */
      windowMs: number;
      now: () => Date;
    },
  ) {
    this.intervalMs = options.windowMs / 3;
    this.timer = setInterval(() => this.stamp(), this.intervalMs);
    // The run's own work keeps the process alive, not its stamps.
    this.timer.unref?.();
  }

  /** Whether this worker may still work on the run. */
  get holds(): boolean {
    return !this.lost;
  }

  stop() {
    clearInterval(this.timer);
  }

  private async stamp() {
    // A stamp slower than a tick is not overtaken by the next one.
    if (this.stamping || this.lost) {
      return;
    }
    this.stamping = true;
    const { store, logger, bulkRetryId, ownerToken, windowMs } = this.options;
    try {
      if (
        await store.touchBulkRetry({
          id: bulkRetryId,
          ownerToken,
          now: this.options.now(),
        })
      ) {
        this.lastStampedAt = Date.now();
      } else {
        this.give(
          `Bulk retry ${bulkRetryId} is no longer running or another worker took it over; this one stops`,
        );
      }
    } catch (error) {
      if (Date.now() - this.lastStampedAt + this.intervalMs >= windowMs) {
        this.give(
          `Bulk retry ${bulkRetryId} could not be stamped for ${
            Date.now() - this.lastStampedAt
          } ms; this worker stops before another may take it over: ${error}`,
        );
      } else {
        logger.warn(`Stamping bulk retry ${bulkRetryId} failed: ${error}`);
      }
    } finally {
      this.stamping = false;
    }
  }

  private give(reason: string) {
    this.lost = true;
    this.stop();
    this.options.logger.info(reason);
  }
}
