// Any LangChain Embeddings as deja's embedder (what createDeja({ embedder }) calls for semantic lookups).
import { DejaConfigError, type Embedder } from '@deja/core';
import { parseAdapterOptions } from '@deja/core/adapter';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { modelIdOf, positiveIntegerField } from './model-id.js';
import {
  embeddingsSchema,
  type LangchainEmbedderOptions,
  langchainEmbedderOptionsSchema,
} from './options.js';

/**
 * Texts go through `embedDocuments`, in batches of `maxBatchSize`. The modelId defaults to the class name
 * and `model`/`modelName` field, the dimensions to a `dimensions` field; without them, pass them.
 */
export function langchainEmbedder(
  embeddings: EmbeddingsInterface,
  options: LangchainEmbedderOptions = {},
): Embedder {
  const model = parseAdapterOptions(embeddingsSchema, embeddings, 'langchainEmbedder');
  const parsed = parseAdapterOptions(langchainEmbedderOptionsSchema, options, 'langchainEmbedder');
  const modelId = parsed.modelId ?? modelIdOf(model);
  if (modelId === undefined) {
    throw new DejaConfigError(
      `langchainEmbedder cannot tell which model ${model.constructor?.name ?? 'this'} is (no model or modelName field): pass { modelId }`,
    );
  }
  const dimensions = parsed.dimensions ?? positiveIntegerField(model, 'dimensions');
  if (dimensions === undefined)
    throw new DejaConfigError(`langchainEmbedder needs { dimensions } for ${modelId}`);
  return {
    modelId,
    dimensions,
    maxBatchSize: parsed.maxBatchSize ?? positiveIntegerField(model, 'batchSize'),
    async embed(texts, signal) {
      // LangChain's Embeddings take no per-call signal: honour one that has already fired.
      signal?.throwIfAborted();
      return model.embedDocuments(texts);
    },
  };
}
