// createDeja: validates options, wires the store (behind its guard), stats and the embedding
// cache, and hands out tenants. Everything a user or an adapter needs is on the returned Deja.
import type { DejaContext } from './context.js';
import { withDeadline } from './deadline.js';
import type { Embedder } from './embeddings/embedder.js';
import { checkEmbedder } from './embeddings/embedder-check.js';
import { EmbeddingCache } from './embeddings/embedding-cache.js';
import { LocalVectors } from './embeddings/local-vectors.js';
import { DejaError, DejaInputError, DejaStoreError, DejaTimeoutError } from './errors.js';
import { type DejaErrorEvent, Guard } from './guard.js';
import { type Id, idDigest } from './ids.js';
import { type DejaOptions, parseOptions, type ResolvedDejaOptions } from './options.js';
import { WriteBehind } from './responses/write-behind.js';
import { type SemanticCounters, semanticShared } from './semantic/semantic-settings.js';
import { emptyVerifierCounters, type VerifierCounters } from './semantic/verifier.js';
import { SingleFlight } from './single-flight.js';
import { Stats, type StatsSnapshot } from './stats.js';
import { StatsFlusher } from './stats-flush.js';
import { guardedStore } from './stores/guarded-store.js';
import { memoryStore } from './stores/memory-store.js';
import { redisStore } from './stores/redis/redis-store.js';
import type { StoreHealth, StoreProblem } from './stores/types.js';
import { tenantRegistry } from './tenancy/tenant-registry.js';
import { TenantScope } from './tenancy/tenant-scope.js';
import { createTenantCache, type TenantCache } from './tenant-cache.js';
import { tenantLabels } from './tenant-labels.js';

export interface DejaHealth extends StoreHealth {
  breaker: 'closed' | 'open' | 'half-open';
  ready: boolean;
}

export interface DejaStats extends StatsSnapshot {
  /** Verifier calls, verdicts, failures, time and tokens (all zero without a verifier). */
  verification: VerifierCounters;
  semantic: SemanticCounters;
}

export interface Deja {
  readonly options: ResolvedDejaOptions;
  /** The cache of one tenant: every data operation goes through one. */
  tenant(id: Id): TenantCache;
  /** Cached embedder (text -> vector), namespaced by model; throws without an embedder. */
  readonly embeddings: Embedder;
  /**
   * The same embedding cache for another model (an adapter's wrapped embeddings): this deja's
   * store, deadlines, breaker and stats, vectors namespaced by `embedder.modelId` (and `variant`,
   * e.g. 'query'). Checks the embedder, batches by its maxBatchSize, and learns and remembers its
   * dimension when it states none.
   */
  cachedEmbedder(embedder: Embedder, options?: { variant?: string }): Embedder;
  /**
   * Connects and creates or verifies the index, waiting as long as initTimeoutMs. Resolves true
   * when the store is usable, false when it is not (the cause went to onError and health().detail
   * at its first failure: a wrong password, nothing listening, not a Redis...; calls are misses
   * until it is). Strict: rejects with a DejaStoreError naming the cause instead of resolving false.
   */
  ready(): Promise<boolean>;
  /** Reports a problem the app did not see (counted in stats().errors, passed to onError). */
  report(event: DejaErrorEvent): void;
  /** Entries in the store, of one tenant or of all; undefined when the store cannot tell now. */
  count(tenant?: Id): Promise<number | undefined>;
  /** In-process counters, with what the semantic tier and its verifier did. */
  stats(): DejaStats;
  /** Counters every process has written to the store, per tenant digest. */
  storedStats(tenant?: Id): Promise<Record<string, Record<string, number>>>;
  /** Tenant ids by digest, for those stored with `storeTenantLabels` (others are left out). */
  tenantLabels(digests: string[]): Promise<Record<string, string>>;
  health(): Promise<DejaHealth>;
  close(): Promise<void>;
}

