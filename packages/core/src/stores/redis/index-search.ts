// Where the index lives and where an FT.SEARCH goes.
//
// One Redis: one index over every entry, queried directly.
//
// A Redis Cluster of masters with the Query Engine but no search coordinator (OSS cluster, Redis
// Stack 7.4): each master indexes only its own keys, and RediSearch declares the index NAME as the
// command's key, so a master answers FT.* for a name only when it owns the name's hash slot (any
// other replies MOVED). One name shared by all masters therefore cannot work. Each tenant gets its
// own index instead, named `<indexName>:{tenantDigest}` over the prefix `<prefix>{tenantDigest}:`:
// name and entries share the tenant's slot, so the master that owns the slot holds both, answers
// the tenant's KNN completely, and a resharding moves the tenant's entries to where its index
// name now points (the index is created there on first use, and indexes the entries it finds).
// Our own slot map routes each query; MOVED refreshes the map and asks again; ASK (the slot is
// migrating and the name is not a key on the source) asks the target with ASKING, which answers
// for the entries already moved: during a migration a lookup can miss, never answer wrongly.
import type { RedisConnection } from './connection.js';
import type { IndexSpec } from './create-index.js';
import { parseIndexInfo } from './index-info.js';
import { ensureNodeIndex, type SendToNode } from './index-manager.js';
import { parseSearchReply, type SearchReply } from './knn-query.js';
import { indexInfoArgs, LIST_INDEXES } from './server-commands.js';

type Args = (string | Buffer)[];

export interface IndexSearch {
  /** Before a tenant's first write from this process: its index exists (a no-op on one Redis). */
  prepareTenant(tenant: string): Promise<void>;
  /** An FT.SEARCH about one tenant's entries; `build` gets the name of the index to query. */
  forTenant(tenant: string, build: (indexName: string) => Args): Promise<SearchReply>;
  /** Entries in the index a tenant's FT.SEARCH goes to (FT.INFO num_docs): the one index, or the tenant's. */
  indexEntries(tenant: string): Promise<number>;
  /** An FT.SEARCH over every entry (every tenant index on a cluster): totals summed, documents merged. */
  everywhere(build: (indexName: string) => Args): Promise<SearchReply>;
}

/** Redirects followed for one command before giving up (each refreshes the slot map). */
const MAX_REDIRECTS = 3;
/** Vector block of a tenant index: RediSearch allocates one block per index up front. */
export const TENANT_INDEX_BLOCK_SIZE = 128;

/** The index of one tenant on a cluster: its name and prefix carry the tenant's hash tag. */
export function tenantIndexSpec(spec: IndexSpec, tenant: string): IndexSpec {
  return {
    ...spec,
    indexName: `${spec.indexName}:{${tenant}}`,
    prefix: `${spec.prefix}{${tenant}}:`,
    blockSize: spec.blockSize ?? TENANT_INDEX_BLOCK_SIZE,
  };
}

export function indexSearch(redis: RedisConnection, spec: () => IndexSpec | undefined): IndexSearch {
  const current = () => {
    const index = spec();
    if (!index) throw new Error('index-search: no index in use');
    return index;
  };
  /** Runs `work`; a missing index (restarted or flushed server, new owner) is created, then asked again. */
  const withIndex = async <T>(send: SendToNode, index: IndexSpec, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (!/no such index|unknown index/i.test(String(error))) throw error;
      await ensureNodeIndex(send, index);
      return work();
    }
  };
  const prepared = new Set<string>();

  /** Runs `work` against the master owning `key`'s slot, following MOVED and ASK. */
  const routed = async <T>(key: string, work: (send: SendToNode) => Promise<T>): Promise<T> => {
    const shards = redis.shards;
    if (!shards) return work((args) => redis.send(undefined, args));
    for (let redirects = 0; ; redirects++) {
      const owner = await shards.ownerOf(key);
      try {
        return await work((args) => owner.send(args));
      } catch (error) {
        const redirect = parseRedirect(error);
        if (!redirect || redirects >= MAX_REDIRECTS) throw error;
        const target = redirect.kind === 'ASK' ? await shards.byAddress(redirect.address) : undefined;
        if (!target) {
          await shards.refresh(key);
          continue;
        }
        // ASKING is one-shot and node-redis keeps a connection's order: each command gets its own.
        return work(async (args) => (await Promise.all([target.send(['ASKING']), target.send(args)]))[1]);
      }
    }
  };

  return {
    async prepareTenant(tenant) {
      if (!redis.shards || prepared.has(tenant)) return;
      const index = tenantIndexSpec(current(), tenant);
      await routed(index.indexName, (send) => ensureNodeIndex(send, index));
      prepared.add(tenant);
    },

    forTenant(tenant, build) {
      const index = redis.shards ? tenantIndexSpec(current(), tenant) : current();
      return routed(index.indexName, (send) =>
        withIndex(send, index, async () => parseSearchReply(await send(build(index.indexName)))),
      );
    },

    indexEntries(tenant) {
      const index = redis.shards ? tenantIndexSpec(current(), tenant) : current();
      return routed(index.indexName, (send) =>
        withIndex(
          send,
          index,
          async () => parseIndexInfo(await send(indexInfoArgs(index.indexName))).documents,
        ),
      );
    },

    async everywhere(build) {
      const shards = redis.shards;
      const index = current();
      if (!shards)
        return withIndex(
          (args) => redis.send(undefined, args),
          index,
          async () => parseSearchReply(await redis.send(undefined, build(index.indexName))),
        );
      const replies: SearchReply[] = [];
      const tenantIndex = new RegExp(`^${escapeRegExp(index.indexName)}:\\{[0-9a-f]+\\}$`);
      for (const master of await shards.masters()) {
        const names = ((await master.send(LIST_INDEXES)) as string[])
          .map(String)
          .filter((name) => tenantIndex.test(name));
        for (const name of names) {
          try {
            replies.push(parseSearchReply(await master.send(build(name))));
          } catch (error) {
            // An index left behind by a resharding: its name (and entries) now live elsewhere.
            if (!parseRedirect(error)) throw error;
          }
        }
      }
      return mergeReplies(replies);
    },
  };
}

/** `MOVED 3999 127.0.0.1:6381` / `ASK 3999 127.0.0.1:6381` -> kind and address. */
export function parseRedirect(error: unknown): { kind: 'MOVED' | 'ASK'; address: string } | undefined {
  const match = /^(MOVED|ASK) \d+ (\S+)/.exec(error instanceof Error ? error.message : String(error));
  return match ? { kind: match[1] as 'MOVED' | 'ASK', address: match[2] as string } : undefined;
}

/** Replies of several indexes -> one: totals summed, documents concatenated. */
export function mergeReplies(replies: SearchReply[]): SearchReply {
  return {
    total: replies.reduce((sum, reply) => sum + reply.total, 0),
    documents: replies.flatMap((reply) => reply.documents),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
