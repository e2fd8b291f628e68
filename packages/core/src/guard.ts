// Every store call goes through a Guard: a deadline per operation and a circuit breaker, so a
// slow or dead Redis costs at most `timeoutMs` per call until the breaker opens, then ~nothing.
import { AsyncLocalStorage } from 'node:async_hooks';
import { DejaCircuitOpenError, DejaError, DejaStoreError, DejaTimeoutError } from './errors.js';

export type DejaErrorKind =
  | 'store'
  | 'timeout'
  | 'circuit-open'
  | 'corrupt-entry'
  | 'embedder'
  | 'not-cached';

export interface DejaErrorEvent {
  kind: DejaErrorKind;
  operation: string;
  error: unknown;
}

export interface GuardOptions {
  timeoutMs: number;
  /** Consecutive failures that open the breaker. */
  failureThreshold: number;
  /** How long the breaker stays open before one probe call is let through. */
  cooldownMs: number;
  strict: boolean;
  onError?: (event: DejaErrorEvent) => void;
}

type BreakerState = 'closed' | 'open' | 'half-open';

/** The store calls of one app-level call run inside Guard.oneDeadline. */
const appCall = new AsyncLocalStorage<{ failed: boolean }>();

export class Guard {
  private state: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;

  constructor(private readonly options: GuardOptions) {}

  get breaker(): BreakerState {
    return this.state;
  }

  /**
   * Runs `operation` under the deadline. On trouble: reports it, returns `fallback` (or throws a
   * DejaStoreError when strict). Misuse errors (DejaError other than store trouble) always throw.
   */
  async run<T>(
    name: string,
    operation: () => Promise<T>,
    fallback: T,
    timeoutMs = this.options.timeoutMs,
  ): Promise<T> {
    if (appCall.getStore()?.failed) return fallback;
    if (!this.admit()) {
      return this.fail(
        name,
        'circuit-open',
        new DejaCircuitOpenError(`Redis circuit is open; skipped ${name}`),
        fallback,
        false,
      );
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new DejaTimeoutError(`${name} took longer than ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      const result = await Promise.race([operation(), deadline]);
      this.succeed();
      return result;
    } catch (error) {
      if (DejaError.isInstance(error) && !(error instanceof DejaStoreError)) throw error;
      const kind = error instanceof DejaTimeoutError ? 'timeout' : 'store';
      // A full Redis (maxmemory, noeviction) refuses writes but answers and serves reads: drop the
      // write without counting it against the breaker, or a burst of writes would stop the reads.
      const full = isOutOfMemory(error);
      if (full) this.succeed();
      return this.fail(name, kind, error, fallback, !full);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Runs the store calls of one app-level call (a lookup: exact read, embedding read and write,
   * KNN) so that it waits for Redis at most one deadline: once one of them has failed, the rest
   * return their fallback at once (the failure was reported once, which is enough).
   */
  oneDeadline<T>(work: () => Promise<T>): Promise<T> {
    return appCall.run({ failed: false }, work);
  }

  report(event: DejaErrorEvent): void {
    try {
      this.options.onError?.(event);
    } catch {
      // A throwing hook must not turn a cache problem into an app problem.
    }
  }

  private admit(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open' && Date.now() - this.openedAt >= this.options.cooldownMs) {
      this.state = 'half-open';
      return true;
    }
    return false;
  }

  private succeed(): void {
    this.failures = 0;
    this.state = 'closed';
  }

  private fail<T>(name: string, kind: DejaErrorKind, error: unknown, fallback: T, counts: boolean): T {
    const call = appCall.getStore();
    if (call && (counts || kind === 'circuit-open')) call.failed = true;
    if (counts) {
      this.failures++;
      if (this.state === 'half-open' || this.failures >= this.options.failureThreshold) {
        this.state = 'open';
        this.openedAt = Date.now();
      }
    }
    this.report({ kind, operation: name, error });
    if (this.options.strict) {
      throw error instanceof DejaStoreError
        ? error
        : new DejaStoreError(`${name} failed: ${describe(error)}`, { cause: error });
    }
    return fallback;
  }
}

function isOutOfMemory(error: unknown): boolean {
  return error instanceof Error && /^OOM command not allowed/.test(error.message);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Resolves to `fallback` when `promise` takes longer than `ms` (for calls outside the breaker's count). */
export async function withDeadline<T>(promise: Promise<T>, ms: number, fallback: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback()), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
