// Options of the middlewares and of one call (`providerOptions.deja`): one zod schema each gives
// the runtime check and the type.
import { type CacheMode, DejaInputError, type Id } from '@deja/core';
import {
  cacheModeSchema,
  dejaInstanceSchema,
  dimensionsSchema,
  formatIssues,
  idSchema,
  similaritySchema,
  ttlMsSchema,
} from '@deja/core/adapter';
import { z } from 'zod';

/** What one call may set through `providerOptions.deja`; every field overrides the middleware's. */
export const callOptionsSchema = z
  .object({
    tenant: idSchema.optional(),
    /** Entries only this user's lookups see (a per-user cache inside the tenant). */
    user: idSchema.optional(),
    mode: cacheModeSchema.optional(),
    /** Time to live, ms. */
    ttlMs: ttlMsSchema.optional(),
    minSimilarity: similaritySchema.optional(),
    /** Skip the lookup, call the model, overwrite the entry. */
    refresh: z.boolean().optional(),
  })
  .strict();

export type DejaCallOptions = z.input<typeof callOptionsSchema>;

export const middlewareOptionsSchema = z
  .object({
    deja: dejaInstanceSchema,
    /** Default tenant; a call without one (here or in providerOptions.deja) is refused. */
    tenant: idSchema.optional(),
    user: idSchema.optional(),
    /** Default: the deja's mode. */
    mode: cacheModeSchema.optional(),
    /** Time to live, ms; default: the deja's ttlMs. */
    ttlMs: ttlMsSchema.optional(),
    /** Default: the deja's minSimilarity. */
    minSimilarity: similaritySchema.optional(),
    /** Pause between replayed stream parts, ms (for UIs that want a typing effect); default none. */
    replayDelayMs: z.number().int('replayDelayMs is whole milliseconds').nonnegative().optional(),
  })
  .strict();

export type DejaMiddlewareOptions = z.input<typeof middlewareOptionsSchema>;

export const embeddingMiddlewareOptionsSchema = z
  .object({
    deja: dejaInstanceSchema,
    /** Vector length; default: the call's `dimensions`, else learned from the model's first answer. */
    dimensions: dimensionsSchema.optional(),
  })
  .strict();

export type DejaEmbeddingMiddlewareOptions = z.input<typeof embeddingMiddlewareOptionsSchema>;

/** The settings one call runs with: the middleware's, overridden by the call's. */
export interface CallSettings {
  tenant: Id;
  user: Id | undefined;
  mode: CacheMode;
  ttlMs: number | undefined;
  minSimilarity: number | undefined;
  refresh: boolean;
}

/** Merges `providerOptions.deja` over the middleware's options; bad input is a DejaInputError. */
export function resolveCallSettings(
  defaults: z.output<typeof middlewareOptionsSchema>,
  raw: unknown,
): CallSettings {
  const parsed = callOptionsSchema.safeParse(raw ?? {});
  if (!parsed.success)
    throw new DejaInputError(`Invalid providerOptions.deja: ${formatIssues(parsed.error)}`);
  const call = parsed.data;
  const tenant = call.tenant ?? defaults.tenant;
  if (tenant === undefined) {
    throw new DejaInputError(
      'No tenant for this call: pass dejaMiddleware({ tenant }) or providerOptions: { deja: { tenant } }',
    );
  }
  return {
    tenant,
    user: call.user ?? defaults.user,
    mode: call.mode ?? defaults.mode ?? defaults.deja.options.mode,
    ttlMs: call.ttlMs ?? defaults.ttlMs,
    minSimilarity: call.minSimilarity ?? defaults.minSimilarity,
    refresh: call.refresh ?? false,
  };
}
