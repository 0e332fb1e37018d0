import { RetryRateLimiter } from './RetryRateLimiter';

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
    const limiter = new RetryRateLimiter({
      ratePerSecond: 1000,
      concurrency: 4,
    });
    const seen: number[] = [];
    await limiter.runAll(
      pagesOf(250, 100),
      async item => {
        seen.push(item);
      },
      () => undefined,
    );
    expect(seen.sort((a, b) => a - b)).toEqual(
      Array.from({ length: 250 }, (_, i) => i),
    );
  });

  it('queues nothing more once the run has stopped, so the shared queue is free at once', async () => {
    const limiter = new RetryRateLimiter({ ratePerSecond: 20, concurrency: 2 });
    let stopped = false;
    const started: number[] = [];
    await limiter.runAll(
      pagesOf(200, 200),
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
      async item => {
        other.push(item);
      },
      () => undefined,
    );
    expect(other).toHaveLength(3);
  });
});
