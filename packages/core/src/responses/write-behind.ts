// The cache writes that follow computed answers. The app gets its answer as soon as it exists; the
// write runs behind it. The queue is bounded (an app making answers faster than Redis takes them
// drops writes, counted, rather than holding answers in memory without limit), errors are reported
// by the store path itself, and close() waits for what is pending.

export interface WriteBehindOptions {
  maxPending: number;
  /** A write refused because the queue was full. */
  onDropped(): void;
}

export class WriteBehind {
  private readonly pending = new Set<Promise<boolean>>();

  constructor(private readonly options: WriteBehindOptions) {}

  /** Starts `write` unless the queue is full; resolves to whether it stored (false when dropped). */
  add(write: () => Promise<boolean>): Promise<boolean> {
    if (this.pending.size >= this.options.maxPending) {
      this.options.onDropped();
      return Promise.resolve(false);
    }
    const running = write().catch(() => false);
    this.pending.add(running);
    void running.finally(() => this.pending.delete(running));
    return running;
  }

  get size(): number {
    return this.pending.size;
  }

  /**
   * Waits for the writes pending now (not for those started meanwhile, so steady traffic cannot
   * hold it up): erasure calls it so a write begun before it cannot land after its sweep.
   */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  /** Waits until every write started so far has finished. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
