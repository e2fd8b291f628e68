// The entry operations of the Redis store: put, get, delete, KNN (index or client-side scan),
// clear a tenant, forget a user, count. Every command comes from a pure builder.
import { similarityFromDistance, vectorToBytes } from '../../vectors.js';
import type { KnnMatch, Store } from '../types.js';
import type { RedisConnection } from './connection.js';
import type { IndexSpec } from './create-index.js';
import { deleteKeysArgs, getEntryArgs, putEntryCommands } from './entry-commands.js';
import { decodeEntryFields } from './entry-schema.js';
import { indexSearch } from './index-search.js';
import type { KeyLayout } from './keys.js';
import { countEntriesArgs, DISTANCE_FIELD, knnQueryArgs, userEntriesQueryArgs } from './knn-query.js';
import { scanKnn } from './scan-knn.js';
import { popMembersArgs } from './server-commands.js';

export interface EntriesState {
  /** The index this process uses, once init() decided there is one; undefined: client-side scan. */
  index(): IndexSpec | undefined;
}

type EntryOperations = Pick<Store, 'put' | 'get' | 'delete' | 'knn' | 'clearTenant' | 'forgetUser' | 'count'>;

export function redisEntries(
  redis: RedisConnection,
  keys: KeyLayout,
  prefix: string,
  state: EntriesState,
): EntryOperations {
  const deleteKeysMatching = async (patterns: string[]): Promise<number> => {
    let deleted = 0;
    for (const pattern of patterns) {
      for await (const batch of redis.scan(pattern)) {
        // One DEL per key: in a cluster they may sit in different slots.
        const results = await Promise.all(batch.map((key) => redis.send(key, deleteKeysArgs([key]))));
        if (pattern === patterns[0])
          deleted += results.reduce<number>((sum, count) => sum + Number(count), 0);
      }
    }
    return deleted;
  };

  // FT.SEARCH goes to the shard that holds the tenant's entries (index-search.ts).
  const search = indexSearch(redis, state.index);

  return {
    async put(entry, ttlMs) {
      const key = keys.entry(entry.tenant, entry.id);
      if (state.index()) await search.prepareTenant(entry.tenant);
      await redis.transaction(key, putEntryCommands(keys, entry, ttlMs, state.index() === undefined));
    },

    async get(tenant, id) {
      const key = keys.entry(tenant, id);
      return decodeEntryFields(id, (await redis.send(key, getEntryArgs(key))) as (string | null)[]);
    },

    async delete(tenant, id) {
      const key = keys.entry(tenant, id);
      return Number(await redis.send(key, deleteKeysArgs([key]))) > 0;
    },

    async knn(query) {
      const index = state.index();
      if (!index) return scanKnn(redis, keys, query);
      const vector = vectorToBytes(query.vector);
      const args = (indexName: string) =>
        knnQueryArgs({ indexName, ...query, vector, efRuntime: index.hnsw?.efRuntime });
      const matches: KnnMatch[] = [];
      for (const { key, fields } of (await search.forTenant(query.tenant, args)).documents) {
        const entry = decodeEntryFields(keys.idOf(key, query.tenant), fields);
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
        const ids = (await redis.send(members, popMembersArgs(members, 500))) as string[] | null;
        if (!ids || ids.length === 0) break;
        deleted += Number(await redis.send(members, deleteKeysArgs(ids.map((id) => keys.entry(tenant, id)))));
      }
      // The index also knows the user's entries: it finds any whose member set was evicted or lost.
      // Only those written before this call, so writes racing with it cannot keep it going.
      const index = state.index();
      while (index) {
        const args = (indexName: string) => userEntriesQueryArgs(indexName, tenant, user, startedAt, 500);
        const stragglers = (await search.forTenant(tenant, args)).documents.map((document) => document.key);
        if (stragglers.length === 0) break;
        deleted += Number(await redis.send(members, deleteKeysArgs(stragglers)));
      }
      return deleted;
    },

    async count(tenant) {
      const index = state.index();
      if (index)
        return (
          tenant === undefined
            ? await search.everywhere((indexName) => countEntriesArgs(indexName))
            : await search.forTenant(tenant, (indexName) => countEntriesArgs(indexName, tenant))
        ).total;
      let total = 0;
      const pattern = tenant === undefined ? keys.entryPattern() : (keys.tenantPatterns(tenant)[0] as string);
      for await (const batch of redis.scan(pattern, 'hash'))
        total += batch.filter((key) => key.startsWith(prefix)).length;
      return total;
    },
  };
}
