// The one embedder path (deja.cachedEmbedder) on the memory store. Two dejas on one store stand in
// for two processes on one Redis: they share the stored values and nothing else.
import { afterEach, describe, expect, it } from 'vitest';
import { createDeja, type Deja } from '../deja.js';
import { DejaConfigError } from '../errors.js';
import { type MemoryStore, memoryStore } from '../stores/memory-store.js';
import type { Embedder } from './embedder.js';
import type { EmbeddingCache } from './embedding-cache.js';

/** A provider double: vectors from the text (default [length, 1]), every call recorded. */
function provider(
  modelId: string,
  extra: Partial<Omit<Embedder, 'embed'>> = {},
  vectorOf: (text: string) => number[] = (text) => [text.length, 1],
) {
  const calls: string[][] = [];
  const embedder: Embedder = {
    modelId,
    ...extra,
    async embed(texts) {
      calls.push([...texts]);
      return texts.map(vectorOf);
    },
  };
  return { embedder, calls };
}

const PREFIX = 'emb:';
const text = new TextDecoder();
const opened: Deja[] = [];
const dejaOn = (store: MemoryStore) => {
  const deja = createDeja({ store, embeddingKeyPrefix: PREFIX, statsFlushMs: 0 });
  opened.push(deja);
  return deja;
};
afterEach(async () => {
  // deja.close() closes its store, which the dejas of a test share: close them together at the end.
  await Promise.all(opened.splice(0).map((deja) => deja.close()));
});

describe('deja.cachedEmbedder', () => {
  it('learns the dimension from the first vectors and remembers it in the store for the next process', async () => {
    const store = memoryStore();
    const first = provider('m');
    const cached = dejaOn(store).cachedEmbedder(first.embedder);
    expect(cached.dimensions).toBeUndefined();
    expect(await cached.embed(['a', 'bb'])).toEqual([Float32Array.from([1, 1]), Float32Array.from([2, 1])]);
    expect(cached.dimensions).toBe(2);
    const [stored] = await store.bytes.get([`${PREFIX}{m}:dimensions`]);
    expect(text.decode(stored)).toBe('2');

    // A new process: no dimension stated, none in memory; the cached texts never reach the provider.
    const second = provider('m');
    const restarted = dejaOn(store).cachedEmbedder(second.embedder);
    expect(await restarted.embed(['bb', 'a'])).toEqual([
      Float32Array.from([2, 1]),
      Float32Array.from([1, 1]),
    ]);
    expect(second.calls).toEqual([]);
    expect(first.calls).toEqual([['a', 'bb']]);
  });

  it('re-embeds rather than trust vectors it cannot check (no usable stored dimension)', async () => {
    const store = memoryStore();
    await dejaOn(store).cachedEmbedder(provider('m').embedder).embed(['a']);
    await store.bytes.set(
      [{ key: `${PREFIX}{m}:dimensions`, value: new TextEncoder().encode('x7') }],
      60_000,
    );
    const second = provider('m');
    expect(await dejaOn(store).cachedEmbedder(second.embedder).embed(['a'])).toEqual([
      Float32Array.from([1, 1]),
    ]);
    expect(second.calls).toEqual([['a']]);
    const [stored] = await store.bytes.get([`${PREFIX}{m}:dimensions`]);
    expect(text.decode(stored)).toBe('2');
  });

  it('treats a stored vector of another length as a miss, never returns it', async () => {
    const store = memoryStore();
    await dejaOn(store).cachedEmbedder(provider('m').embedder).embed(['a']);
    const three = provider('m', { dimensions: 3 }, () => [0, 1, 0]);
    const vectors = await dejaOn(store).cachedEmbedder(three.embedder).embed(['a']);
    expect(vectors).toEqual([Float32Array.from([0, 1, 0])]);
  });

  it('sends each missing text once, in batches of the provider limit, also when the limit is a promise', async () => {
    const deja = dejaOn(memoryStore());
    for (const limit of [2, Promise.resolve(2)]) {
      const { embedder, calls } = provider(`limit-${typeof limit}`, { maxBatchSize: limit });
      const cached = deja.cachedEmbedder(embedder);
      await cached.embed(['a', 'b']);
      await cached.embed(['c', 'a', 'd', 'c', 'e', 'b']);
      expect(calls).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    }
  });

  it('keeps a variant (queries) apart from the model’s documents, and both apart from a model named like it', async () => {
    const deja = dejaOn(memoryStore());
    const documents = provider('m', {}, () => [1, 0]);
    const queries = provider('m', {}, () => [0, 1]);
    const lookalike = provider('m:query', {}, () => [1, 1]);
    await deja.cachedEmbedder(documents.embedder).embed(['same']);
    await deja.cachedEmbedder(queries.embedder, { variant: 'query' }).embed(['same']);
    await deja.cachedEmbedder(lookalike.embedder).embed(['same']);
    expect(await deja.cachedEmbedder(documents.embedder).embed(['same'])).toEqual([
      Float32Array.from([1, 0]),
    ]);
    expect(await deja.cachedEmbedder(queries.embedder, { variant: 'query' }).embed(['same'])).toEqual([
      Float32Array.from([0, 1]),
    ]);
    expect(await deja.cachedEmbedder(lookalike.embedder).embed(['same'])).toEqual([
      Float32Array.from([1, 1]),
    ]);
    expect([documents.calls, queries.calls, lookalike.calls]).toEqual([[['same']], [['same']], [['same']]]);
  });

  it('escapes the model id: one hash tag per model, holding no brace or colon of the id', () => {
    const deja = dejaOn(memoryStore());
    const cached = deja.cachedEmbedder(provider('a}b{c:d').embedder) as EmbeddingCache;
    const key = cached.keyOf('hello');
    expect(key).toMatch(/^emb:\{a%7Db%7Bc%3Ad\}:[0-9a-f]{64}$/);
    const query = deja.cachedEmbedder(provider('a}b{c:d').embedder, { variant: 'query' }) as EmbeddingCache;
    // Same tag (same cluster slot), different key.
    expect(query.keyOf('hello')).toMatch(/^emb:\{a%7Db%7Bc%3Ad\}:query:[0-9a-f]{64}$/);
  });

  it('checks the embedder once, when it is handed in', () => {
    const deja = dejaOn(memoryStore());
    expect(() => deja.cachedEmbedder({ modelId: 'm' } as never)).toThrow(DejaConfigError);
    expect(() => deja.cachedEmbedder({ ...provider('m').embedder, dimensions: -1 })).toThrow(
      'cachedEmbedder: embedder.dimensions must be a positive whole number',
    );
  });
});

describe('createDeja({ embedder })', () => {
  it('needs the dimension up front, from the embedder or the dimensions option', async () => {
    const { embedder } = provider('m');
    expect(() => createDeja({ embedder })).toThrow(
      /states no dimensions: pass createDeja\(\{ dimensions \}\)/,
    );
    const deja = createDeja({ embedder, dimensions: 2, statsFlushMs: 0 });
    opened.push(deja);
    expect(deja.embeddings.dimensions).toBe(2);
    expect(await deja.embeddings.embed(['abc'])).toEqual([Float32Array.from([3, 1])]);
  });
});
