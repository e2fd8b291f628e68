// text -> vector through Redis: one MGET per batch, one pipeline of writes, only misses reach the
// embedder (deduplicated, in its batch size), results in the caller's order.
import { DejaInputError } from '../errors.js';
import type { Guard } from '../guard.js';
import { sha256 } from '../keys/digest.js';
import type { Stats } from '../stats.js';
import type { GuardedStore } from '../stores/guarded-store.js';
import { bytesToVector, validateVector, vectorToBytes } from '../vectors.js';
import type { Embedder } from './embedder.js';

export interface EmbeddingCacheOptions {
  /** Guarded: the ready check, deadline, breaker and fallback happen there. */
  store: GuardedStore;
  guard: Guard;
  stats: Stats;
  embedder: Embedder;
  ttlMs: number;
  /** Texts per MGET when reading the cache. */
  readBatchSize: number;
  keyPrefix: string;
  /**
   * The tenant whose slice this is (the response cache embeds per tenant, so one tenant cannot
   * observe another's texts); its keys then belong to the tenant and go with clearTenant.
   */
  tenant?: string;
  /** False when embeddings are not to be cached (then the store is not asked). */
  ready: () => Promise<boolean>;
}

export class EmbeddingCache implements Embedder {
  readonly modelId: string;
  readonly dimensions: number;

  constructor(private readonly options: EmbeddingCacheOptions) {
    this.modelId = options.embedder.modelId;
    this.dimensions = options.embedder.dimensions;
  }

  /** The key of one text: `embedding:{model}:sha256(text)` (the model is a cluster hash tag). */
  keyOf(text: string): string {
    const hashed = sha256(text.isWellFormed() ? text : JSON.stringify(text));
    const { tenant, store, keyPrefix } = this.options;
    if (tenant !== undefined)
      return (
        store.bytesKey(tenant, `${keyPrefix}${this.modelId}:${hashed}`) ??
        `${keyPrefix}${this.modelId}:${hashed}`
      );
    return `${keyPrefix}{${this.modelId}}:${hashed}`;
  }

  /** The same cache, keyed inside one tenant's keyspace. */
  forTenant(tenant: string): EmbeddingCache {
    return new EmbeddingCache({ ...this.options, tenant });
  }

  /** The cached vectors of `texts` (one MGET per batch), without calling the embedder. */
  async cached(texts: string[]): Promise<Map<string, Float32Array>> {
    const found = new Map<string, Float32Array>();
    if (await this.options.ready()) await this.readCached([...new Set(texts)], found);
    return found;
  }

  /**
   * Vectors of `texts` in order. `alreadyRead`: what `cached()` found for them a moment ago (the
   * response cache reads it alongside the exact probe), so the cache is not read twice.
   */
  async embed(
    texts: string[],
    signal?: AbortSignal,
    alreadyRead?: Map<string, Float32Array>,
  ): Promise<Float32Array[]> {
    for (const text of texts) {
      if (typeof text !== 'string') throw new DejaInputError(`Can only embed strings, got ${typeof text}`);
    }
    const unique = [...new Set(texts)];
    const storeReady = await this.options.ready();
    const found = alreadyRead ? new Map(alreadyRead) : new Map<string, Float32Array>();
    if (storeReady && !alreadyRead) await this.readCached(unique, found);
    const missing = unique.filter((text) => !found.has(text));
    this.options.stats.embeddings(unique.length - missing.length, missing.length);
    if (missing.length > 0) {
      const computed = await this.callEmbedder(missing, signal);
      const toWrite: { key: string; value: Uint8Array }[] = [];
      missing.forEach((text, i) => {
        const vector = computed[i] as Float32Array;
        found.set(text, vector);
        if (this.cacheable(text, vector))
          toWrite.push({ key: this.keyOf(text), value: vectorToBytes(vector) });
      });
      if (storeReady && toWrite.length > 0) {
        await this.options.store.setBytes(toWrite, this.options.ttlMs);
      }
    }
    return texts.map((text) => found.get(text) as Float32Array);
  }

  private async readCached(texts: string[], found: Map<string, Float32Array>): Promise<void> {
    const { readBatchSize, store } = this.options;
    for (let start = 0; start < texts.length; start += readBatchSize) {
      const batch = texts.slice(start, start + readBatchSize);
      const keys = batch.map((text) => this.keyOf(text));
      const values = await store.getBytes(keys);
      values.forEach((bytes, i) => {
        const vector = bytes && bytesToVector(bytes, this.dimensions);
        if (vector) found.set(batch[i] as string, vector);
      });
    }
  }

  private async callEmbedder(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const { embedder } = this.options;
    const size = embedder.maxBatchSize && embedder.maxBatchSize > 0 ? embedder.maxBatchSize : texts.length;
    const out: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += size) {
      const batch = texts.slice(start, start + size);
      const vectors = await embedder.embed(batch, signal);
      if (vectors.length !== batch.length) {
        throw new DejaInputError(
          `Embedder ${embedder.modelId} returned ${vectors.length} vectors for ${batch.length} texts`,
        );
      }
      for (const vector of vectors)
        out.push(vector instanceof Float32Array ? vector : Float32Array.from(vector));
    }
    return out;
  }

  /** Empty texts and vectors that are not usable (wrong length, NaN, zero) are returned, never stored. */
  private cacheable(text: string, vector: Float32Array): boolean {
    if (text.length === 0) return false;
    try {
      validateVector(vector, this.dimensions);
      return true;
    } catch (error) {
      this.options.guard.report({ kind: 'not-cached', operation: 'embedding write', error });
      return false;
    }
  }
}
