// The embedding cache on all three stores: only misses reach the embedder, once per distinct text,
// in the caller's order; one MGET per batch; a TTL of 7 days by default; models never share vectors.
import { createDeja, lexicalEmbedder, redisStore } from '@deja/core';
import { countingEmbedder } from '@deja/core/testing';
import { createClient } from 'redis';
import { describe, expect, it, onTestFinished } from 'vitest';
import { closeWhenTestEnds, describeEachStore, useDeja } from '../support/deja-fixture.ts';
import { startServerForTest } from '../support/redis-servers.ts';

describeEachStore('embedding cache', (kind) => {
  const counting = countingEmbedder(lexicalEmbedder({ dimensions: 32 }));
  const fixture = useDeja(kind, { embedder: counting, embeddingReadBatchSize: 4 }, { ready: false });

  it('embeds only misses, each distinct text once, and answers in the caller’s order', async () => {
    const direct = lexicalEmbedder({ dimensions: 32 });
    const first = await fixture.deja.embeddings.embed(['alpha', 'beta', 'alpha', 'gamma']);
    expect(counting.texts).toEqual(['alpha', 'beta', 'gamma']);
    expect(first).toEqual(await direct.embed(['alpha', 'beta', 'alpha', 'gamma']));

    counting.texts.length = 0;
    const second = await fixture.deja.embeddings.embed([
      'delta',
      'gamma',
      'alpha',
      'epsilon',
      'beta',
      'delta',
    ]);
    expect(counting.texts).toEqual(['delta', 'epsilon']);
    expect(second).toEqual(await direct.embed(['delta', 'gamma', 'alpha', 'epsilon', 'beta', 'delta']));
    expect(fixture.deja.stats()).toMatchObject({ embeddingHits: 3, embeddingMisses: 5 });
  });

  it('never shares vectors between models', async () => {
    const other = countingEmbedder(lexicalEmbedder({ dimensions: 32, n: 2 }));
    const second = createDeja({ ...fixture.store.dejaOptions, embedder: other });
    await second.embeddings.embed(['alpha']);
    expect(other.texts).toEqual(['alpha']);
  });

  it('does not cache empty texts or unusable vectors, but still returns them', async () => {
    const zero = {
      modelId: 'zero-model',
      dimensions: 2,
      embed: async (texts: string[]) => texts.map(() => [0, 0]),
    };
    const local = createDeja({ ...fixture.store.dejaOptions, embedder: countingEmbedder(zero) });
    const counted = local.options.embedder as ReturnType<typeof countingEmbedder>;
    expect(await local.embeddings.embed(['', 'zero'])).toEqual([
      Float32Array.from([0, 0]),
      Float32Array.from([0, 0]),
    ]);
    await local.embeddings.embed(['', 'zero']);
    expect(counted.calls).toBe(2);
  });

  it('splits calls at the embedder’s maxBatchSize', async () => {
    const limited = countingEmbedder({ ...lexicalEmbedder({ dimensions: 8 }), maxBatchSize: 3 });
    const local = createDeja({ ...fixture.store.dejaOptions, embedder: limited });
    await local.embeddings.embed(Array.from({ length: 7 }, (_, i) => `text ${i}`));
    expect(limited.calls).toBe(3);
  });
});

describe('embedding cache on the wire', () => {
  it('reads with one MGET per batch and writes each vector with a 7-day TTL', async () => {
    const server = await startServerForTest({ kind: 'plain' });
    const client = createClient({ url: server.url });
    await client.connect();
    onTestFinished(() => client.destroy());
    const deja = createDeja({
      store: redisStore({ url: server.url }),
      embedder: lexicalEmbedder({ dimensions: 16 }),
      embeddingReadBatchSize: 10,
      // The store's reads are what is counted here, not the in-process LRU's.
      localEmbeddings: 0,
    });
    closeWhenTestEnds(deja);
    await deja.ready();
    await client.sendCommand(['CONFIG', 'RESETSTAT']);
    const texts = Array.from({ length: 25 }, (_, i) => `text number ${i}`);
    await deja.embeddings.embed(texts);
    await deja.embeddings.embed(texts);
    const stats = String(await client.sendCommand(['INFO', 'commandstats']));
    expect(/cmdstat_mget:calls=(\d+)/.exec(stats)?.[1]).toBe('6');
    // 25 vectors, and in the same pipeline the learned dimension beside them (one more SET).
    expect(/cmdstat_set:calls=(\d+)/.exec(stats)?.[1]).toBe('26');
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: 'embedding:*', COUNT: 1000 })) keys.push(...batch);
    // The 25 vectors, and the learned dimension beside them.
    expect(keys.filter((key) => key.endsWith(':dimensions'))).toHaveLength(1);
    const vectors = keys.filter((key) => !key.endsWith(':dimensions'));
    expect(vectors).toHaveLength(25);
    const ttl = await client.pTTL(vectors[0] as string);
    expect(ttl).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(7 * 86_400_000);
    expect(await client.strLen(vectors[0] as string)).toBe(16 * 4);
  });
});
