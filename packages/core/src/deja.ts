// createDeja: validates options, wires store, guard, stats and embedding cache, hands out tenants.
import type { DejaContext } from './context.js';
import type { Embedder } from './embeddings/embedder.js';
import { EmbeddingCache } from './embeddings/embedding-cache.js';
import { DejaConfigError, DejaError, DejaInputError, DejaStoreError, DejaTimeoutError } from './errors.js';
import { Guard, withDeadline } from './guard.js';
import type { Id } from './ids.js';
import {
  type DejaOptions,
  embedderSchema,
  formatIssues,
  parseOptions,
  type ResolvedDejaOptions,
} from './options.js';
import { SingleFlight } from './single-flight.js';
import { Stats, type StatsSnapshot } from './stats.js';
import { memoryStore } from './stores/memory-store.js';
import { redisStore } from './stores/redis/redis-store.js';
import type { Store, StoreHealth } from './stores/types.js';
import { TenantCache } from './tenant-cache.js';

export interface DejaHealth extends StoreHealth {
  breaker: 'closed' | 'open' | 'half-open';
  ready: boolean;
}

export interface Deja {
  readonly options: ResolvedDejaOptions;
  readonly store: Store;
  /** The cache of one tenant: every data operation goes through one. */
  tenant(id: Id): TenantCache;
  /** Cached embedder (text -> vector), namespaced by model; throws without an embedder. */
  readonly embeddings: Embedder;
  /**
   * The same embedding cache for another model (an adapter's wrapped embeddings): this deja's
   * store, deadlines, breaker and stats, vectors namespaced by `embedder.modelId`.
   */
  cachedEmbedder(embedder: Embedder): Embedder;
  /** Connects and creates or verifies the index, waiting as long as initTimeoutMs. */
  ready(): Promise<void>;
  stats(): StatsSnapshot;
  /** Counters every process has written to the store, per tenant digest. */
  storedStats(tenant?: Id): Promise<Record<string, Record<string, number>>>;
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
    initialising ??= store
      .init({ dimensions: dimensions ?? 0 })
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

  const context: DejaContext = {
    options,
    store,
    guard,
    stats,
    dimensions,
    embeddings: undefined,
    flights: new SingleFlight(),
    async ready() {
      if (initialised) return true;
      if (misuse) throw misuse;
      const init = startInit();
      init.catch(() => undefined);
      const ok = await guard.run('init', () => init.then(() => true), false);
      if (misuse) throw misuse;
      return ok;
    },
  };
  const embeddingCacheOf = (embedder: Embedder) =>
    new EmbeddingCache({
      store,
      guard,
      stats,
      embedder,
      ttlMs: options.embeddingTtlMs,
      readBatchSize: options.embeddingReadBatchSize,
      keyPrefix: options.embeddingKeyPrefix,
      ready: async () => options.cacheEmbeddings && (await context.ready()),
    });
  if (options.embedder) context.embeddings = embeddingCacheOf(options.embedder);

  const flushStats = async () => {
    const pending = stats.takePending();
    if (pending.size === 0 || !initialised) return;
    await Promise.all(
      [...pending].map(([digest, counters]) =>
        guard.run(
          'stats flush',
          () => store.addCounters(digest, counters as Record<string, number>),
          undefined,
        ),
      ),
    );
  };
  const flushTimer =
    options.statsFlushMs > 0 ? setInterval(() => void flushStats(), options.statsFlushMs) : undefined;
  flushTimer?.unref();

  return {
    options,
    store,
    tenant: (id) => new TenantCache(id, context),
    get embeddings(): Embedder {
      if (!context.embeddings) throw new DejaInputError('deja.embeddings needs createDeja({ embedder })');
      return context.embeddings;
    },
    cachedEmbedder(embedder) {
      const parsed = embedderSchema.safeParse(embedder);
      if (!parsed.success) throw new DejaConfigError(`cachedEmbedder: ${formatIssues(parsed.error)}`);
      return embeddingCacheOf(embedder);
    },
    async ready() {
      if (!misuse) await guard.run('init', () => startInit().then(() => true), false, options.initTimeoutMs);
      if (misuse) throw misuse;
      if (!initialised && options.strict) throw new DejaTimeoutError('deja store is not ready');
    },
    stats: () => stats.snapshot(),
    async storedStats(tenant) {
      await context.ready();
      const digest = tenant === undefined ? undefined : new TenantCache(tenant, context).digest;
      return store.readCounters(digest);
    },
    async health() {
      const unanswered = (): StoreHealth => ({
        backend: store.name,
        connected: false,
        queryEngine: store.capabilities.semantic === 'index',
        detail: `no answer within ${options.timeoutMs * 4} ms`,
      });
      const health = await withDeadline(store.health(), options.timeoutMs * 4, unanswered);
      return { ...health, breaker: guard.breaker, ready: initialised };
    },
    async close() {
      if (flushTimer) clearInterval(flushTimer);
      await flushStats().catch(() => undefined);
      await store.close();
    },
  };
}
