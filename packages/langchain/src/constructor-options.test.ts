import { createDeja, DejaConfigError, DejaError } from '@deja/core';
import { FakeEmbeddings } from '@langchain/core/utils/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { DejaCache } from './deja-cache.js';
import { DejaEmbeddings } from './deja-embeddings.js';
import { langchainEmbedder } from './langchain-embedder.js';

const deja = createDeja();
afterAll(() => deja.close());

class NamedEmbeddings extends FakeEmbeddings {
  model = 'fake-4';
}

/** Runs `build` and returns the message of the DejaConfigError it must throw. */
function configError(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(DejaConfigError);
    expect(DejaError.isInstance(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a DejaConfigError, got none');
}

describe('DejaCache options', () => {
  it('accepts a deja and a tenant, with optional user, mode, ttlMs and minSimilarity', () => {
    const cache = new DejaCache({
      deja,
      tenant: 'acme',
      user: 42,
      mode: 'exact',
      ttlMs: 60_000,
      minSimilarity: 0.95,
    });
    expect(cache.tenant).toBe('acme');
    expect(cache.user).toBe(42);
    expect(cache.mode).toBe('exact');
  });

  it('names what is wrong', () => {
    expect(configError(() => new DejaCache({ deja } as never))).toMatch(/tenant/);
    expect(configError(() => new DejaCache({ deja: {} as never, tenant: 't' }))).toMatch(
      /deja must be the object createDeja\(\) returns/,
    );
    expect(configError(() => new DejaCache({ deja, tenant: '' }))).toMatch(/tenant/);
    expect(configError(() => new DejaCache({ deja, tenant: Number.NaN }))).toMatch(/tenant/);
    expect(configError(() => new DejaCache({ deja, tenant: 't', user: '' }))).toMatch(/user/);
    expect(configError(() => new DejaCache({ deja, tenant: 't', mode: 'fuzzy' as never }))).toMatch(/mode/);
    expect(configError(() => new DejaCache({ deja, tenant: 't', ttlMs: 1.5 }))).toMatch(
      /ttlMs must be a whole number of milliseconds from 1 to 315360000000/,
    );
    expect(configError(() => new DejaCache({ deja, tenant: 't', ttlMs: 0 }))).toMatch(
      /ttlMs must be a whole number of milliseconds from 1/,
    );
    expect(configError(() => new DejaCache({ deja, tenant: 't', minSimilarity: 1.2 }))).toMatch(
      /cosine similarity in \[0, 1\]/,
    );
    expect(configError(() => new DejaCache({ deja, tenant: 't', minSimlarity: 0.8 } as never))).toMatch(
      /minSimlarity/,
    );
  });

  it('turns a tenant id core refuses into a DejaConfigError', () => {
    expect(configError(() => new DejaCache({ deja, tenant: { toString: () => '{}' } }))).toMatch(/tenant/);
  });
});

describe('DejaEmbeddings options', () => {
  it('derives the model id, or takes one', () => {
    expect(new DejaEmbeddings({ deja, embeddings: new NamedEmbeddings() }).modelId).toBe(
      'NamedEmbeddings:fake-4',
    );
    expect(new DejaEmbeddings({ deja, embeddings: new FakeEmbeddings(), modelId: 'fake' }).modelId).toBe(
      'fake',
    );
  });

  it('refuses embeddings it cannot name, and bad numbers', () => {
    expect(configError(() => new DejaEmbeddings({ deja, embeddings: new FakeEmbeddings() }))).toMatch(
      /pass \{ modelId \}/,
    );
    expect(configError(() => new DejaEmbeddings({ deja, embeddings: {} as never, modelId: 'm' }))).toMatch(
      /embedDocuments and embedQuery/,
    );
    expect(
      configError(() => new DejaEmbeddings({ deja, embeddings: new NamedEmbeddings(), maxBatchSize: 0 })),
    ).toMatch(/maxBatchSize/);
    expect(
      configError(() => new DejaEmbeddings({ deja, embeddings: new NamedEmbeddings(), dimensions: 2.5 })),
    ).toMatch(/dimensions/);
    expect(
      configError(() => new DejaEmbeddings({ deja, embeddings: new NamedEmbeddings(), modelId: '' })),
    ).toMatch(/modelId must not be empty/);
  });
});

describe('langchainEmbedder options', () => {
  it('builds an embedder from the model fields or the options', () => {
    const embedder = langchainEmbedder(new NamedEmbeddings(), { dimensions: 4, maxBatchSize: 2 });
    expect(embedder).toMatchObject({ modelId: 'NamedEmbeddings:fake-4', dimensions: 4, maxBatchSize: 2 });
    expect(langchainEmbedder(Object.assign(new NamedEmbeddings(), { dimensions: 4 })).dimensions).toBe(4);
  });

  it('refuses what it cannot name or size', () => {
    expect(configError(() => langchainEmbedder(new NamedEmbeddings()))).toMatch(/needs \{ dimensions \}/);
    expect(configError(() => langchainEmbedder(new FakeEmbeddings(), { dimensions: 4 }))).toMatch(
      /pass \{ modelId \}/,
    );
    expect(configError(() => langchainEmbedder(new NamedEmbeddings(), { dimensions: -4 }))).toMatch(
      /dimensions/,
    );
  });

  it('embeds through embedDocuments, honouring a fired signal', async () => {
    const embedder = langchainEmbedder(new NamedEmbeddings(), { dimensions: 4 });
    expect(await embedder.embed(['a', 'b'])).toEqual([
      [0.1, 0.2, 0.3, 0.4],
      [0.1, 0.2, 0.3, 0.4],
    ]);
    await expect(embedder.embed(['a'], AbortSignal.abort())).rejects.toThrow();
  });
});
