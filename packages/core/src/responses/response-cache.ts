// The response cache of one tenant: exact key first (one round trip), then semantic within the
// same scope; compute once on concurrent misses; store only what is worth replaying.
import type { DejaContext } from '../context.js';
import type { CachedItem, EntryMeta } from '../entry-codec.js';
import { DejaError, DejaInputError } from '../errors.js';
import { entryId, type Id, userDigest } from '../ids.js';
import { canonicalJson } from '../keys/canonical.js';
import { type CacheMode, cacheModeSchema, parseTtlMs, similaritySchema } from '../options.js';
import type { NotCachedReason, TenantCache } from '../tenant-cache.js';
import { countTokens } from '../tokens.js';
import { waitForLock } from './lock-wait.js';

export interface ResponseRequest {
  /** Everything that determines the answer (model, prompt, params...): canonical JSON, hashed. */
  key: unknown;
  /** What is compared by meaning, usually the last user message. Absent: exact only. */
  semanticText?: string;
  /** The non-semantic context; a semantic match needs an identical scope. */
  scope?: unknown;
}

export interface ResponseOptions {
  mode?: CacheMode;
  /** Time to live, ms (default: the deja's `ttlMs`). */
  ttlMs?: number;
  minSimilarity?: number;
  /** Skip lookup, recompute, overwrite. */
  refresh?: boolean;
  /** Entries of a user are only seen by lookups for that user. */
  user?: Id;
  signal?: AbortSignal;
}

export interface StoreOptions extends ResponseOptions {
  model?: string;
  usage?: { inputTokens?: number; outputTokens?: number };
  custom?: Record<string, unknown>;
}

export interface CacheHit<T = unknown> {
  hit: 'exact' | 'semantic';
  /** 1 for exact hits. */
  similarity: number;
  ageMs: number;
  /** Id of the entry that answered. */
  key: string;
  value: T;
  meta: EntryMeta;
}

export type StoreResult =
  | { stored: true; key: string }
  | { stored: false; key: string; reason: NotCachedReason };

export interface WrapOptions<T> extends StoreOptions {
  /** Return false for results not worth replaying (errors, refusals); default: cache everything. */
  shouldCache?: (value: T) => boolean;
  /** Model and usage of a computed value, for stats and cost saved. */
  describe?: (value: T) => { model?: string; usage?: { inputTokens?: number; outputTokens?: number } };
}

export type WrapResult<T> =
  | (CacheHit<T> & { shared: boolean })
  | { hit: 'miss'; value: T; key: string; shared: boolean; stored: boolean };

export class ResponseCache {
  constructor(
    private readonly tenant: TenantCache,
    private readonly context: DejaContext,
  ) {}

  async lookup<T = unknown>(
    request: ResponseRequest,
    options: ResponseOptions = {},
  ): Promise<CacheHit<T> | undefined> {
    const settings = this.settings(options);
    if (settings.mode === 'off') return undefined;
    const started = performance.now();
    const id = entryId(request.key, settings.user);
    const semantic = settings.mode === 'semantic' && this.tenant.embeddable(request.semanticText);
    // Redis trouble costs a lookup one deadline, not one per tier.
    const hit = await this.context.guard.oneDeadline(async () => {
      // The exact probe and the embedding-cache read leave together (one pipeline, one round
      // trip), so a semantic hit on a cached embedding costs two round trips, not three.
      const [exact, cached] = await Promise.all([
        this.exact<T>(id),
        semantic ? this.tenant.cachedVectors(request.semanticText as string) : undefined,
      ]);
      if (exact || !semantic) return exact;
      return this.semantic<T>(request, settings, cached);
    });
    this.context.stats.lookupLatency(performance.now() - started);
    const label = this.tenant.statsRef;
    if (!hit) {
      this.context.stats.add(label, { misses: 1 });
      return undefined;
    }
    this.context.stats.add(label, hit.hit === 'exact' ? { exactHits: 1 } : { semanticHits: 1 });
    if (hit.meta.usage) this.context.stats.saved(label, hit.meta.usage, hit.meta.model);
    return hit;
  }

