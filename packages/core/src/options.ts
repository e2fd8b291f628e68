// createDeja options: one zod schema gives the runtime check and the type.
import { z } from 'zod';
import type { Embedder } from './embeddings/embedder.js';
import { DejaConfigError, DejaInputError } from './errors.js';
import type { DejaErrorEvent } from './guard.js';
import type { Store } from './stores/types.js';

export const cacheModeSchema = z.enum(['exact', 'semantic', 'off'], {
  message: "mode must be 'exact', 'semantic' or 'off'",
});
export type CacheMode = z.infer<typeof cacheModeSchema>;

export const similaritySchema = z
  .number()
  .min(0, 'minSimilarity is a cosine similarity in [0, 1]')
  .max(1, 'minSimilarity is a cosine similarity in [0, 1]');
/** A time to live in milliseconds (whole, positive). */
export const ttlMsSchema = z.number().int('ttlMs is whole milliseconds').positive('ttlMs must be positive');

const storeSchema = z.custom<Store>(
  (value) => typeof value === 'object' && value !== null && typeof (value as Store).put === 'function',
  'store must be a deja Store (memoryStore() or redisStore(...))',
);
export const embedderSchema = z.custom<Embedder>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Embedder).embed === 'function' &&
    typeof (value as Embedder).modelId === 'string' &&
    Number.isInteger((value as Embedder).dimensions) &&
    (value as Embedder).dimensions > 0,
  'embedder must have modelId (string), dimensions (positive integer) and embed(texts)',
);

export const dejaOptionsSchema = z
  .object({
    /** Where entries live; memoryStore() when absent and no `redis` is given. */
    store: storeSchema.optional(),
    /** Builds a redisStore when no `store` is given (what loadConfig fills from the environment). */
    redis: z
      .object({
        url: z.string().regex(/^rediss?:\/\//, 'redis.url must be a redis:// or rediss:// URL'),
        prefix: z.string().min(1).optional(),
        indexName: z.string().min(1).optional(),
        algorithm: z.enum(['FLAT', 'HNSW']).optional(),
      })
      .optional(),
    /** Turns semantic text into vectors; without it lookups are exact only. */
    embedder: embedderSchema.optional(),
    /** Vector dimension; must agree with the embedder's when both are given. */
    dimensions: z.number().int().positive().optional(),
    mode: cacheModeSchema.default('semantic'),
    minSimilarity: similaritySchema.default(0.9),
    /** Response entry TTL, ms (default 1 day). */
    ttlMs: ttlMsSchema.default(86_400_000),
    /** Embedding cache TTL, ms (default 7 days). */
    embeddingTtlMs: ttlMsSchema.default(7 * 86_400_000),
    /** Cache embeddings at all (the response cache still embeds for semantic lookup). */
    cacheEmbeddings: z.boolean().default(true),
    /** Texts per MGET when reading the embedding cache. */
    embeddingReadBatchSize: z.number().int().min(1).max(10_000).default(100),
    embeddingKeyPrefix: z.string().min(1).default('embedding:'),
    /** Longest semantic text (tiktoken tokens) that is embedded; longer ones are exact-only. */
    maxTextTokens: z.number().int().positive().default(8_192),
    /** Largest encoded response (bytes) that is stored; bigger ones are not cached. */
    maxResponseBytes: z.number().int().positive().default(1_000_000),
    /** Deadline of one store operation, ms. */
    timeoutMs: z.number().int().positive().default(250),
    /** Deadline of connecting and creating or checking the index, ms. */
    initTimeoutMs: z.number().int().positive().default(5_000),
    breaker: z
      .object({
        failureThreshold: z.number().int().positive().default(5),
        cooldownMs: z.number().int().positive().default(1_000),
      })
      .default({ failureThreshold: 5, cooldownMs: 1_000 }),
    /** Throw store trouble instead of treating it as a miss. */
    strict: z.boolean().default(false),
    onError: z.custom<(event: DejaErrorEvent) => void>((value) => typeof value === 'function').optional(),
    /** A Redis lock around compute in `wrap`, so several processes compute a miss once. */
    lock: z
      .union([
        z.literal(false),
        z.object({
          ttlMs: z.number().int().positive().default(10_000),
          pollMs: z.number().int().positive().default(50),
        }),
      ])
      .default(false),
    /** USD per million tokens by model id, for the cost-saved figure. */
    prices: z
      .record(z.string(), z.object({ input: z.number().nonnegative(), output: z.number().nonnegative() }))
      .default({}),
    /** How often per-tenant counters are written to the store, ms (0: only on close). */
    statsFlushMs: z.number().int().nonnegative().default(5_000),
  })
  .strict();

export type DejaOptions = z.input<typeof dejaOptionsSchema>;
export type ResolvedDejaOptions = z.output<typeof dejaOptionsSchema>;

export function parseOptions(options: DejaOptions): ResolvedDejaOptions {
  const parsed = dejaOptionsSchema.safeParse(options);
  if (!parsed.success) throw new DejaConfigError(`Invalid deja options: ${formatIssues(parsed.error)}`);
  const resolved = parsed.data;
  if (
    resolved.embedder &&
    resolved.dimensions !== undefined &&
    resolved.embedder.dimensions !== resolved.dimensions
  ) {
    throw new DejaConfigError(
      `dimensions is ${resolved.dimensions} but embedder ${resolved.embedder.modelId} gives ${resolved.embedder.dimensions}`,
    );
  }
  return resolved;
}

export function formatIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`).join('; ');
}

/** A ttlMs from a call's options; a typed error names what is wrong. */
export function parseTtlMs(value: number): number {
  const parsed = ttlMsSchema.safeParse(value);
  if (!parsed.success)
    throw new DejaInputError(`ttlMs ${value} is not a positive whole number of milliseconds`);
  return parsed.data;
}
