// The cache of one tenant: every data operation goes through one, and the tenant's digest is part
// of every key and every filter. Generic entries (put / get / knn / delete), erasure (clear,
// forgetUser), and `responses`, the response cache, which is a sibling on the same TenantScope.
import { type CachedItem, type EntryMeta, encodeEntryMeta } from './entry-codec.js';
import { DejaConfigError, DejaInputError } from './errors.js';
import { entryIdAsync, type Id, idDigest, userDigest } from './ids.js';
import { digestAsync } from './keys/digest.js';
import { parseTtlMs } from './options.js';
import { createResponseCache, type ResponseCache } from './responses/response-cache.js';
import type { ForgetUserResult } from './stores/guarded-store.js';
import { tagDigest } from './tags.js';
import type { KnnResult, NotCachedReason, TenantScope } from './tenancy/tenant-scope.js';
import { checkEntryId, type ListInput, type ListResult, listEntries } from './tenant-list.js';
import { exceedsTokens } from './tokens.js';
import type { VectorLike } from './vectors.js';

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
  /** What the value was built from (e.g. ['doc:42']): invalidateTag('doc:42') drops it. */
  tags?: string[];
}

export type PutResult = { stored: true; id: string } | { stored: false; id: string; reason: NotCachedReason };

export interface KnnOptions {
  /** Neighbours to return, 1..1000 (default 5). */
  k?: number;
  scope?: unknown;
  user?: Id;
  /** Cosine similarity in [0, 1] (default 0: every neighbour). */
  minSimilarity?: number;
}

export interface TenantCache {
  readonly id: Id;
  /** Hex digest of the tenant id, as it appears in keys and filters. */
  readonly digest: string;
  /** The response cache of this tenant (exact and semantic lookup, wrap). */
  readonly responses: ResponseCache;
  put(input: PutInput): Promise<PutResult>;
  get<T = unknown>(key: unknown, options?: { user?: Id }): Promise<CachedItem<T> | undefined>;
  /** Nearest entries to a text (embedded) or a vector, within one scope and user, best first. */
  knn<T = unknown>(query: string | VectorLike, options?: KnnOptions): Promise<KnnResult<T>[]>;
  delete(key: unknown, options?: { user?: Id }): Promise<boolean>;
  /** True when `text` would be embedded (an embedder exists; non-empty; within maxTextTokens). */
  embeddable(text: string | undefined): text is string;
  /** Number of entries of this tenant; undefined when the store cannot tell now. */
  count(): Promise<number | undefined>;
  /** Deletes every entry of this tenant. Store trouble reads as 0 (or throws when strict). */
  clear(): Promise<number>;
  /**
   * Erases every entry of one user in this tenant and what the user's prompts left (their cached
   * embeddings, scope sets), and fences the user's writes already under way: a put or store that
   * began before this call can no longer land (it reports `user-erased`). `complete` is false when
   * the store had not finished within initTimeoutMs or was unavailable: call again.
   */
  forgetUser(user: Id): Promise<ForgetUserResult>;
  /**
   * Drops every entry of this tenant stored with `tag` (`tags: ['doc:42']` on put, store or wrap)
   * and fences the writes carrying it already under way, as forgetUser does: an answer computed
   * from the old source can no longer land. `complete` false: the store did not finish within
   * initTimeoutMs or was unavailable; call again. DejaConfigError when the store has no deleteTagged.
   */
  invalidateTag(tag: string): Promise<ForgetUserResult>;
  /** A page of this tenant's entries (admin screens); undefined when the store cannot tell now. */
  list(input?: ListInput): Promise<ListResult | undefined>;
  /** One entry by the id list() gives (DejaInputError for anything else). */
  getById<T = unknown>(id: string): Promise<CachedItem<T> | undefined>;
  /** Deletes one entry by the id list() gives; true when it existed. */
  deleteById(id: string): Promise<boolean>;
}

