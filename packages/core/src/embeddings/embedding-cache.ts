// text -> vector through the store: one MGET per batch, one pipeline of writes, only misses reach
// the embedder (deduplicated, in batches of its maxBatchSize), results in the caller's order. The
// one embedder path of deja: the AI SDK and LangChain adapters only map their models onto it.
//
// Dimension: stated by the embedder, or learned from the first vectors it returns. A learned
// dimension is remembered in the process and written beside the vectors (`…:dimensions`, with
// every write, so it lives as long as the newest vector); the first read of a new process fetches
// it in the same MGET as its texts, so cached texts are served without asking the provider again.
// Vectors are only read back with a known dimension: a stored value of another length is a miss.
// In front of the store, an in-process LRU of the same slices (local-vectors.ts): a text seen a
// moment ago costs no read. `embed(…, behind)`: a lookup's KNN does not wait for the write.
import { DejaInputError } from '../errors.js';
import type { Guard } from '../guard.js';
import { NO_USER, sha256 } from '../keys/digest.js';
import { dimensionsSchema } from '../option-schemas.js';
import type { Stats } from '../stats.js';
import type { GuardedStore } from '../stores/guarded-store.js';
import { bytesToVector, validateVector, vectorToBytes } from '../vectors.js';
import { embedInBatches, usableLimit } from './embed-batches.js';
import type { Embedder } from './embedder.js';
import type { LocalVectors, VectorSlice } from './local-vectors.js';
import { modelKeySegment } from './model-key.js';

export interface EmbeddingCacheOptions {
  /** Guarded: the ready check, deadline, breaker and fallback happen there. */
  store: GuardedStore;
  guard: Guard;
  stats: Stats;
  /** Already checked (embedder-check.ts) by whoever made this cache. */
  embedder: Embedder;
  /** The dimension when the embedder states none but the caller knows it (createDeja's option). */
  dimensions?: number;
  ttlMs: number;
  /** Texts per MGET when reading the cache. */
  readBatchSize: number;
  keyPrefix: string;
  /**
   * A kind of vectors of the same model kept apart, e.g. 'query' for a model that embeds queries
   * and documents differently. A key segment after the model (so it cannot collide with a model id).
   */
  variant?: string;
  /**
   * The tenant whose slice this is (the response cache embeds per tenant, so one tenant cannot
   * observe another's texts); its keys then belong to the tenant and go with clearTenant.
   */
  tenant?: string;
  /** The user whose prompts these are (a digest, not NO_USER): their keys go with forgetUser. */
  user?: string;
  /** False when embeddings are not to be cached (then the store is not asked). */
  ready: () => Promise<boolean>;
  /** The process's LRU of embeddings, shared by every slice (absent: none). */
  local?: LocalVectors;
  /** Runs a write of new vectors behind the caller (bounded, flushed on close), for `embed(…, behind)`. */
  writeBehind?: (write: () => Promise<void>) => void;
}

/** Dimensions learned in this process, per store and model namespace. */
const learnedDimensions = new WeakMap<object, Map<string, number>>();
const DIMENSIONS_NAME = 'dimensions';
const text = { encoder: new TextEncoder(), decoder: new TextDecoder() };

export class EmbeddingCache implements Embedder {
  readonly modelId: string;
  private learned: number | undefined;
  private batchLimit: Promise<number | undefined> | undefined;
  /** This cache's slice of the in-process LRU. */
  private readonly slice: VectorSlice;

  constructor(private readonly options: EmbeddingCacheOptions) {
    this.modelId = options.embedder.modelId;
    this.slice = { tenant: options.tenant, user: options.user, namespace: this.namespace() };
    this.learned =
      options.dimensions ?? options.embedder.dimensions ?? this.remembered().get(this.slice.namespace);
  }

  /**
   * The vector of `text` if this process has it at hand (the LRU), without any I/O. Callers must
   * not modify it (it is the LRU's own copy).
   */
  local(value: string): Float32Array | undefined {
    return this.options.local?.get(this.slice, value);
  }

  /** The vector length: stated by the embedder, or learned; undefined before the first vectors. */
  get dimensions(): number | undefined {
    return this.learned;
  }

  /** The key of one text: `embedding:{model}:sha256(text)` (the model is a cluster hash tag). */
  keyOf(value: string): string {
    return this.keyFor(sha256(value.isWellFormed() ? value : JSON.stringify(value)));
  }

  /** The same cache, keyed inside one tenant's keyspace (and one user's, given a user digest). */
  forTenant(tenant: string, user?: string): EmbeddingCache {
    return new EmbeddingCache({ ...this.options, tenant, user: user === NO_USER ? undefined : user });
  }

