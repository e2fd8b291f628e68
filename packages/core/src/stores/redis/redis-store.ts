// The Redis store. With the Query Engine: hash entries + one FT index (on a cluster, one per master,
// each answering for the tenants of its slots), KNN on the server. Without
// it (plain or managed Redis, detected at init): the same entries, and KNN by client-side cosine
// over a per-(tenant, scope, user) member set, so a lookup never walks the keyspace.
// This file wires the parts (entries, locks, counters, byte values) to one connection and decides,
// at init, which semantic path the entries take.
import { DejaConfigError } from '../../errors.js';
import type { Store, StoreCapabilities, StoreHealth } from '../types.js';
import { type NodeRedisClient, redisConnection } from './connection.js';
import type { HnswOptions, IndexSpec, VectorAlgorithm } from './create-index.js';
import { ensureIndex, hasQueryEngine, readIndexInfo } from './index-manager.js';
import { keyLayout } from './keys.js';
import { redisBytes } from './redis-bytes.js';
import { redisCounters } from './redis-counters.js';
import { redisEntries } from './redis-entries.js';
import { redisLocks } from './redis-locks.js';
import { INFO_MEMORY, PING, parseUsedMemory } from './server-commands.js';

export interface RedisStoreOptions {
  /** redis:// URL; deja creates and owns the connection. */
  url?: string;
  /** A node-redis client or cluster you already have; deja uses it and never closes it. */
  client?: NodeRedisClient;
  /** Key prefix of response entries (default 'cache:'). */
  prefix?: string;
  /** Name of the vector index (default 'deja-idx'). */
  indexName?: string;
  /** FLAT (exact, default) or HNSW (approximate, for large indexes). */
  algorithm?: VectorAlgorithm;
  hnsw?: HnswOptions;
  connectTimeoutMs?: number;
  /** 'auto' (default) detects the Query Engine; 'scan' forces the client-side fallback. */
  semantic?: 'auto' | 'scan';
}

/** The Redis store provides every optional part of the contract. */
export type RedisStore = Store &
  Required<Pick<Store, 'init' | 'locks' | 'counters' | 'bytes' | 'health' | 'close'>>;

export function redisStore(options: RedisStoreOptions): RedisStore {
  if (!options.url === !options.client)
    throw new DejaConfigError('redisStore: pass exactly one of { url } or { client }');
  const prefix = options.prefix ?? 'cache:';
  const indexName = options.indexName ?? 'deja-idx';
  if (!prefix || prefix.startsWith('~'))
    throw new DejaConfigError(
      `redisStore: prefix ${JSON.stringify(prefix)} must be non-empty and not start with "~"`,
    );
  const keys = keyLayout(prefix);
  let lastConnectionError: unknown;
  const redis = redisConnection({
    url: options.url,
    client: options.client,
    connectTimeoutMs: options.connectTimeoutMs ?? 2_000,
    onError: (error) => {
      lastConnectionError = error;
    },
  });
  const capabilities: StoreCapabilities = {
    semantic: 'scan',
    shared: true,
    locks: true,
    counters: true,
    bytes: true,
  };
  /** The index in use once init() found the Query Engine and a dimension; undefined: scan. */
  let index: IndexSpec | undefined;
  let initialised: Promise<void> | undefined;

  return {
    name: 'redis',
    capabilities,

    init(initOptions) {
      initialised ??= (async () => {
        await redis.connect();
        // On a cluster every master must have the Query Engine: each indexes its own slots, and a
        // tenant's query goes to the master of the tenant's slot (index-search.ts).
        const queryEngine = options.semantic !== 'scan' && (await hasQueryEngine(redis));
        capabilities.semantic = queryEngine ? 'index' : 'scan';
        // Without a dimension (no embedder) there is nothing to index: exact and embedding caches only.
        if (!queryEngine || initOptions.dimensions <= 0) return;
        const spec: IndexSpec = {
          indexName,
          prefix,
          dimensions: initOptions.dimensions,
          algorithm: options.algorithm ?? 'FLAT',
          hnsw: options.hnsw,
        };
        // A cluster has one index per tenant, made on the tenant's first write (index-search.ts).
        if (!redis.cluster) await ensureIndex(redis, spec);
        index = spec;
      })().catch((error) => {
        initialised = undefined;
        throw error;
      });
      return initialised;
    },

    ...redisEntries(redis, keys, prefix, { index: () => index }),
    locks: redisLocks(redis, keys),
    counters: redisCounters(redis, keys),
    bytes: redisBytes(redis, keys),

    async health(): Promise<StoreHealth> {
      const health: StoreHealth = {
        backend: redis.cluster ? 'redis-cluster' : 'redis',
        connected: false,
        queryEngine: capabilities.semantic === 'index',
      };
      try {
        await redis.send(undefined, PING);
        health.connected = true;
        health.memoryBytes = parseUsedMemory(await redis.send(undefined, INFO_MEMORY));
        if (health.queryEngine && redis.cluster) {
          health.index = { name: `${indexName}:{<tenant>}`, state: 'ready' };
        } else if (health.queryEngine) {
          const info = await readIndexInfo(redis, indexName);
          health.index = info
            ? { name: indexName, state: info.indexing ? 'indexing' : 'ready', documents: info.documents }
            : { name: indexName, state: 'missing' };
        }
      } catch (error) {
        health.detail = String(error ?? lastConnectionError);
      }
      return health;
    },

    close: () => redis.close(),
  };
}
