/**
 * Counts the tasks of a run that are in flight, and lets the run wait until
 * few enough are. Each wait costs the same however many are in flight:
 * awaiting `Promise.race` over them instead added a reaction to every one of
 * them on every wait, 64 per message sent in a bulk run.
 */
export class InFlight {
  private count = 0;
  private readonly waiters: Array<{ limit: number; resolve: () => void }> =
    [];

  /** How many are in flight. */
  get size(): number {
    return this.count;
  }

  /** Counts the task in until its promise settles, either way. */
  add(task: Promise<unknown>): void {
    this.count += 1;
    const settled = () => {
      this.count -= 1;
      this.wake();
    };
    task.then(settled, settled);
  }

  /** Resolves once at most `limit` are in flight. */
  async atMost(limit: number): Promise<void> {
    while (this.count > limit) {
      await new Promise<void>(resolve => this.waiters.push({ limit, resolve }));
    }
  }

  private wake(): void {
    for (let index = this.waiters.length - 1; index >= 0; index -= 1) {
      const waiter = this.waiters[index];
      if (this.count <= waiter.limit) {
        this.waiters.splice(index, 1);
        waiter.resolve();
      }
    }
  }
}
