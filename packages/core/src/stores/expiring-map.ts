// A Map with a TTL per key and a size bound, for the in-process store. Map iteration order is
// insertion order and a write re-inserts, so the first key is always the oldest write: the bound
// drops it first. Expired keys are removed when they are met.

export interface ExpiringMap<T> {
  get(key: string): T | undefined;
  set(key: string, value: T, ttlMs: number): void;
  delete(key: string): boolean;
  /** When the key expires (ms since the epoch); 0 when absent. */
  expiresAt(key: string): number;
  /** Live items, oldest first; expired ones met on the way are removed. */
  live(): Iterable<readonly [string, T]>;
  size(): number;
  clear(): void;
}

export function expiringMap<T>(maxSize: number): ExpiringMap<T> {
  const items = new Map<string, { value: T; expiresAt: number }>();
  return {
    get(key) {
      const item = items.get(key);
      if (!item) return undefined;
      if (item.expiresAt <= Date.now()) {
        items.delete(key);
        return undefined;
      }
      return item.value;
    },
    set(key, value, ttlMs) {
      items.delete(key);
      items.set(key, { value, expiresAt: Date.now() + ttlMs });
      while (items.size > maxSize) items.delete(items.keys().next().value as string);
    },
    delete: (key) => items.delete(key),
    expiresAt: (key) => items.get(key)?.expiresAt ?? 0,
    *live() {
      const now = Date.now();
      for (const [key, item] of items) {
        if (item.expiresAt <= now) items.delete(key);
        else yield [key, item.value] as const;
      }
    },
    size: () => items.size,
    clear: () => items.clear(),
  };
}