  async store(request: ResponseRequest, value: unknown, options: StoreOptions = {}): Promise<StoreResult> {
    const settings = this.settings(options);
    const key = entryId(request.key, settings.user);
    if (settings.mode === 'off') return { stored: false, key, reason: 'mode-off' };
    const semantic = settings.mode === 'semantic' && this.tenant.embeddable(request.semanticText);
    try {
      // Check the value first: an answer that will not be stored is not worth an embedding.
      const response = this.tenant.encode(value);
      if (response === undefined) return { stored: false, key, reason: 'too-large' };
      const meta = this.meta(request, typeof value === 'string' ? value : response, options);
      // Redis trouble costs a store one deadline, not one per step (embedding read and write, entry).
      const result = await this.context.guard.oneDeadline(async () => {
        // An embedder failure costs this entry its semantic tier, not the app its answer.
        const vector = semantic
          ? await this.tryEmbed(request.semanticText as string, settings.signal)
          : undefined;
        const entry = {
          key: request.key,
          scope: request.scope,
          user: options.user,
          ttlMs: settings.ttlMs,
          meta,
        };
        return this.tenant.write(
          { ...entry, text: vector ? request.semanticText : undefined },
          response,
          vector,
        );
      });
      return result.stored ? { stored: true, key } : { stored: false, key, reason: result.reason };
    } catch (error) {
      // What the model produced is not the app's mistake: an uncacheable value is reported, not thrown.
      if (!(error instanceof DejaInputError)) throw error;
      this.context.guard.report({ kind: 'not-cached', operation: 'store', error });
      this.context.stats.add(this.tenant.statsRef, { notCached: 1 });
      return { stored: false, key, reason: 'not-cacheable' };
    }
  }

  /** Returns the cached answer, or computes it once however many identical misses arrive together. */
  async wrap<T>(
    request: ResponseRequest,
    compute: () => Promise<T>,
    options: WrapOptions<T> = {},
  ): Promise<WrapResult<T>> {
    const settings = this.settings(options);
    const key = entryId(request.key, settings.user);
    if (settings.mode === 'off')
      return { hit: 'miss', value: await compute(), key, shared: false, stored: false };
    if (!options.refresh) {
      const hit = await this.lookup<T>(request, options);
      if (hit) return { ...hit, shared: false };
    }
    const flightKey = `${this.tenant.digest}:${key}:${options.refresh ? 'refresh' : 'fill'}`;
    const { promise, shared } = this.context.flights.run(flightKey, () =>
      this.fill(request, compute, options, key),
    );
    try {
      const result = (await promise) as WrapResult<T>;
      return { ...result, shared };
    } catch (error) {
      // The caller we waited on gave up (its own abort): that is no answer for us, so try again.
      // Any other failure is the answer: the model failed for everyone waiting on it.
      if (shared && isAbort(error) && !options.signal?.aborted) return this.wrap(request, compute, options);
      throw error;
    }
  }

  private async fill<T>(
    request: ResponseRequest,
    compute: () => Promise<T>,
    options: WrapOptions<T>,
    key: string,
  ): Promise<WrapResult<T>> {
    const { lock } = this.context.options;
    const useLock = lock !== false && this.context.store.capabilities.shared && !options.refresh;
    let token: string | undefined;
    if (useLock && (await this.context.ready())) {
      const waited = await waitForLock(this.context, this.tenant.digest, key, lock, () => this.exact<T>(key));
      if (waited.hit) return { ...waited.hit, shared: true };
      token = waited.token;
    }
    try {
      const value = await compute();
      const worth = options.shouldCache ? options.shouldCache(value) : true;
      const described = worth && options.describe ? options.describe(value) : {};
      const stored = worth ? (await this.store(request, value, { ...options, ...described })).stored : false;
      return { hit: 'miss', value, key, shared: false, stored };
    } finally {
      if (token) {
        const held = token;
        await this.context.guard.run(
          'release lock',
          () => this.context.store.releaseLock(this.tenant.digest, key, held),
          undefined,
        );
      }
    }
  }

