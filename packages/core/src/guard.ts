// Every store call goes through a Guard: a bound on the work in flight, a deadline per operation and
// a circuit breaker, so a slow or dead Redis costs at most `timeoutMs` per call until the breaker
// opens, then ~nothing; and a healthy Redis under load is never mistaken for a slow one.
//
// What a deadline measures: Redis, not the process. It starts when the operation is admitted (not
// while it waits behind `maxInFlight` others) and runs on a clock that stops while the event loop
// is stalled (loop-clock.ts), so a reply that waited behind the app's own work is not a time-out.
// What opens the breaker: Redis failures only. Shed work (overload here), a full Redis (OOM) and
// misuse never count.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Admission } from './admission.js';
import { withinDeadline } from './deadline.js';
import {
  DejaCircuitOpenError,
  DejaError,
  DejaOverloadedError,
  DejaStoreError,
  DejaTimeoutError,
} from './errors.js';

export type DejaErrorKind =
  | 'store'
  | 'timeout'
  | 'circuit-open'
  | 'overloaded'
  | 'corrupt-entry'
  | 'embedder'
  | 'verifier'
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
  /** Store operations out at once; the next ones wait for a slot. */
  maxInFlight: number;
  /** Operations that may wait for a slot; beyond that they are shed as misses. */
  maxQueued: number;
}

export interface RunOptions {
  /** Deadline of this operation, ms; default the guard's timeoutMs. */
  timeoutMs?: number;
  /** Not bounded by maxInFlight: for a wait that sends no command of its own (the shared init). */
  unbounded?: boolean;
}

type BreakerState = 'closed' | 'open' | 'half-open';

/** The store calls of one app-level call run inside Guard.oneDeadline. */
const appCall = new AsyncLocalStorage<{ failed: boolean; trouble?: DejaErrorKind }>();

export class Guard {
  private state: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private readonly admission: Admission;

  constructor(private readonly options: GuardOptions) {
    this.admission = new Admission(options);
  }

  get breaker(): BreakerState {
    return this.state;
  }

  /**
   * Resolves once no store operation is in flight: close() waits for it, so a read left running
   * (the KNN that went out with an exact hit's probe) ends before the connection does.
   */
  idle(): Promise<void> {
    return this.admission.idle();
  }

  /**
   * Runs `operation` under the deadline. On trouble: reports it, returns `fallback` (or throws a
   * DejaStoreError when strict). Misuse errors (DejaError other than store trouble) always throw.
   */
  async run<T>(name: string, operation: () => Promise<T>, fallback: T, options: RunOptions = {}): Promise<T> {
    if (appCall.getStore()?.failed) return fallback;
    const entry = this.admit();
    if (entry === 'refused') return this.circuitOpen(name, fallback);
    const slot = options.unbounded ? true : this.admission.enter();
    if (slot === false) {
      if (entry === 'probe') this.probeEnded();
      return this.fail(
        name,
        'overloaded',
        new DejaOverloadedError(
          `${name} skipped: ${this.options.maxInFlight} store operations in flight and ${this.options.maxQueued} waiting (maxInFlight, maxQueued)`,
        ),
        fallback,
        false,
      );
    }
    if (slot !== true) await slot;
    try {
      // The breaker may have opened while this operation waited for its slot.
      if (entry === 'closed' && this.state !== 'closed') return this.circuitOpen(name, fallback);
      return await this.attempt(name, operation, fallback, options.timeoutMs ?? this.options.timeoutMs);
    } finally {
      if (!options.unbounded) this.admission.leave();
      if (entry === 'probe') this.probeEnded();
    }
  }

  private async attempt<T>(name: string, operation: () => Promise<T>, fallback: T, timeoutMs: number) {
    try {
      const result = await withinDeadline(operation(), timeoutMs, name);
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

  /** oneDeadline, also telling what trouble (if any) turned a store call into its fallback. */
  async oneCall<T>(work: () => Promise<T>): Promise<{ value: T; trouble: DejaErrorKind | undefined }> {
    const call: { failed: boolean; trouble?: DejaErrorKind } = { failed: false };
    const value = await appCall.run(call, work);
    return { value, trouble: call.trouble };
  }

  report(event: DejaErrorEvent): void {
    try {
      this.options.onError?.(event);
    } catch {
      // A throwing hook must not turn a cache problem into an app problem.
    }
  }

  /** closed: go ahead; probe: the one call let through after the cooldown; refused: the breaker is open. */
  private admit(): 'closed' | 'probe' | 'refused' {
    if (this.state === 'closed') return 'closed';
    if (this.state === 'open' && Date.now() - this.openedAt >= this.options.cooldownMs) {
      this.state = 'half-open';
      return 'probe';
    }
    return 'refused';
  }

  /**
   * A probe that ended without a verdict (shed, or a misuse error) must not leave the breaker
   * half-open for good, refusing everything: it goes back to open, and the next call probes.
   */
  private probeEnded(): void {
    if (this.state !== 'half-open') return;
    this.state = 'open';
    this.openedAt = Date.now() - this.options.cooldownMs;
  }

  private circuitOpen<T>(name: string, fallback: T): T {
    return this.fail(
      name,
      'circuit-open',
      new DejaCircuitOpenError(`Redis circuit is open; skipped ${name}`),
      fallback,
      false,
    );
  }

  private succeed(): void {
    this.failures = 0;
    this.state = 'closed';
  }

  private fail<T>(name: string, kind: DejaErrorKind, error: unknown, fallback: T, counts: boolean): T {
    const call = appCall.getStore();
    if (call && (counts || kind === 'circuit-open' || kind === 'overloaded')) call.failed = true;
    if (call && !call.trouble) call.trouble = kind;
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
