// The storage contract. A Store is the only thing in deja that touches storage; the caches are
// written against it through one guarded wrapper (guarded-store.ts), and one conformance suite
// (`storeConformanceSuite` in @deja/core/testing) checks any implementation, ours or yours.
//
// Required: the entry operations. Optional: locks, counters, byte values and health, each declared
// in `capabilities` and present exactly when declared. Without one, deja does without it: no
// cross-process lock (in-process single-flight remains), no persisted stats or shared evidence,
// no embedding cache, a health report without server details.
//
// Tenant, user and scope arrive as hex digests, never as raw user input.

/** One cached response. */
export interface StoreEntry {
  /** sha256 hex of the exact key material: the entry's identity within its tenant. */
  id: string;
  /** Hex digest of the tenant id. */
  tenant: string;
  /** Hex digest of the user id, or NO_USER ('0'). */
  user: string;
  /** Hex digest of the non-semantic context; semantic matches never cross scopes. */
  scope: string;
  /** The text that was embedded (kept for inspection); '' for exact-only entries. */
  text: string;
  /** Present for entries that take part in semantic lookup. */
  embedding?: Float32Array;
  /** Encoded payload (see payload.ts); validated by the cache on read, opaque to the store. */
  response: string;
  /** Encoded metadata JSON (model, usage, custom fields). */
  meta: string;
  /**
   * When the operation that produced the entry began, ms since the epoch (a write that began
   * before the user's last forgetUser is refused: see `put`).
   */
  createdAt: number;
  /**
   * Hex digest of the embedder (model id and dimension) that made `embedding`; a KNN query only
   * meets entries of its own model, so vectors of two models are never compared.
   */
  model?: string;
  /**
   * Hex digests of the entry's tags (what its answer was built from); `deleteTagged` drops every
   * entry of a tenant carrying one. Absent or empty: no tags.
   */
  tags?: string[];
}

/** What `get` and `knn` return: everything but the vector, which callers never need back. */
export type StoredEntry = Omit<StoreEntry, 'embedding'>;

export interface KnnQuery {
  tenant: string;
  scope: string;
  user: string;
  vector: Float32Array;
  k: number;
  /** Only entries written with this model (StoreEntry.model); undefined matches undefined. */
  model?: string;
}

export interface KnnMatch {
  entry: StoredEntry;
  /** Cosine similarity in [0, 1]. */
  similarity: number;
}

export interface StoreCapabilities {
  /**
   * 'index': a server-side vector index (the Query Engine); 'vector-set': a server-side vector set
   * per (tenant, scope, user, model) (Redis 8 without the Query Engine); 'scan': client-side cosine
   * over one (tenant, scope, user).
   */
  semantic: 'index' | 'vector-set' | 'scan';
  /** True when several processes see the same data (and a lock means something across them). */
  shared: boolean;
  /** `locks` is present. */
  locks: boolean;
  /** `counters` is present. */
  counters: boolean;
  /** `bytes` is present. */
  bytes: boolean;
}

export interface StoreHealth {
  backend: string;
  connected: boolean;
  queryEngine: boolean;
  /** 'mismatched': an index of that name exists with another schema (re-created by an operator). */
  index?: { name: string; state: 'ready' | 'missing' | 'indexing' | 'mismatched'; documents?: number };
  memoryBytes?: number;
  detail?: string;
}

/** Something a store noticed and handled on its own (it answered as if the data was not there). */
export interface StoreProblem {
  /** 'corrupt-entry': data deja did not write, or cannot use; 'store': the store changed under it. */
  kind: 'corrupt-entry' | 'store';
  operation: string;
  error: Error;
}

export interface StoreInitOptions {
  /** Vector dimension of the embedder in use; 0 when there is none (exact and byte values only). */
  dimensions: number;
  /** Where the store reports what it skipped or noticed (deja passes these to onError). */
  report?(problem: StoreProblem): void;
}

/** Options of one forgetUser call. */
export interface ForgetUserOptions {
  /** Called with each batch of entries deleted, so a caller that stops waiting knows how many. */
  onDeleted?(count: number): void;
}

/** One page of a tenant's entries (`Store.list`). */
export interface ListOptions {
  /** Where the previous page ended (its `cursor`); absent: from the start. */
  cursor?: string;
  /** Entries wanted; a store may return somewhat more or fewer (never 0 with a cursor unless done). */
  limit: number;
}

export interface ListPage {
  entries: StoredEntry[];
  /**
   * Where to go on; absent when the listing is done. Letters, digits, '_' and '-' only, at most
   * 200 characters. Entries present for the whole listing are listed at least once; entries
   * written or deleted meanwhile may or may not be.
   */
  cursor?: string;
}

