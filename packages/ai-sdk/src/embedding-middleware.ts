// dejaEmbeddingMiddleware / cachedEmbeddingModel: a per-value cache for embed and embedMany. Each
// value is looked up by model and text; only the missing ones reach the provider, in batches of
// at most maxEmbeddingsPerCall, and the vectors come back in the caller's order. The cache itself
// is deja's cached embedder; this file maps the AI SDK's call and result onto it.
import { parseAdapterOptions } from '@deja/core/adapter';
import { type EmbeddingModelMiddleware, wrapEmbeddingModel } from 'ai';
import { embeddingModelId } from './embedding-model-id.js';
import { type DejaEmbeddingMiddlewareOptions, embeddingMiddlewareOptionsSchema } from './options.js';
import type {
  EmbedOptions,
  EmbedResult,
  EmbedWarning,
  WrappableEmbeddingModel,
  WrappedEmbeddingModel,
} from './spec.js';

export function dejaEmbeddingMiddleware(input: DejaEmbeddingMiddlewareOptions): EmbeddingModelMiddleware {
  const { deja, dimensions } = parseAdapterOptions(
    embeddingMiddlewareOptionsSchema,
    input,
    'dejaEmbeddingMiddleware',
  );

  return {
    // 'v3': what ai@6's type requires and ai@7's accepts; neither reads it (see dejaMiddleware).
    specificationVersion: 'v3',
    async wrapEmbed({ params, model }) {
      const calls = new ProviderCalls();
      // Without a stated length deja learns it from the model's first vectors and remembers it in
      // the store, so the first call of a new process does not re-send cached values.
      const cached = deja.cachedEmbedder({
        modelId: embeddingModelId(model, params),
        // V4 calls may ask for a vector length; V3 calls (ai@6) cannot.
        dimensions: dimensions ?? (params as { dimensions?: number }).dimensions,
        maxBatchSize: model.maxEmbeddingsPerCall,
        async embed(values) {
          const result = await model.doEmbed({ ...params, values });
          calls.add(values.length, result);
          return result.embeddings;
        },
      });
      const vectors = await cached.embed(params.values, params.abortSignal);
      // Cached and fresh vectors both went through float32, so a value's vector is the same either way.
      return calls.result(
        vectors.map((vector) => Array.from(vector)),
        params,
      );
    },
  };
}

/** `wrapEmbeddingModel(model, dejaEmbeddingMiddleware(options))` in one call. */
export function cachedEmbeddingModel(
  model: WrappableEmbeddingModel,
  options: DejaEmbeddingMiddlewareOptions,
): WrappedEmbeddingModel {
  return wrapEmbeddingModel({ model, middleware: dejaEmbeddingMiddleware(options) });
}

/** What the provider calls of one doEmbed reported, merged into one result. */
class ProviderCalls {
  private embedded = 0;
  private tokens: number | undefined;
  private readonly warnings: EmbedWarning[] = [];
  private providerMetadata: EmbedResult['providerMetadata'];
  private response: EmbedResult['response'];

  add(values: number, result: EmbedResult): void {
    this.embedded += values;
    if (result.usage) this.tokens = (this.tokens ?? 0) + result.usage.tokens;
    this.warnings.push(...result.warnings);
    if (result.providerMetadata)
      this.providerMetadata = { ...this.providerMetadata, ...result.providerMetadata };
    if (result.response) this.response = result.response;
  }

  result(embeddings: number[][], params: EmbedOptions): EmbedResult {
    const unique = new Set(params.values).size;
    return {
      embeddings,
      // Only what the provider billed: nothing when every value came from the cache.
      ...(this.embedded === 0
        ? { usage: { tokens: 0 } }
        : this.tokens === undefined
          ? {}
          : { usage: { tokens: this.tokens } }),
      warnings: this.warnings,
      providerMetadata: {
        ...this.providerMetadata,
        deja: { cachedValues: unique - this.embedded, embeddedValues: this.embedded },
      },
      ...(this.response ? { response: this.response } : {}),
    };
  }
}
