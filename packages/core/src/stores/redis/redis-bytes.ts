// Byte values on Redis (the embedding cache). Read and written as raw bytes (no string decoding).
import type { StoreBytes } from '../types.js';
import { getBytesArgs, setBytesArgs } from './byte-commands.js';
import type { RedisConnection } from './connection.js';
import type { KeyLayout } from './keys.js';

export function redisBytes(redis: RedisConnection, keys: KeyLayout): StoreBytes {
  const asBytes = (value: unknown) => (value instanceof Uint8Array ? value : undefined);
  return {
    key: (tenant, name) => keys.tenantBytes(tenant, name),
    async get(byteKeys) {
      if (byteKeys.length === 0) return [];
      if (redis.cluster) {
        // Keys of several slots: one GET each, sent together (node-redis pipelines them per node).
        const values = await Promise.all(byteKeys.map((key) => redis.send(key, getBytesArgs([key]), true)));
        return values.map(asBytes);
      }
      const reply = await redis.send(byteKeys[0], getBytesArgs(byteKeys), true);
      return (byteKeys.length === 1 ? [reply] : (reply as unknown[])).map(asBytes);
    },
    async set(items, ttlMs) {
      // Issued in one tick: node-redis writes them as one pipeline.
      await Promise.all(items.map(({ key, value }) => redis.send(key, setBytesArgs(key, value, ttlMs))));
    },
  };
}
