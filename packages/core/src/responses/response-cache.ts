// The response cache of one tenant: exact key first (one round trip), then semantic within the
// same scope; compute once on concurrent misses; store only what is worth replaying. Built on the
// tenant's TenantScope, beside the tenant cache (not inside it).
import { encodeEntryMeta } from '../entry-codec.js';
import { DejaInputError } from '../errors.js';
import { PAIR_MARKS, parseHitReference } from '../semantic/feedback.js';
import { traceLookups, traceStores } from '../telemetry/telemetry-hooks.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { callSettings, type ResponseOptions } from './call-settings.js';
import { entryMeta, withTagLabels } from './entry-meta.js';
import { type FillResult, missFiller, usesLock } from './fill-miss.js';
import { type LockAttempt, type LockSettings, tryLock } from './lock-wait.js';
import {
  type CacheHit,
  type CacheMiss,
  type LookupResult,
  lookupPath,
  MISS_REASONS,
  requestVector,
} from './lookup-path.js';
import { writePairMark } from './pair-marks.js';
import { type RequestDigests, requestDigests } from './request-digests.js';
import type {
  ResponseRequest,
  StoreOptions,
  StoreResult,
  WrapMiss,
  WrapOptions,
  WrapResult,
} from './response-types.js';
import { type PendingOutcome, recordOutcome } from './semantic-lookup.js';

export type { ResponseOptions } from './call-settings.js';
export type { CacheHit, CacheMiss, LookupEvent, LookupResult, MissReason } from './lookup-path.js';
export type {
  ResponseRequest,
  StoreOptions,
  StoreResult,
  WrapMiss,
  WrapOptions,
  WrapResult,
} from './response-types.js';

export interface ResponseCache {
  /** The cached answer to `request`, exact or semantic, or undefined (`find` says why). */
  lookup<T = unknown>(request: ResponseRequest, options?: ResponseOptions): Promise<CacheHit<T> | undefined>;
  /** The cached answer, or a miss with its reason (and the best candidate's similarity). */
  find<T = unknown>(request: ResponseRequest, options?: ResponseOptions): Promise<LookupResult<T>>;
  /** Stores an answer; never throws for what the model produced (an uncacheable value is reported). */
  store(request: ResponseRequest, value: unknown, options?: StoreOptions): Promise<StoreResult>;
  /** Returns the cached answer, or computes it once however many identical misses arrive together. */
  wrap<T>(
    request: ResponseRequest,
    compute: () => Promise<T>,
    options?: WrapOptions<T>,
  ): Promise<WrapResult<T>>;
  /**
   * Says a served semantic hit was wrong (its `reference`): that entry no longer answers that
   * query, and the outcome counts against the similarity it was served at. Throws DejaInputError
   * for a reference deja did not make.
   */
  reportWrongHit(reference: string): Promise<void>;
}

