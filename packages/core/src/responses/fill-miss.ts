// A miss of wrap: compute the answer (once per flight, once per lock holder), give it back at
// once, and store it behind the app (or before returning, with awaitWrite). Whatever happens
// after compute, the app gets its answer: trouble is reported, not thrown. A semantic candidate the
// rule did not serve is compared with the fresh answer: an outcome for the error bound.
import { DejaError, DejaInputError } from '../errors.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { type LockAttempt, waitForLock } from './lock-wait.js';
import type { LookupPath } from './lookup-path.js';
import type { CacheHit } from './lookup-types.js';
import type { RequestDigests } from './request-digests.js';
import type { ResponseRequest, StoreOptions, StoreResult, WrapMiss, WrapOptions } from './response-types.js';
import { type PendingOutcome, recordOutcome } from './semantic-lookup.js';

/** What a flight computes: the miss's reason is added by each caller (theirs may differ). */
export type FillResult<T> = (CacheHit<T> & { shared: boolean }) | Omit<WrapMiss<T>, 'reason' | 'similarity'>;

export type MissFiller = <T>(
  request: ResponseRequest,
  compute: () => Promise<T>,
  options: WrapOptions<T>,
  digests: RequestDigests,
  pending: PendingOutcome | undefined,
  startedAt: number,
  /** The try for the lock wrap made during the lookup, if it made one (see usesLock). */
  lockTry?: Promise<LockAttempt<T>>,
) => Promise<FillResult<T>>;

/** Whether a miss of this call takes the cross-process lock before computing. */
export function usesLock(scope: TenantScope, options: { refresh?: boolean }): boolean {
  return scope.options.lock !== false && scope.context.store.capabilities.shared && !options.refresh;
}

export function missFiller(
  scope: TenantScope,
  path: LookupPath,
  store: (
    request: ResponseRequest,
    value: unknown,
    options: StoreOptions,
    startedAt: number,
    digests: RequestDigests,
  ) => Promise<StoreResult>,
): MissFiller {
  const { guard, stats, writes, semantic, store: guardedStore } = scope.context;
  const label = scope.statsRef;

  const fill: MissFiller = async <T>(
    request: ResponseRequest,
    compute: () => Promise<T>,
    options: WrapOptions<T>,
    digests: RequestDigests,
    pending: PendingOutcome | undefined,
    startedAt: number,
    lockTry?: Promise<LockAttempt<T>>,
  ): Promise<FillResult<T>> => {
    const { key } = digests;
    const { lock } = scope.options;
    let token: string | undefined;
    if (lock !== false && usesLock(scope, options)) {
      const exact = () => path.exact<T>(key);
      const waited = await waitForLock(guardedStore, scope.digest, key, lock, exact, lockTry);
      if (waited.hit) return { ...waited.hit, shared: true };
      token = waited.token;
    }
    let written: Promise<boolean> | undefined;
    try {
      const value = await compute();
      if (pending) void learnFrom(pending, value);
      if (!worthStoring(value, options)) {
        return { hit: 'miss', value, key, shared: false, stored: false, written: Promise.resolve(false) };
      }
      const behind = options.awaitWrite === undefined ? scope.options.writeBehind : !options.awaitWrite;
      if (!behind) {
        const stored = await storeComputed(request, value, options, startedAt, digests);
        return { hit: 'miss', value, key, shared: false, stored, written: Promise.resolve(stored) };
      }
      written = writes.add(() => storeComputed(request, value, options, startedAt, digests));
      return { hit: 'miss', value, key, shared: false, stored: 'pending', written };
    } finally {
      // Other processes wait on the lock for this answer: hold it until the answer is stored.
      const held = token;
      if (held)
        void (written ?? Promise.resolve()).finally(() => guardedStore.releaseLock(scope.digest, key, held));
    }
  };

  /** The candidate the rule did not serve, against the answer computed anyway: an outcome for the bound. */
  const learnFrom = async (pending: PendingOutcome, fresh: unknown) => {
    try {
      recordOutcome(semantic, pending.similarity, (await semantic.equivalent(pending.value, fresh)) === true);
    } catch (error) {
      guard.report({ kind: 'not-cached', operation: 'equivalent', error });
    }
  };

  /** The caller's shouldCache; a throwing one is reported and reads as "not worth storing". */
  const worthStoring = <T>(value: T, options: WrapOptions<T>): boolean => {
    try {
      return options.shouldCache ? options.shouldCache(value) : true;
    } catch (error) {
      guard.report({ kind: 'not-cached', operation: 'wrap', error });
      return false;
    }
  };

  /** Whatever happens here, the computed value goes back to the app: trouble is reported, not thrown. */
  const storeComputed = async <T>(
    request: ResponseRequest,
    value: T,
    options: WrapOptions<T>,
    startedAt: number,
    digests: RequestDigests,
  ) => {
    try {
      const described = options.describe ? options.describe(value) : {};
      return (await store(request, value, { ...options, ...described }, startedAt, digests)).stored;
    } catch (error) {
      if (DejaError.isInstance(error) && !(error instanceof DejaInputError) && scope.options.strict)
        throw error;
      guard.report({ kind: 'not-cached', operation: 'wrap', error });
      stats.add(label, { notCached: 1 });
      return false;
    }
  };

  return fill;
}
