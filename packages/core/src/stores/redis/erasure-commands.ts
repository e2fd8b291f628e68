// The commands of a user's erasure (forgetUser). Its sweep pops ids from a set of their own, taken
// from the user's member set when it begins: writes for the user that go on arriving (an active
// user) add to a new member set, so the sweep ends. Popping the live member set instead chased
// them: with writes landing during every round trip, forgetUser ran until its deadline.

/**
 * KEYS[1]: the user's member set; KEYS[2]: the ids being erased. Moves the first into the second,
 * merged with ids an unfinished erasure left there (a crash, a deadline, a concurrent call), with
 * the longer TTL of the two: a set that lists entries lives as long as they may. Returns 1 when
 * there was anything to move.
 */
const TAKE_MEMBERS = `if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('RENAME', KEYS[1], KEYS[2])
  return 1
end
local ttl = math.max(redis.call('PTTL', KEYS[1]), redis.call('PTTL', KEYS[2]))
redis.call('SUNIONSTORE', KEYS[2], KEYS[1], KEYS[2])
redis.call('DEL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
return 1`;

/** Both keys in the tenant's slot. */
export function takeMembersArgs(members: string, erasing: string): string[] {
  return ['EVAL', TAKE_MEMBERS, '2', members, erasing];
}
