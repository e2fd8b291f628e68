// aiSdkEmbedder: any AI SDK embedding model as the embedder deja uses for semantic lookup. Only
// the mapping: deja's cached embedder batches by `maxEmbeddingsPerCall` (awaited when it is a
// promise), checks the vectors and escapes the model id in keys.
import { DejaConfigError, type Embedder } from '@deja/core';
import { dimensionsSchema, parseAdapterOptions } from '@deja/core/adapter';
import { z } from 'zod';
import { embeddingModelId } from './embedding-model-id.js';
import type { WrappableEmbeddingModel } from './spec.js';

/** Options of `aiSdkEmbedder(model, ...)`. */
export interface AiSdkEmbedderOptions {
  /** Length of the model's vectors (e.g. 1536 for text-embedding-3-small); createDeja's index needs it. */
  dimensions: number;
}

export const aiSdkEmbedderOptionsSchema = z.object({ dimensions: dimensionsSchema }).strict();

export function aiSdkEmbedder(model: WrappableEmbeddingModel, options: AiSdkEmbedderOptions): Embedder {
  if (typeof model?.doEmbed !== 'function') {
    throw new DejaConfigError('aiSdkEmbedder needs an AI SDK embedding model (with doEmbed)');
  }
  const { dimensions } = parseAdapterOptions(aiSdkEmbedderOptionsSchema, options, 'aiSdkEmbedder');
  return {
    modelId: embeddingModelId(model),
    dimensions,
    maxBatchSize: model.maxEmbeddingsPerCall,
    async embed(values, signal) {
      const result = await model.doEmbed({ values, ...(signal ? { abortSignal: signal } : {}) });
      return result.embeddings;
    },
  };
}
