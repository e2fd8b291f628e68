// One lookup, both tiers, with the reason of every miss: exact key first (its probe and the
// embedding-cache read share one round trip), then the semantic tier (semantic-lookup.ts). Each
// lookup is counted in stats and told to `onLookup`, hit or miss, with why.
import type { CachedItem } from '../entry-codec.js';
import { DejaError, DejaInputError } from '../errors.js';
import { queryDigest } from '../semantic/feedback.js';
import type { KnnResult, TenantScope } from '../tenancy/tenant-scope.js';
import type { VectorLike } from '../vectors.js';
import type { CallSettings } from './call-settings.js';
import {
  type CacheHit,
  type CacheMiss,
  type LookupEvent,
  type LookupResult,
  MISS_REASONS,
  type MissReason,
} from './lookup-types.js';
import { queryMarked } from './pair-marks.js';
import { type RequestDigests, requestDigests } from './request-digests.js';
import {
  candidatesBeforeMarks,
  nearestCandidates,
  type PendingOutcome,
  semanticLookup,
} from './semantic-lookup.js';

export type { CacheHit, CacheMiss, LookupEvent, LookupResult, MissReason } from './lookup-types.js';
export { MISS_REASONS } from './lookup-types.js';

export interface LookupPath {
  exact<T>(id: string): Promise<CacheHit<T> | undefined>;
  /** Embeds through the tenant's embedding cache; a failing embedder reads as undefined (reported). */
  embed(text: string, user: string, signal?: AbortSignal): Promise<Float32Array | undefined>;
  /**
   * The hit or the miss with its reason; on a miss, maybe the candidate to learn from.
   * `digests`: the request's, when the caller already has them (else they are computed here).
   */
  find<T>(
    request: LookupRequest,
    settings: CallSettings,
    digests?: RequestDigests,
    hooks?: LookupHooks,
  ): Promise<{ result: LookupResult<T>; pending?: PendingOutcome }>;
}

export interface LookupHooks {
  /**
   * Called once the exact probe has missed, while the semantic tier runs (wrap takes its lock
   * then, so a miss does not wait for the lock after the search).
   */
  onExactMiss?(): void;
}

export interface LookupRequest {
  key: unknown;
  semanticText?: string;
  scope?: unknown;
  vector?: VectorLike;
}

/** The request's own vector of its semantic text, checked; DejaInputError when unusable. */
export function requestVector(scope: TenantScope, request: LookupRequest): Float32Array | undefined {
  if (request.vector === undefined) return undefined;
  if (request.semanticText === undefined)
    throw new DejaInputError('A request vector is the vector of its semanticText: give both');
  return scope.checkVector(request.vector);
}

export function toHit<T>(item: CachedItem<T>, hit: 'exact' | 'semantic', similarity: number): CacheHit<T> {
  return { hit, similarity, ageMs: item.ageMs, key: item.id, value: item.value, meta: item.meta };
}

const TROUBLE: Partial<Record<string, MissReason>> = {
  'circuit-open': MISS_REASONS.breakerOpen,
  overloaded: MISS_REASONS.overloaded,
  store: MISS_REASONS.storeUnavailable,
  timeout: MISS_REASONS.storeUnavailable,
};

