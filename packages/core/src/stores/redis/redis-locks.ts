// Locks on Redis: one key per (tenant, id) in the tenant's slot, taken with SET NX PX.
import type { StoreLocks } from '../types.js';
import type { RedisConnection } from './connection.js';
import type { KeyLayout } from './keys.js';
import { acquireLockArgs, releaseLockArgs } from './lock-commands.js';

export function redisLocks(redis: RedisConnection, keys: KeyLayout): StoreLocks {
  return {
    async acquire(tenant, id, ttlMs) {
      const key = keys.lock(tenant, id);
      const token = crypto.randomUUID();
      return (await redis.send(key, acquireLockArgs(key, token, ttlMs))) === 'OK' ? token : undefined;
    },
    async release(tenant, id, token) {
      const key = keys.lock(tenant, id);
      await redis.send(key, releaseLockArgs(key, token));
    },
  };
}
