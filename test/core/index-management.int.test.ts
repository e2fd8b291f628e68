// The vector index on Redis Stack: created when missing, verified when present, never overwritten.
import { createDeja, DejaSchemaMismatchError, loadConfig, redisStore } from '@deja/core';
import { countingEmbedder, fixedEmbedder } from '@deja/core/testing';
import { createClient } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisStackUrl } from '../harness/servers.ts';
import { dropTestData } from '../support/redis-cleanup.ts';

const tag = `idx${process.pid}${Date.now().toString(36)}`;
const prefix = `${tag}:`;
const embedder4 = fixedEmbedder({ hello: [1, 0, 0, 0] });

describe('index management on Redis Stack', () => {
  const created: string[] = [];
  const indexName = (name: string) => {
    const full = `${tag}-${name}`;
    created.push(full);
    return full;
  };
  afterAll(async () => {
    for (const name of created) await dropTestData(redisStackUrl(), [], name);
    await dropTestData(redisStackUrl(), [`${tag}*`, `~${tag}*`, `embedding:{fixed-*}:*`]);
  });

  it('creates the index once when many instances initialise at once', async () => {
    const name = indexName('concurrent');
    const instances = Array.from({ length: 8 }, () =>
      createDeja({
        store: redisStore({ url: redisStackUrl(), prefix, indexName: name }),
        embedder: embedder4,
      }),
    );
    await Promise.all(instances.map((deja) => deja.ready()));
    const health = await instances[0]?.health();
    expect(health).toMatchObject({ queryEngine: true, ready: true, index: { name } });
    // A new index reports 'indexing' for a moment on a busy server: it must become ready.
    await expect
      .poll(async () => (await instances[0]?.health())?.index?.state, { timeout: 10_000, interval: 100 })
      .toBe('ready');
    await Promise.all(instances.map((deja) => deja.close()));
  });

  it('refuses an existing index of another dimension, metric, algorithm or prefix, writing nothing', async () => {
    const name = indexName('mismatch');
    const client = createClient({ url: redisStackUrl() });
    await client.connect();
    await client.sendCommand([
      'FT.CREATE',
      name,
      'ON',
      'HASH',
      'PREFIX',
      '1',
      `${prefix}other:`,
      'SCHEMA',
      'embedding',
      'VECTOR',
      'HNSW',
      '6',
      'TYPE',
      'FLOAT32',
      'DIM',
      '8',
      'DISTANCE_METRIC',
      'L2',
    ]);
    const counting = countingEmbedder(embedder4);
    const deja = createDeja({
      store: redisStore({ url: redisStackUrl(), prefix, indexName: name }),
      embedder: counting,
    });
    const error = await deja.ready().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DejaSchemaMismatchError);
    expect(String(error)).toMatch(/prefix is .*other/);
    expect(String(error)).toMatch(/dimensions is 8, expected 4/);
    expect(String(error)).toMatch(/metric is L2, expected COSINE/);
    expect(String(error)).toMatch(/algorithm is HNSW, expected FLAT/);
    await expect(deja.tenant('t').responses.store({ key: 'k', semanticText: 'hello' }, 'v')).rejects.toThrow(
      DejaSchemaMismatchError,
    );
    await expect(deja.tenant('t').responses.lookup({ key: 'k' })).rejects.toThrow(DejaSchemaMismatchError);
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) keys.push(...batch);
    for await (const batch of client.scanIterator({ MATCH: `~${prefix}*`, COUNT: 1000 })) keys.push(...batch);
    expect(keys).toEqual([]);
    client.destroy();
    await deja.close();
  });

  it('builds an HNSW index on request and finds neighbours with it', async () => {
    const name = indexName('hnsw');
    const deja = createDeja({
      store: redisStore({
        url: redisStackUrl(),
        prefix: `${tag}-hnsw:`, // a sibling: a prefix nested in another deja's is refused
        indexName: name,
        algorithm: 'HNSW',
        hnsw: { m: 8, efConstruction: 100, efRuntime: 20 },
      }),
      embedder: embedder4,
    });
    await deja.ready();
    const tenant = deja.tenant('t');
    await tenant.put({ key: 1, value: 'near', text: 'hello', vector: [1, 0.1, 0, 0] });
    await tenant.put({ key: 2, value: 'far', text: 'bye', vector: [0, 0, 1, 0] });
    expect((await tenant.knn([1, 0, 0, 0], { k: 2 })).map((item) => item.value)).toEqual(['near', 'far']);
    const info = await createClient({ url: redisStackUrl() })
      .connect()
      .then(async (client) => {
        const reply = JSON.stringify(await client.sendCommand(['FT.INFO', name]));
        client.destroy();
        return reply;
      });
    expect(info).toContain('HNSW');
    await tenant.clear();
    await deja.close();
  });

  it('works from loadConfig with the seed variable names', async () => {
    const name = indexName('env');
    const options = loadConfig({
      CACHE_REDIS_URL: redisStackUrl(),
      CACHE_INDEX_NAME: name,
      CACHE_KEY_PREFIX: `${tag}-env:`,
      CACHE_EMBEDDING_DIMENSIONS: '4',
      CACHE_DEFAULT_TTL: '60',
    });
    // The static rule: this test is about configuration from the environment, not acceptance.
    const deja = createDeja({ ...options, embedder: embedder4, maxErrorRate: false });
    await deja.tenant('t').responses.store({ key: 'k', semanticText: 'hello' }, 'from env');
    expect((await deja.tenant('t').responses.lookup({ key: 'other', semanticText: 'hello' }))?.hit).toBe(
      'semantic',
    );
    expect((await deja.health()).index?.name).toBe(name);
    await deja.tenant('t').clear();
    await deja.close();
  });
});
