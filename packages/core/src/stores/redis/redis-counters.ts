// Persisted counters on Redis: one hash per owner (a tenant digest or a reserved name), in the
// owner's slot, updated in one MULTI.
import type { StoreCounters } from '../types.js';
import type { RedisConnection } from './connection.js';
import { addCountersCommands, parseHashReply, readCountersArgs } from './counter-commands.js';
import type { KeyLayout } from './keys.js';

const HEX_DIGEST = /^[0-9a-f]{64}$/;

export function redisCounters(redis: RedisConnection, keys: KeyLayout): StoreCounters {
  return {
    async add(owner, counters) {
      const key = keys.counters(owner);
      const commands = addCountersCommands(key, counters);
      if (commands.length > 0) await redis.transaction(key, commands);
    },
    async read(owner) {
      const owners: string[] = [];
      if (owner !== undefined) owners.push(owner);
      else
        for await (const batch of redis.scan(keys.allCountersPattern(), 'hash'))
          owners.push(...batch.map(keys.counterOwner).filter((name) => HEX_DIGEST.test(name)));
      const out: Record<string, Record<string, number>> = {};
      for (const name of owners) {
        const key = keys.counters(name);
        const entries = parseHashReply(await redis.send(key, readCountersArgs(key)));
        if (entries.length > 0)
          out[name] = Object.fromEntries(entries.map(([field, value]) => [field, Number(value)]));
      }
      return out;
    },
  };
}
