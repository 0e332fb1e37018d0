/**
 * Writes items in batches without waiting for a batch to fill: an item is
 * written at once when fewer than `maxInFlight` writes are under way, and
 * the items that arrive meanwhile go together in the next write. A trickle
 * is written one by one with no delay; a flood in a few large statements.
 */
export class WriteBatcher<T, R = void> {
  private pending: Array<{
    item: T;
    resolve: (result: R) => void;
    reject: (error: unknown) => void;
  }> = [];
  private inFlight = 0;

  /**
   * @param write - writes a batch and returns one result per item, in
   * order (nothing when there are no results)
   * @param options - the most items one write takes, and how many writes
   * may be under way at once
   */
  constructor(
    private readonly write: (items: T[]) => Promise<R[] | void>,
    private readonly options: { maxBatch?: number; maxInFlight?: number } = {},
  ) {}

  /** Resolves with the item's result once written; rejects with its batch's error. */
  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.startWrites();
    });
  }

  /** The next batch starts before the callers of this one resume. */
  private written() {
    this.inFlight -= 1;
    this.startWrites();
  }

  private startWrites() {
    const { maxBatch = 500, maxInFlight = 1 } = this.options;
    while (this.pending.length && this.inFlight < maxInFlight) {
      const batch = this.pending.splice(0, maxBatch);
      this.inFlight += 1;
      this.write(batch.map(entry => entry.item)).then(
        results => {
          this.written();
          batch.forEach((entry, index) => entry.resolve(results?.[index] as R));
        },
        error => {
          this.written();
          batch.forEach(entry => entry.reject(error));
        },
      );
    }
  }
}
