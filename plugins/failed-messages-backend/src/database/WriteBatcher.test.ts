import { WriteBatcher } from './WriteBatcher';

/** A write that waits until the test lets it finish. */
function controlledWrite() {
  const batches: number[][] = [];
  const finish: Array<(error?: Error) => void> = [];
  const write = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push(items);
      finish.push(error =>
        error ? reject(error) : resolve(items.map(n => `wrote ${n}`)),
      );
    });
  return { batches, finish, write };
}

describe('WriteBatcher', () => {
  it('writes the items added together at once and those arriving meanwhile together', async () => {
    const { batches, finish, write } = controlledWrite();
    const batcher = new WriteBatcher(write);
    const first = [1, 2].map(n => batcher.add(n));
    await Promise.resolve();
    expect(batches).toEqual([[1, 2]]);

    const later = [3, 4, 5].map(n => batcher.add(n));
    await Promise.resolve();
    expect(batches).toEqual([[1, 2]]);
    finish[0]();
    expect(await Promise.all(first)).toEqual(['wrote 1', 'wrote 2']);
    expect(batches).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
    finish[1]();
    expect(await Promise.all(later)).toEqual(['wrote 3', 'wrote 4', 'wrote 5']);
  });

  it('writes together the items added by callers resumed by one settled promise', async () => {
    const { batches, finish, write } = controlledWrite();
    const batcher = new WriteBatcher(write);
    let settle: () => void = () => {};
    const settled = new Promise<void>(resolve => {
      settle = resolve;
    });
    const added = [1, 2, 3].map(n =>
      settled.then(() => undefined).then(() => batcher.add(n)),
    );
    settle();
    await new Promise(resolve => setImmediate(resolve));
    expect(batches).toEqual([[1, 2, 3]]);
    finish[0]();
    expect(await Promise.all(added)).toEqual(['wrote 1', 'wrote 2', 'wrote 3']);
  });

  it('takes at most the maximum per write', async () => {
    const { batches, finish, write } = controlledWrite();
    const batcher = new WriteBatcher(write, 2);
    const all = [1, 2, 3, 4, 5].map(n => batcher.add(n));
    await Promise.resolve();
    for (let i = 0; i < 3; i++) {
      finish[i]();
      await all[i * 2];
    }
    await Promise.all(all);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('fails only the batch whose write failed', async () => {
    const { finish, write } = controlledWrite();
    const batcher = new WriteBatcher(write);
    const first = batcher.add(1);
    await Promise.resolve();
    const second = batcher.add(2);
    finish[0](new Error('deadlock detected'));
    await expect(first).rejects.toThrow('deadlock detected');
    finish[1]();
    await expect(second).resolves.toBe('wrote 2');
  });
});
