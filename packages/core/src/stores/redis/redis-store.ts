// The Redis store. With the Query Engine: hash entries + one FT index (on a cluster, one per master,
// each answering for the tenants of its slots), KNN on the server. Without
// it: on Redis 8 (vector sets detected at init) the same entries and a vector set per (tenant,
// scope, user, model), KNN by VSIM on the server; elsewhere (Redis 7, managed Redis without
// either) KNN by client-side cosine over the packed vectors of that place, so a lookup never
// walks the keyspace.
// This file wires the parts (entries, locks, counters, byte values) to one connection and decides,
// at init, which semantic path the entries take.
import { createHash } from 'node:crypto';
import { DejaConfigError } from '../../errors.js';
import type { Store, StoreCapabilities, StoreHealth, StoreProblem } from '../types.js';
import { type RedisClientLike, type RedisSocketOptions, redisConnection } from './connection.js';
import type { HnswOptions, IndexSpec, VectorAlgorithm } from './create-index.js';
import { keyedWith, refuseNestedPrefix, storedSecret, unkeyed } from './deployment.js';
import { indexDifferences } from './index-info.js';
import { ensureIndex, hasQueryEngine, readIndexInfo } from './index-manager.js';
import { indexWatch } from './index-watch.js';
import { type KeyLayout, keyLayout } from './keys.js';
import { redisBytes } from './redis-bytes.js';
import { redisCounters } from './redis-counters.js';
import { redisEntries } from './redis-entries.js';
import { redisList } from './redis-list.js';
import { redisLocks } from './redis-locks.js';
import { INFO_MEMORY, PING, parseUsedMemory } from './server-commands.js';
import { touchCommands } from './touch-commands.js';
import { hasVectorSets } from './vector-set-detection.js';

/** Where the store's Redis is: a URL (deja connects, and owns the connection) or your client. Not both. */
export type RedisStoreTarget =
  | {
      /** redis:// or rediss:// (TLS) URL; deja creates and owns the connection. */
      url: string;
      client?: never;
      /** Socket settings of that connection: TLS certificates, connect timeout, keep-alive. */
      socket?: RedisSocketOptions;
      /** ACL user and password, when not in the URL. */
      username?: string;
      password?: string;
    }
  | {
      /** A node-redis client or cluster you already have, set up as you need; deja never closes it. */
      client: RedisClientLike;
      url?: never;
      socket?: never;
      username?: never;
      password?: never;
    };

export type RedisStoreOptions = RedisStoreTarget & RedisStoreSettings;

export interface RedisStoreSettings {
  /** Key prefix of response entries (default 'cache:'). */
  prefix?: string;
  /** Name of the vector index (default 'deja-idx'). */
  indexName?: string;
  /** FLAT (exact, default) or HNSW (approximate, for large indexes). */
  algorithm?: VectorAlgorithm;
  hnsw?: HnswOptions;
  connectTimeoutMs?: number;
  /**
   * 'auto' (default) detects the Query Engine, then Redis 8's vector sets; 'scan' forces the
   * client-side fallback (packed vectors) whatever the server has.
   */
  semantic?: 'auto' | 'scan';
  /**
   * Keys the names that could identify a user or confirm a prompt (HMAC-SHA256), at least 16
   * characters. Default: a random secret that the first process on this prefix stores in Redis
   * (`~deja:secret:<prefix>`) and every later one reads, so names are not guessable from a key listing;
   * give your own (DEJA_SECRET) to keep it out of Redis as well.
   */
  secret?: string;
}

/** The Redis store provides every optional part of the contract. */
export type RedisStore = Store &
  Required<
    Pick<Store, 'init' | 'locks' | 'counters' | 'bytes' | 'health' | 'close' | 'list' | 'deleteTagged'>
  >;