  /** The cached vectors of `texts` (one MGET per batch), without calling the embedder. */
  async cached(texts: string[]): Promise<Map<string, Float32Array>> {
    const found = new Map<string, Float32Array>();
    const unique = this.fromLocal([...new Set(texts)], found);
    if (unique.length > 0 && (await this.options.ready())) await this.readCached(unique, found);
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
    /** Write new vectors behind the caller (a lookup: its KNN need not wait for the write). */
    behind = false,
  ): Promise<Float32Array[]> {
    for (const value of texts) {
      if (typeof value !== 'string') throw new DejaInputError(`Can only embed strings, got ${typeof value}`);
    }
    const unique = [...new Set(texts)];
    const found = alreadyRead ? new Map(alreadyRead) : new Map<string, Float32Array>();
    // What the LRU has is returned as copies: the caller may modify what it gets.
    const toRead = alreadyRead ? [] : this.fromLocal(unique, found, true);
    const storeReady = await this.options.ready();
    if (storeReady && toRead.length > 0) await this.readCached(toRead, found);
    const missing = unique.filter((value) => !found.has(value));
    this.options.stats.embeddings(unique.length - missing.length, missing.length);
    if (missing.length > 0) {
      const computed = await this.callEmbedder(missing, signal);
      if (this.learned === undefined) this.learnFrom(computed);
      const toWrite: { key: string; value: Uint8Array }[] = [];
      missing.forEach((value, i) => {
        const vector = computed[i] as Float32Array;
        found.set(value, vector);
        if (!this.cacheable(value, vector)) return;
        this.options.local?.set(this.slice, value, vector.slice());
        toWrite.push({ key: this.keyOf(value), value: vectorToBytes(vector) });
      });
      if (storeReady && toWrite.length > 0) {
        // The dimension travels with every write, so it outlives no vector and no vector outlives it.
        const dimensions = text.encoder.encode(String(this.learned));
        toWrite.push({ key: this.keyFor(DIMENSIONS_NAME), value: dimensions });
        const write = () => this.options.store.setBytes(toWrite, this.options.ttlMs);
        if (behind && this.options.writeBehind) this.options.writeBehind(write);
        else await write();
      }
    }
    return texts.map((value) => found.get(value) as Float32Array);
  }

  /** Takes what the LRU has into `found`; returns the texts it lacks. */
  private fromLocal(texts: string[], found: Map<string, Float32Array>, copy = false): string[] {
    const { local } = this.options;
    if (!local) return texts;
    const rest: string[] = [];
    for (const value of texts) {
      const vector = local.get(this.slice, value);
      if (vector) found.set(value, copy ? vector.slice() : vector);
      else rest.push(value);
    }
    return rest;
  }

  private async readCached(texts: string[], found: Map<string, Float32Array>): Promise<void> {
    const { readBatchSize, store } = this.options;
    for (let start = 0; start < texts.length; start += readBatchSize) {
      const batch = texts.slice(start, start + readBatchSize);
      const keys = batch.map((value) => this.keyOf(value));
      // Not known yet: the remembered dimension comes in the same round trip as the first texts.
      const askDimensions = this.learned === undefined;
      if (askDimensions) keys.push(this.keyFor(DIMENSIONS_NAME));
      const values = await store.getBytes(keys);
      if (askDimensions) this.adopt(values[batch.length]);
      const dimensions = this.learned;
      if (dimensions === undefined) continue; // nothing to check a vector against: all misses
      batch.forEach((value, i) => {
        const bytes = values[i];
        const vector = bytes && bytesToVector(bytes, dimensions);
        if (!vector) return;
        found.set(value, vector);
        if (value.length > 0) this.options.local?.set(this.slice, value, vector.slice());
      });
    }
  }

  private async callEmbedder(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const { embedder } = this.options;
    this.batchLimit ??= Promise.resolve(embedder.maxBatchSize).then(usableLimit);
    return embedInBatches(embedder, texts, (await this.batchLimit) ?? texts.length, signal);
  }

  /** Takes the dimension of the first non-empty vector, remembers it in the process. */
  private learnFrom(vectors: Float32Array[]): void {
    const first = vectors.find((vector) => vector.length > 0);
    if (first && dimensionsSchema.safeParse(first.length).success) this.remember(first.length);
  }

  /** A stored dimension (ASCII digits), if it is one. */
  private adopt(bytes: Uint8Array | undefined): void {
    if (bytes === undefined || bytes.length > 8) return;
    const raw = text.decoder.decode(bytes);
    const parsed = dimensionsSchema.safeParse(/^\d+$/.test(raw) ? Number(raw) : Number.NaN);
    if (parsed.success) this.remember(parsed.data);
  }

  private remember(dimensions: number): void {
    this.learned = dimensions;
    this.remembered().set(this.slice.namespace, dimensions);
  }

  private remembered(): Map<string, number> {
    let map = learnedDimensions.get(this.options.store);
    if (!map) {
      map = new Map();
      learnedDimensions.set(this.options.store, map);
    }
    return map;
  }

  /** The model (and variant) part of the keys, escaped: `{`, `}` and `:` cannot move a key or its slot. */
  private namespace(): string {
    const { keyPrefix, variant } = this.options;
    const model = modelKeySegment(this.modelId);
    return `${keyPrefix}\u0000${variant === undefined ? model : `${model}:${modelKeySegment(variant)}`}`;
  }

  private keyFor(name: string): string {
    const { tenant, store, keyPrefix, variant } = this.options;
    const model = modelKeySegment(this.modelId);
    const rest = variant === undefined ? name : `${modelKeySegment(variant)}:${name}`;
    if (tenant === undefined) return `${keyPrefix}{${model}}:${rest}`;
    const local = `${keyPrefix}${model}:${rest}`;
    // A user's slice is the user's (forgetUser removes it); the store keys the name (HMAC), so a
    // listing of keys cannot confirm a guessed prompt.
    return store.bytesKey(tenant, local, this.options.user) ?? local;
  }

  /** Empty texts and vectors that are not usable (wrong length, NaN, zero) are returned, never stored. */
  private cacheable(value: string, vector: Float32Array): boolean {
    if (value.length === 0 || this.learned === undefined) return false;
    try {
      validateVector(vector, this.learned);
      return true;
    } catch (error) {
      this.options.guard.report({ kind: 'not-cached', operation: 'embedding write', error });
      return false;
    }
  }
}
