// Bounds the store work in flight. One connection pipelines everything it is given, so without a
// bound a burst of 2 000 calls puts 2 000 commands ahead of the next one, and each waits for the
// replies of all before it: a healthy Redis looks slow. Here at most `maxInFlight` operations are
// out at once; the next `maxQueued` wait their turn in arrival order (a deadline starts when an
// operation is admitted, so waiting here never counts against Redis); anything beyond that is shed
// at once, which the guard turns into a clean miss.

export interface AdmissionOptions {
  maxInFlight: number;
  maxQueued: number;
}

export class Admission {
  private inFlight = 0;
  /** Resolvers of waiting operations; `head` is the next one (no O(n) shift on a long queue). */
  private waiting: ((admitted: true) => void)[] = [];
  private head = 0;
  /** Who waits for the last operation in flight to end (close()). */
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: AdmissionOptions) {}

  /** Operations waiting for a slot now. */
  get queued(): number {
    return this.waiting.length - this.head;
  }

  /**
   * true: admitted now; a Promise: admitted when it resolves; false: shed (the queue is full).
   * Whoever is admitted must call leave() once when done.
   */
  enter(): true | false | Promise<true> {
    if (this.inFlight < this.options.maxInFlight) {
      this.inFlight++;
      return true;
    }
    if (this.queued >= this.options.maxQueued) return false;
    return new Promise<true>((resolve) => this.waiting.push(resolve));
  }

  /** Resolves once no operation is in flight or waiting. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  leave(): void {
    if (this.head < this.waiting.length) {
      const next = this.waiting[this.head] as (admitted: true) => void;
      this.waiting[this.head++] = undefined as never;
      if (this.head === this.waiting.length) {
        this.waiting = [];
        this.head = 0;
      }
      // The slot passes straight to the next in line: inFlight is unchanged.
      next(true);
      return;
    }
    this.inFlight--;
    if (this.inFlight === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
