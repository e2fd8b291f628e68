// Constructor options of the adapters: one zod schema each gives the runtime check and the type.
import {
  cacheModeSchema,
  dejaInstanceSchema,
  dimensionsSchema,
  idSchema,
  similaritySchema,
  ttlMsSchema,
} from '@deja/core/adapter';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { z } from 'zod';

export const dejaCacheOptionsSchema = z
  .object({
    deja: dejaInstanceSchema,
    /** Every entry belongs to this tenant; another tenant never sees it. */
    tenant: idSchema,
    /** Entries only this user's lookups see (a per-user cache inside the tenant). */
    user: idSchema.optional(),
    /** Default: the deja's mode. */
    mode: cacheModeSchema.optional(),
    /** Time to live, ms; default: the deja's ttlMs. */
    ttlMs: ttlMsSchema.optional(),
    /** Cosine similarity in [0, 1]; default: the deja's minSimilarity. */
    minSimilarity: similaritySchema.optional(),
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
const maxBatchSizeSchema = z
  .number()
  .int('maxBatchSize is a whole number')
  .positive('maxBatchSize must be positive');

export const dejaEmbeddingsOptionsSchema = z
  .object({
    deja: dejaInstanceSchema,
    /** The LangChain embeddings to cache. */
    embeddings: embeddingsSchema,
    /** Names the model in cache keys; derived from the embeddings when absent (see README). */
    modelId: modelIdSchema.optional(),
    /** Vector length; default: the embeddings' `dimensions`, else learned from the first vectors. */
    dimensions: dimensionsSchema.optional(),
    /** Most texts per call to the model; default: the embeddings' `batchSize`, else all misses at once. */
    maxBatchSize: maxBatchSizeSchema.optional(),
  })
  .strict();

export type DejaEmbeddingsOptions = z.input<typeof dejaEmbeddingsOptionsSchema>;

export const langchainEmbedderOptionsSchema = z
  .object({
    /** Names the model (namespaces deja's embedding cache); derived from the embeddings when absent. */
    modelId: modelIdSchema.optional(),
    /** Vector length; default: the embeddings' `dimensions` field. */
    dimensions: dimensionsSchema.optional(),
    /** Most texts per call; default: the embeddings' `batchSize` field. */
    maxBatchSize: maxBatchSizeSchema.optional(),
  })
  .strict();

export type LangchainEmbedderOptions = z.input<typeof langchainEmbedderOptionsSchema>;
