// The response cache of one tenant: exact key first (one round trip), then semantic within the
// same scope; compute once on concurrent misses; store only what is worth replaying. Built on the
// tenant's TenantScope, beside the tenant cache (not inside it).
import { type CachedItem, type EntryMeta, encodeEntryMeta } from '../entry-codec.js';
import { DejaError, DejaInputError } from '../errors.js';
import { entryId } from '../ids.js';
import { digest } from '../keys/digest.js';
import { PAIR_MARKS, parseHitReference } from '../semantic/feedback.js';
import type { NotCachedReason, TenantScope } from '../tenancy/tenant-scope.js';
import { type CallSettings, callSettings, type ResponseOptions } from './call-settings.js';
import { entryMeta, type MetaInput, questionTextOf } from './entry-meta.js';
import { waitForLock } from './lock-wait.js';
import { type PendingOutcome, recordOutcome, semanticLookup, writePairMark } from './semantic-lookup.js';

export type { ResponseOptions } from './call-settings.js';

export interface ResponseRequest {
  /** Everything that determines the answer (model, prompt, params...): canonical JSON, hashed. */
  key: unknown;
  /** What is compared by meaning, usually the last user message. Absent: exact only. */
  semanticText?: string;
  /** The non-semantic context; a semantic match needs an identical scope. */
  scope?: unknown;
}

export interface StoreOptions extends ResponseOptions, MetaInput {}

export interface CacheHit<T = unknown> {
  hit: 'exact' | 'semantic';
  /** 1 for exact hits. */
  similarity: number;
  ageMs: number;
  /** Id of the entry that answered. */
  key: string;
  value: T;
  meta: EntryMeta;
  /** Semantic hits: true when a verifier judged the answer the same for this query. */
  verified?: boolean;
  /** Semantic hits: pass to `reportWrongHit` when the answer was wrong (a user's thumbs-down). */
  reference?: string;
}

export type StoreResult =
  | { stored: true; key: string }
  | { stored: false; key: string; reason: NotCachedReason };

export interface WrapOptions<T> extends StoreOptions {
  /** Return false for results not worth replaying (errors, refusals); default: cache everything. */
  shouldCache?: (value: T) => boolean;
  /** Model and usage of a computed value, for stats and cost saved. */
  describe?: (value: T) => { model?: string; usage?: { inputTokens?: number; outputTokens?: number } };
  /** Wait for the cache write before returning a computed answer. Default: not when `writeBehind`. */
  awaitWrite?: boolean;
}

export interface WrapMiss<T> {
  hit: 'miss';
  value: T;
  key: string;
  shared: boolean;
  /** Whether the answer was stored; 'pending' while the write runs behind the app. */
  stored: boolean | 'pending';
  /** Resolves when the write is done: true when stored. */
  written: Promise<boolean>;
}

export type WrapResult<T> = (CacheHit<T> & { shared: boolean }) | WrapMiss<T>;

export interface ResponseCache {
  /** The cached answer to `request`, exact or semantic, or undefined. */
  lookup<T = unknown>(request: ResponseRequest, options?: ResponseOptions): Promise<CacheHit<T> | undefined>;
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
  const { guard, stats, flights, writes, semantic, store: guardedStore } = scope.context;
  const label = scope.statsRef;

  const exact = async <T>(id: string): Promise<CacheHit<T> | undefined> => {
    const item = await scope.read<T>(id);
    return item && toHit(item, 'exact', 1);
  };

  /** Embeds through the tenant's embedding cache; a failing or misbehaving embedder reads as undefined. */
  const tryEmbed = async (text: string, signal?: AbortSignal, alreadyRead?: Map<string, Float32Array>) => {
    try {
      return await scope.embed(text, signal, alreadyRead);
    } catch (error) {
      if (DejaError.isInstance(error) && !(error instanceof DejaInputError)) throw error;
      guard.report({ kind: 'embedder', operation: 'embed semantic text', error });
      return undefined;
    }
  };

  /** A lookup: the hit, or on a miss the candidate to compare with the fresh answer. */
  const find = async <T>(
    request: ResponseRequest,
    settings: CallSettings,
  ): Promise<{ hit?: CacheHit<T>; pending?: PendingOutcome }> => {
    const id = entryId(request.key, settings.user);
    const text =
      settings.mode === 'semantic' && scope.embeddable(request.semanticText)
        ? request.semanticText
        : undefined;
    // Redis trouble costs a lookup one deadline, not one per tier.
    return guard.oneDeadline(async () => {
      // The exact probe and the embedding-cache read leave together (one pipeline, one round
      // trip), so a semantic hit on a cached embedding costs two round trips, not three.
      const [exactHit, cached] = await Promise.all([
        exact<T>(id),
        text === undefined ? undefined : scope.cachedVectors(text),
      ]);
      if (exactHit || text === undefined) return { hit: exactHit };
      const vector = await tryEmbed(text, settings.signal, cached);
      if (!vector) return {};
      const found = await semanticLookup<T>(
        scope,
        semantic,
        { semanticText: text, scope: request.scope },
        settings,
        vector,
      );
      if (!found.hit) return { pending: found.pending };
      const { item, similarity, verified, reference } = found.hit;
      return { hit: { ...toHit(item, 'semantic', similarity), verified, reference } };
    });
  };