  private async exact<T>(id: string): Promise<CacheHit<T> | undefined> {
    const item = await this.tenant.getById<T>(id);
    return item && toHit(item, 'exact', 1);
  }

  private async semantic<T>(
    request: ResponseRequest,
    settings: Settings,
    cached: Map<string, Float32Array> | undefined,
  ): Promise<CacheHit<T> | undefined> {
    const vector = await this.tryEmbed(request.semanticText as string, settings.signal, cached);
    if (!vector) return undefined;
    const matches = await this.tenant.knn<T>(vector, {
      k: 1,
      scope: request.scope ?? null,
      user: settings.userId,
      minSimilarity: settings.minSimilarity,
    });
    const best = matches[0];
    return best && toHit(best, 'semantic', best.similarity);
  }

  /** Embeds through the tenant's embedding cache; a failing or misbehaving embedder reads as undefined. */
  private async tryEmbed(
    text: string,
    signal: AbortSignal | undefined,
    alreadyRead?: Map<string, Float32Array>,
  ): Promise<Float32Array | undefined> {
    try {
      return await this.tenant.embed(text, signal, alreadyRead);
    } catch (error) {
      if (DejaError.isInstance(error) && !(error instanceof DejaInputError)) throw error;
      this.context.guard.report({ kind: 'embedder', operation: 'embed semantic text', error });
      return undefined;
    }
  }

  /** `answerText`: the answer as text, for a token estimate when the provider gave no usage. */
  private meta(request: ResponseRequest, answerText: string, options: StoreOptions): EntryMeta {
    const meta: EntryMeta = {};
    if (options.model !== undefined) meta.model = options.model;
    if (options.custom !== undefined) meta.custom = options.custom;
    const { inputTokens, outputTokens } = options.usage ?? {};
    if (Number.isFinite(inputTokens) && Number.isFinite(outputTokens)) {
      meta.usage = { inputTokens: inputTokens as number, outputTokens: outputTokens as number };
    } else {
      // No usage from the provider: estimate what a hit saves with tiktoken.
      const input = request.semanticText ?? canonicalJson(request.key);
      meta.usage = { inputTokens: countTokens(input), outputTokens: countTokens(answerText) };
      meta.usageEstimated = true;
    }
    return meta;
  }

  private settings(options: ResponseOptions): Settings {
    const defaults = this.context.options;
    return {
      // Defaults were checked by createDeja; only per-call values need checking here.
      mode: options.mode === undefined ? defaults.mode : parseMode(options.mode),
      minSimilarity:
        options.minSimilarity === undefined ? defaults.minSimilarity : parseSimilarity(options.minSimilarity),
      ttlMs: options.ttlMs === undefined ? defaults.ttlMs : parseTtlMs(options.ttlMs),
      user: userDigest(options.user),
      userId: options.user,
      signal: options.signal,
    };
  }
}

interface Settings {
  mode: CacheMode;
  minSimilarity: number;
  ttlMs: number;
  user: string;
  userId: Id | undefined;
  signal: AbortSignal | undefined;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

function toHit<T>(item: CachedItem<T>, hit: 'exact' | 'semantic', similarity: number): CacheHit<T> {
  return { hit, similarity, ageMs: item.ageMs, key: item.id, value: item.value, meta: item.meta };
}

function parseMode(value: CacheMode): CacheMode {
  const parsed = cacheModeSchema.safeParse(value);
  if (!parsed.success)
    throw new DejaInputError(`mode ${JSON.stringify(value)} is not one of 'exact', 'semantic', 'off'`);
  return parsed.data;
}

function parseSimilarity(value: number): number {
  const parsed = similaritySchema.safeParse(value);
  if (!parsed.success)
    throw new DejaInputError(`minSimilarity ${value} is outside [0, 1]: it is a cosine similarity`);
  return parsed.data;
}
