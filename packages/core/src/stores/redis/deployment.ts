// What one deployment of deja keeps on its server besides entries: the namespace secret (the key
// of every keyed digest in key names) and the registry of prefixes (so two dejas never nest).
import { createHmac, randomBytes } from 'node:crypto';
import { DejaConfigError } from '../../errors.js';
import type { RedisConnection } from './connection.js';
import { type KeyLayout, PREFIX_REGISTRY_KEY, prefixesNest } from './keys.js';
import {
  addMembersArgs,
  BOOKKEEPING_TTL_MS,
  expireArgs,
  getArgs,
  setIfMissingArgs,
  setMembersArgs,
} from './server-commands.js';

/** Names whose digests are keyed are unusable before init; locks and counters name no user. */
export const unkeyed = (text: string): string => {
  throw new Error(`redisStore: ${text.split(':')[0]} names need init() first`);
};

export function keyedWith(secret: string) {
  return (text: string) => createHmac('sha256', secret).update(text).digest('hex');
}

/**
 * The namespace's secret: the first process stores a random one, every later one reads it. Read
 * first, so a Redis at maxmemory (which refuses every write) still lets a deployment start; the TTL
 * moves a year ahead at each start. Bookkeeping writes that fail are no reason to fail a start.
 */
export async function storedSecret(redis: RedisConnection, keys: KeyLayout): Promise<string> {
  const key = keys.secret();
  const existing = await redis.send(key, getArgs(key));
  if (existing == null) {
    await redis.send(key, setIfMissingArgs(key, randomBytes(32).toString('hex'), BOOKKEEPING_TTL_MS));
    return String(await redis.send(key, getArgs(key)));
  }
  await redis.send(key, expireArgs(key, BOOKKEEPING_TTL_MS)).catch(() => undefined);
  return String(existing);
}

/**
 * Refuses a prefix that nests inside another deja's on this server, or contains one: their
 * keyspaces and indexes would overlap. Every deja lists its prefix in PREFIX_REGISTRY_KEY.
 */
export async function refuseNestedPrefix(redis: RedisConnection, prefix: string): Promise<void> {
  const registered = (
    (await redis.send(PREFIX_REGISTRY_KEY, setMembersArgs(PREFIX_REGISTRY_KEY))) as string[]
  ).map(String);
  const clash = registered.find((other) => prefixesNest(prefix, other));
  if (clash !== undefined)
    throw new DejaConfigError(
      `redisStore: prefix ${JSON.stringify(prefix)} ${prefix.startsWith(clash) ? 'nests inside' : 'contains'} ` +
        `the prefix ${JSON.stringify(clash)} of another deja on this server: their entries and indexes would ` +
        `overlap. Choose a prefix that neither starts nor is the start of another (or, if that deja is gone, ` +
        `SREM ${PREFIX_REGISTRY_KEY} ${JSON.stringify(clash)}).`,
    );
  if (registered.includes(prefix)) return;
  await redis.send(PREFIX_REGISTRY_KEY, addMembersArgs(PREFIX_REGISTRY_KEY, [prefix]));
  await redis
    .send(PREFIX_REGISTRY_KEY, expireArgs(PREFIX_REGISTRY_KEY, BOOKKEEPING_TTL_MS))
    .catch(() => undefined);
}
