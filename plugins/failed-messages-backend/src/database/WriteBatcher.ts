/**
 * Writes items in batches without waiting for a batch to fill: the items
 * added together (in the same run of promise callbacks) are written at
 * once, and those that arrive while a write is under way go together in the
 * next one. A trickle is written one by one with no delay; a flood in a few
 * large statements, one at a time.
 */
export class WriteBatcher<T, R = void> {
  private pending: Array<{
    item: T;
    resolve: (result: R) => void;
    reject: (error: unknown) => void;
  }> = [];
  private writing = false;

  /**
   * @param write - writes a batch and returns one result per item, in
   * order (nothing when there are no results)
   * @param maxBatch - the most items one write takes
   */
  constructor(
    private readonly write: (items: T[]) => Promise<R[] | void>,
    private readonly maxBatch = 500,
  ) {}

  /** Resolves with the item's result once written; rejects with its batch's error. */
  add(item: T): Promise<R> {
    const result = this.enqueue(item);
    this.writeIfIdle();
    return result;
  }

  /** Like add for several items, which go in the same batch where they fit. */
  addAll(items: T[]): Promise<R[]> {
    const results = items.map(item => this.enqueue(item));
    this.writeIfIdle();
    return Promise.all(results);
  }

  private enqueue(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
    });
  }

  private writeIfIdle() {
    if (!this.writing) {
      this.writing = true;
      // The callers resumed by one settled batch add their items one
      // callback after another: they go together, not the first alone.
      queueMicrotask(() => this.writeNext());
    }
  }

  private writeNext() {
    const batch = this.pending.splice(0, this.maxBatch);
    if (!batch.length) {
      this.writing = false;
      return;
    }
    this.writing = true;
    // The next batch starts before the callers of this one resume.
    this.write(batch.map(entry => entry.item)).then(
      results => {
        this.writeNext();
        batch.forEach((entry, index) => entry.resolve(results?.[index] as R));
      },
      error => {
        this.writeNext();
        batch.forEach(entry => entry.reject(error));
      },
    );
  }
}
