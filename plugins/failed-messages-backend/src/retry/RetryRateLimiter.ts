import PQueue from 'p-queue';
import { RetryLimits } from '../config';

/**
 * The one queue every retry (bulk, automatic and manual) goes through, so
 * together they stay under the provider's rate (`retry.ratePerSecond`) with
 * at most `retry.concurrency` sends in flight.
 */
export class RetryRateLimiter {
  private readonly queue: PQueue;
  /** How many of one run's retries may wait in the shared queue at once. */
  private readonly maxQueuedPerRun: number;
  /** How many sends may be in flight at once. */
  readonly concurrency: number;
  /** Milliseconds between two starts at the full rate. */
  private readonly spacingMs: number;
  /** How many starts may go at once after a quiet spell. */
  private readonly burst: number;
  /** When the next start may go, on performance.now()'s clock. */
  private nextStartAt = 0;

  constructor(limits: Pick<RetryLimits, 'ratePerSecond' | 'concurrency'>) {
    this.concurrency = limits.concurrency;
    this.spacingMs = 1000 / limits.ratePerSecond;
    // A twentieth of a second's worth: sends spread evenly over each second
    // instead of bursting at its start.
    this.burst = Math.max(1, Math.ceil(limits.ratePerSecond / 20));
    // Enough to keep every slot busy, few enough that a run which stops, or
    // another run queued behind it, is not held up by a page of leftovers.
    // Not more at a high rate: each queued item of a bulk run holds a claim,
    // and at 1,000,000/s (the benchmark's "no limit") the burst allowed
    // 100,000 of them, so a database slow to store outcomes let 53,247
    // unsent claims pile up ahead of the sends.
    this.maxQueuedPerRun = 2 * limits.concurrency;
    this.queue = new PQueue({ concurrency: limits.concurrency });
  }

  /** Runs `task` when the rate and concurrency allow. */
  schedule<T>(task: () => Promise<T>): Promise<T> {
    return this.queue.add(async () => {
      await this.startSlot();
      return task();
    });
  }

  /**
   * Waits for the next start the rate allows. Start times are handed out by
   * the clock, one spacing apart, not by timers that open a window each
   * tick: on a busy event loop a timer fires late, and a window that opens
   * late would lose its share of the second, holding the rate below the
   * limit.
   */
  private async startSlot(): Promise<void> {
    const now = performance.now();
    // After a quiet spell, at most a burst may start at once.
    const at = Math.max(
      this.nextStartAt,
      now - (this.burst - 1) * this.spacingMs,
    );
    this.nextStartAt = at + this.spacingMs;
    if (at > now) {
      await new Promise(resolve => setTimeout(resolve, at - now));
    }
  }

  /**
   * Runs `task` for every item of every page, keeping at most a few windows'
   * worth of them in the queue; the pages are read while earlier items are
   * sent, so memory stays flat for millions of items. Once `stopped` says so,
   * the remaining items are not queued at all. A task's error goes to
   * `onError` and does not stop the others.
   */
  async runAll<T>(
    pages: AsyncIterable<T[]>,
    task: (item: T) => Promise<void>,
    onError: (item: T, error: unknown) => void,
    options: { stopped?: () => boolean } = {},
  ): Promise<void> {
    const pending = new Set<Promise<void>>();
    for await (const page of pages) {
      for (const item of page) {
        while (pending.size >= this.maxQueuedPerRun) {
          await Promise.race(pending);
        }
        if (options.stopped?.()) {
          // The pages end by themselves once the run has stopped.
          continue;
        }
        const run: Promise<void> = this.schedule(() => task(item))
          .catch(error => onError(item, error))
          .finally(() => pending.delete(run));
        pending.add(run);
      }
    }
    await Promise.all(pending);
  }
}
