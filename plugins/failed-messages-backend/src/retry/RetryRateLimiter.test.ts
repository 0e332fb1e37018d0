import { SendLane } from '../numbers/BusinessNumbers';
import { RetryRateLimiter } from './RetryRateLimiter';

/** Every item goes out from one number at `ratePerSecond`. */
const oneNumber = (ratePerSecond: number) => (): SendLane => ({
  key: '1065',
  ratePerSecond,
});

describe('RetryRateLimiter.runAll', () => {
  async function* pagesOf(count: number, pageSize: number) {
    for (let start = 0; start < count; start += pageSize) {
      yield Array.from(
        { length: Math.min(pageSize, count - start) },
        (_, i) => start + i,
      );
    }
  }

  it('runs every item of every page once', async () => {
    const limiter = new RetryRateLimiter({ concurrency: 4 });
    const seen: number[] = [];
    await limiter.runAll(
      pagesOf(250, 100),
      oneNumber(1000),
      async item => {
        seen.push(item);
      },
      () => undefined,
    );
    expect(seen.sort((a, b) => a - b)).toEqual(
      Array.from({ length: 250 }, (_, i) => i),
    );
  });

  it('reads no further ahead than twice its concurrency, whatever the rate', async () => {
    const limiter = new RetryRateLimiter({ concurrency: 2 });
    let read = 0;
    async function* counted() {
      for await (const page of pagesOf(1000, 1)) {
        read += page.length;
        yield page;
      }
    }
    let release = () => {};
    const blocked = new Promise<void>(resolve => {
      release = resolve;
    });
    const run = limiter.runAll(
      counted(),
      oneNumber(1_000_000),
      () => blocked,
      () => undefined,
    );
    await new Promise(resolve => setTimeout(resolve, 50));
    // Two sends in flight and two queued behind them, plus the page being
    // handed out.
    expect(read).toBeLessThanOrEqual(5);
    release();
    await run;
    expect(read).toBe(1000);
  });

  it('queues nothing more once the run has stopped, so the shared queue is free at once', async () => {
    const limiter = new RetryRateLimiter({ concurrency: 2 });
    let stopped = false;
    const started: number[] = [];
    await limiter.runAll(
      pagesOf(200, 200),
      oneNumber(20),
      async item => {
        started.push(item);
        stopped = true;
      },
      () => undefined,
      { stopped: () => stopped },
    );
    // The first item and the few already waiting in the queue; not the page.
    expect(started.length).toBeGreaterThanOrEqual(1);
    expect(started.length).toBeLessThanOrEqual(4);

    // Another run gets its turn without waiting behind the stopped one.
    const other: number[] = [];
    await limiter.runAll(
      pagesOf(3, 3),
      oneNumber(20),
      async item => {
        other.push(item);
      },
      () => undefined,
    );
    expect(other).toHaveLength(3);
  });

  it('never starts more than a burst at once, then one spacing apart', async () => {
    // 100 a second: bursts of 5, then one start every 10 ms.
    const limiter = new RetryRateLimiter({ concurrency: 50 });
    const startedAt: number[] = [];
    const began = performance.now();
    await limiter.runAll(
      pagesOf(25, 25),
      oneNumber(100),
      async () => {
        startedAt.push(performance.now());
      },
      () => undefined,
    );
    // Timers round to whole milliseconds and may fire late: the n-th start
    // after the burst comes no sooner than about n spacings after the call.
    startedAt.forEach((at, index) => {
      expect(at - began).toBeGreaterThanOrEqual(
        Math.max(0, index - 4) * 10 - 2,
      );
    });
  });

  it('limits each number on its own: a slow number does not hold up a fast one', async () => {
    const limiter = new RetryRateLimiter({ concurrency: 4 });
    const slow: SendLane = { key: 'slow', ratePerSecond: 10 };
    const fast: SendLane = { key: 'fast', ratePerSecond: 1000 };
    const finishedAt: Record<string, number[]> = { slow: [], fast: [] };
    const began = performance.now();
    await limiter.runAll(
      pagesOf(30, 30),
      item => (item % 6 === 0 ? slow : fast),
      async item => {
        finishedAt[item % 6 === 0 ? 'slow' : 'fast'].push(
          performance.now() - began,
        );
      },
      () => undefined,
    );
    // Five sends at 10 a second take 400 ms at least; the 25 fast ones
    // (40 a second would be 600 ms) are not paced by them.
    expect(Math.max(...finishedAt.slow)).toBeGreaterThanOrEqual(390);
    expect(Math.max(...finishedAt.fast)).toBeLessThan(300);
  });
});
