// What the caches of one tenant share, below both of them: the tenant's digest (in every key and
// every filter), the guarded store, the tenant's slice of the embedding cache, and the steps every
// entry goes through (encode, write, read back and validate, nearest neighbours). The tenant cache
// and the response cache are siblings on top of this; neither imports the other's internals.
// Internal: not exported from the package.
import type { DejaContext } from '../context.js';
import type { EmbeddingCache } from '../embeddings/embedding-cache.js';
import { type CachedItem, decodeEntry } from '../entry-codec.js';
import { DejaConfigError, DejaInputError } from '../errors.js';
import { type Id, idDigest } from '../ids.js';
import { digest, NO_USER } from '../keys/digest.js';
import { encodePayload, payloadCertainlyExceeds } from '../payload.js';
import type { TenantRef } from '../stats.js';
import type { StoredEntry, StoreEntry } from '../stores/types.js';
import { type ParsedTags, parseTags } from '../tags.js';
import { exceedsTokens } from '../tokens.js';
import { type VectorLike, validateVector } from '../vectors.js';
import type { EntryWrite, KnnResult, NearestQuery, WriteResult } from './scope-types.js';

export type { EntryWrite, KnnResult, NearestQuery, NotCachedReason, WriteResult } from './scope-types.js';

export class TenantScope {
  readonly digest: string;
  /** Whom this tenant's counters belong to. */
  readonly statsRef: TenantRef;
  private readonly embedder: EmbeddingCache | undefined;
  private readonly userEmbedders = new Map<string, EmbeddingCache>();
  /** The stored form of each item this scope decoded, for touch() (sliding TTLs). */
  private readonly storedOf = new WeakMap<object, StoredEntry>();

  constructor(
    readonly id: Id,
    readonly context: DejaContext,
  ) {
    this.digest = idDigest(id, 'tenant');
    this.statsRef = { label: String(id), digest: this.digest };
    this.embedder = context.embeddings?.forTenant(this.digest);
  }

  get options() {
    return this.context.options;
  }

  /** The embedding cache slice of one user of this tenant (forgetUser removes it). */
  private embedderFor(user: string): EmbeddingCache | undefined {
    if (!this.embedder || user === NO_USER) return this.embedder;
    let slice = this.userEmbedders.get(user);
    if (!slice) {
      slice = this.context.embeddings?.forTenant(this.digest, user);
      if (slice && this.userEmbedders.size < 1_000) this.userEmbedders.set(user, slice);
    }
    return slice;
  }

  /**
   * The digest of the embedder that makes this tenant's vectors (model id and dimension), stored
   * with every vector so a KNN never compares vectors of two models; caller-given vectors without
   * an embedder are their own model.
   */
  get model(): string | undefined {
    const dimensions = this.embedder?.dimensions ?? this.context.dimensions;
    if (dimensions === undefined) return undefined;
    return digest({ model: this.embedder?.modelId ?? null, dimensions });
  }

  /**
   * Embeds through this tenant's slice of the embedding cache (another tenant's texts stay
   * unobservable); `user` (a digest): the user's own slice, which forgetUser erases; `behind`:
   * the write of a new vector does not hold up the caller.
   */
  async embed(
    text: string,
    signal?: AbortSignal,
    alreadyRead?: Map<string, Float32Array>,
    user: string = NO_USER,
    behind = false,
  ): Promise<Float32Array> {
    const embedder = this.embedderFor(user);
    if (!embedder) throw new DejaInputError('Semantic operations need an embedder: createDeja({ embedder })');
    const [vector] = await embedder.embed([text], signal, alreadyRead, behind);
    // createDeja refuses an embedder whose dimension is unknown, so the main cache always knows it.
    return validateVector(vector as Float32Array, embedder.dimensions as number);
  }

  /** What this tenant's (or user's) embedding cache holds for `text` (the embedder is not called). */
  async cachedVectors(text: string, user: string = NO_USER): Promise<Map<string, Float32Array>> {
    const embedder = this.embedderFor(user);
    return embedder ? embedder.cached([text]) : new Map();
  }

  /** The vector of `text` if this process has it at hand (the in-process LRU of this slice), no I/O. */
  localVector(text: string, user: string = NO_USER): Float32Array | undefined {
    return this.embedderFor(user)?.local(text);
  }

  /** True when `text` may be embedded: there is an embedder, and it is non-empty and within maxTextTokens. */
  embeddable(text: string | undefined): text is string {
    return (
      !!this.embedder &&
      typeof text === 'string' &&
      text.trim().length > 0 &&
      !exceedsTokens(text, this.options.maxTextTokens)
    );
  }