  /** Lookup with stats; what wrap and lookup share. */
  const findCounted = async <T>(request: ResponseRequest, settings: CallSettings) => {
    const started = performance.now();
    const found = await find<T>(request, settings);
    stats.lookupLatency(performance.now() - started);
    const { hit } = found;
    if (!hit) stats.add(label, { misses: 1 });
    else {
      stats.add(label, hit.hit === 'exact' ? { exactHits: 1 } : { semanticHits: 1 });
      if (hit.meta.usage) stats.saved(label, hit.meta.usage, hit.meta.model);
    }
    return found;
  };

  const cache: ResponseCache = {
    async lookup<T>(request: ResponseRequest, options: ResponseOptions = {}) {
      const settings = callSettings(scope.options, options);
      if (settings.mode === 'off') return undefined;
      return (await findCounted<T>(request, settings)).hit;
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

    async store(request, value, options = {}) {
      const settings = callSettings(scope.options, options);
      const key = entryId(request.key, settings.user);
      if (settings.mode === 'off') return { stored: false, key, reason: 'mode-off' };
      const useSemantic = settings.mode === 'semantic' && scope.embeddable(request.semanticText);
      try {
        // Check the value first: an answer that will not be stored is not worth an embedding.
        const response = scope.encode(value);
        if (response === undefined) return { stored: false, key, reason: 'too-large' };
        const answerText = typeof value === 'string' ? value : response;
        const meta = encodeEntryMeta(entryMeta(options, () => questionTextOf(request), answerText));
        // Redis trouble costs a store one deadline, not one per step (embedding read and write, entry).
        const result = await guard.oneDeadline(async () => {
          // An embedder failure costs this entry its semantic tier, not the app its answer.
          const vector = useSemantic
            ? await tryEmbed(request.semanticText as string, settings.signal)
            : undefined;
          return scope.write({
            id: key,
            user: settings.user,
            scope: digest(request.scope ?? null),
            text: request.semanticText ?? '',
            embedding: vector,
            response,
            meta,
            ttlMs: settings.ttlMs,
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
    },

    async wrap<T>(
      request: ResponseRequest,
      compute: () => Promise<T>,
      options: WrapOptions<T> = {},
    ): Promise<WrapResult<T>> {
      const settings = callSettings(scope.options, options);
      const key = entryId(request.key, settings.user);
      if (settings.mode === 'off') {
        const value = await compute();
        return { hit: 'miss', value, key, shared: false, stored: false, written: Promise.resolve(false) };
      }
      let pending: PendingOutcome | undefined;
      if (!options.refresh) {
        const found = await findCounted<T>(request, settings);
        if (found.hit) return { ...found.hit, shared: false };
        pending = found.pending;
      }
      const flightKey = `${scope.digest}:${key}:${options.refresh ? 'refresh' : 'fill'}`;
      // A miss keeps its flight until its write lands, so an identical call meanwhile shares it.
      const { promise, shared } = flights.run(
        flightKey,
        () => fill(request, compute, options, key, pending),
        (result) => ((result as WrapResult<T>).hit === 'miss' ? (result as WrapMiss<T>).written : undefined),
      );
      try {
        const result = (await promise) as WrapResult<T>;
        return { ...result, shared };
      } catch (error) {
        // The caller we waited on gave up (its own abort): that is no answer for us, so try again.
        // Any other failure is the answer: the model failed for everyone waiting on it.
        if (shared && isAbort(error) && !options.signal?.aborted)
          return cache.wrap(request, compute, options);
        throw error;
      }
    },
  };

  const fill = async <T>(
    request: ResponseRequest,
    compute: () => Promise<T>,
    options: WrapOptions<T>,
    key: string,
    pending: PendingOutcome | undefined,
  ): Promise<WrapResult<T>> => {
    const { lock } = scope.options;
    const useLock = lock !== false && guardedStore.capabilities.shared && !options.refresh;
    let token: string | undefined;
    if (useLock) {
      const waited = await waitForLock(guardedStore, scope.digest, key, lock, () => exact<T>(key));
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
        const stored = await storeComputed(request, value, options);
        return { hit: 'miss', value, key, shared: false, stored, written: Promise.resolve(stored) };
      }
      written = writes.add(() => storeComputed(request, value, options));
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
  const storeComputed = async <T>(request: ResponseRequest, value: T, options: WrapOptions<T>) => {
    try {
      const described = options.describe ? options.describe(value) : {};
      return (await cache.store(request, value, { ...options, ...described })).stored;
    } catch (error) {
      if (DejaError.isInstance(error) && !(error instanceof DejaInputError) && scope.options.strict)
        throw error;
      guard.report({ kind: 'not-cached', operation: 'wrap', error });
      stats.add(label, { notCached: 1 });
      return false;
    }
  };

  return cache;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

function toHit<T>(item: CachedItem<T>, hit: 'exact' | 'semantic', similarity: number): CacheHit<T> {
  return { hit, similarity, ageMs: item.ageMs, key: item.id, value: item.value, meta: item.meta };
}
