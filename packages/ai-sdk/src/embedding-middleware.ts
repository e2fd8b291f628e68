// dejaEmbeddingMiddleware / cachedEmbeddingModel: a per-value cache for embed and embedMany. Each
// value is looked up by model and text; only the missing ones reach the provider, in batches of
// at most maxEmbeddingsPerCall, and the vectors come back in the caller's order.
import type {
  EmbeddingModelV3,
  EmbeddingModelV4,
  EmbeddingModelV4CallOptions,
  EmbeddingModelV4Result,
  SharedV4ProviderMetadata,
  SharedV4Warning,
} from '@ai-sdk/provider';
import type { Deja, Embedder } from '@deja/core';
import { parseAdapterOptions } from '@deja/core/adapter';
import { type EmbeddingModelMiddleware, wrapEmbeddingModel } from 'ai';
import { batchLimitOf, embeddingModelId } from './embedding-model-id.js';
import { type DejaEmbeddingMiddlewareOptions, embeddingMiddlewareOptionsSchema } from './options.js';

/** Vector lengths learned from a model's first answer, per deja and model id. */
const learnedDimensions = new WeakMap<Deja, Map<string, number>>();

export function dejaEmbeddingMiddleware(input: DejaEmbeddingMiddlewareOptions): EmbeddingModelMiddleware {
  const { deja, dimensions } = parseAdapterOptions(
    embeddingMiddlewareOptionsSchema,
    input,
    'dejaEmbeddingMiddleware',
  );
  let learned = learnedDimensions.get(deja);
  if (!learned) {
    learned = new Map();
    learnedDimensions.set(deja, learned);
  }
  const known = learned;

  return {
    specificationVersion: 'v4',
    async wrapEmbed({ doEmbed, params, model }) {
      const id = embeddingModelId(model, params);
      const length = dimensions ?? params.dimensions ?? known.get(id);
      if (length === undefined) {
        // deja stores raw float32 vectors and checks their length on read, so it must know the
        // length first: this one call goes to the model, and its vectors fill the cache.
        const result = await doEmbed();
        const first = result.embeddings[0];
        if (!first || first.length === 0 || result.embeddings.length !== params.values.length) return result;
        known.set(id, first.length);
        const given = new Map(params.values.map((value, i) => [value, result.embeddings[i] ?? []]));
        const filler: Embedder = {
          modelId: id,
          dimensions: first.length,
          embed: async (texts) => texts.map((text) => given.get(text) ?? []),
        };
        const vectors = await deja.cachedEmbedder(filler).embed(params.values, params.abortSignal);
        return {
          ...result,
          embeddings: vectors.map((vector) => Array.from(vector)),
          providerMetadata: {
            ...result.providerMetadata,
            deja: { cachedValues: 0, embeddedValues: given.size },
          },
        };
      }

      const calls = new ProviderCalls();
      const embedder: Embedder = {
        modelId: id,
        dimensions: length,
        maxBatchSize: await batchLimitOf(model),
        async embed(values) {
          const result = await model.doEmbed({ ...params, values });
          calls.add(values.length, result);
          return result.embeddings;
        },
      };
      const vectors = await deja.cachedEmbedder(embedder).embed(params.values, params.abortSignal);
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
