// A cache-backed LangChain Embeddings: per text, in the deja's store, namespaced by model. Unlike
// LangChain's CacheBackedEmbeddings it caches queries too (apart from documents).
import { type Deja, DejaConfigError, DejaInputError, type Embedder } from '@deja/core';
import { parseAdapterOptions } from '@deja/core/adapter';
import { Embeddings, type EmbeddingsInterface } from '@langchain/core/embeddings';
import { modelIdOf, positiveIntegerField } from './model-id.js';
import { type DejaEmbeddingsOptions, dejaEmbeddingsOptionsSchema } from './options.js';

type Kind = 'documents' | 'queries';

export class DejaEmbeddings extends Embeddings {
  /** Names the model in cache keys: `embedding:{modelId}:…` for documents, `{modelId:query}` for queries. */
  readonly modelId: string;
  /** The wrapped embeddings. */
  readonly embeddings: EmbeddingsInterface;
  private readonly deja: Deja;
  private readonly maxBatchSize: number | undefined;
  private caches: Record<Kind, Embedder> | undefined;
  private learning: Promise<number[][]> | undefined;
  /** Vectors computed while learning the dimensions, handed to the cache instead of a second model call. */
  private readonly primed: Record<Kind, Map<string, number[]>> = { documents: new Map(), queries: new Map() };

  constructor(options: DejaEmbeddingsOptions) {
    super({});
    const parsed = parseAdapterOptions(dejaEmbeddingsOptionsSchema, options, 'DejaEmbeddings');
    this.deja = parsed.deja;
    this.embeddings = parsed.embeddings;
    const modelId = parsed.modelId ?? modelIdOf(parsed.embeddings);
    if (modelId === undefined) {
      throw new DejaConfigError(
        `DejaEmbeddings cannot tell which model ${parsed.embeddings.constructor?.name ?? 'this'} is ` +
          '(no model or modelName field), so its vectors could mix with another model’s: pass { modelId }',
      );
    }
    this.modelId = modelId;
    this.maxBatchSize = parsed.maxBatchSize ?? positiveIntegerField(parsed.embeddings, 'batchSize');
    const dimensions = parsed.dimensions ?? positiveIntegerField(parsed.embeddings, 'dimensions');
    if (dimensions !== undefined) this.caches = this.cachesOf(dimensions);
  }

  /** Cached vectors for `documents` in their order; only the texts not cached reach the model, in its batch size. */
  override async embedDocuments(documents: string[]): Promise<number[][]> {
    if (documents.length === 0) return [];
    return this.embed('documents', documents);
  }

  /** A cached query vector (kept apart from documents: many models embed the two differently). */
  override async embedQuery(document: string): Promise<number[]> {
    const [vector] = await this.embed('queries', [document]);
    return vector as number[];
  }

  private async embed(kind: Kind, texts: string[]): Promise<number[][]> {
    for (const text of texts) {
      if (typeof text !== 'string')
        throw new DejaInputError(`DejaEmbeddings can only embed strings, got ${typeof text}`);
    }
    if (this.caches) return viaCache(this.caches[kind], texts);
    if (this.learning) {
      // Another call is learning the dimensions: once it has written its vectors, they are cached.
      await this.learning.catch(() => undefined);
      return this.embed(kind, texts);
    }
    const learning = this.learnDimensions(kind, texts);
    this.learning = learning;
    try {
      return await learning;
    } finally {
      this.learning = undefined;
    }
  }

  /**
   * Without known dimensions the first call goes to the model uncached; its vectors give the
   * dimensions and are then written through the cache (not computed twice).
   */
  private async learnDimensions(kind: Kind, texts: string[]): Promise<number[][]> {
    const unique = [...new Set(texts)];
    const vectors =
      kind === 'documents' ? await this.computeDocuments(unique) : await this.computeQueries(unique);
    const dimensions = vectors[0]?.length ?? 0;
    if (dimensions === 0) throw new DejaInputError(`${this.modelId} returned an empty vector`);
    for (const [i, text] of unique.entries()) this.primed[kind].set(text, vectors[i] as number[]);
    const caches = this.cachesOf(dimensions);
    try {
      const result = await viaCache(caches[kind], texts);
      this.caches = caches;
      return result;
    } finally {
      this.primed[kind].clear();
    }
  }

  private cachesOf(dimensions: number): Record<Kind, Embedder> {
    return {
      documents: this.deja.cachedEmbedder({
        modelId: this.modelId,
        dimensions,
        maxBatchSize: this.maxBatchSize,
        embed: (texts) =>
          this.primedOr('documents', texts, (missing) => this.embeddings.embedDocuments(missing)),
      }),
      queries: this.deja.cachedEmbedder({
        modelId: `${this.modelId}:query`,
        dimensions,
        maxBatchSize: 1,
        embed: (texts) => this.primedOr('queries', texts, (missing) => this.computeQueries(missing)),
      }),
    };
  }

  /** The vectors learnDimensions already computed, and the model's for the rest. */
  private async primedOr(
    kind: Kind,
    texts: string[],
    compute: (texts: string[]) => Promise<number[][]>,
  ): Promise<number[][]> {
    const primed = this.primed[kind];
    const missing = texts.filter((text) => !primed.has(text));
    const computed = missing.length > 0 ? await compute(missing) : [];
    if (computed.length !== missing.length) return computed; // the cache reports the count mismatch
    const byText = new Map(missing.map((text, i) => [text, computed[i] as number[]]));
    return texts.map((text) => primed.get(text) ?? (byText.get(text) as number[]));
  }

  private async computeDocuments(texts: string[]): Promise<number[][]> {
    const size = this.maxBatchSize ?? texts.length;
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += size) {
      const batch = texts.slice(start, start + size);
      const computed = await this.embeddings.embedDocuments(batch);
      if (computed.length !== batch.length) {
        throw new DejaInputError(
          `${this.modelId} returned ${computed.length} vectors for ${batch.length} texts`,
        );
      }
      vectors.push(...computed);
    }
    return vectors;
  }

  private computeQueries(texts: string[]): Promise<number[][]> {
    return Promise.all(texts.map((text) => this.embeddings.embedQuery(text)));
  }
}

async function viaCache(cache: Embedder, texts: string[]): Promise<number[][]> {
  const vectors = await cache.embed(texts);
  return vectors.map((vector) => Array.from(vector));
}
