import { InFlight } from './InFlight';

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Whether the promise has settled once pending callbacks have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise(resolve => setImmediate(resolve));
  return done;
}

describe('InFlight', () => {
  it('holds a wait until enough tasks have settled, rejected ones included', async () => {
    const inFlight = new InFlight();
    const tasks = [deferred(), deferred(), deferred()];
    tasks.forEach(task => inFlight.add(task.promise));
    expect(inFlight.size).toBe(3);

    const belowTwo = inFlight.atMost(1);
    expect(await settled(belowTwo)).toBe(false);
    tasks[0].resolve();
    expect(await settled(belowTwo)).toBe(false);
    tasks[1].reject(new Error('send failed'));
    expect(await settled(belowTwo)).toBe(true);
    expect(inFlight.size).toBe(1);

    const idle = inFlight.atMost(0);
    expect(await settled(idle)).toBe(false);
    tasks[2].resolve();
    expect(await settled(idle)).toBe(true);
    expect(inFlight.size).toBe(0);
  });

  it('wakes every waiter whose limit is met, and only those', async () => {
    const inFlight = new InFlight();
    const tasks = [deferred(), deferred()];
    tasks.forEach(task => inFlight.add(task.promise));
    const waiters = [inFlight.atMost(1), inFlight.atMost(1), inFlight.atMost(0)];

    tasks[0].resolve();
    expect(await Promise.all(waiters.map(settled))).toEqual([true, true, false]);
    tasks[1].resolve();
    expect(await settled(waiters[2])).toBe(true);
  });

  it('does not wait when few enough are in flight', async () => {
    const inFlight = new InFlight();
    inFlight.add(deferred().promise);
    expect(await settled(inFlight.atMost(1))).toBe(true);
  });
});
