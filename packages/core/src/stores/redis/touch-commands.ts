// A sliding TTL's refresh: the entry's TTL grows to `ttlMs` from now (GT: never shrinks, and a key
// that is gone stays gone), and so does that of every set that must outlive it, or forgetUser and
// invalidateTag on plain Redis would no longer find an entry that a hit kept alive.
import type { StoredEntry } from '../types.js';
import type { KeyLayout } from './keys.js';
import { packedKey } from './packed-vectors.js';
import { vectorSetKey } from './vector-set-commands.js';

/**
 * `dimensions`: the vector size of the packed-vector key, when there is one (0: none);
 * `vectorSets`: the entry's vector is in a vector set (Redis 8), whose TTL must outlive it instead.
 */
export function touchCommands(
  keys: KeyLayout,
  entry: StoredEntry,
  ttlMs: number,
  dimensions: number,
  vectorSets = false,
): string[][] {
  const ttl = String(Math.max(1, Math.round(ttlMs)));
  const { tenant, user } = entry;
  const outliving = [
    keys.userMembers(tenant, user),
    keys.userKeys(tenant, user),
    ...(entry.tags ?? []).map((tag) => keys.tagMembers(tenant, tag)),
  ];
  if (vectorSets && dimensions > 0) outliving.push(vectorSetKey(keys, entry, dimensions));
  else if (entry.model !== undefined && dimensions > 0) outliving.push(packedKey(keys, entry, dimensions));
  return [keys.entry(tenant, entry.id), ...outliving].map((key) => ['PEXPIRE', key, ttl, 'GT']);
}
