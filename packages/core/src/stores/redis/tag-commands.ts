// The commands of invalidation by tag. One script per batch of candidate entries, all in the
// tenant's slot: it deletes those that still carry the tag and were written before the
// invalidation began, and takes out of the tag's member set every id that no longer needs to be
// there (deleted, expired, replaced without the tag, or not ours), while ids of entries written
// since the invalidation began stay: they were built from the new source and must stay findable.
// A deleted entry leaves its vector set too (Redis 8 without the Query Engine; pcall: a set name
// that is not a vector set, tampered with, must not stop the sweep).
import { TAG_SEPARATOR, VECTOR_SET_FIELD } from './entry-schema.js';

/**
 * KEYS[1]: the tag's member set; KEYS[2..]: entry keys. ARGV[1]: our namespace marker; ARGV[2]:
 * the tag digest; ARGV[3]: when the invalidation began (ms); ARGV[4..]: the entries' ids, in KEYS
 * order. Returns how many entries it deleted.
 */
const DELETE_TAGGED = `local deleted = 0
local wanted = '${TAG_SEPARATOR}' .. ARGV[2] .. '${TAG_SEPARATOR}'
for i = 2, #KEYS do
  local id = ARGV[i + 2]
  local fields = redis.call('HMGET', KEYS[i], 'ns', 'tags', 'created_at', '${VECTOR_SET_FIELD}')
  local tagged = fields[1] == ARGV[1] and fields[2] and
    string.find('${TAG_SEPARATOR}' .. fields[2] .. '${TAG_SEPARATOR}', wanted, 1, true)
  if not tagged then
    redis.call('SREM', KEYS[1], id)
  elseif tonumber(fields[3] or '0') < tonumber(ARGV[3]) then
    deleted = deleted + redis.call('DEL', KEYS[i])
    redis.call('SREM', KEYS[1], id)
    if fields[4] then redis.pcall('VREM', fields[4], id) end
  end
end
return deleted`;

export interface TaggedBatch {
  /** The tag's member set (tenant slot). */
  members: string;
  /** Candidate entries: their keys and ids, in the same order. */
  entries: { key: string; id: string }[];
  ns: string;
  tag: string;
  /** When the invalidation began, ms. */
  before: number;
}

export function deleteTaggedArgs(batch: TaggedBatch): string[] {
  const { members, entries, ns, tag, before } = batch;
  return [
    'EVAL',
    DELETE_TAGGED,
    String(entries.length + 1),
    members,
    ...entries.map((entry) => entry.key),
    ns,
    tag,
    String(before),
    ...entries.map((entry) => entry.id),
  ];
}

/** SSCAN of a member set: [next cursor, members]. */
export function scanMembersArgs(key: string, cursor: string, count: number): string[] {
  return ['SSCAN', key, cursor, 'COUNT', String(count)];
}
