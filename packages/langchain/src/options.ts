// Constructor options of the adapters. A zod schema each gives the runtime check; the documented
// interfaces give the types users see on hover (z.input<> would drop the JSDoc), and
// options.test.ts proves at compile time that each interface is its schema's input.
import type { CacheMode, Deja, Id } from '@deja/core';
import {
  cacheModeSchema,
  dejaInstanceSchema,
  dimensionsSchema,
  idSchema,
  modelIdSchema,
  similaritySchema,
  ttlMsSchema,
  wholeNumberSchema,
} from '@deja/core/adapter';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { z } from 'zod';

/** Options of `new DejaCache(...)`. */
export interface DejaCacheOptions {
  /** The deja to cache in (createDeja()). */
  deja: Deja;
  /** Every entry belongs to this tenant; another tenant never sees it. */
  tenant: Id;
  /** Entries only this user's lookups see (a per-user cache inside the tenant). Default: none. */
  user?: Id;
  /** `'exact'`, `'semantic'` or `'off'`. Default: the deja's mode. */
  mode?: CacheMode;
  /** Time to live of an entry, ms. Default: the deja's `ttlMs` (one day). */
  ttlMs?: number;
  /** Cosine similarity a semantic hit needs, in [0, 1]. Default: the deja's `minSimilarity`. */
  minSimilarity?: number;
}

/** Options of `new DejaEmbeddings(...)`. */
export interface DejaEmbeddingsOptions {
  /** The deja whose store keeps the vectors. */
  deja: Deja;
  /** The LangChain embeddings to cache. */
  embeddings: EmbeddingsInterface;
  /** Names the model in cache keys. Default: derived from the embeddings (class name and `model`), see README. */
  modelId?: string;
  /**
   * Vector length. Default: the embeddings' `dimensions` field, else learned from the first vectors
   * and remembered in the store (a new process does not ask the model again for cached texts).
   */
  dimensions?: number;
  /** Most texts per call to the model. Default: the embeddings' `batchSize` field, else all misses at once. */
  maxBatchSize?: number;
}

/** Options of `langchainEmbedder(embeddings, ...)`. */
export interface LangchainEmbedderOptions {
  /** Names the model (namespaces deja's embedding cache). Default: derived from the embeddings. */
  modelId?: string;
  /** Vector length, needed up front by createDeja. Default: the embeddings' `dimensions` field. */
  dimensions?: number;
  /** Most texts per call. Default: the embeddings' `batchSize` field, else unlimited. */
  maxBatchSize?: number;
}

export const dejaCacheOptionsSchema = z
  .object({
    deja: dejaInstanceSchema,
    tenant: idSchema,
    user: idSchema.optional(),
    mode: cacheModeSchema.optional(),
    ttlMs: ttlMsSchema.optional(),
    minSimilarity: similaritySchema.optional(),
  })
  .strict();

/** Structural, so a second copy of @langchain/core in node_modules still passes. */
export const embeddingsSchema = z.custom<EmbeddingsInterface>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as EmbeddingsInterface).embedDocuments === 'function' &&
    typeof (value as EmbeddingsInterface).embedQuery === 'function',
  'embeddings must be a LangChain Embeddings (embedDocuments and embedQuery)',
);

const maxBatchSizeSchema = wholeNumberSchema('maxBatchSize', 1, 1_000_000);

export const dejaEmbeddingsOptionsSchema = z
  .object({
    deja: dejaInstanceSchema,
    embeddings: embeddingsSchema,
    modelId: modelIdSchema.optional(),
    dimensions: dimensionsSchema.optional(),
    maxBatchSize: maxBatchSizeSchema.optional(),
  })
  .strict();

export const langchainEmbedderOptionsSchema = z
  .object({
    modelId: modelIdSchema.optional(),
    dimensions: dimensionsSchema.optional(),
    maxBatchSize: maxBatchSizeSchema.optional(),
  })
  .strict();