export function lookupPath(scope: TenantScope): LookupPath {
  const { guard, stats, semantic, options } = scope.context;
  const label = scope.statsRef;

  const exact = async <T>(id: string): Promise<CacheHit<T> | undefined> => {
    const item = await scope.read<T>(id);
    return item && toHit(item, 'exact', 1);
  };

  /** Embeds through the tenant's embedding cache; a failing or misbehaving embedder reads as undefined. */
  const tryEmbed = async (
    text: string,
    user: string,
    signal?: AbortSignal,
    alreadyRead?: Map<string, Float32Array>,
    behind = false,
  ) => {
    try {
      // The user's own slice of the embedding cache: forgetUser erases it with their entries.
      return await scope.embed(text, signal, alreadyRead, user, behind);
    } catch (error) {
      if (DejaError.isInstance(error) && !(error instanceof DejaInputError)) throw error;
      guard.report({ kind: 'embedder', operation: 'embed semantic text', error });
      return undefined;
    }
  };

  const search = async <T>(
    request: LookupRequest,
    settings: CallSettings,
    digests: RequestDigests,
    /** The caller's vector of the semantic text, checked. */
    vector: Float32Array | undefined,
    hooks: LookupHooks | undefined,
  ): Promise<{ result: LookupResult<T>; pending?: PendingOutcome }> => {
    const id = digests.key;
    const wantsSemantic = settings.mode === 'semantic' && request.semanticText !== undefined;
    const text = wantsSemantic && scope.embeddable(request.semanticText) ? request.semanticText : undefined;
    const miss = (reason: MissReason, extra: Partial<CacheMiss> = {}) => ({
      result: { hit: 'miss', reason, ...extra } as CacheMiss,
    });
    const exactHit = (item: CachedItem<T>) => {
      if (settings.slidingTtl) scope.touch(item, settings.ttlMs);
      return { result: toHit(item, 'exact', 1) };
    };
    // Whether any verdict or report names this query, read with the KNN: a query nobody judged
    // (nearly all) never waits for a marks read after it.
    let marked: Promise<boolean | undefined> | undefined;
    // The query's digest (a hash of its text) only when there is a semantic tier to run.
    let query = '';
    // The scope may be a whole conversation, hashed with the loop free (once per request): a
    // KNN's commands leave together after it.
    let requestScope = '';
    const startKnn = async (knnVector: Float32Array) => {
      requestScope = await digests.scope();
      query = queryDigest(text as string);
      marked = queryMarked(scope, query);
      marked.catch(() => undefined);
      return nearestCandidates<T>(scope, semantic, requestScope, settings, knnVector);
    };
    // The caller's vector, or this process's copy of the text's: the KNN leaves with the exact
    // probe (one round trip). The probe's reply comes first, so an exact hit does not wait for it.
    const known = text === undefined ? undefined : (vector ?? scope.localVector(text, settings.user));
    // With the vector at hand, the scope is hashed before the probe, so all leave together.
    if (known) await digests.scope();
    const probe = scope.read<T>(id);
    let neighbours: Promise<KnnResult<T>[]>;
    let knnVector: Float32Array;
    if (known) {
      knnVector = known;
      neighbours = startKnn(known);
      const probed = await probe;
      if (probed) {
        neighbours.catch(() => undefined);
        return exactHit(probed);
      }
      hooks?.onExactMiss?.();
    } else {
      // The exact probe and the embedding-cache read leave together (one pipeline, one round
      // trip), so a semantic hit on a cached embedding costs two round trips, not three.
      const [probed, cached] =
        text === undefined
          ? [await probe, undefined]
          : await Promise.all([probe, scope.cachedVectors(text, settings.user)]);
      if (probed) return exactHit(probed);
      hooks?.onExactMiss?.();
      if (text === undefined) return miss(wantsSemantic ? MISS_REASONS.notEmbeddable : MISS_REASONS.noEntry);
      // A new vector is written behind the lookup: its KNN does not wait for the write.
      const embedded = await tryEmbed(text, settings.user, settings.signal, cached, options.writeBehind);
      if (!embedded) return miss(MISS_REASONS.embedderFailed);
      knnVector = embedded;
      neighbours = startKnn(embedded);
    }
    // The KNN first: its start set `marked`.
    let candidates = await neighbours;
    const isMarked = await marked;
    // A mark may block the nearest: then the next ones may answer, so ask for all of them (a
    // rare second KNN, only for queries someone judged or reported, or when the flag read failed).
    const fetched = candidatesBeforeMarks(semantic);
    if (isMarked !== false && fetched < semantic.candidates && candidates.length === fetched)
      candidates = await nearestCandidates<T>(scope, semantic, requestScope, settings, knnVector, true);
    const found = await semanticLookup<T>(
      scope,
      semantic,
      { semanticText: text as string, query, marked: isMarked },
      settings,
      candidates,
    );
    if (found.hit) {
      const { item, similarity, verified, reference } = found.hit;
      if (settings.slidingTtl) scope.touch(item, settings.ttlMs);
      return { result: { ...toHit(item, 'semantic', similarity), verified, reference } };
    }
    const { reason, similarity, rule } = found.miss;
    return { ...miss(reason, { similarity, rule }), pending: found.pending };
  };

  return {
    exact,
    embed: (text, user, signal) => tryEmbed(text, user, signal),
    async find<T>(
      request: LookupRequest,
      settings: CallSettings,
      given?: RequestDigests,
      hooks?: LookupHooks,
    ) {
      const started = performance.now();
      // Hashed before the deadline starts: a big key's hashing is the app's work, not Redis's.
      const digests = given ?? (await requestDigests(request, settings.user));
      const vector = requestVector(scope, request);
      // Redis trouble costs a lookup one deadline, not one per tier.
      const { value, trouble } = await guard.oneCall(() =>
        search<T>(request, settings, digests, vector, hooks),
      );
      const durationMs = performance.now() - started;
      stats.lookupLatency(durationMs);
      const { result } = value;
      // A miss that store trouble caused says so, whatever the tiers made of their fallbacks.
      const troubleReason = trouble === undefined ? undefined : TROUBLE[trouble];
      if (result.hit === 'miss' && troubleReason) value.result = { hit: 'miss', reason: troubleReason };
      const final = value.result;
      if (final.hit === 'miss') stats.add(label, { misses: 1 });
      else {
        stats.add(label, final.hit === 'exact' ? { exactHits: 1 } : { semanticHits: 1 });
        if (final.meta.usage) stats.saved(label, final.meta.usage, final.meta.model);
      }
      notify(options.onLookup, {
        tenant: scope.digest,
        outcome: final.hit,
        reason: final.hit === 'miss' ? final.reason : undefined,
        similarity: final.similarity,
        verified: final.hit === 'semantic' ? final.verified : undefined,
        durationMs,
      });
      return value;
    },
  };
}

/** A throwing hook must not turn an observation into an app problem. */
export function notify(hook: ((event: LookupEvent) => void) | undefined, event: LookupEvent): void {
  try {
    hook?.(event);
  } catch {
    // ignored on purpose
  }
}
