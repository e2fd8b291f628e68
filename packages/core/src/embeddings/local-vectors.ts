// An in-process LRU of embeddings, in front of the embedding cache on the store: a text embedded
// (or read from the store) a moment ago is not read again. An embedding never changes for a given
// (model, variant, text), so an entry is never stale; it only leaves when the LRU is full or its
// owner is erased.
//
// Keyed by the same slice as the store's embedding cache: tenant digest, user digest, model
// namespace and text. One tenant's embeddings therefore never make another tenant's lookup
// faster (the cross-tenant timing test), and forgetUser / clear drop the slice here as well as in
// the store. Bounded by entries (`localEmbeddings`, 0: off); Map keeps insertion order, so the
// first key is the least recently used one.

/** Whose slice an embedding belongs to: `undefined` for the shared cache (deja.embeddings). */
export interface VectorSlice {
  tenant?: string;
  user?: string;
  /** The embedding cache's model namespace (key prefix, escaped model id, variant). */
  namespace: string;
}

const SEPARATOR = '\u0000';
/** Tenant and user are hex digests; '-' (not hex) stands for none, so no two slices share a prefix. */
const NONE = '-';

export class LocalVectors {
  private readonly entries = new Map<string, Float32Array>();

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(slice: VectorSlice, text: string): Float32Array | undefined {
    if (this.maxEntries <= 0) return undefined;
    const key = keyOf(slice, text);
    const vector = this.entries.get(key);
    if (vector === undefined) return undefined;
    // Most recently used goes last.
    this.entries.delete(key);
    this.entries.set(key, vector);
    return vector;
  }

  set(slice: VectorSlice, text: string, vector: Float32Array): void {
    if (this.maxEntries <= 0) return;
    const key = keyOf(slice, text);
    this.entries.delete(key);
    this.entries.set(key, vector);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  /** Drops one user's embeddings of one tenant (forgetUser), or the whole tenant's (clear). */
  forget(tenant: string, user?: string): number {
    const prefix = user === undefined ? `${tenant}${SEPARATOR}` : `${tenant}${SEPARATOR}${user}${SEPARATOR}`;
    let dropped = 0;
    for (const key of this.entries.keys()) {
      if (!key.startsWith(prefix)) continue;
      this.entries.delete(key);
      dropped++;
    }
    return dropped;
  }

  clear(): void {
    this.entries.clear();
  }
}

function keyOf(slice: VectorSlice, text: string): string {
  return [slice.tenant ?? NONE, slice.user ?? NONE, slice.namespace, text].join(SEPARATOR);
}
