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
    const perWindow = Math.max(1, Math.ceil(limits.ratePerSecond / 20));
    this.queue = new PQueue({
      concurrency: limits.concurrency,
      intervalCap: perWindow,
      interval: Math.round((1000 * perWindow) / limits.ratePerSecond),
      carryoverConcurrencyCount: true,
    });
  }

  /** Runs `task` when the rate and concurrency allow. */
  schedule<T>(task: () => Promise<T>): Promise<T> {
    return this.queue.add(task);
  }
}
