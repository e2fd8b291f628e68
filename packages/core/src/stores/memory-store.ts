// In-process store: the embedded default when no Redis is configured. Same contract as Redis,
// bounded by `maxEntries` (oldest entries go first), TTLs honoured on read.
import { randomUUID } from 'node:crypto';
import { DejaConfigError } from '../errors.js';
import { cosineSimilarity } from '../vectors.js';
import { expiringMap } from './expiring-map.js';
import {
  ERASURE_FENCE_MS,
  type KnnMatch,
  type KnnQuery,
  type Store,
  type StoredEntry,
  type StoreEntry,
} from './types.js';

export interface MemoryStoreOptions {
  /** Response entries kept at most (default 10,000); the oldest are dropped first. */
  maxEntries?: number;
  /** Byte values (embedding cache) kept at most (default 100,000). */
  maxByteValues?: number;
}

/** The memory store provides every optional part of the contract. */
export type MemoryStore = Store &
  Required<
    Pick<Store, 'locks' | 'counters' | 'bytes' | 'health' | 'close' | 'list' | 'deleteTagged' | 'touch'>
  >;

const HEX_DIGEST = /^[0-9a-f]{64}$/;
const NO_USER = '0';

export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const maxEntries = options.maxEntries ?? 10_000;
  const maxByteValues = options.maxByteValues ?? 100_000;
  if (
    !Number.isInteger(maxEntries) ||
    maxEntries < 1 ||
    !Number.isInteger(maxByteValues) ||
    maxByteValues < 1
  ) {
    throw new DejaConfigError('memoryStore: maxEntries and maxByteValues must be positive integers');
  }
  const entries = expiringMap<StoreEntry>(maxEntries);
  const bytes = expiringMap<Uint8Array>(maxByteValues);
  const locks = expiringMap<string>(Number.POSITIVE_INFINITY);
  const counters = new Map<string, Record<string, number>>();
  /** (tenant, user) and (tenant, tag) -> when its last forgetUser / deleteTagged began: the write fences. */
  const erasures = expiringMap<number>(Number.POSITIVE_INFINITY);

  const entryKey = (tenant: string, id: string) => `${tenant}:${id}`;
  const userKey = (tenant: string, user: string) => `${tenant}\u0000u\u0000${user}\u0000`;
  const tagKey = (tenant: string, tag: string) => `${tenant}\u0000t\u0000${tag}`;
  const fencedAfter = (key: string, createdAt: number) => (erasures.get(key) ?? -Infinity) > createdAt;
  // A user's byte values sit under the user's own prefix, so forgetUser finds them.
  const bytesKey = (tenant: string, name: string, user?: string) =>
    user === undefined || user === NO_USER ? `${tenant}\u0000${name}` : `${userKey(tenant, user)}${name}`;
  const withoutVector = ({ embedding: _, ...rest }: StoreEntry): StoredEntry => rest;
  const deleteWhere = (match: (entry: StoreEntry) => boolean) => {
    let deleted = 0;
    for (const [key, entry] of entries.live()) {
      if (match(entry)) {
        entries.delete(key);
        deleted++;
      }
    }
    return deleted;
  };

  return {
    name: 'memory',
    capabilities: { semantic: 'scan', shared: false, locks: true, counters: true, bytes: true },
    async put(entry, ttlMs) {
      if (fencedAfter(userKey(entry.tenant, entry.user), entry.createdAt)) return false;
      for (const tag of entry.tags ?? [])
        if (fencedAfter(tagKey(entry.tenant, tag), entry.createdAt)) return false;
      const tags = entry.tags?.length ? { tags: [...entry.tags] } : {};
      const { tags: _, ...rest } = entry;
      entries.set(entryKey(entry.tenant, entry.id), { ...rest, ...tags }, ttlMs);
      return true;
    },
    async get(tenant, id) {
      const entry = entries.get(entryKey(tenant, id));
      return entry && withoutVector(entry);
    },
    async delete(tenant, id) {
      return entries.delete(entryKey(tenant, id));
    },
    async knn(query: KnnQuery) {
      const matches: KnnMatch[] = [];
      for (const [, entry] of entries.live()) {
        if (entry.tenant !== query.tenant || entry.scope !== query.scope || entry.user !== query.user)
          continue;
        if (!entry.embedding || entry.model !== query.model) continue;
        matches.push({
          entry: withoutVector(entry),
          similarity: cosineSimilarity(query.vector, entry.embedding),
        });
      }
      return matches.sort((a, b) => b.similarity - a.similarity).slice(0, query.k);
    },
    async clearTenant(tenant) {
      for (const [key] of bytes.live()) if (key.startsWith(bytesKey(tenant, ''))) bytes.delete(key);
      return deleteWhere((entry) => entry.tenant === tenant);
    },
    async forgetUser(tenant, user, options) {
      // The fence first: a write that began before this call can no longer land.
      erasures.set(userKey(tenant, user), Date.now(), ERASURE_FENCE_MS);
      for (const [key] of bytes.live()) if (key.startsWith(userKey(tenant, user))) bytes.delete(key);
      const deleted = deleteWhere((entry) => entry.tenant === tenant && entry.user === user);
      options?.onDeleted?.(deleted);
      return deleted;
    },
    async deleteTagged(tenant, tag, options) {
      // Writes that began in this very millisecond count as before it (a needless miss, never a stale answer).
      const fenceAt = Date.now() + 1;
      // The fence first: a write carrying the tag that began before this call can no longer land.
      erasures.set(tagKey(tenant, tag), fenceAt, ERASURE_FENCE_MS);
      const deleted = deleteWhere(
        (entry) => entry.tenant === tenant && entry.createdAt < fenceAt && !!entry.tags?.includes(tag),
      );
      options?.onDeleted?.(deleted);
      return deleted;
    },
    async touch(entry, ttlMs) {
      const key = entryKey(entry.tenant, entry.id);
      const current = entries.get(key);
      if (current && entries.expiresAt(key) < Date.now() + ttlMs) entries.set(key, current, ttlMs);
    },
    async list(tenant, { cursor, limit }) {
      // In id order, from after the last id listed: stable under writes and deletes.
      const ids: string[] = [];
      for (const [, entry] of entries.live())
        if (entry.tenant === tenant && (cursor === undefined || entry.id > cursor)) ids.push(entry.id);
      const page = ids.sort().slice(0, limit);
      const listed = page.flatMap((id) => {
        const entry = entries.get(entryKey(tenant, id));
        return entry ? [withoutVector(entry)] : [];
      });
      const last = page[page.length - 1];
      return ids.length > limit && last !== undefined
        ? { entries: listed, cursor: last }
        : { entries: listed };
    },
    async count(tenant) {
      let total = 0;
      for (const [, entry] of entries.live()) if (tenant === undefined || entry.tenant === tenant) total++;
      return total;
    },
    bytes: {
      key: bytesKey,
      async get(keys) {
        return keys.map((key) => bytes.get(key));
      },
      async set(items, ttlMs, options) {
        for (const { key, value } of items) {
          const longer = options?.keepLonger ? bytes.expiresAt(key) - Date.now() : 0;
          bytes.set(key, new Uint8Array(value), Math.max(ttlMs, longer));
        }
      },
    },
    locks: {
      async acquire(tenant, id, ttlMs) {
        const key = entryKey(tenant, id);
        if (locks.get(key) !== undefined) return undefined;
        const token = randomUUID();
        locks.set(key, token, ttlMs);
        return token;
      },
      async release(tenant, id, token) {
        const key = entryKey(tenant, id);
        if (locks.get(key) === token) locks.delete(key);
      },
    },
    counters: {
      async add(owner, added) {
        const current = counters.get(owner) ?? {};
        for (const [name, value] of Object.entries(added)) current[name] = (current[name] ?? 0) + value;
        counters.set(owner, current);
      },
      async read(owner) {
        const out: Record<string, Record<string, number>> = {};
        for (const [key, value] of counters) {
          if (owner === undefined ? HEX_DIGEST.test(key) : key === owner) out[key] = { ...value };
        }
        return out;
      },
    },
    async health() {
      return {
        backend: 'memory',
        connected: true,
        queryEngine: false,
        detail: `${entries.size()} entries in process`,
      };
    },
    async close() {
      entries.clear();
      bytes.clear();
      locks.clear();
      erasures.clear();
    },
  };
}
