// Concurrent calls with the same key share one run of `work`. With `holdUntil`, the key stays taken
// after the result is known until that promise settles (the cache write behind a computed answer):
// a caller arriving meanwhile gets the same result instead of computing it again.
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  run(
    key: string,
    work: () => Promise<T>,
    holdUntil?: (result: T) => Promise<unknown> | undefined,
  ): { promise: Promise<T>; shared: boolean } {
    const existing = this.inFlight.get(key);
    if (existing) return { promise: existing, shared: true };
    const promise = work();
    this.inFlight.set(key, promise);
    const release = () => {
      if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
    };
    promise.then((result) => {
      const held = holdUntil?.(result);
      if (held) held.then(release, release);
      else release();
    }, release);
    return { promise, shared: false };
  }
}