  /**
   * A call's tags, checked: DejaInputError for unusable ones, DejaConfigError when the store cannot
   * invalidate by tag (tags it could never drop would only promise what it cannot keep).
   */
  tags(tags: unknown): ParsedTags | undefined {
    const parsed = parseTags(tags);
    if (parsed && !this.context.store.tags)
      throw new DejaConfigError(
        `The store "${this.context.store.name}" cannot invalidate by tag (no deleteTagged)`,
      );
    return parsed;
  }

  /** A caller's vector, checked against the configured dimension. */
  checkVector(vector: VectorLike): Float32Array {
    const dimensions = this.context.dimensions;
    if (dimensions === undefined)
      throw new DejaInputError('Vectors need createDeja({ embedder }) or createDeja({ dimensions })');
    return validateVector(vector, dimensions);
  }

  /**
   * The stored form of a value, or undefined (counted) when it is over maxResponseBytes.
   * Throws DejaInputError for values that would not come back the same.
   */
  encode(value: unknown): string | undefined {
    const limit = this.options.maxResponseBytes;
    // Certainly too big, refused before any work: UTF-8 takes at least a byte per character, and
    // the payload holds every string, key and byte of the value (a 5 MB answer is not encoded to
    // be dropped). Encoding anything smaller is bounded by the limit (1 MB by default: a few ms).
    const response = payloadCertainlyExceeds(value, limit) ? undefined : encodePayload(value);
    // Likewise, text of more characters than the limit has more bytes: no need to count them.
    if (response !== undefined && response.length <= limit && Buffer.byteLength(response) <= limit)
      return response;
    this.context.stats.add(this.statsRef, { notCached: 1 });
    return undefined;
  }

  async write(write: EntryWrite): Promise<WriteResult> {
    const model = write.embedding ? this.model : undefined;
    const entry: StoreEntry = {
      ...(model ? { model } : {}),
      id: write.id,
      tenant: this.digest,
      user: write.user,
      scope: write.scope,
      text: write.embedding ? write.text : '',
      embedding: write.embedding,
      response: write.response,
      meta: write.meta,
      createdAt: write.startedAt ?? Date.now(),
      ...(write.tags?.length ? { tags: write.tags } : {}),
    };
    const outcome = await this.context.store.put(entry, write.ttlMs);
    if (outcome === 'written') {
      this.context.stats.add(this.statsRef, { writes: 1 });
      return { stored: true, id: write.id };
    }
    if (outcome === 'user-erased')
      return { stored: false, id: write.id, reason: entry.tags ? 'invalidated' : 'user-erased' };
    this.context.stats.add(this.statsRef, { droppedWrites: 1 });
    return { stored: false, id: write.id, reason: 'store-unavailable' };
  }

  /**
   * Extends the TTL of an entry this scope read (a sliding TTL on a hit): sent, not waited for, so
   * it is never on the hit's path; trouble is reported like any store trouble.
   */
  touch(item: CachedItem<unknown>, ttlMs: number): void {
    const stored = this.storedOf.get(item);
    if (stored) void this.context.store.touch(stored, ttlMs);
  }

  /** Reads one entry by id; a corrupt entry is deleted and reads as a miss. */
  async read<T>(id: string): Promise<CachedItem<T> | undefined> {
    const stored = await this.context.store.get(this.digest, id);
    return stored && this.decode<T>(stored);
  }

  /** Nearest entries of one (scope, user) at or above minSimilarity, best first, decoded. */
  async nearest<T>(query: NearestQuery): Promise<KnnResult<T>[]> {
    const { vector, k, scope, user, minSimilarity } = query;
    const model = this.model;
    const matches = await this.context.store.knn({
      tenant: this.digest,
      scope,
      user,
      vector,
      k,
      ...(model ? { model } : {}),
    });
    const results: KnnResult<T>[] = [];
    for (const match of matches) {
      if (match.similarity < minSimilarity) continue;
      const item = this.decode<T>(match.entry);
      if (item) results.push({ ...item, similarity: match.similarity });
    }
    return results;
  }

  /** A stored entry of this tenant, validated; a corrupt one is reported, deleted and reads as undefined. */
  decode<T>(stored: StoredEntry): CachedItem<T> | undefined {
    // An entry in this tenant's keyspace that names another tenant was not written by deja.
    const item = stored.tenant === this.digest ? decodeEntry<T>(stored) : undefined;
    if (item) {
      this.storedOf.set(item, stored);
      return item;
    }
    this.context.guard.report({
      kind: 'corrupt-entry',
      operation: 'read',
      error: new Error(`entry ${stored.id} is not valid; deleted`),
    });
    void this.context.store.delete(this.digest, stored.id);
    return undefined;
  }
}
