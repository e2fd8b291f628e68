// KNN on Redis 8 without the Query Engine: one VSIM on the vector set of the query's (tenant, scope,
// user, model) (vector-set-commands.ts), then the entries of the nearest ids, read best first in
// pipelined batches until k are found. An id whose entry is gone, no longer names this set
// (replaced without a vector, or under another scope or model) or is not this namespace's is
// skipped, and pruned from the set in the background by a script that removes it only if its
// entry still does not name the set (so a write racing with the lookup keeps its element).
import type { KnnMatch, KnnQuery, StoredEntry, StoreProblem } from '../types.js';
import type { RedisConnection } from './connection.js';
import type { KeyLayout } from './keys.js';
import type { DecodeEntry } from './scan-knn.js';
import {
  entryInSetArgs,
  parseSimilarReply,
  pruneElementsArgs,
  similarArgs,
  vectorSetKey,
} from './vector-set-commands.js';

/**
 * Candidates asked of VSIM beyond k: room for ids whose entry expired or was deleted before a
 * lookup pruned them, so a few of those do not turn a hit into a miss.
 */
const STALE_ROOM = 8;

export async function vectorSetKnn(
  redis: RedisConnection,
  keys: KeyLayout,
  query: KnnQuery,
  decode: DecodeEntry,
  report?: (problem: StoreProblem) => void,
): Promise<KnnMatch[]> {
  const key = vectorSetKey(keys, query, query.vector.length);
  const candidates = parseSimilarReply(
    await redis.send(key, similarArgs(key, query.vector, query.k + STALE_ROOM)),
  );
  const matches: KnnMatch[] = [];
  const stale: { key: string; id: string }[] = [];
  for (let from = 0; from < candidates.length && matches.length < query.k; from += query.k) {
    const batch = candidates.slice(from, from + query.k);
    const reads = await Promise.all(
      batch.map(({ id }) => {
        const entryKey = keys.entry(query.tenant, id);
        return redis.send(entryKey, entryInSetArgs(entryKey)) as Promise<(string | null)[]>;
      }),
    );
    for (const [i, { id, similarity }] of batch.entries()) {
      const fields = reads[i] as (string | null)[];
      const entry = decode(id, fields.slice(0, -1));
      const inThisSet = fields.at(-1) === key;
      if (typeof entry === 'string')
        report?.({
          kind: 'corrupt-entry',
          operation: 'knn',
          error: new Error(
            `${keys.entry(query.tenant, id)} was not written by this deja (prefix/namespace); left alone`,
          ),
        });
      if (entry && typeof entry !== 'string' && inThisSet && samePlace(entry, query)) {
        if (matches.length < query.k) matches.push({ entry, similarity });
      } else {
        stale.push({ key: keys.entry(query.tenant, id), id });
      }
    }
  }
  // Best effort: a failed prune leaves the ids for the next lookup, which skips them again.
  if (stale.length > 0) redis.send(key, pruneElementsArgs(key, stale)).catch(() => undefined);
  return matches;
}

/** The entry is of the query's place: an id reused under another scope, user or model is not. */
function samePlace(entry: StoredEntry, query: KnnQuery): boolean {
  return (
    entry.tenant === query.tenant &&
    entry.scope === query.scope &&
    entry.user === query.user &&
    entry.model === query.model
  );
}