/** How long a forgetUser fences writes that began before it (see `put`), ms. */
export const ERASURE_FENCE_MS = 24 * 3_600_000;

/** A lock per (tenant, id): several processes computing one miss compute it once. */
export interface StoreLocks {
  /** Takes the lock for `ttlMs`; returns a token, or undefined when someone else holds it. */
  acquire(tenant: string, id: string, ttlMs: number): Promise<string | undefined>;
  /** Releases the lock only when `token` still owns it. */
  release(tenant: string, id: string, token: string): Promise<void>;
}

/** Additive counters that outlive the process (stats, shared evidence). */
export interface StoreCounters {
  /**
   * Adds to the counters of `owner`: a tenant digest, or a reserved name that is not a hex digest
   * (such as 'evidence'), which `read()` without an owner leaves out.
   */
  add(owner: string, counters: Record<string, number>): Promise<void>;
  /** Counters of `owner`, or of every tenant digest when `owner` is undefined. */
  read(owner?: string): Promise<Record<string, Record<string, number>>>;
}

export interface BytesWriteOptions {
  keepLonger?: boolean;
}

/** Byte values by key (the embedding cache). */
export interface StoreBytes {
  /**
   * A key owned by a tenant: clearTenant removes it with the tenant's entries. With a user (a hex
   * digest, not NO_USER) it is also that user's: forgetUser removes it with the user's entries.
   */
  key(tenant: string, name: string, user?: string): string;
  /** Values by key, in order; undefined where missing. */
  get(keys: string[]): Promise<(Uint8Array | undefined)[]>;
  /**
   * Writes values, each with the TTL, in one round trip. `keepLonger`: a key that already lives
   * longer keeps its expiry (the value is replaced; the TTL only ever grows), for markers that
   * must outlive everything they stand for.
   */
  set(items: { key: string; value: Uint8Array }[], ttlMs: number, options?: BytesWriteOptions): Promise<void>;
}

export interface Store {
  readonly name: string;
  /** May change during init() (e.g. the Query Engine is detected then). */
  readonly capabilities: StoreCapabilities;

  /** Connects, detects features and creates or verifies the vector index. Idempotent. */
  init?(options: StoreInitOptions): Promise<void>;

  /**
   * Writes entry + TTL atomically, replacing any entry with the same id. Refused (false, nothing
   * written) when forgetUser(entry.tenant, entry.user), or deleteTagged(entry.tenant, t) for one of
   * its tags, was called after entry.createdAt, within ERASURE_FENCE_MS: a write that began before
   * an erasure or an invalidation never lands after it.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: stores written before the fence return nothing (written).
  put(entry: StoreEntry, ttlMs: number): Promise<boolean | void>;
  get(tenant: string, id: string): Promise<StoredEntry | undefined>;
  delete(tenant: string, id: string): Promise<boolean>;
  /** Nearest entries of one (tenant, scope, user), best first. */
  knn(query: KnnQuery): Promise<KnnMatch[]>;
  /** Deletes every entry (and byte value) of a tenant; returns how many entries. */
  clearTenant(tenant: string): Promise<number>;
  /**
   * Deletes every entry of one user in a tenant and everything derived from them (the user's byte
   * values, any per-user sets), and fences the user's writes already under way (see `put`);
   * returns exactly how many entries it deleted.
   */
  forgetUser(tenant: string, user: string, options?: ForgetUserOptions): Promise<number>;
  /** Number of entries, of one tenant or of all. */
  count(tenant?: string): Promise<number>;
  /**
   * Extends the entry's TTL to `ttlMs` from now, never shortening it, and that of whatever must
   * outlive it (member sets forgetUser or deleteTagged walk). Never creates an entry that is gone.
   * Optional: without it, sliding TTLs do nothing.
   */
  touch?(entry: StoredEntry, ttlMs: number): Promise<void>;
  /** A page of a tenant's entries (admin screens, `deja inspect`). Optional: listing is off without it. */
  list?(tenant: string, options: ListOptions): Promise<ListPage>;
  /**
   * Deletes every entry of a tenant whose `tags` hold `tag` (a hex digest) and fences the writes
   * already under way that carry it, like forgetUser does for a user (see `put`); returns how
   * many entries it deleted. Optional: without it, deja refuses tags (DejaConfigError).
   */
  deleteTagged?(tenant: string, tag: string, options?: ForgetUserOptions): Promise<number>;

  readonly locks?: StoreLocks;
  readonly counters?: StoreCounters;
  readonly bytes?: StoreBytes;
  health?(): Promise<StoreHealth>;
  close?(): Promise<void>;
}
