// The one guarded path to storage. Every call the caches make goes through here, which does, once:
// wait for the store to be ready (a store that is not ready answers with the fallback), the
// deadline, the circuit breaker, the fallback and the error report (guard.ts). The caches never
// touch a Store directly, so none of them can forget a step.
//
// The methods are the Store's own; what changes is the answer on trouble: the fallback named
// beside each (a miss, nothing written, nothing deleted), or a DejaStoreError when strict.
import type { Guard } from '../guard.js';
import type {
  BytesWriteOptions,
  KnnMatch,
  KnnQuery,
  ListOptions,
  ListPage,
  Store,
  StoreCapabilities,
  StoredEntry,
  StoreEntry,
  StoreHealth,
} from './types.js';

export interface GuardedStoreOptions {
  store: Store;
  guard: Guard;
  /** Resolves true once the store is initialised, false when it is not (now); throws on misuse. */
  ready(): Promise<boolean>;
  /** True once initialised, without a wait (the hot path skips ready()'s promise then). */
  initialised?(): boolean;
  /** Deadline of calls that walk a tenant's keys (clear, forgetUser, count), ms. */
  sweepTimeoutMs: number;
}

/** What became of a write: written, refused by a forgetUser that came after it began, or not made. */
export type PutOutcome = 'written' | 'user-erased' | 'unavailable';

/** What forgetUser did: `complete` false when the store had not finished within the deadline. */
export interface ForgetUserResult {
  /** Entries deleted (when incomplete: those deleted before the deadline, as far as the store told). */
  deleted: number;
  complete: boolean;
}

export interface GuardedStore {
  readonly name: string;
  readonly capabilities: StoreCapabilities;
  put(entry: StoreEntry, ttlMs: number): Promise<PutOutcome>;
  get(tenant: string, id: string): Promise<StoredEntry | undefined>;
  delete(tenant: string, id: string): Promise<boolean>;
  /** [] when unavailable. */
  knn(query: KnnQuery): Promise<KnnMatch[]>;
  /** 0 when unavailable. */
  clearTenant(tenant: string): Promise<number>;
  /**
   * `{ deleted, complete: false }` when the store did not finish within the deadline (it may
   * still be erasing: call again) or was unavailable.
   */
  forgetUser(tenant: string, user: string): Promise<ForgetUserResult>;
  /** True when the store can invalidate by tag (has deleteTagged): deja refuses tags otherwise. */
  readonly tags: boolean;
  /**
   * Deletes a tenant's entries carrying a tag (digest); `complete` false as for forgetUser. Throws
   * (a bug, not store trouble) when the store cannot: callers check `tags` first.
   */
  deleteTagged(tenant: string, tag: string): Promise<ForgetUserResult>;
  /** undefined when unavailable. */
  count(tenant?: string): Promise<number | undefined>;
  /** Sends the store's touch, when it has one; never throws (trouble goes to onError). */
  touch(entry: StoredEntry, ttlMs: number): Promise<void>;
  /** True when the store can list a tenant's entries (has list). */
  readonly listing: boolean;
  /** undefined when unavailable; throws (a bug) when the store cannot list: check `listing`. */
  list(tenant: string, options: ListOptions): Promise<ListPage | undefined>;
  /** A token; undefined when another process holds the lock; null when there is no usable lock. */
  acquireLock(tenant: string, id: string, ttlMs: number): Promise<string | undefined | null>;
  releaseLock(tenant: string, id: string, token: string): Promise<void>;
  /** Nothing when the store keeps no counters or is unavailable. */
  addCounters(owner: string, counters: Record<string, number>): Promise<void>;
  /**
   * The counters of several owners as ONE guarded operation (one in-flight slot, one deadline):
   * the writes leave together and pipeline on the connection. For the background stats flush.
   */
  addCountersBatch(items: { owner: string; counters: Record<string, number> }[]): Promise<void>;
  /** {} when the store keeps no counters or is unavailable. */
  readCounters(owner?: string): Promise<Record<string, Record<string, number>>>;
  /** The key of a tenant's byte value; undefined when the store keeps no byte values. */
  /** Key names may need the initialised store (a Redis store reads its namespace secret): call after ready(). */
  bytesKey(tenant: string, name: string, user?: string): string | undefined;
  /** True once the store is initialised (waits for it, within the init deadline). */
  ready(): Promise<boolean>;
  /** [] when unavailable (every value reads as missing). */
  getBytes(keys: string[]): Promise<(Uint8Array | undefined)[]>;
  setBytes(
    items: { key: string; value: Uint8Array }[],
    ttlMs: number,
    options?: BytesWriteOptions,
  ): Promise<void>;
  /** Store's health report; a minimal one for a store that has no health(). */
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}

