import PQueue from 'p-queue';
import { RetryLimits } from '../config';

/**
 * The one queue every background retry (bulk and automatic) goes through, so
 * together they stay under the provider's rate (`retry.ratePerSecond`) with
 * at most `retry.concurrency` sends in flight.
 */
export class RetryRateLimiter {
  private readonly queue: PQueue;
  /** How many of one run's retries may wait in the shared queue at once. */
  private readonly maxQueuedPerRun: number;

  /** How many sends may be in flight at once. */
  readonly concurrency: number;

  constructor(limits: RetryLimits) {
    this.concurrency = limits.concurrency;
    // Small windows spread the sends evenly instead of bursting each second.
    // Each window counts the retries it starts, not those still running from
    // the last one: a retry lasts longer than a window, and counting it again
    // would hold the rate far below the limit.
    const perWindow = Math.max(1, Math.ceil(limits.ratePerSecond / 20));
    // Enough to keep every slot busy, few enough that a run which stops, or
    // another run queued behind it, is not held up by a page of leftovers.
    this.maxQueuedPerRun = 2 * Math.max(limits.concurrency, perWindow);
    this.queue = new PQueue({
      concurrency: limits.concurrency,
      intervalCap: perWindow,
      interval: Math.round((1000 * perWindow) / limits.ratePerSecond),
      carryoverConcurrencyCount: false,
    });
  }

  /** Runs `task` when the rate and concurrency allow. */
  schedule<T>(task: () => Promise<T>): Promise<T> {
    return this.queue.add(task);
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
