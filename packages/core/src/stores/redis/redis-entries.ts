// The entry operations of the Redis store: put, get, delete, KNN (index, vector set or client-side scan),
// clear a tenant, forget a user, count. Every command comes from a pure builder. Only entries of
// this namespace (their `ns` field) are read, counted or deleted; a hash someone else put under the
// prefix is skipped, and reported when it sits where one of ours would.
import { similarityFromDistance, vectorToBytes } from '../../vectors.js';
import { ERASURE_FENCE_MS, type KnnMatch, type Store, type StoreProblem } from '../types.js';
import type { RedisConnection } from './connection.js';
import {
  deleteKeysArgs,
  deleteOwnEntriesArgs,
  fencedWriteArgs,
  getEntryArgs,
  putEntryCommands,
  SEMANTIC_PATH,
} from './entry-commands.js';
import { decodeEntryFields, FOREIGN } from './entry-schema.js';
import { setFenceArgs, TAKE_BUSY, takeMembersArgs } from './erasure-commands.js';
import { type IndexSearch, indexSearch } from './index-search.js';
import type { IndexWatch } from './index-watch.js';
import type { KeyLayout } from './keys.js';
import { knnPolicy } from './knn-policy.js';
import {
  countEntriesArgs,
  DISTANCE_FIELD,
  knnBucket,
  knnQueryArgs,
  type SearchReply,
  userEntriesQueryArgs,
} from './knn-query.js';
import { redisDeleteTagged } from './redis-tags.js';
import { scanKnn } from './scan-knn.js';
import { popMembersArgs, setMembersArgs } from './server-commands.js';
import { vectorSetKnn } from './vector-set-knn.js';

export interface EntriesState {
  keys(): KeyLayout;
  /** This namespace's marker (hex), written in every entry's `ns` field. */
  ns: string;
  index: IndexWatch;
  /** True once init() found vector sets and no Query Engine (Redis 8): KNN by VSIM. */
  vectorSets(): boolean;
  report(problem: StoreProblem): void;
}

type EntryOperations = Pick<
  Store,
  'put' | 'get' | 'delete' | 'knn' | 'clearTenant' | 'forgetUser' | 'count'
> &
  Required<Pick<Store, 'deleteTagged'>>;

const BATCH = 500;