export function guardedStore(options: GuardedStoreOptions): GuardedStore {
  const { store, guard, ready, sweepTimeoutMs } = options;
  const isReady = options.initialised ?? (() => false);
  const guarded = async <T>(
    name: string,
    operation: () => Promise<T>,
    fallback: T,
    timeoutMs?: number,
  ): Promise<T> => {
    if (!isReady() && !(await ready())) return fallback;
    return guard.run(name, operation, fallback, { timeoutMs });
  };
  const { locks, counters, bytes } = store;
  /** A sweep within the sweep deadline, counted as the store goes: a deadline reports what was deleted. */
  const sweep = async (
    name: string,
    run: (onDeleted: (count: number) => void) => Promise<number>,
  ): Promise<ForgetUserResult> => {
    let deletedSoFar = 0;
    const onDeleted = (count: number) => {
      deletedSoFar += count;
    };
    const deleted = await guarded<number | undefined>(name, () => run(onDeleted), undefined, sweepTimeoutMs);
    return deleted === undefined ? { deleted: deletedSoFar, complete: false } : { deleted, complete: true };
  };

  return {
    name: store.name,
    get capabilities() {
      return store.capabilities;
    },
    put: (entry, ttlMs) =>
      guarded<PutOutcome>(
        'put',
        () => store.put(entry, ttlMs).then((written) => (written === false ? 'user-erased' : 'written')),
        'unavailable',
      ),
    get: (tenant, id) => guarded('get', () => store.get(tenant, id), undefined),
    delete: (tenant, id) => guarded('delete', () => store.delete(tenant, id), false),
    knn: (query) => guarded('knn', () => store.knn(query), []),
    clearTenant: (tenant) => guarded('clear', () => store.clearTenant(tenant), 0, sweepTimeoutMs),
    forgetUser: (tenant, user) =>
      sweep('forgetUser', (onDeleted) => store.forgetUser(tenant, user, { onDeleted })),
    tags: typeof store.deleteTagged === 'function',
    deleteTagged(tenant, tag) {
      const { deleteTagged } = store;
      if (!deleteTagged) throw new Error(`guarded-store: ${store.name} has no deleteTagged`);
      return sweep('invalidateTag', (onDeleted) => deleteTagged.call(store, tenant, tag, { onDeleted }));
    },
    touch: async (entry, ttlMs) => {
      const { touch } = store;
      if (touch) await guarded('touch', () => touch.call(store, entry, ttlMs), undefined);
    },
    listing: typeof store.list === 'function',
    list(tenant, listOptions) {
      const { list } = store;
      if (!list) throw new Error(`guarded-store: ${store.name} has no list`);
      return guarded<ListPage | undefined>(
        'list',
        () => list.call(store, tenant, listOptions),
        undefined,
        sweepTimeoutMs,
      );
    },
    count: (tenant) =>
      guarded<number | undefined>('count', () => store.count(tenant), undefined, sweepTimeoutMs),

    acquireLock: async (tenant, id, ttlMs) =>
      locks
        ? guarded<string | undefined | null>('acquire lock', () => locks.acquire(tenant, id, ttlMs), null)
        : null,
    releaseLock: async (tenant, id, token) => {
      if (locks) await guarded('release lock', () => locks.release(tenant, id, token), undefined);
    },

    addCounters: async (owner, values) => {
      if (counters) await guarded('counters write', () => counters.add(owner, values), undefined);
    },
    addCountersBatch: async (items) => {
      if (!counters || items.length === 0) return;
      await guarded(
        'counters write',
        async () => {
          await Promise.all(items.map((item) => counters.add(item.owner, item.counters)));
        },
        undefined,
      );
    },
    readCounters: async (owner) =>
      counters ? guarded('counters read', () => counters.read(owner), {}, sweepTimeoutMs) : {},

    bytesKey: (tenant, name, user) => bytes?.key(tenant, name, user),
    ready,
    getBytes: async (keys) => (bytes ? guarded('bytes read', () => bytes.get(keys), []) : []),
    setBytes: async (items, ttlMs, options) => {
      if (bytes) await guarded('bytes write', () => bytes.set(items, ttlMs, options), undefined);
    },

    health: async () =>
      store.health
        ? store.health()
        : { backend: store.name, connected: true, queryEngine: store.capabilities.semantic === 'index' },
    close: async () => {
      await store.close?.();
    },
  };
}
