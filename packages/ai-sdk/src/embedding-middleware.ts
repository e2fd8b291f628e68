// dejaEmbeddingMiddleware / cachedEmbeddingModel: a per-value cache for embed and embedMany. Each
// value is looked up by model and text; only the missing ones reach the provider, in batches of
// at most maxEmbeddingsPerCall, and the vectors come back in the caller's order. The cache itself
// is deja's cached embedder; this file maps the AI SDK's call and result onto it.
import type {
  EmbeddingModelV3,
  EmbeddingModelV4,
  EmbeddingModelV4CallOptions,
  EmbeddingModelV4Result,
  SharedV4ProviderMetadata,
  SharedV4Warning,
} from '@ai-sdk/provider';
import { parseAdapterOptions } from '@deja/core/adapter';
import { type EmbeddingModelMiddleware, wrapEmbeddingModel } from 'ai';
import { embeddingModelId } from './embedding-model-id.js';
import { type DejaEmbeddingMiddlewareOptions, embeddingMiddlewareOptionsSchema } from './options.js';

export function dejaEmbeddingMiddleware(input: DejaEmbeddingMiddlewareOptions): EmbeddingModelMiddleware {
  const { deja, dimensions } = parseAdapterOptions(
    embeddingMiddlewareOptionsSchema,
    input,
    'dejaEmbeddingMiddleware',
  );

  return {
    specificationVersion: 'v4',
    async wrapEmbed({ params, model }) {
      const calls = new ProviderCalls();
      // Without a stated length deja learns it from the model's first vectors and remembers it in
      // the store, so the first call of a new process does not re-send cached values.
      const cached = deja.cachedEmbedder({
        modelId: embeddingModelId(model, params),
        dimensions: dimensions ?? params.dimensions,
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
  model: EmbeddingModelV3 | EmbeddingModelV4,
  options: DejaEmbeddingMiddlewareOptions,
): EmbeddingModelV4 {
  return wrapEmbeddingModel({ model, middleware: dejaEmbeddingMiddleware(options) });
}

/** What the provider calls of one doEmbed reported, merged into one result. */
class ProviderCalls {
  private embedded = 0;
  private tokens: number | undefined;
  private readonly warnings: SharedV4Warning[] = [];
  private providerMetadata: SharedV4ProviderMetadata | undefined;
  private response: EmbeddingModelV4Result['response'];

  add(values: number, result: EmbeddingModelV4Result): void {
    this.embedded += values;
    if (result.usage) this.tokens = (this.tokens ?? 0) + result.usage.tokens;
    this.warnings.push(...result.warnings);
    if (result.providerMetadata)
      this.providerMetadata = { ...this.providerMetadata, ...result.providerMetadata };
    if (result.response) this.response = result.response;
  }

  result(embeddings: number[][], params: EmbeddingModelV4CallOptions): EmbeddingModelV4Result {
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
