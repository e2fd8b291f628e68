// Every data operation goes through a tenant: its digest is part of every key and every filter.
import type { DejaContext } from './context.js';
import type { EmbeddingCache } from './embeddings/embedding-cache.js';
import { type CachedItem, decodeEntry, type EntryMeta } from './entry-codec.js';
import { DejaInputError } from './errors.js';
import { entryId, type Id, idDigest, userDigest } from './ids.js';
import { digest } from './keys/digest.js';
import { parseTtlMs } from './options.js';
import { encodePayload } from './payload.js';
import { ResponseCache } from './responses/response-cache.js';
import type { TenantRef } from './stats.js';
import type { StoredEntry } from './stores/types.js';
import { exceedsTokens } from './tokens.js';
import { type VectorLike, validateVector } from './vectors.js';

export interface PutInput {
  /** Identity of the entry (any JSON-able value; canonicalised and hashed). */
  key: unknown;
  /** The value to cache (JSON-able; Dates and Uint8Arrays survive). */
  value: unknown;
  /** Text to embed for semantic lookup (needs an embedder unless `vector` is given). */
  text?: string;
  /** A precomputed vector for `text`. */
  vector?: VectorLike;
  /** Semantic matches never cross scopes (default: one shared scope). */
  scope?: unknown;
  user?: Id;
  /** Time to live, ms (default: the deja's `ttlMs`). */
  ttlMs?: number;
  meta?: EntryMeta;
}

export type PutResult = { stored: true; id: string } | { stored: false; id: string; reason: NotCachedReason };
export type NotCachedReason = 'too-large' | 'store-unavailable' | 'mode-off' | 'not-cacheable';

export interface KnnOptions {
  k?: number;
  scope?: unknown;
  user?: Id;
  minSimilarity?: number;
}

export type KnnResult<T = unknown> = CachedItem<T> & { similarity: number };

export class TenantCache {
  readonly digest: string;
  readonly responses: ResponseCache;
  /** Whom this tenant's counters belong to. */
  readonly statsRef: TenantRef;
  private embedder: EmbeddingCache | undefined;

  constructor(
    readonly id: Id,
    private readonly context: DejaContext,
  ) {
    this.digest = idDigest(id, 'tenant');
    this.statsRef = { label: String(id), digest: this.digest };
    this.embedder = context.embeddings?.forTenant(this.digest);
    this.responses = new ResponseCache(this, context);
  }

  /** Embeds through this tenant's slice of the embedding cache (another tenant's texts stay unobservable). */
  async embed(
    text: string,
    signal?: AbortSignal,
    alreadyRead?: Map<string, Float32Array>,
  ): Promise<Float32Array> {
    if (!this.embedder)
      throw new DejaInputError('Semantic operations need an embedder: createDeja({ embedder })');
    const [vector] = await this.embedder.embed([text], signal, alreadyRead);
    return validateVector(vector as Float32Array, this.embedder.dimensions);
  }

  /** What this tenant's embedding cache holds for `text` (read only, the embedder is not called). */
  async cachedVectors(text: string): Promise<Map<string, Float32Array>> {
    return this.embedder ? this.embedder.cached([text]) : new Map();
  }

  /** True when `text` may be embedded: non-empty and within maxTextTokens. */
  embeddable(text: string | undefined): text is string {
    return (
      !!this.embedder &&
      typeof text === 'string' &&
      text.trim().length > 0 &&
      !exceedsTokens(text, this.context.options.maxTextTokens)
    );
  }

  async put(input: PutInput): Promise<PutResult> {
    const response = this.encode(input.value);
    if (response === undefined) return { stored: false, id: this.idOf(input), reason: 'too-large' };
    return this.write(input, response, await this.vectorFor(input));
  }

  /**
   * The stored form of a value, or undefined (counted) when it is over maxResponseBytes.
   * Throws DejaInputError for values that would not come back the same.
   * @internal for the response cache, which checks the value before paying for an embedding.
   */
  encode(value: unknown): string | undefined {
    const response = encodePayload(value);
    if (Buffer.byteLength(response) <= this.context.options.maxResponseBytes) return response;
    this.context.stats.add(this.statsRef, { notCached: 1 });
    return undefined;
  }

  /** @internal Writes an encoded value with its (already validated) vector. */
  async write(
    input: Omit<PutInput, 'value' | 'vector'>,
    response: string,
    embedding?: Float32Array,
  ): Promise<PutResult> {
    const { options, store, guard, stats } = this.context;
    const id = this.idOf(input);
    const ttlMs = input.ttlMs === undefined ? options.ttlMs : parseTtlMs(input.ttlMs);
    if (!(await this.context.ready())) {
      stats.add(this.statsRef, { droppedWrites: 1 });
      return { stored: false, id, reason: 'store-unavailable' };
    }
    const entry = {
      id,
      tenant: this.digest,
      user: userDigest(input.user),
      scope: digest(input.scope ?? null),
      text: embedding ? (input.text ?? '') : '',
      embedding,
      response,
      meta: JSON.stringify(input.meta ?? {}),
      createdAt: Date.now(),
    };
    const written = await guard.run('put', () => store.put(entry, ttlMs).then(() => true), false);
    stats.add(this.statsRef, written ? { writes: 1 } : { droppedWrites: 1 });
    return written ? { stored: true, id } : { stored: false, id, reason: 'store-unavailable' };
  }

