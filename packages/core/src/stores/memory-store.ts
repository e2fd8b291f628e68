// In-process store: the embedded default when no Redis is configured. Same contract as Redis,
// bounded by `maxEntries` (oldest entries go first), TTLs honoured on read.
import { randomUUID } from 'node:crypto';
import { DejaConfigError } from '../errors.js';
import { cosineSimilarity } from '../vectors.js';
import type { KnnMatch, KnnQuery, Store, StoredEntry, StoreEntry } from './types.js';

export interface MemoryStoreOptions {
  /** Response entries kept at most (default 10,000); the oldest are dropped first. */
  maxEntries?: number;
  /** Byte values (embedding cache) kept at most (default 100,000). */
  maxByteValues?: number;
}

interface Expiring<T> {
  value: T;
  expiresAt: number;
}

export function memoryStore(options: MemoryStoreOptions = {}): Store {
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
  // Map iteration order is insertion order: the first key is the oldest.
  const entries = new Map<string, Expiring<StoreEntry>>();
  const bytes = new Map<string, Expiring<Uint8Array>>();
  const locks = new Map<string, Expiring<string>>();
  const counters = new Map<string, Record<string, number>>();

  const entryKey = (tenant: string, id: string) => `${tenant}:${id}`;
  const live = <T>(map: Map<string, Expiring<T>>, key: string): T | undefined => {
    const item = map.get(key);
    if (!item) return undefined;
    if (item.expiresAt <= Date.now()) {
      map.delete(key);
      return undefined;
    }
    return item.value;
  };
  const bound = <T>(map: Map<string, T>, max: number) => {
    while (map.size > max) map.delete(map.keys().next().value as string);
  };
  const withoutVector = ({ embedding: _, ...rest }: StoreEntry): StoredEntry => rest;
  const liveEntries = function* () {
    const now = Date.now();
    for (const [key, item] of entries) {
      if (item.expiresAt <= now) entries.delete(key);
      else yield [key, item.value] as const;
    }
  };
  const deleteWhere = (match: (entry: StoreEntry) => boolean) => {
    let deleted = 0;
    for (const [key, entry] of liveEntries()) {
      if (match(entry)) {
        entries.delete(key);
        deleted++;
      }
    }
    return deleted;
  };

  return {
    name: 'memory',
    capabilities: { semantic: 'scan', shared: false },
    async init() {},
    async put(entry, ttlMs) {
      const key = entryKey(entry.tenant, entry.id);
      entries.delete(key);
      entries.set(key, { value: { ...entry }, expiresAt: Date.now() + ttlMs });
      bound(entries, maxEntries);
    },
    async get(tenant, id) {
      const entry = live(entries, entryKey(tenant, id));
      return entry && withoutVector(entry);
    },
    async delete(tenant, id) {
      return entries.delete(entryKey(tenant, id));
    },
    async knn(query: KnnQuery) {
      const matches: KnnMatch[] = [];
      for (const [, entry] of liveEntries()) {
        if (entry.tenant !== query.tenant || entry.scope !== query.scope || entry.user !== query.user)
          continue;
        if (!entry.embedding) continue;
        matches.push({
          entry: withoutVector(entry),
          similarity: cosineSimilarity(query.vector, entry.embedding),
        });
      }
      return matches.sort((a, b) => b.similarity - a.similarity).slice(0, query.k);
    },
    tenantBytesKey: (tenant, name) => `${tenant}\u0000${name}`,
    async clearTenant(tenant) {
      for (const key of bytes.keys()) if (key.startsWith(`${tenant}\u0000`)) bytes.delete(key);
      return deleteWhere((entry) => entry.tenant === tenant);
    },
    async forgetUser(tenant, user) {
      return deleteWhere((entry) => entry.tenant === tenant && entry.user === user);
    },
    async count(tenant) {
      let total = 0;
      for (const [, entry] of liveEntries()) if (tenant === undefined || entry.tenant === tenant) total++;
      return total;
    },
    async getBytes(keys) {
      return keys.map((key) => live(bytes, key));
    },
    async setBytes(items, ttlMs) {
      const expiresAt = Date.now() + ttlMs;
      for (const { key, value } of items) {
        bytes.delete(key);
        bytes.set(key, { value: new Uint8Array(value), expiresAt });
      }
      bound(bytes, maxByteValues);
    },
    async acquireLock(tenant, id, ttlMs) {
      const key = entryKey(tenant, id);
      if (live(locks, key) !== undefined) return undefined;
      const token = randomUUID();
      locks.set(key, { value: token, expiresAt: Date.now() + ttlMs });
      return token;
    },
    async releaseLock(tenant, id, token) {
      const key = entryKey(tenant, id);
      if (live(locks, key) === token) locks.delete(key);
    },
    async addCounters(tenant, added) {
      const current = counters.get(tenant) ?? {};
      for (const [name, value] of Object.entries(added)) current[name] = (current[name] ?? 0) + value;
      counters.set(tenant, current);
    },
    async readCounters(tenant) {
      const out: Record<string, Record<string, number>> = {};
      for (const [key, value] of counters)
        if (tenant === undefined || key === tenant) out[key] = { ...value };
      return out;
    },
    async health() {
      return {
        backend: 'memory',
        connected: true,
        queryEngine: false,
        detail: `${entries.size} entries in process`,
      };
    },
    async close() {
      entries.clear();
      bytes.clear();
      locks.clear();
    },
  };
}
