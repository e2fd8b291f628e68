// Byte values on Redis (the embedding cache). Read and written as raw bytes (no string decoding).
// A tenant's value is stored under a keyed name (keys.ts); a user's is also listed among the
// user's keys, so forgetUser removes it.
import type { StoreBytes } from '../types.js';
import { getBytesArgs, setBytesArgs, setBytesKeepLongerArgs } from './byte-commands.js';
import type { RedisConnection } from './connection.js';
import type { KeyLayout } from './keys.js';

export function redisBytes(redis: RedisConnection, keys: () => KeyLayout): StoreBytes {
  const asBytes = (value: unknown) => (value instanceof Uint8Array ? value : undefined);
  return {
    key: (tenant, name, user) => keys().tenantBytes(tenant, name, user),
    async get(byteKeys) {
      if (byteKeys.length === 0) return [];
      const physical = byteKeys.map((key) => keys().bytesKey(key).key);
      if (redis.cluster) {
        // Keys of several slots: one GET each, sent together (node-redis pipelines them per node).
        const values = await Promise.all(physical.map((key) => redis.send(key, getBytesArgs([key]), true)));
        return values.map(asBytes);
      }
      const reply = await redis.send(physical[0], getBytesArgs(physical), true);
      return (physical.length === 1 ? [reply] : (reply as unknown[])).map(asBytes);
    },
    async set(items, ttlMs, options) {
      const ttl = String(Math.max(1, Math.round(ttlMs)));
      // Issued in one tick: node-redis writes them as one pipeline.
      await Promise.all(
        items.map(({ key, value }) => {
          const { key: physical, userKeys } = keys().bytesKey(key);
          const write = options?.keepLonger
            ? setBytesKeepLongerArgs(physical, value, ttlMs)
            : [setBytesArgs(physical, value, ttlMs)];
          if (!userKeys)
            return write.length === 1
              ? redis.send(physical, write[0] as (string | Buffer)[])
              : redis.transaction(physical, write);
          return redis.transaction(physical, [
            ...write,
            ['SADD', userKeys, physical],
            ['PEXPIRE', userKeys, ttl, 'NX'],
            ['PEXPIRE', userKeys, ttl, 'GT'],
          ]);
        }),
      );
    },
  };
}