export function redisEntries(redis: RedisConnection, state: EntriesState): EntryOperations {
  const { ns, index } = state;
  const keys = () => state.keys();
  const foreign = (operation: string, key: string) =>
    state.report({
      kind: 'corrupt-entry',
      operation,
      error: new Error(`${key} was not written by this deja (prefix/namespace); left alone`),
    });

  /** Deletes this namespace's entries among `entryKeys` (one tenant's); returns how many. */
  const deleteOwn = async (entryKeys: string[]): Promise<number> => {
    if (entryKeys.length === 0) return 0;
    return Number(await redis.send(entryKeys[0], deleteOwnEntriesArgs(entryKeys, ns)));
  };

  // FT.SEARCH goes to the shard that holds the tenant's entries (index-search.ts).
  const searches: IndexSearch = indexSearch(redis, () => index.spec());
  const policy = knnPolicy(redis, searches, index, state.report);
  /**
   * FT.SEARCH about one tenant (or every entry); undefined when the index is not usable now (it
   * changed under this process: the semantic tier is off, index-watch.ts).
   */
  const search = async (
    tenant: string | undefined,
    args: (indexName: string) => (string | Buffer)[],
  ): Promise<SearchReply | undefined> => {
    if (!(await index.usable())) return undefined;
    const run = () => (tenant === undefined ? searches.everywhere(args) : searches.forTenant(tenant, args));
    try {
      return await run();
    } catch (error) {
      if (!(await index.failed(error))) return undefined;
      return run();
    }
  };

  /** Entries of this namespace under SCAN pattern `pattern`, batch by batch (one tenant's per batch when the pattern is a tenant's). */
  const countByScan = async (pattern: string): Promise<number> => {
    let total = 0;
    for await (const batch of redis.scan(pattern, 'hash')) {
      const marks = await Promise.all(batch.map((key) => redis.send(key, ['HGET', key, 'ns'])));
      total += marks.filter((mark) => mark === ns).length;
    }
    return total;
  };

  return {
    async put(entry, ttlMs) {
      const layout = keys();
      const key = layout.entry(entry.tenant, entry.id);
      if (index.spec()) await searches.prepareTenant(entry.tenant);
      const path = index.spec()
        ? SEMANTIC_PATH.index
        : state.vectorSets()
          ? SEMANTIC_PATH.vectorSet
          : SEMANTIC_PATH.packed;
      const commands = putEntryCommands(layout, entry, ttlMs, path, ns);
      // The user's erasure fence and each tag's invalidation fence: any later than the write's start refuses it.
      const fences = [
        layout.erased(entry.tenant, entry.user),
        ...(entry.tags ?? []).map((tag) => layout.tagFence(entry.tenant, tag)),
      ];
      return Number(await redis.send(key, fencedWriteArgs(fences, entry.createdAt, commands))) === 1;
    },

    async get(tenant, id) {
      const key = keys().entry(tenant, id);
      const entry = decodeEntryFields(
        id,
        (await redis.send(key, getEntryArgs(key))) as (string | null)[],
        ns,
      );
      if (entry !== FOREIGN) return entry;
      foreign('get', key);
      return undefined;
    },

    async delete(tenant, id) {
      return (await deleteOwn([keys().entry(tenant, id)])) > 0;
    },

    async knn(query) {
      const decode = (id: string, fields: (string | null)[]) => decodeEntryFields(id, fields, ns);
      if (state.vectorSets()) return vectorSetKnn(redis, keys(), query, decode, state.report);
      if (!index.spec()) return scanKnn(redis, keys(), query, decode, state.report);
      const vector = vectorToBytes(query.vector);
      const bucket = knnBucket(ns, query);
      // Chosen before the KNN is sent: a size refresh it starts goes out first (bucket-sizes.ts).
      const hybridPolicy = policy.choose(query.tenant, bucket);
      const efRuntime = index.spec()?.hnsw?.efRuntime;
      const reply = await search(query.tenant, (indexName) =>
        knnQueryArgs({ indexName, bucket, vector, k: query.k, efRuntime, hybridPolicy }),
      );
      if (reply === undefined) return [];
      const matches: KnnMatch[] = [];
      for (const { key, fields } of reply.documents) {
        const id = keys().idOf(key, query.tenant);
        const entry = id === undefined ? FOREIGN : decodeEntryFields(id, fields, ns);
        if (entry === FOREIGN) foreign('knn', key);
        else if (entry)
          matches.push({ entry, similarity: similarityFromDistance(Number(fields[DISTANCE_FIELD])) });
      }
      return matches;
    },

    async clearTenant(tenant) {
      const [entries, auxiliary] = keys().tenantPatterns(tenant);
      let deleted = 0;
      for await (const batch of redis.scan(entries)) deleted += await deleteOwn(batch);
      for await (const batch of redis.scan(auxiliary))
        await Promise.all(batch.map((key) => redis.send(key, deleteKeysArgs([key]))));
      return deleted;
    },

    async forgetUser(tenant, user, options) {
      const layout = keys();
      const startedAt = Date.now();
      let deleted = 0;
      const counted = (count: number) => {
        deleted += count;
        options?.onDeleted?.(count);
      };
      // The fence first: from now on a write for this user that began before this call is refused.
      const fence = layout.erased(tenant, user);
      await redis.send(fence, setFenceArgs(fence, startedAt, ERASURE_FENCE_MS));
      // The ids listed so far move to a set of their own, popped in batches; writes that keep
      // arriving list theirs in a new member set, which this call leaves alone (it would never end).
      // Ids an unfinished erasure left in that set are erased first, then the member set is taken.
      const members = layout.userMembers(tenant, user);
      const erasing = layout.userErasing(tenant, user);
      for (;;) {
        const taken = Number(await redis.send(members, takeMembersArgs(members, erasing)));
        for (;;) {
          const ids = (await redis.send(erasing, popMembersArgs(erasing, BATCH))) as string[] | null;
          if (!ids || ids.length === 0) break;
          counted(await deleteOwn(ids.map((id) => layout.entry(tenant, id))));
        }
        if (taken !== TAKE_BUSY) break;
      }
      // The index also knows the user's entries: it finds any whose member set was evicted or lost.
      // Only those written before this call, so writes racing with it cannot keep it going.
      while (index.spec()) {
        const reply = await search(tenant, (indexName) =>
          userEntriesQueryArgs(indexName, ns, tenant, user, startedAt, BATCH),
        );
        const stragglers = reply?.documents.map((document) => document.key) ?? [];
        if (stragglers.length === 0) break;
        counted(await deleteOwn(stragglers));
      }
      // What the user's prompts left besides entries: scope sets, cached vectors.
      const userKeys = layout.userKeys(tenant, user);
      const derived = ((await redis.send(userKeys, setMembersArgs(userKeys))) as string[] | null) ?? [];
      for (let start = 0; start < derived.length; start += BATCH)
        await redis.send(userKeys, deleteKeysArgs(derived.slice(start, start + BATCH)));
      await redis.send(userKeys, deleteKeysArgs([userKeys]));
      return deleted;
    },

    deleteTagged: redisDeleteTagged({
      redis,
      keys,
      ns,
      indexed: () => index.spec() !== undefined,
      search: (tenant, args) => search(tenant, args),
    }),

    async count(tenant) {
      const pattern = tenant === undefined ? keys().entryPattern() : keys().tenantPatterns(tenant)[0];
      // An index that is gone, changed or still indexing (re-created) would undercount: walk the keys.
      if (!index.spec() || !(await index.settled())) return countByScan(pattern);
      const reply = await search(tenant, (indexName) => countEntriesArgs(indexName, ns, tenant));
      // Without a usable index, count the way plain Redis does.
      return reply === undefined ? countByScan(pattern) : reply.total;
    },
  };
}
