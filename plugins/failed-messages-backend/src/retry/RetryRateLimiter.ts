import PQueue from 'p-queue';
import { RetryLimits } from '../config';
import { SendLane } from '../numbers/BusinessNumbers';
import { InFlight } from './InFlight';
import { LocalSendSlots, SendSlots } from './SendSlots';

/**
 * The queues every retry (bulk, automatic and manual) goes through: one per
 * business number, so that together they stay under each number's rate with
 * at most `retry.concurrency` sends from it in flight in this process. When
 * each send may start comes from `slots`: this process's clock on SQLite, the
 * database shared by every replica on PostgreSQL (SharedSendSlots).
 */
export class RetryRateLimiter {
  private readonly queues = new Map<string, PQueue>();
  /** How many of one run's retries may wait in the queues at once. */
  private readonly maxQueuedPerRun: number;
  /** How many sends from one number may be in flight at once. */
  readonly concurrency: number;
  private readonly slots: SendSlots;

  constructor(
    limits: Pick<RetryLimits, 'concurrency'>,
    slots: SendSlots = new LocalSendSlots(),
  ) {
    this.concurrency = limits.concurrency;
    this.slots = slots;
    // Enough to keep every slot busy, few enough that a run which stops, or
    // another run queued behind it, is not held up by a page of leftovers.
    // Not more at a high rate: each queued item of a bulk run holds a claim,
    // and at 1,000,000/s (the benchmark's "no limit") a bound by the rate
    // let 100,000 of them wait, so a database slow to store outcomes let
    // 53,247 unsent claims pile up ahead of the sends.
    this.maxQueuedPerRun = 2 * limits.concurrency;
  }

  /** Runs `task` when the number's rate and concurrency allow. */
  schedule<T>(lane: SendLane, task: () => Promise<T>): Promise<T> {
    let queue = this.queues.get(lane.key);
    if (!queue) {
      queue = new PQueue({ concurrency: this.concurrency });
      this.queues.set(lane.key, queue);
    }
    return queue.add(async () => {
      await this.slots.take(lane);
      return task();
    });
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
    laneOf: (item: T) => SendLane,
    task: (item: T) => Promise<void>,
    onError: (item: T, error: unknown) => void,
    options: { stopped?: () => boolean } = {},
  ): Promise<void> {
    const queued = new InFlight();
    for await (const page of pages) {
      for (const item of page) {
        await queued.atMost(this.maxQueuedPerRun - 1);
        if (options.stopped?.()) {
          // The pages end by themselves once the run has stopped.
          continue;
        }
        queued.add(
          this.schedule(laneOf(item), () => task(item)).catch(error =>
            onError(item, error),
          ),
        );
      }
    }
    await queued.atMost(0);
  }
}
