// Options of the middlewares and of one call (`providerOptions.deja`). A zod schema each gives the
// runtime check; the documented interfaces give the types users see on hover (z.input<> would drop
// the JSDoc), and options.test.ts proves at compile time that each is its schema's input.
import { type CacheMode, type Deja, DejaInputError, type Id } from '@deja/core';
import {
  type AdapterCallSettings,
  cacheModeSchema,
  dejaInstanceSchema,
  dimensionsSchema,
  durationMsSchema,
  formatIssues,
  idSchema,
  mergeCallSettings,
  similaritySchema,
  ttlMsSchema,
} from '@deja/core/adapter';
import { z } from 'zod';

/**
 * What one call may set through `providerOptions.deja`; every field overrides the middleware's.
 * A type alias of JSON values (not an interface, ids not `Id`), so it is assignable to the SDK's
 * `providerOptions` (`Record<string, JSONObject>`) as it is: `providerOptions: { deja: options }`.
 */
export type DejaCallOptions = {
  /** The tenant of this call. Default: the middleware's `tenant` (a call with neither is refused). */
  tenant?: JsonId;
  /** Entries only this user's lookups see (a per-user cache inside the tenant). Default: the middleware's. */
  user?: JsonId;
  /** `'exact'`, `'semantic'` or `'off'`. Default: the middleware's, else the deja's mode. */
  mode?: CacheMode;
  /** Time to live of the entry, ms. Default: the middleware's, else the deja's `ttlMs` (one day). */
  ttlMs?: number;
  /** Cosine similarity a semantic hit needs, in [0, 1]. Default: the middleware's, else the deja's. */
  minSimilarity?: number;
  /** Skip the lookup, call the model, overwrite the entry. Default false. */
  refresh?: boolean;
  /**
   * What the answer is built from (e.g. `['doc:42']`): `tenant.invalidateTag('doc:42')` drops it.
   * Non-empty strings, at most 32 of 256 characters each (checked by deja).
   */
  tags?: string[];
};

/** A tenant or user id as JSON carries it: provider options are JSON values. */
export type JsonId = string | number;

/**
 * The id check of every adapter, typed with the input JSON gives (types only: at run time it is
 * idSchema, so a UUID object put there by untyped code is still read as its string).
 */
const jsonIdSchema = idSchema as unknown as z.ZodType<Id, JsonId>;

/** Options of `dejaMiddleware(...)`. */
export interface DejaMiddlewareOptions {
  /** The deja to cache in (createDeja()). */
  deja: Deja;
  /** Default tenant; a call without one (here or in providerOptions.deja) is refused. */
  tenant?: Id;
  /** Default user: entries only this user's lookups see. Default: none. */
  user?: Id;
  /** `'exact'`, `'semantic'` or `'off'`. Default: the deja's mode. */
  mode?: CacheMode;
  /** Time to live of an entry, ms. Default: the deja's `ttlMs` (one day). */
  ttlMs?: number;
  /** Cosine similarity a semantic hit needs, in [0, 1]. Default: the deja's `minSimilarity`. */
  minSimilarity?: number;
  /** Pause between replayed stream parts, ms (for UIs that want a typing effect). Default 0. */
  replayDelayMs?: number;
}

/** Options of `dejaEmbeddingMiddleware(...)` and `cachedEmbeddingModel(model, ...)`. */
export interface DejaEmbeddingMiddlewareOptions {
  /** The deja whose store keeps the vectors. */
  deja: Deja;
  /**
   * Vector length. Default: the call's `dimensions`, else learned from the model's first vectors
   * and remembered in the store (a new process does not re-send cached values).
   */
  dimensions?: number;
}

export const callOptionsSchema = z
  .object({
    tenant: jsonIdSchema.optional(),
    user: jsonIdSchema.optional(),
    mode: cacheModeSchema.optional(),
    ttlMs: ttlMsSchema.optional(),
    minSimilarity: similaritySchema.optional(),
    refresh: z.boolean({ message: 'refresh must be true or false' }).optional(),
    tags: z.array(z.string({ message: 'tags must be strings' })).optional(),
  })
  .strict();

export const middlewareOptionsSchema = z
  .object({
    deja: dejaInstanceSchema,
    tenant: idSchema.optional(),
    user: idSchema.optional(),
    mode: cacheModeSchema.optional(),
    ttlMs: ttlMsSchema.optional(),
    minSimilarity: similaritySchema.optional(),
    replayDelayMs: durationMsSchema('replayDelayMs', 0, 60_000).optional(),
  })
  .strict();

export const embeddingMiddlewareOptionsSchema = z
  .object({
    deja: dejaInstanceSchema,
    dimensions: dimensionsSchema.optional(),
  })
  .strict();

/** The settings one call runs with: the middleware's, overridden by the call's. */
export type CallSettings = AdapterCallSettings;

/** Merges `providerOptions.deja` over the middleware's options; bad input is a DejaInputError. */
export function resolveCallSettings(
  defaults: z.output<typeof middlewareOptionsSchema>,
  raw: unknown,
): CallSettings {
  const parsed = callOptionsSchema.safeParse(raw ?? {});
  if (!parsed.success)
    throw new DejaInputError(`Invalid providerOptions.deja: ${formatIssues(parsed.error)}`);
  return mergeCallSettings(
    parsed.data,
    defaults,
    'No tenant for this call: pass dejaMiddleware({ tenant }) or providerOptions: { deja: { tenant } }',
  );
}
