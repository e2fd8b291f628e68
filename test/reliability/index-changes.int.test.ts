// Issue 13, finding 8: the index changes under a running process. An operator re-creates it with
// another dimension, or drops it: deja notices (health says so; one clear event, not one per
// lookup), keeps answering exact lookups, counts and erases without the index, and takes the
// semantic tier back when the index is right again.
import { createDeja, type DejaErrorEvent } from '@deja/core';
import { fixedEmbedder } from '@deja/core/testing';
import { createClient } from 'redis';
import { describe, expect, it, onTestFinished } from 'vitest';
import { redisStackUrl } from '../harness/servers.ts';
import { makeTestStore } from '../support/stores.ts';

const QUESTION = 'how tall is the eiffel tower';
const PARAPHRASE = 'what is the height of the eiffel tower';
const embedder = fixedEmbedder(
  { [QUESTION]: [1, 0, 0, 0], [PARAPHRASE]: [0.98, 0.15, 0, 0] },
  { modelId: 'm' },
);

async function setup() {
  const testStore = makeTestStore('redis-stack');
  const indexName = `idx-${testStore.prefix.slice('test:'.length, -1)}`;
  const errors: DejaErrorEvent[] = [];
  const deja = createDeja({
    ...testStore.dejaOptions,
    embedder,
    statsFlushMs: 0,
    onError: (event) => errors.push(event),
  });
  const operator = createClient({ url: redisStackUrl() });
  await operator.connect();
  onTestFinished(async () => {
    operator.destroy();
    await deja.close();
    await testStore.cleanup();
  });
  await deja.ready();
  return { deja, errors, operator, indexName, prefix: testStore.prefix, store: testStore.store };
}

describe('the index changes under a running process (redis-stack)', () => {
  it('re-created with another dimension: one event, health says so, recovered when it is back', async () => {
    const { deja, errors, operator, indexName, prefix } = await setup();
    const tenant = deja.tenant('t');
    await tenant.put({ key: 'q', value: '330 m', text: QUESTION });
    expect((await tenant.knn(PARAPHRASE, { minSimilarity: 0.9 }))[0]?.value).toBe('330 m');
    const info = (await operator.sendCommand(['FT.INFO', indexName])) as unknown[];
    expect(info).toBeTruthy();

    await operator.sendCommand(['FT.DROPINDEX', indexName]);
    await operator.sendCommand([
      'FT.CREATE',
      indexName,
      'ON',
      'HASH',
      'PREFIX',
      '1',
      prefix,
      'SCHEMA',
      'embedding',
      'VECTOR',
      'FLAT',
      '6',
      'TYPE',
      'FLOAT32',
      'DIM',
      '8',
      'DISTANCE_METRIC',
      'COSINE',
    ]);
    const before = errors.length;
    // deja looks at its index at most once a second: within that it notices, and says so once.
    await expect
      .poll(async () => (await tenant.knn(PARAPHRASE)).length === 0 && errors.length > before, {
        timeout: 20_000,
        interval: 100,
      })
      .toBe(true);
    for (let i = 0; i < 20; i++) {
      expect(await tenant.knn(PARAPHRASE)).toEqual([]);
      // Exact lookups do not need the index.
      expect((await tenant.get('q'))?.value).toBe('330 m');
    }
    expect(errors.length - before).toBe(1);
    expect(String(errors.at(-1)?.error)).toMatch(/index/i);
    const health = await deja.health();
    expect(health.index?.state).toBe('mismatched');
    expect(health.detail).toMatch(/DIM|dimension/i);
    expect(deja.stats().errors).toBe(errors.length);

    // The operator drops the wrong index: deja creates its own again and the semantic tier is back.
    await operator.sendCommand(['FT.DROPINDEX', indexName]);
    await expect
      .poll(async () => (await tenant.knn(PARAPHRASE))[0]?.value, {
        timeout: 20_000,
        interval: 200,
      })
      .toBe('330 m');
    // A re-created index may still be indexing the entries that were there: ready soon after.
    await expect
      .poll(async () => (await deja.health()).index?.state, { timeout: 20_000, interval: 200 })
      .toBe('ready');
  });

  it('dropped: count and forgetUser work without it, with exact figures', async () => {
    const { deja, operator, indexName, store } = await setup();
    const tenant = deja.tenant('t');
    for (let i = 0; i < 3; i++) await tenant.put({ key: i, value: i, text: `${QUESTION} ${i}`, user: 'u' });
    await tenant.put({ key: 'other', value: 1 });
    await operator.sendCommand(['FT.DROPINDEX', indexName]);
    expect(await store.count()).toBe(4);
    expect(await tenant.count()).toBe(4);
    expect(await tenant.forgetUser('u')).toEqual({ deleted: 3, complete: true });
    expect(await tenant.count()).toBe(1);
  });
});
