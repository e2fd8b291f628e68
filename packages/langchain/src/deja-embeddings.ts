// A cache-backed LangChain Embeddings: per text, in the deja's store, namespaced by model. Unlike
// LangChain's CacheBackedEmbeddings it caches queries too (apart from documents). Everything else
// (the cache, batching by the model's limit, learning and remembering the vector length, escaping
// the model id in keys) is deja's cached embedder; this class maps LangChain's calls onto it.
import { DejaConfigError, DejaInputError, type Embedder } from '@deja/core';
import { parseAdapterOptions } from '@deja/core/adapter';
import { Embeddings, type EmbeddingsInterface } from '@langchain/core/embeddings';
import { modelIdOf, positiveIntegerField } from './model-id.js';
import { type DejaEmbeddingsOptions, dejaEmbeddingsOptionsSchema } from './options.js';

export class DejaEmbeddings extends Embeddings {
  /** Names the model in cache keys: `embedding:{modelId}:…` for documents, `{modelId}:query:…` for queries. */
  readonly modelId: string;
  /** The wrapped embeddings. */
  readonly embeddings: EmbeddingsInterface;
  private readonly documents: Embedder;
  private readonly queries: Embedder;

  constructor(options: DejaEmbeddingsOptions) {
    super({});
    const parsed = parseAdapterOptions(dejaEmbeddingsOptionsSchema, options, 'DejaEmbeddings');
    const { deja, embeddings } = parsed;
    this.embeddings = embeddings;
    const modelId = parsed.modelId ?? modelIdOf(embeddings);
    if (modelId === undefined) {
      throw new DejaConfigError(
        `DejaEmbeddings cannot tell which model ${embeddings.constructor?.name ?? 'this'} is ` +
          '(no model or modelName field), so its vectors could mix with another model’s: pass { modelId }',
      );
    }
    this.modelId = modelId;
    // Without a stated length deja learns it from the first vectors and remembers it in the store.
    const dimensions = parsed.dimensions ?? positiveIntegerField(embeddings, 'dimensions');
    this.documents = deja.cachedEmbedder({
      modelId,
      dimensions,
      maxBatchSize: parsed.maxBatchSize ?? positiveIntegerField(embeddings, 'batchSize'),
      embed: (texts) => embeddings.embedDocuments(texts),
    });
    this.queries = deja.cachedEmbedder(
      {
        modelId,
        dimensions,
        maxBatchSize: 1,
        embed: async ([text]) => [await embeddings.embedQuery(text as string)],
      },
      { variant: 'query' },
    );
  }

  /** Cached vectors for `documents` in their order; only the texts not cached reach the model, in its batch size. */
  override async embedDocuments(documents: string[]): Promise<number[][]> {
    if (documents.length === 0) return [];
    return viaCache(this.documents, documents);
  }

  /** A cached query vector (kept apart from documents: many models embed the two differently). */
  override async embedQuery(document: string): Promise<number[]> {
    const [vector] = await viaCache(this.queries, [document]);
    return vector as number[];
  }
}

async function viaCache(cache: Embedder, texts: string[]): Promise<number[][]> {
  for (const text of texts) {
    if (typeof text !== 'string')
      throw new DejaInputError(`DejaEmbeddings can only embed strings, got ${typeof text}`);
  }
  const vectors = await cache.embed(texts);
  return vectors.map((vector) => Array.from(vector));
}
