// aiSdkEmbedder: any AI SDK embedding model as the embedder deja uses for semantic lookup.
import type { EmbeddingModelV4 } from '@ai-sdk/provider';
import { DejaConfigError, DejaInputError, type Embedder } from '@deja/core';
import { z } from 'zod';
import { batchLimitOf, embeddingModelId } from './embedding-model-id.js';

const aiSdkEmbedderOptionsSchema = z
  .object({
    /** Length of the model's vectors (e.g. 1536 for text-embedding-3-small). */
    dimensions: z.number().int('dimensions is a whole number').positive('dimensions must be positive'),
  })
  .strict();

export type AiSdkEmbedderOptions = z.input<typeof aiSdkEmbedderOptionsSchema>;

export function aiSdkEmbedder(model: EmbeddingModelV4, options: AiSdkEmbedderOptions): Embedder {
  if (typeof model?.doEmbed !== 'function') {
    throw new DejaConfigError('aiSdkEmbedder needs an AI SDK embedding model (with doEmbed)');
  }
  const parsed = aiSdkEmbedderOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new DejaConfigError(
      `Invalid aiSdkEmbedder options: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`,
    );
  }
  const declaredLimit = model.maxEmbeddingsPerCall;
  return {
    modelId: embeddingModelId(model),
    dimensions: parsed.data.dimensions,
    // A promised limit is awaited in embed(); a plain one also lets deja size its batches.
    ...(typeof declaredLimit === 'number' && Number.isFinite(declaredLimit)
      ? { maxBatchSize: declaredLimit }
      : {}),
    async embed(texts, signal) {
      const limit = (await batchLimitOf(model)) ?? texts.length;
      const vectors: number[][] = [];
      for (let start = 0; start < texts.length; start += limit) {
        const values = texts.slice(start, start + limit);
        const result = await model.doEmbed({ values, ...(signal ? { abortSignal: signal } : {}) });
        if (result.embeddings.length !== values.length) {
          throw new DejaInputError(
            `${model.modelId} returned ${result.embeddings.length} embeddings for ${values.length} values`,
          );
        }
        vectors.push(...result.embeddings);
      }
      return vectors;
    },
  };
}
