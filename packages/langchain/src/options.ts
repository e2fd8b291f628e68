// Constructor options of the adapters: one zod schema each gives the runtime check and the type.
import { type CacheMode, type Deja, DejaConfigError, type Id } from '@deja/core';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
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

/** Tenant and user ids: what @deja/core accepts (it checks them again). */
const idSchema = z.custom<Id>((value) => {
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value === 'string') return value.length > 0 && value.length <= MAX_ID_LENGTH;
  return typeof value === 'object' && value !== null && String(value).length > 0;
}, `must be a non-empty string (at most ${MAX_ID_LENGTH} characters), a finite number or a UUID-like object`);

export const dejaCacheOptionsSchema = z
  .object({
    deja: dejaSchema,
    /** Every entry belongs to this tenant; another tenant never sees it. */
    tenant: idSchema,
    /** Entries only this user's lookups see (a per-user cache inside the tenant). */
    user: idSchema.optional(),
    /** Default: the deja's mode. */
    mode: z
      .custom<CacheMode>((value) => value === 'semantic' || value === 'exact' || value === 'off', {
        message: "mode must be 'semantic', 'exact' or 'off'",
      })
      .optional(),
    /** Seconds; default: the deja's ttl. */
    ttl: z.number().int('ttl is whole seconds').positive('ttl must be positive').optional(),
    /** Cosine similarity in [0, 1]; default: the deja's minSimilarity. */
    minSimilarity: z
      .number()
      .min(0, 'minSimilarity is a cosine similarity in [0, 1]')
      .max(1, 'minSimilarity is a cosine similarity in [0, 1]')
      .optional(),
  })
  .strict();

export type DejaCacheOptions = z.input<typeof dejaCacheOptionsSchema>;

/** Structural, so a second copy of @langchain/core in node_modules still passes. */
export const embeddingsSchema = z.custom<EmbeddingsInterface>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as EmbeddingsInterface).embedDocuments === 'function' &&
    typeof (value as EmbeddingsInterface).embedQuery === 'function',
  'embeddings must be a LangChain Embeddings (embedDocuments and embedQuery)',
);

const modelIdSchema = z
  .string()
  .min(1, 'modelId must not be empty')
  .max(200, 'modelId is at most 200 characters')
  .regex(/^[^{}\s]+$/, 'modelId may not hold braces or whitespace (it is a Redis key segment)');
const dimensionsSchema = z
  .number()
  .int('dimensions is a whole number')
  .positive('dimensions must be positive');
const batchSizeSchema = z.number().int('batchSize is a whole number').positive('batchSize must be positive');

export const dejaEmbeddingsOptionsSchema = z
  .object({
    deja: dejaSchema,
    /** The LangChain embeddings to cache. */
    embeddings: embeddingsSchema,
    /** Names the model in cache keys; derived from the embeddings when absent (see README). */
    modelId: modelIdSchema.optional(),
    /** Vector length; default: the embeddings' `dimensions`, else learned from the first vectors. */
    dimensions: dimensionsSchema.optional(),
    /** Most texts per call to the model; default: the embeddings' `batchSize`, else all misses at once. */
    batchSize: batchSizeSchema.optional(),
  })
  .strict();

export type DejaEmbeddingsOptions = z.input<typeof dejaEmbeddingsOptionsSchema>;

export const langchainEmbedderOptionsSchema = z
  .object({
    /** Embedder id (namespaces deja's embedding cache); derived from the embeddings when absent. */
    id: modelIdSchema.optional(),
    /** Vector length; default: the embeddings' `dimensions` field. */
    dimensions: dimensionsSchema.optional(),
    /** Most texts per call; default: the embeddings' `batchSize` field. */
    batchSize: batchSizeSchema.optional(),
  })
  .strict();

export type LangchainEmbedderOptions = z.input<typeof langchainEmbedderOptionsSchema>;

/** Parses options or throws a DejaConfigError naming every problem. */
export function parseOptions<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  what: string,
): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`,
    );
    throw new DejaConfigError(`Invalid ${what} options: ${issues.join('; ')}`);
  }
  return parsed.data;
}
