// Options of the middlewares and of one call (`providerOptions.deja`): one zod schema each gives
// the runtime check and the type.
import { type CacheMode, type Deja, DejaConfigError, DejaInputError, type Id } from '@deja/core';
import { z } from 'zod';

const MAX_ID_LENGTH = 1_024;

const dejaSchema = z.custom<Deja>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Deja).tenant === 'function' &&
    typeof (value as Deja).cachedEmbedder === 'function',
  'deja must be the object createDeja() returns',
);

/** Tenant and user ids as @deja/core takes them (it checks them again when it hashes them). */
const idSchema = z.custom<Id>((value) => {
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value === 'string') return value.length > 0 && value.length <= MAX_ID_LENGTH;
  return typeof value === 'object' && value !== null && String(value).length > 0;
}, `must be a non-empty string (at most ${MAX_ID_LENGTH} characters), a finite number or a UUID-like object`);

const modeSchema = z.enum(['exact', 'semantic', 'off'], {
  message: "mode must be 'exact', 'semantic' or 'off'",
});
const ttlSchema = z.number().int('ttl is whole seconds').positive('ttl must be positive');
const similaritySchema = z
  .number()
  .min(0, 'minSimilarity is a cosine similarity in [0, 1]')
  .max(1, 'minSimilarity is a cosine similarity in [0, 1]');

/** What one call may set through `providerOptions.deja`; every field overrides the middleware's. */
export const callOptionsSchema = z
  .object({
    tenant: idSchema.optional(),
    /** Entries only this user's lookups see (a per-user cache inside the tenant). */
    user: idSchema.optional(),
    mode: modeSchema.optional(),
    /** Seconds. */
    ttl: ttlSchema.optional(),
    minSimilarity: similaritySchema.optional(),
    /** Skip the lookup, call the model, overwrite the entry. */
    refresh: z.boolean().optional(),
  })
  .strict();

export type DejaCallOptions = z.input<typeof callOptionsSchema>;

export const middlewareOptionsSchema = z
  .object({
    deja: dejaSchema,
    /** Default tenant; a call without one (here or in providerOptions.deja) is refused. */
    tenant: idSchema.optional(),
    user: idSchema.optional(),
    /** Default: the deja's mode. */
    mode: modeSchema.optional(),
    /** Seconds; default: the deja's ttl. */
    ttl: ttlSchema.optional(),
    /** Default: the deja's minSimilarity. */
    minSimilarity: similaritySchema.optional(),
    /** Pause between replayed stream parts, ms (for UIs that want a typing effect); default none. */
    replayDelayMs: z.number().int('replayDelayMs is whole milliseconds').nonnegative().optional(),
  })
  .strict();

export type DejaMiddlewareOptions = z.input<typeof middlewareOptionsSchema>;

export const embeddingMiddlewareOptionsSchema = z
  .object({
    deja: dejaSchema,
    /** Vector length; default: the call's `dimensions`, else learned from the model's first answer. */
    dimensions: z
      .number()
      .int('dimensions is a whole number')
      .positive('dimensions must be positive')
      .optional(),
  })
  .strict();

export type DejaEmbeddingMiddlewareOptions = z.input<typeof embeddingMiddlewareOptionsSchema>;

/** The settings one call runs with: the middleware's, overridden by the call's. */
export interface CallSettings {
  tenant: Id;
  user: Id | undefined;
  mode: CacheMode;
  ttl: number | undefined;
  minSimilarity: number | undefined;
  refresh: boolean;
}

export function parseMiddlewareOptions<T>(schema: z.ZodType<T>, options: unknown, name: string): T {
  const parsed = schema.safeParse(options);
  if (!parsed.success) throw new DejaConfigError(`Invalid ${name} options: ${formatIssues(parsed.error)}`);
  return parsed.data;
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
    ttl: call.ttl ?? defaults.ttl,
    minSimilarity: call.minSimilarity ?? defaults.minSimilarity,
    refresh: call.refresh ?? false,
  };
}

function formatIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`).join('; ');
}
