// The id deja namespaces an AI SDK embedding model's vectors by: `provider:modelId`, plus a digest
// of anything in the call that changes the vectors (requested dimensions, provider options such as
// an input type), so vectors of two settings never mix.
import { digest } from '@deja/core/adapter';
import type { EmbeddingModelSpec, EmbedOptions } from './spec.js';

export function embeddingModelId(
  model: Pick<EmbeddingModelSpec, 'provider' | 'modelId'>,
  call: Pick<EmbedOptions, 'providerOptions'> & { dimensions?: number } = {},
): string {
  // Any characters: deja escapes the id where it goes into a key.
  const base = `${model.provider}:${model.modelId}`;
  const hasOptions = call.providerOptions !== undefined && Object.keys(call.providerOptions).length > 0;
  if (call.dimensions === undefined && !hasOptions) return base;
  const variant = digest({
    dimensions: call.dimensions ?? null,
    providerOptions: call.providerOptions ?? null,
  });
  return `${base}:${variant.slice(0, 16)}`;
}
