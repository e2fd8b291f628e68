// Invalidation by tag on Redis. With the Query Engine, FT.SEARCH on the `tags` TAG field finds a
// tenant's tagged entries in one query per batch; then (and without it: plain Redis, a cluster
// without the Query Engine, an index that is changing) the tag's member set in the tenant's slot
// is walked, so nothing the index has not seen yet is left behind. The fence goes first: a write
// carrying the tag that began before this call is refused from then on (entry-commands.ts).
import { ERASURE_FENCE_MS, type ForgetUserOptions } from '../types.js';
import type { RedisConnection } from './connection.js';
import { setFenceArgs } from './erasure-commands.js';
import type { KeyLayout } from './keys.js';
import { type SearchReply, taggedEntriesQueryArgs } from './knn-query.js';
import { deleteTaggedArgs, scanMembersArgs } from './tag-commands.js';

export interface TaggedDeps {
  redis: RedisConnection;
  keys(): KeyLayout;
  ns: string;
  /** True when an index is in use (it may still be unusable now: `search` then says undefined). */
  indexed(): boolean;
  search(tenant: string, args: (indexName: string) => string[]): Promise<SearchReply | undefined>;
}

const BATCH = 500;

export function redisDeleteTagged(deps: TaggedDeps) {
  const { redis, ns } = deps;
  return async (tenant: string, tag: string, options?: ForgetUserOptions): Promise<number> => {
    const layout = deps.keys();
    // Writes that began in this very millisecond count as before it (a needless miss, never a stale answer).
    const before = Date.now() + 1;
    let deleted = 0;
    const members = layout.tagMembers(tenant, tag);
    const sweep = async (entries: { key: string; id: string }[]) => {
      if (entries.length === 0) return 0;
      const count = Number(
        await redis.send(members, deleteTaggedArgs({ members, entries, ns, tag, before })),
      );
      deleted += count;
      options?.onDeleted?.(count);
      return count;
    };
    const fence = layout.tagFence(tenant, tag);
    await redis.send(fence, setFenceArgs(fence, before, ERASURE_FENCE_MS));

    while (deps.indexed()) {
      const reply = await deps.search(tenant, (indexName) =>
        taggedEntriesQueryArgs(indexName, ns, tenant, tag, before, BATCH),
      );
      const found = (reply?.documents ?? []).flatMap(({ key }) => {
        const id = layout.idOf(key, tenant);
        return id === undefined ? [] : [{ key, id }];
      });
      // Nothing found, or nothing deletable among what was found: the set walk does the rest.
      if (found.length === 0 || (await sweep(found)) === 0) break;
    }

    let cursor = '0';
    do {
      const [next, ids] = (await redis.send(members, scanMembersArgs(members, cursor, BATCH))) as [
        string,
        string[],
      ];
      cursor = String(next);
      await sweep(ids.map((id) => ({ key: layout.entry(tenant, id), id })));
    } while (cursor !== '0');
    return deleted;
  };
}
