// The id deja namespaces an AI SDK embedding model's vectors by: `provider:modelId`, plus a digest
// of anything in the call that changes the vectors (requested dimensions, provider options such as
// an input type), so vectors of two settings never mix.
import type { EmbeddingModelV4, EmbeddingModelV4CallOptions } from '@ai-sdk/provider';
import { digest } from '@deja/core/adapter';

/** Braces and whitespace would break the Redis key (the id is a cluster hash tag there). */
const UNSAFE_IN_KEY = /[{}\s]/g;

export function embeddingModelId(
  model: Pick<EmbeddingModelV4, 'provider' | 'modelId'>,
  call: Pick<EmbeddingModelV4CallOptions, 'dimensions' | 'providerOptions'> = {},
): string {
  const base = `${model.provider}:${model.modelId}`.replace(UNSAFE_IN_KEY, '_');
  const hasOptions = call.providerOptions !== undefined && Object.keys(call.providerOptions).length > 0;
  if (call.dimensions === undefined && !hasOptions) return base;
  const variant = digest({
    dimensions: call.dimensions ?? null,
    providerOptions: call.providerOptions ?? null,
  });
  return `${base}:${variant.slice(0, 16)}`;
}

/** `maxEmbeddingsPerCall` as a batch size: undefined when the model has no limit. */
export async function batchLimitOf(
  model: Pick<EmbeddingModelV4, 'maxEmbeddingsPerCall'>,
): Promise<number | undefined> {
  const limit = await model.maxEmbeddingsPerCall;
  return limit !== undefined && Number.isFinite(limit) && limit > 0 ? Math.floor(limit) : undefined;
}
