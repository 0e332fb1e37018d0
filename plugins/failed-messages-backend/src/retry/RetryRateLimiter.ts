import PQueue from 'p-queue';
import { RetryLimits } from '../config';

/**
 * The one queue every background retry (bulk and automatic) goes through, so
 * together they stay under the provider's rate (`retry.ratePerSecond`) with
 * at most `retry.concurrency` sends in flight.
 */
export class RetryRateLimiter {
  private readonly queue: PQueue;

  constructor(limits: RetryLimits) {
    // Small windows spread the sends evenly instead of bursting each second.
    // Each window counts the retries it starts, not those still running from
    // the last one: a retry lasts longer than a window, and counting it again
    // would hold the rate far below the limit.
    const perWindow = Math.max(1, Math.ceil(limits.ratePerSecond / 20));
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
   * Runs `task` for every item of every page. The next page is read while
   * the previous one is still being sent, so the queue never runs dry, yet
   * at most two pages are held: memory stays flat for millions of items.
   * A task's error goes to `onError` and does not stop the others.
   */
  async runAll<T>(
    pages: AsyncIterable<T[]>,
    task: (item: T) => Promise<void>,
    onError: (item: T, error: unknown) => void,
  ): Promise<void> {
    const pending = new Set<Promise<void>>();
    for await (const page of pages) {
      for (const item of page) {
        const run: Promise<void> = this.schedule(() => task(item))
          .catch(error => onError(item, error))
          .finally(() => pending.delete(run));
        pending.add(run);
      }
      while (pending.size > page.length) {
        await Promise.race(pending);
      }
    }
    await Promise.all(pending);
  }
}
