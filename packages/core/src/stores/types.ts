// The storage contract. A Store is the only thing in deja that touches storage; the caches are
// written against this interface and one conformance suite (test/conformance) runs it against
// every backend. Tenant, user and scope arrive as hex digests, never as raw user input.

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
  /** Milliseconds since the epoch. */
  createdAt: number;
}

/** What `get` and `knn` return: everything but the vector, which callers never need back. */
export type StoredEntry = Omit<StoreEntry, 'embedding'>;

export interface KnnQuery {
  tenant: string;
  scope: string;
  user: string;
  vector: Float32Array;
  k: number;
}

export interface KnnMatch {
  entry: StoredEntry;
  /** Cosine similarity in [0, 1]. */
  similarity: number;
}

export interface StoreCapabilities {
  /** 'index': a server-side vector index; 'scan': client-side cosine over one (tenant, scope, user). */
  semantic: 'index' | 'scan';
  /** True when several processes see the same data (and the lock means something across them). */
  shared: boolean;
}

export interface StoreHealth {
  backend: string;
  connected: boolean;
  queryEngine: boolean;
  index?: { name: string; state: 'ready' | 'missing' | 'indexing'; documents?: number };
  memoryBytes?: number;
  detail?: string;
}

export interface StoreInitOptions {
  /** Vector dimension of the embedder in use. */
  dimensions: number;
}

export interface Store {
  readonly name: string;
  /** Resolved after init(). */
  readonly capabilities: StoreCapabilities;

  /** Connects, detects features and creates or verifies the vector index. Idempotent. */
  init(options: StoreInitOptions): Promise<void>;

  /** Writes entry + TTL atomically, replacing any entry with the same id. */
  put(entry: StoreEntry, ttlMs: number): Promise<void>;
  get(tenant: string, id: string): Promise<StoredEntry | undefined>;
  delete(tenant: string, id: string): Promise<boolean>;
  /** Nearest entries of one (tenant, scope, user), best first. */
  knn(query: KnnQuery): Promise<KnnMatch[]>;
  /** Deletes every entry of a tenant; returns how many. */
  clearTenant(tenant: string): Promise<number>;
  /** Deletes every entry of one user in a tenant; returns how many. */
  forgetUser(tenant: string, user: string): Promise<number>;
  /** Number of entries, of one tenant or of all. */
  count(tenant?: string): Promise<number>;

  /** A byte-value key owned by a tenant: clearTenant removes it with the tenant's entries. */
  tenantBytesKey(tenant: string, name: string): string;
  /** Raw byte values by key (the embedding cache), in order; undefined where missing. */
  getBytes(keys: string[]): Promise<(Uint8Array | undefined)[]>;
  /** Writes byte values, each with the TTL, in one round trip. */
  setBytes(items: { key: string; value: Uint8Array }[], ttlMs: number): Promise<void>;

  /** Takes a lock for `ttlMs`; returns a token, or undefined when someone else holds it. */
  acquireLock(tenant: string, id: string, ttlMs: number): Promise<string | undefined>;
  /** Releases the lock only when `token` still owns it. */
  releaseLock(tenant: string, id: string, token: string): Promise<void>;

  /** Adds to persisted counters (stats that outlive the process). */
  addCounters(tenant: string, counters: Record<string, number>): Promise<void>;
  /** Persisted counters per tenant digest. */
  readCounters(tenant?: string): Promise<Record<string, Record<string, number>>>;

  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
