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
  it('writes the first item at once and those arriving meanwhile together', async () => {
    const { batches, finish, write } = controlledWrite();
    const batcher = new WriteBatcher(write);
    const first = batcher.add(1);
    const later = [2, 3, 4].map(n => batcher.add(n));
    expect(batches).toEqual([[1]]);

    finish[0]();
    expect(await first).toBe('wrote 1');
    expect(batches).toEqual([[1], [2, 3, 4]]);
    finish[1]();
    expect(await Promise.all(later)).toEqual(['wrote 2', 'wrote 3', 'wrote 4']);
  });

  it('takes at most the maximum per write', async () => {
    const { batches, finish, write } = controlledWrite();
    const batcher = new WriteBatcher(write, 2);
    const all = [1, 2, 3, 4, 5].map(n => batcher.add(n));
    for (let i = 0; i < 3; i++) {
      finish[i]();
      await all[i * 2];
    }
    await Promise.all(all);
    expect(batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('fails only the batch whose write failed', async () => {
    const { finish, write } = controlledWrite();
    const batcher = new WriteBatcher(write);
    const first = batcher.add(1);
    const second = batcher.add(2);
    finish[0](new Error('deadlock detected'));
    await expect(first).rejects.toThrow('deadlock detected');
    finish[1]();
    await expect(second).resolves.toBe('wrote 2');
  });
});