export function createTenantCache(scope: TenantScope): TenantCache {
  const { store, options, localVectors, writes } = scope.context;
  // Keys and scopes may hold a whole prompt: hashed with the event loop free between slices.
  const idOf = (key: unknown, user: Id | undefined) => entryIdAsync(key, userDigest(user));

  const vectorFor = async (input: PutInput, user: string): Promise<Float32Array | undefined> => {
    if (input.vector !== undefined) {
      if (typeof input.text !== 'string' || input.text.length === 0)
        throw new DejaInputError('A vector needs the text it was made from (put({ text, vector }))');
      return scope.checkVector(input.vector);
    }
    if (input.text === undefined) return undefined;
    if (typeof input.text !== 'string') throw new DejaInputError('text must be a string');
    checkText(input.text, options.maxTextTokens, 'text is empty; pass no text for an exact-only entry');
    return scope.embed(input.text, undefined, undefined, user);
  };

  return {
    id: scope.id,
    digest: scope.digest,
    responses: createResponseCache(scope),

    async put(input) {
      // Before anything is computed: a forgetUser from now on fences this write.
      const startedAt = Date.now();
      const id = await idOf(input.key, input.user);
      const user = userDigest(input.user);
      const ttlMs = input.ttlMs === undefined ? options.ttlMs : parseTtlMs(input.ttlMs);
      const tags = scope.tags(input.tags);
      const response = scope.encode(input.value);
      if (response === undefined) return { stored: false, id, reason: 'too-large' };
      // The labels kept are the tags the entry really carries, whatever input.meta says.
      const { tags: _given, ...rest } = input.meta ?? {};
      const meta = encodeEntryMeta(tags ? { ...rest, tags: tags.labels } : rest);
      const embedding = await vectorFor(input, user);
      return scope.write({
        id,
        user,
        startedAt,
        scope: await digestAsync(input.scope ?? null),
        text: input.text ?? '',
        embedding,
        response,
        meta,
        ttlMs,
        tags: tags?.digests,
      });
    },

    get: async (key, getOptions = {}) => scope.read(await idOf(key, getOptions.user)),

    async knn(query, knnOptions = {}) {
      const k = knnOptions.k ?? 5;
      if (!Number.isInteger(k) || k < 1 || k > 1_000)
        throw new DejaInputError('k must be a whole number from 1 to 1000');
      const minSimilarity = knnOptions.minSimilarity ?? 0;
      if (!(minSimilarity >= 0 && minSimilarity <= 1))
        throw new DejaInputError('minSimilarity is a cosine similarity in [0, 1]');
      // The same rule as put(): no embedder call for a text that cannot be embedded.
      if (typeof query === 'string') checkText(query, options.maxTextTokens, 'knn text is empty');
      const user = userDigest(knnOptions.user);
      const vector =
        typeof query === 'string'
          ? await scope.embed(query, undefined, undefined, user)
          : scope.checkVector(query);
      return scope.nearest({
        vector,
        k,
        scope: await digestAsync(knnOptions.scope ?? null),
        user,
        minSimilarity,
      });
    },

    delete: async (key, deleteOptions = {}) =>
      store.delete(scope.digest, await idOf(key, deleteOptions.user)),
    embeddable: (text): text is string => scope.embeddable(text),
    count: () => store.count(scope.digest),
    async clear() {
      // This process's copies go too: before (no lookup is served from them from now on) and
      // after (a lookup under way may have put one back meanwhile).
      localVectors.forget(scope.digest);
      await writes.settled();
      const cleared = await store.clearTenant(scope.digest);
      localVectors.forget(scope.digest);
      return cleared;
    },
    async forgetUser(user) {
      const userKey = idDigest(user, 'user');
      localVectors.forget(scope.digest, userKey);
      // A cached embedding of theirs still being written (behind a lookup) lands before the sweep.
      await writes.settled();
      const forgotten = await store.forgetUser(scope.digest, userKey);
      localVectors.forget(scope.digest, userKey);
      return forgotten;
    },
    list: (input) => listEntries(scope, input),
    getById: async (id) => scope.read(checkEntryId(id)),
    deleteById: async (id) => store.delete(scope.digest, checkEntryId(id)),
    async invalidateTag(tag) {
      const digestOfTag = tagDigest(tag);
      if (!store.tags)
        throw new DejaConfigError(`The store "${store.name}" cannot invalidate by tag (no deleteTagged)`);
      return store.deleteTagged(scope.digest, digestOfTag);
    },
  };
}

function checkText(text: string, maxTextTokens: number, emptyMessage: string): void {
  if (text.trim().length === 0) throw new DejaInputError(emptyMessage);
  if (exceedsTokens(text, maxTextTokens))
    throw new DejaInputError(`text is over maxTextTokens (${maxTextTokens}); it would not be embedded`);
}
