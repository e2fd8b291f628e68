// Lock commands: SET NX PX takes a lock; a script releases it only for the token that holds it
// (a plain DEL could release a lock that expired and was taken by another process).

const RELEASE_IF_OWNER =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

export function acquireLockArgs(key: string, token: string, ttlMs: number): string[] {
  return ['SET', key, token, 'NX', 'PX', String(Math.max(1, Math.round(ttlMs)))];
}

export function releaseLockArgs(key: string, token: string): string[] {
  return ['EVAL', RELEASE_IF_OWNER, '1', key, token];
}
