// The Redis store. With the Query Engine: hash entries + one FT index, KNN on the server. Without
// it (plain or managed Redis, detected at init): the same entries, and KNN by client-side cosine
// over a per-(tenant, scope, user) member set, so a lookup never walks the keyspace.
import { DejaConfigError } from '../../errors.js';
import { similarityFromDistance, vectorToBytes } from '../../vectors.js';
import type { KnnMatch, Store, StoreCapabilities, StoredEntry, StoreEntry, StoreHealth } from '../types.js';
import { type ConnectionOptions, type NodeRedisClient, redisConnection } from './connection.js';
import type { HnswOptions, IndexSpec, VectorAlgorithm } from './create-index.js';
import { putEntryCommands } from './entry-commands.js';
import { ensureIndex, hasQueryEngine, readIndexInfo } from './index-manager.js';
import { ENTRY_FIELDS, keyLayout } from './keys.js';
import { DISTANCE_FIELD, knnQueryArgs, parseSearchReply, userEntriesQueryArgs } from './knn-query.js';
import { scanKnn } from './scan-knn.js';

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

/** Persisted counters outlive entries: a month after their last update. */
const COUNTERS_TTL_MS = 30 * 24 * 3600 * 1000;
const RELEASE_LOCK =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

export function redisStore(options: RedisStoreOptions): Store {
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
  const connectionOptions: ConnectionOptions = {
    url: options.url,
    client: options.client,
    connectTimeoutMs: options.connectTimeoutMs ?? 2_000,
    onError: (error) => {
      lastConnectionError = error;
    },
  };
  const redis = redisConnection(connectionOptions);
  const capabilities: StoreCapabilities = { semantic: 'scan', shared: true };
  let spec: IndexSpec | undefined;
  let initialised: Promise<void> | undefined;

  const useIndex = () => capabilities.semantic === 'index';

  const toStored = (
    id: string,
    fields: Record<string, string | null | undefined>,
  ): StoredEntry | undefined => {
    // No field at all: no entry. Some fields missing: a damaged entry, which the cache deletes.
    if (Object.values(fields).every((value) => value == null)) return undefined;
    return {
      id,
      tenant: fields.tenant ?? '',
      user: fields.user ?? '',
      scope: fields.scope ?? '',
      text: fields.text ?? '',
      response: fields.response ?? '',
      meta: fields.meta ?? '{}',
      createdAt: Number(fields.created_at ?? 0),
    };
  };

  async function deleteKeysMatching(patterns: string[], type?: string): Promise<number> {
    let deleted = 0;
    for (const pattern of patterns) {
      for await (const batch of redis.scan(pattern, type)) {
        // One DEL per key: in a cluster they may sit in different slots.
        const results = await Promise.all(batch.map((key) => redis.send(key, ['DEL', key])));
        if (pattern === patterns[0])
          deleted += results.reduce<number>((sum, count) => sum + Number(count), 0);
      }
    }
    return deleted;
  }

  const store: Store = {
    name: 'redis',
    capabilities,

    init(initOptions) {
      initialised ??= (async () => {
        await redis.connect();
        // A cluster's shards each hold part of any index; without the Query Engine's cluster
        // coordinator an FT.SEARCH would see one shard. The client-side scan works on a cluster:
        // an entry and its member sets share the tenant's slot.
        const queryEngine = options.semantic !== 'scan' && !redis.cluster && (await hasQueryEngine(redis));
        capabilities.semantic = queryEngine ? 'index' : 'scan';
        spec = {
          indexName,
          prefix,
          dimensions: initOptions.dimensions,
          algorithm: options.algorithm ?? 'FLAT',
          hnsw: options.hnsw,
        };
        // Without a dimension (no embedder) there is nothing to index: exact and embedding caches only.
        if (useIndex() && spec.dimensions > 0) await ensureIndex(redis, spec);
      })().catch((error) => {
        initialised = undefined;
        throw error;
      });
      return initialised;
    },

    async put(entry: StoreEntry, ttlMs) {
      const key = keys.entry(entry.tenant, entry.id);
      await redis.transaction(key, putEntryCommands(keys, entry, ttlMs, !useIndex()));
    },

    async get(tenant, id) {
      const key = keys.entry(tenant, id);
      const values = (await redis.send(key, ['HMGET', key, ...ENTRY_FIELDS])) as (string | null)[];
      return toStored(id, Object.fromEntries(ENTRY_FIELDS.map((field, i) => [field, values[i]])));
    },

    async delete(tenant, id) {
      const key = keys.entry(tenant, id);
      return Number(await redis.send(key, ['DEL', key])) > 0;
    },

    async knn(query) {
      if (!useIndex()) return scanKnn(redis, keys, query, toStored);
      const args = knnQueryArgs({
        indexName,
        ...query,
        vector: vectorToBytes(query.vector),
        efRuntime: spec?.hnsw?.efRuntime,
      });
      let reply: unknown;
      try {
        reply = await redis.send(undefined, args);
      } catch (error) {
        // A restarted or flushed server has lost the index: create it again (it indexes the
        // entries that are still there), or semantic lookups would fail until this process restarts.
        if (!spec || spec.dimensions <= 0 || !/no such index/i.test(String(error))) throw error;
        await ensureIndex(redis, spec);
        reply = await redis.send(undefined, args);
      }
      const matches: KnnMatch[] = [];
      for (const { key, fields } of parseSearchReply(reply).documents) {
        const entry = toStored(keys.idOf(key, query.tenant), fields);
        if (entry)
          matches.push({ entry, similarity: similarityFromDistance(Number(fields[DISTANCE_FIELD])) });
      }
      return matches;
    },

    clearTenant: (tenant) => deleteKeysMatching(keys.tenantPatterns(tenant)),

    async forgetUser(tenant, user) {
      const startedAt = Date.now();
      const members = keys.userMembers(tenant, user);
      let deleted = 0;
      // SPOP in batches: ids added by concurrent writes are picked up by the next round.
      for (;;) {
        const ids = (await redis.send(members, ['SPOP', members, '500'])) as string[] | null;
        if (!ids || ids.length === 0) break;
        deleted += Number(await redis.send(members, ['DEL', ...ids.map((id) => keys.entry(tenant, id))]));
      }
      // The index also knows the user's entries: it finds any whose member set was evicted or lost.
      // Only those written before this call, so writes racing with it cannot keep it going.
      while (useIndex()) {
        const args = userEntriesQueryArgs(indexName, tenant, user, startedAt, 500);
        const stragglers = parseSearchReply(await redis.send(undefined, args)).documents.map(
          (document) => document.key,
        );
        if (stragglers.length === 0) break;
        deleted += Number(await redis.send(members, ['DEL', ...stragglers]));
      }
      return deleted;
    },

    async count(tenant) {
      if (useIndex()) {
        const query = tenant === undefined ? '*' : `@tenant:{${tenant}}`;
        return parseSearchReply(
          await redis.send(undefined, ['FT.SEARCH', indexName, query, 'LIMIT', '0', '0', 'DIALECT', '2']),
        ).total;
      }
      let total = 0;
      const pattern = tenant === undefined ? '*' : (keys.tenantPatterns(tenant)[0] as string);
      for await (const batch of redis.scan(pattern, 'hash'))
        total += batch.filter((key) => key.startsWith(prefix)).length;
      return total;
    },

    tenantBytesKey: (tenant, name) => keys.tenantBytes(tenant, name),

    async getBytes(byteKeys) {
      if (byteKeys.length === 0) return [];
      const values = redis.cluster
        ? await Promise.all(byteKeys.map((key) => redis.send(key, ['GET', key], true)))
        : ((await redis.send(byteKeys[0], ['MGET', ...byteKeys], true)) as unknown[]);
      return values.map((value) => (value instanceof Uint8Array ? value : undefined));
    },

    async setBytes(items, ttlMs) {
      const ttl = String(Math.max(1, Math.round(ttlMs)));
      // Issued in one tick: node-redis writes them as one pipeline.
      await Promise.all(
        items.map(({ key, value }) =>
          redis.send(key, [
            'SET',
            key,
            Buffer.from(value.buffer, value.byteOffset, value.byteLength),
            'PX',
            ttl,
          ]),
        ),
      );
    },

    async acquireLock(tenant, id, ttlMs) {
      const key = keys.lock(tenant, id);
      const token = crypto.randomUUID();
      const reply = await redis.send(key, [
        'SET',
        key,
        token,
        'NX',
        'PX',
        String(Math.max(1, Math.round(ttlMs))),
      ]);
      return reply === 'OK' ? token : undefined;
    },

    async releaseLock(tenant, id, token) {
      const key = keys.lock(tenant, id);
      await redis.send(key, ['EVAL', RELEASE_LOCK, '1', key, token]);
    },

    async addCounters(tenant, counters) {
      const key = keys.counters(tenant);
      const commands = Object.entries(counters)
        .filter(([, value]) => value !== 0)
        .map(([name, value]) => ['HINCRBYFLOAT', key, name, String(value)]);
      if (commands.length === 0) return;
      await redis.transaction(key, [...commands, ['PEXPIRE', key, String(COUNTERS_TTL_MS)]]);
    },

    async readCounters(tenant) {
      const counterKeys: string[] = [];
      if (tenant !== undefined) counterKeys.push(keys.counters(tenant));
      else
        for await (const batch of redis.scan(keys.allCountersPattern(), 'hash')) counterKeys.push(...batch);
      const out: Record<string, Record<string, number>> = {};
      for (const key of counterKeys) {
        const flat = (await redis.send(key, ['HGETALL', key])) as string[] | Record<string, string>;
        const entries = Array.isArray(flat) ? pairsOf(flat) : Object.entries(flat);
        if (entries.length === 0) continue;
        const tenantDigest = key.slice(key.indexOf('{') + 1, key.indexOf('}'));
        out[tenantDigest] = Object.fromEntries(entries.map(([name, value]) => [name, Number(value)]));
      }
      return out;
    },

    async health(): Promise<StoreHealth> {
      const health: StoreHealth = {
        backend: redis.cluster ? 'redis-cluster' : 'redis',
        connected: false,
        queryEngine: useIndex(),
      };
      try {
        await redis.send(undefined, ['PING']);
        health.connected = true;
        const memory = String(await redis.send(undefined, ['INFO', 'memory']));
        const used = /used_memory:(\d+)/.exec(memory);
        if (used) health.memoryBytes = Number(used[1]);
        if (useIndex()) {
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
  return store;
}

function pairsOf(flat: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i] as string, flat[i + 1] as string]);
  return out;
}