  private idOf(input: { key: unknown; user?: Id }): string {
    return entryId(input.key, userDigest(input.user));
  }

  async get<T = unknown>(key: unknown, options: { user?: Id } = {}): Promise<CachedItem<T> | undefined> {
    const id = entryId(key, userDigest(options.user));
    return this.getById<T>(id);
  }

  /** Reads one entry by id; a corrupt entry is deleted and reads as a miss. */
  async getById<T>(id: string): Promise<CachedItem<T> | undefined> {
    if (!(await this.context.ready())) return undefined;
    const stored = await this.context.guard.run(
      'get',
      () => this.context.store.get(this.digest, id),
      undefined,
    );
    return stored && this.decode<T>(stored);
  }

  async knn<T = unknown>(query: string | VectorLike, options: KnnOptions = {}): Promise<KnnResult<T>[]> {
    const k = options.k ?? 5;
    if (!Number.isInteger(k) || k < 1 || k > 1_000)
      throw new DejaInputError('k must be a whole number from 1 to 1000');
    const minSimilarity = options.minSimilarity ?? 0;
    if (!(minSimilarity >= 0 && minSimilarity <= 1))
      throw new DejaInputError('minSimilarity is a cosine similarity in [0, 1]');
    // The same rule as put(): no embedder call for a text that cannot be embedded.
    if (typeof query === 'string' && query.trim().length === 0) throw new DejaInputError('knn text is empty');
    if (typeof query === 'string' && exceedsTokens(query, this.context.options.maxTextTokens))
      throw new DejaInputError(`knn text is over maxTextTokens (${this.context.options.maxTextTokens})`);
    const vector =
      typeof query === 'string' ? await this.embed(query) : validateVector(query, this.requireDimensions());
    const user = userDigest(options.user);
    const scope = digest(options.scope ?? null);
    if (!(await this.context.ready())) return [];
    const matches = await this.context.guard.run(
      'knn',
      () => this.context.store.knn({ tenant: this.digest, scope, user, vector, k }),
      [],
    );
    const results: KnnResult<T>[] = [];
    for (const match of matches) {
      if (match.similarity < minSimilarity) continue;
      const item = this.decode<T>(match.entry);
      if (item) results.push({ ...item, similarity: match.similarity });
    }
    return results;
  }

  async delete(key: unknown, options: { user?: Id } = {}): Promise<boolean> {
    const id = entryId(key, userDigest(options.user));
    if (!(await this.context.ready())) return false;
    return this.context.guard.run('delete', () => this.context.store.delete(this.digest, id), false);
  }

  /** Deletes every entry of this tenant. Store trouble reads as 0 (or throws when strict). */
  async clear(): Promise<number> {
    if (!(await this.context.ready())) return 0;
    return this.context.guard.run(
      'clear',
      () => this.context.store.clearTenant(this.digest),
      0,
      this.context.options.initTimeoutMs,
    );
  }

  /** Erases every entry of one user in this tenant. */
  async forgetUser(user: Id): Promise<number> {
    const digestOfUser = idDigest(user, 'user');
    if (!(await this.context.ready())) return 0;
    return this.context.guard.run(
      'forgetUser',
      () => this.context.store.forgetUser(this.digest, digestOfUser),
      0,
      this.context.options.initTimeoutMs,
    );
  }

  private decode<T>(stored: StoredEntry): CachedItem<T> | undefined {
    // An entry in this tenant's keyspace that names another tenant was not written by deja.
    const item = stored.tenant === this.digest ? decodeEntry<T>(stored) : undefined;
    if (item) return item;
    this.context.guard.report({
      kind: 'corrupt-entry',
      operation: 'read',
      error: new Error(`entry ${stored.id} is not valid; deleted`),
    });
    void this.context.guard.run(
      'delete corrupt entry',
      () => this.context.store.delete(this.digest, stored.id),
      false,
    );
    return undefined;
  }

  private async vectorFor(input: PutInput): Promise<Float32Array | undefined> {
    if (input.vector !== undefined) {
      if (typeof input.text !== 'string' || input.text.length === 0) {
        throw new DejaInputError('A vector needs the text it was made from (put({ text, vector }))');
      }
      return validateVector(input.vector, this.requireDimensions());
    }
    if (input.text === undefined) return undefined;
    if (typeof input.text !== 'string') throw new DejaInputError('text must be a string');
    if (input.text.trim().length === 0)
      throw new DejaInputError('text is empty; pass no text for an exact-only entry');
    if (exceedsTokens(input.text, this.context.options.maxTextTokens)) {
      throw new DejaInputError(
        `text is over maxTextTokens (${this.context.options.maxTextTokens}); it would not be embedded`,
      );
    }
    return this.embed(input.text);
  }

  private requireDimensions(): number {
    const dimensions = this.context.dimensions;
    if (dimensions === undefined)
      throw new DejaInputError('Vectors need createDeja({ embedder }) or createDeja({ dimensions })');
    return dimensions;
  }
}