export function createResponseCache(scope: TenantScope): ResponseCache {
  const { guard, stats, flights, semantic } = scope.context;
  const label = scope.statsRef;

  // Each lookup and each store (the app's and wrap's) in a span, when there is telemetry.
  const { telemetry } = scope.context.options;
  const path = traceLookups(telemetry, scope.digest, lookupPath(scope));
  /**
   * `startedAt`: when the call that computed the value began (a forgetUser after it fences the
   * write); `given`: the request's digests, when wrap already has them.
   */
  const storeUntraced = async (
    request: ResponseRequest,
    value: unknown,
    options: StoreOptions,
    startedAt: number,
    given?: RequestDigests,
  ): Promise<StoreResult> => {
    const settings = callSettings(scope.options, options);
    const digests = given ?? (await requestDigests(request, settings.user));
    const key = digests.key;
    const tags = scope.tags(options.tags);
    if (settings.mode === 'off') return { stored: false, key, reason: 'mode-off' };
    const useSemantic = settings.mode === 'semantic' && scope.embeddable(request.semanticText);
    const givenVector = requestVector(scope, request);
    try {
      // Check the value first: an answer that will not be stored is not worth an embedding.
      const response = scope.encode(value);
      if (response === undefined) return { stored: false, key, reason: 'too-large' };
      const answerText = typeof value === 'string' ? value : response;
      const meta = encodeEntryMeta(
        withTagLabels(await entryMeta(options, request, answerText), tags?.labels),
      );
      const scopeDigest = await digests.scope();
      // Redis trouble costs a store one deadline, not one per step (embedding read and write, entry).
      const result = await guard.oneDeadline(async () => {
        // An embedder failure costs this entry its semantic tier, not the app its answer.
        const vector = !useSemantic
          ? undefined
          : (givenVector ??
            (await path.embed(request.semanticText as string, settings.user, settings.signal)));
        return scope.write({
          id: key,
          user: settings.user,
          scope: scopeDigest,
          text: request.semanticText ?? '',
          embedding: vector,
          response,
          meta,
          ttlMs: settings.ttlMs,
          tags: tags?.digests,
          startedAt,
        });
      });
      return result.stored ? { stored: true, key } : { stored: false, key, reason: result.reason };
    } catch (error) {
      // What the model produced is not the app's mistake: an uncacheable value is reported, not thrown.
      if (!(error instanceof DejaInputError)) throw error;
      guard.report({ kind: 'not-cached', operation: 'store', error });
      stats.add(label, { notCached: 1 });
      return { stored: false, key, reason: 'not-cacheable' };
    }
  };
  const storeAt = traceStores(telemetry, scope.digest, storeUntraced);

  const fill = missFiller(scope, path, storeAt);

  const cache: ResponseCache = {
    async lookup<T>(request: ResponseRequest, options: ResponseOptions = {}) {
      const settings = callSettings(scope.options, options);
      if (settings.mode === 'off') return undefined;
      const { result } = await path.find<T>(request, settings);
      return result.hit === 'miss' ? undefined : result;
    },

    async find<T>(request: ResponseRequest, options: ResponseOptions = {}): Promise<LookupResult<T>> {
      const settings = callSettings(scope.options, options);
      if (settings.mode === 'off') return { hit: 'miss', reason: MISS_REASONS.modeOff };
      return (await path.find<T>(request, settings)).result;
    },

    async reportWrongHit(reference) {
      const parsed = parseHitReference(reference);
      await writePairMark(
        scope,
        parsed.queryDigest,
        parsed.entryId,
        PAIR_MARKS.reportedWrong,
        scope.options.ttlMs,
      );
      recordOutcome(semantic, parsed.similarity, false);
      semantic.counters.reportedWrong++;
    },

    store: (request, value, options = {}) => storeAt(request, value, options, Date.now()),

    async wrap<T>(
      request: ResponseRequest,
      compute: () => Promise<T>,
      options: WrapOptions<T> = {},
    ): Promise<WrapResult<T>> {
      const startedAt = Date.now();
      const settings = callSettings(scope.options, options);
      // Hashed once for the lookup, the flight and the store, with the loop free between slices.
      const digests = await requestDigests(request, settings.user);
      const key = digests.key;
      // Misused tags throw now, not in the write behind the answer.
      scope.tags(options.tags);
      if (settings.mode === 'off') {
        const value = await compute();
        const written = Promise.resolve(false);
        return {
          hit: 'miss',
          value,
          key,
          shared: false,
          stored: false,
          written,
          reason: MISS_REASONS.modeOff,
        };
      }
      let pending: PendingOutcome | undefined;
      let why: CacheMiss = { hit: 'miss', reason: MISS_REASONS.refresh };
      // The lock is tried as soon as the exact probe misses, while the semantic tier runs.
      let lockTry: Promise<LockAttempt<T>> | undefined;
      const onExactMiss = () => {
        lockTry = tryLock(scope.context.store, scope.digest, key, scope.options.lock as LockSettings, () =>
          path.exact<T>(key),
        );
      };
      // Behind the caller; a strict store's failure here is already reported by the guard.
      const dropLock = () =>
        void lockTry
          ?.then(async ({ token }) => {
            if (token) await scope.context.store.releaseLock(scope.digest, key, token);
          })
          .catch(() => undefined);
      if (!options.refresh) {
        const hooks = usesLock(scope, options) ? { onExactMiss } : undefined;
        const found = await path.find<T>(request, settings, digests, hooks);
        if (found.result.hit !== 'miss') {
          dropLock();
          return { ...found.result, shared: false };
        }
        pending = found.pending;
        why = found.result;
      }
      const flightKey = `${scope.digest}:${key}:${options.refresh ? 'refresh' : 'fill'}`;
      // A miss keeps its flight until its write lands, so an identical call meanwhile shares it.
      const { promise, shared } = flights.run(
        flightKey,
        () => fill(request, compute, options, digests, pending, startedAt, lockTry),
        (result) => ((result as FillResult<T>).hit === 'miss' ? (result as WrapMiss<T>).written : undefined),
      );
      // Another call of this process computes it: a lock this one took is not needed.
      if (shared) dropLock();
      try {
        const result = (await promise) as FillResult<T>;
        return result.hit === 'miss'
          ? { ...result, shared, reason: why.reason, similarity: why.similarity }
          : { ...result, shared };
      } catch (error) {
        // The caller we waited on gave up (its own abort): that is no answer for us, so try again.
        // Any other failure is the answer: the model failed for everyone waiting on it.
        if (shared && isAbort(error) && !options.signal?.aborted)
          return cache.wrap(request, compute, options);
        throw error;
      }
    },
  };

  return cache;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}
