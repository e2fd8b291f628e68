// The commands of erasure (forgetUser) and invalidation (deleteTagged) besides the deletes: the
// write fence each sets first, and forgetUser's taking of the user's member set. Both work on a
// Redis at maxmemory with noeviction, which is when erasing must not fail: they only move or
// delete, except the fence's small SET, let through after a DEL (a script that has written is not
// stopped by the memory check; see FENCED_WRITE in entry-commands.ts for the other side of it).

/**
 * KEYS[1]: the fence. ARGV[1]: when the erasure began (ms); ARGV[2]: the fence's TTL (ms). A
 * later fence already there is kept (two erasures at once: the later one's promise holds).
 */
const SET_FENCE = `local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current >= tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/** Sets a fence to `at` (ms), kept `ttlMs`: writes that began before `at` are refused from now on. */
export function setFenceArgs(fenceKey: string, at: number, ttlMs: number): string[] {
  return ['EVAL', SET_FENCE, '1', fenceKey, String(at), String(ttlMs)];
}

/** The erasing set still holds ids of an unfinished erasure: erase those first, then take again. */
export const TAKE_BUSY = -1;

/**
 * KEYS[1]: the user's member set; KEYS[2]: the ids being erased. Renames the first to the second
 * (its TTL goes with it): the sweep then pops a set that writes still arriving for the user do not
 * refill (they list theirs in a new member set), so it ends; popping the live set instead chased
 * them until the deadline. TAKE_BUSY when the second still exists (a crash, a deadline or a
 * concurrent call left it): a RENAME would drop its ids, and merging them would need memory.
 * 1 when taken, 0 when there was nothing to take.
 */
const TAKE_MEMBERS = `if redis.call('EXISTS', KEYS[2]) == 1 then return ${TAKE_BUSY} end
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('RENAME', KEYS[1], KEYS[2])
return 1`;

/** Both keys in the tenant's slot. */
export function takeMembersArgs(members: string, erasing: string): string[] {
  return ['EVAL', TAKE_MEMBERS, '2', members, erasing];
}