export function redisStore(options: RedisStoreOptions): RedisStore {
  if ('url' in options && !options.url && !options.client)
    throw new DejaConfigError(
      `redisStore: url is ${JSON.stringify(options.url) ?? 'undefined'}: pass a redis:// URL (is DEJA_REDIS_URL set? loadConfig reads it) or { client }`,
    );
  if (!options.url === !options.client)
    throw new DejaConfigError('redisStore: pass exactly one of { url } or { client }');
  const prefix = options.prefix ?? 'cache:';
  const indexName = options.indexName ?? 'deja-idx';
  if (!prefix || prefix.startsWith('~'))
    throw new DejaConfigError(
      `redisStore: prefix ${JSON.stringify(prefix)} must be non-empty and not start with "~"`,
    );
  if (options.secret !== undefined && (typeof options.secret !== 'string' || options.secret.length < 16))
    throw new DejaConfigError('redisStore: secret must be a string of at least 16 characters');
  // The namespace marker of this deja's entries: the prefix, not secret (it only tells whose).
  const ns = createHash('sha256').update(`deja-namespace:${prefix}`).digest('hex').slice(0, 32);
  let keys: KeyLayout | undefined;
  // Lock and counter keys name a tenant and an entry id, no user or prompt: usable before init.
  const lockKeys = keyLayout(prefix, unkeyed);
  const layout = () => {
    if (!keys) throw new Error('redisStore: call init() first (it reads the namespace secret)');
    return keys;
  };
  let report: (problem: StoreProblem) => void = () => undefined;
  let lastConnectionError: unknown;
  const redis = redisConnection({
    url: options.url,
    client: options.client,
    socket: options.socket,
    username: options.username,
    password: options.password,
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
  const index = indexWatch(redis, () => report);
  let initialised: Promise<void> | undefined;
  /** The embedder's vector size (names the packed-vector keys a sliding TTL extends). */
  let dimensions = 0;

  return {
    name: 'redis',
    capabilities,

    init(initOptions) {
      if (initOptions.report) report = initOptions.report;
      dimensions = initOptions.dimensions;
      initialised ??= (async () => {
        await redis.connect();
        await refuseNestedPrefix(redis, prefix);
        keys = keyLayout(
          prefix,
          keyedWith(options.secret ?? (await storedSecret(redis, keyLayout(prefix, unkeyed)))),
        );
        // On a cluster every master must have the Query Engine: each indexes its own slots, and a
        // tenant's query goes to the master of the tenant's slot (index-search.ts).
        const queryEngine = options.semantic !== 'scan' && (await hasQueryEngine(redis));
        // Without it, Redis 8's vector sets answer KNN on the server (every master must have them).
        const vectorSets = options.semantic !== 'scan' && !queryEngine && (await hasVectorSets(redis));
        capabilities.semantic = queryEngine ? 'index' : vectorSets ? 'vector-set' : 'scan';
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
        index.use(spec);
      })().catch((error) => {
        initialised = undefined;
        throw error;
      });
      return initialised;
    },

    ...redisEntries(redis, {
      keys: layout,
      ns,
      index,
      vectorSets: () => capabilities.semantic === 'vector-set',
      report: (problem) => report(problem),
    }),
    list: redisList(redis, layout, ns),
    async touch(entry, ttlMs) {
      await redis.transaction(
        layout().entry(entry.tenant, entry.id),
        touchCommands(layout(), entry, ttlMs, dimensions, capabilities.semantic === 'vector-set'),
      );
    },
    locks: redisLocks(redis, lockKeys),
    counters: redisCounters(redis, lockKeys),
    bytes: redisBytes(redis, layout),

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
          const spec = index.spec();
          const differences = info && spec ? indexDifferences(info, spec) : [];
          if (differences.length > 0) health.detail = `index ${indexName}: ${differences.join('; ')}`;
          health.index = !info
            ? { name: indexName, state: 'missing' }
            : {
                name: indexName,
                state: differences.length > 0 ? 'mismatched' : info.indexing ? 'indexing' : 'ready',
                documents: info.documents,
              };
        }
      } catch (error) {
        health.detail = String(error ?? lastConnectionError);
      }
      return health;
    },

    close: () => redis.close(),
  };
}