export function createDeja(input: DejaOptions = {}): Deja {
  const options = parseOptions(input);
  const store = options.store ?? (options.redis ? redisStore(options.redis) : memoryStore());
  const stats = new Stats(options.prices);
  const guard = new Guard({
    timeoutMs: options.timeoutMs,
    failureThreshold: options.breaker.failureThreshold,
    cooldownMs: options.breaker.cooldownMs,
    strict: options.strict,
    maxInFlight: options.maxInFlight,
    maxQueued: options.maxQueued,
    // Every reported event is counted, so stats().errors shows trouble the app never saw.
    onError: (event) => {
      stats.add(undefined, { errors: 1 });
      options.onError?.(event);
    },
  });
  const dimensions = options.embedder?.dimensions ?? options.dimensions;

  let initialised = false;
  let initialising: Promise<void> | undefined;
  let misuse: unknown;
  const startInit = () => {
    // What the store skipped or noticed on its own (foreign data, an index changed) reaches onError.
    const report = (problem: StoreProblem) => guard.report(problem);
    initialising ??= (store.init?.({ dimensions: dimensions ?? 0, report }) ?? Promise.resolve())
      .then(() => {
        initialised = true;
      })
      .catch((error) => {
        if (DejaError.isInstance(error) && !(error instanceof DejaStoreError)) misuse = error;
        // Let the next call try again (the guard's breaker paces those tries).
        setTimeout(() => {
          initialising = undefined;
        }, options.breaker.cooldownMs).unref();
        throw error;
      });
    return initialising;
  };
  /** Store initialised within the deadline? false = treat as a miss. Throws on misuse. */
  const storeReady = async () => {
    if (initialised) return true;
    if (misuse) throw misuse;
    const init = startInit();
    init.catch(() => undefined);
    // Waiting for the shared init sends nothing of its own: it takes no maxInFlight slot.
    const ok = await guard.run('init', () => init.then(() => true), false, { unbounded: true });
    if (misuse) throw misuse;
    return ok;
  };

  const sweepTimeoutMs = options.initTimeoutMs;
  const isReady = () => initialised;
  const guarded = guardedStore({ store, guard, ready: storeReady, initialised: isReady, sweepTimeoutMs });
  const context: DejaContext = {
    options,
    store: guarded,
    semantic: semanticShared(options, guarded, (operation, error) =>
      guard.report({ kind: operation.startsWith('verifier') ? 'verifier' : 'store', operation, error }),
    ),
    guard,
    stats,
    dimensions,
    // Off with cacheEmbeddings: false (embeddings are then not kept anywhere).
    localVectors: new LocalVectors(options.cacheEmbeddings ? options.localEmbeddings : 0),
    embeddings: undefined,
    flights: new SingleFlight(),
    writes: new WriteBehind({
      maxPending: options.maxPendingWrites,
      onDropped: () => {
        stats.add(undefined, { droppedWrites: 1 });
        guard.report({
          kind: 'not-cached',
          operation: 'write behind',
          error: new Error(`more than ${options.maxPendingWrites} cache writes pending; dropped one`),
        });
      },
    }),
  };
  const embeddingCacheOf = (embedder: Embedder, extra: { dimensions?: number; variant?: string } = {}) =>
    new EmbeddingCache({
      ...extra,
      store: context.store,
      guard,
      stats,
      embedder,
      ttlMs: options.embeddingTtlMs,
      readBatchSize: options.embeddingReadBatchSize,
      keyPrefix: options.embeddingKeyPrefix,
      local: context.localVectors,
      // New vectors are written behind the caller (bounded with the answers' writes, flushed by close()).
      writeBehind: (write) => {
        void context.writes.add(() => write().then(() => true));
      },
      // Keys of a tenant's slice need the initialised store (a Redis store reads its namespace secret then).
      ready: async () => options.cacheEmbeddings && (await storeReady()),
    });
  if (options.embedder) context.embeddings = embeddingCacheOf(options.embedder, { dimensions });

  // Chunked, a few writes at a time, no tick while the last one runs (stats-flush.ts); counters
  // stay pending until the store is initialised.
  const statsFlusher = new StatsFlusher({
    stats,
    write: (chunk) => context.store.addCountersBatch(chunk),
  });
  const flushTimer =
    options.statsFlushMs > 0
      ? setInterval(() => {
          if (initialised) void statsFlusher.tick();
        }, options.statsFlushMs)
      : undefined;
  flushTimer?.unref();
  // Telemetry's gauges (breaker state, tokens and cost saved) read this deja until close().
  const unobserve = options.telemetry?.observe({
    breaker: () => guard.breaker,
    saved: () => stats.snapshot(),
  });

  const labels = tenantLabels(context.store, options.storeTenantLabels);
  const tenants = tenantRegistry((id) => createTenantCache(new TenantScope(id, context)));

  return {
    options,
    tenant(id) {
      const tenant = tenants(id);
      // Every call: a label write that failed is tried again.
      labels.remember(tenant.digest, String(id));
      return tenant;
    },
    tenantLabels: (digests) => labels.read(digests),
    get embeddings(): Embedder {
      if (!context.embeddings) throw new DejaInputError('deja.embeddings needs createDeja({ embedder })');
      return context.embeddings;
    },
    cachedEmbedder(embedder, cacheOptions = {}) {
      return embeddingCacheOf(checkEmbedder(embedder, 'cachedEmbedder'), { variant: cacheOptions.variant });
    },
    async ready() {
      if (!misuse)
        await guard.run('init', () => startInit().then(() => true), false, {
          timeoutMs: options.initTimeoutMs,
          unbounded: true,
        });
      if (misuse) throw misuse;
      if (!initialised && options.strict) throw new DejaTimeoutError('deja store is not ready');
      return initialised;
    },
    report: (event) => guard.report(event),
    count: async (tenant) =>
      context.store.count(tenant === undefined ? undefined : idDigest(tenant, 'tenant')),
    stats: () => ({
      ...stats.snapshot(),
      verification: context.semantic.verifier?.counters() ?? emptyVerifierCounters(),
      semantic: { ...context.semantic.counters },
    }),
    storedStats: async (tenant) =>
      context.store.readCounters(tenant === undefined ? undefined : idDigest(tenant, 'tenant')),
    async health() {
      const unanswered = (): StoreHealth => ({
        backend: store.name,
        connected: false,
        queryEngine: store.capabilities.semantic === 'index',
        detail: `no answer within ${options.timeoutMs * 4} ms`,
      });
      const health = await withDeadline(context.store.health(), options.timeoutMs * 4, unanswered);
      return { ...health, breaker: guard.breaker, ready: initialised };
    },
    async close() {
      if (flushTimer) clearInterval(flushTimer);
      unobserve?.();
      await context.writes.flush();
      await guard.idle();
      await labels.flush();
      if (initialised) await statsFlusher.drain();
      await context.store.close();
    },
  };
}
