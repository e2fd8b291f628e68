// The KNN's one bucket tag on Redis Stack: written with every entry, indexed, as strict as the
// five tags it stands for; an index made before it gets it; on HNSW a large bucket is searched with
// HYBRID_POLICY BATCHES and a small one with RediSearch's own choice, both finding their nearest.
// What deja sends is watched with MONITOR on a server of this suite's own: nothing is mocked.
import { type RedisStore, redisStore, type StoreInitOptions } from '@deja/core';
import { digest } from '@deja/core/adapter';
import { createClient } from 'redis';
import { describe, expect, it, onTestFinished } from 'vitest';
import { serverPerSuite } from '../support/redis-servers.ts';
import { ENTRY_DIMENSIONS, entryOf, vectorOf } from '../support/store-entries.ts';

type StoreProblem = Parameters<NonNullable<StoreInitOptions['report']>>[0];

const DIMENSIONS = ENTRY_DIMENSIONS;
let run = 0;

describe('KNN by one bucket tag (Redis Stack)', () => {
  const server = serverPerSuite({ kind: 'stack' });
  const client = async () => {
    const raw = createClient({ url: server.current.url, RESP: 2 });
    await raw.connect();
    onTestFinished(() => raw.destroy());
    return raw;
  };
  const openStore = async (options: { algorithm?: 'FLAT' | 'HNSW'; problems?: StoreProblem[] } = {}) => {
    run++;
    const names = { prefix: `kb${run}:`, indexName: `kb-idx-${run}` };
    const store: RedisStore = redisStore({ url: server.current.url, ...names, algorithm: options.algorithm });
    await store.init({ dimensions: DIMENSIONS, report: (problem) => options.problems?.push(problem) });
    onTestFinished(() => store.close());
    return { store, ...names };
  };

  it.each(['FLAT', 'HNSW'] as const)(
    '%s: writes and indexes a bucket per (tenant, scope, user, model); a KNN meets only its own',
    async (algorithm) => {
      const { store, prefix, indexName } = await openStore({ algorithm });
      const combos = [];
      for (const tenant of ['a', 'b'])
        for (const scope of ['s', 't'])
          for (const user of ['0', digest('alice')])
            for (const model of [undefined, digest('model m')])
              combos.push({ tenant: digest(tenant), scope: digest(scope), user, model });
      // Every entry has the same vector: only the filter can tell them apart.
      for (const combo of combos) expect(await store.put({ ...entryOf(combo, 1) }, 60_000)).toBe(true);
      const raw = await client();
      const info = JSON.stringify(await raw.sendCommand(['FT.INFO', indexName]));
      expect(info).toContain('"bucket"');
      const buckets = new Set<string>();
      for (const combo of combos) {
        const key = `${prefix}{${combo.tenant}}:${entryOf(combo, 1).id}`;
        const bucket = String(await raw.hGet(key, 'bucket'));
        expect(bucket).toMatch(/^[0-9a-f]{64}$/);
        buckets.add(bucket);
        // The index finds exactly this entry under its bucket.
        const found = (await raw.sendCommand([
          'FT.SEARCH',
          indexName,
          `@bucket:{${bucket}}`,
          'NOCONTENT',
        ])) as [number, ...string[]];
        expect(found).toEqual([1, key]);
        const matches = await store.knn({ ...combo, vector: vectorOf(1), k: combos.length });
        expect(matches.map((match) => match.entry.id)).toEqual([entryOf(combo, 1).id]);
        expect(matches[0]?.entry).toMatchObject({
          tenant: combo.tenant,
          scope: combo.scope,
          user: combo.user,
        });
      }
      expect(buckets.size).toBe(combos.length);
    },
  );

  it('gives an index made before the bucket its field; entries written before leave semantic search only', async () => {
    run++;
    const [prefix, indexName] = [`kb-old${run}:`, `kb-old-idx-${run}`];
    const raw = await client();
    // The index as deja made it before the bucket: the same schema without that field.
    await raw.sendCommand([
      ...['FT.CREATE', indexName, 'ON', 'HASH', 'PREFIX', '1', prefix, 'SCHEMA', 'text', 'TEXT'],
      ...['ns', 'TAG', 'tenant', 'TAG', 'user', 'TAG', 'scope', 'TAG', 'model', 'TAG', 'tags', 'TAG'],
      ...['created_at', 'NUMERIC', 'SORTABLE', 'embedding', 'VECTOR', 'FLAT', '6', 'TYPE', 'FLOAT32'],
      ...['DIM', String(DIMENSIONS), 'DISTANCE_METRIC', 'COSINE'],
    ]);
    const store = redisStore({ url: server.current.url, prefix, indexName });
    await store.init({ dimensions: DIMENSIONS });
    onTestFinished(() => store.close());
    expect(JSON.stringify(await raw.sendCommand(['FT.INFO', indexName]))).toContain('"bucket"');
    const parts = { tenant: digest('t'), scope: digest('s'), user: '0' };
    const [old, fresh] = [entryOf(parts, 1), entryOf(parts, 2)];
    await store.put(old, 60_000);
    await store.put(fresh, 60_000);
    // An entry as an older deja wrote it: no bucket field.
    await raw.hDel(`${prefix}{${parts.tenant}}:${old.id}`, 'bucket');
    const matches = await store.knn({ ...parts, vector: vectorOf(1), k: 5 });
    expect(matches.map((match) => match.entry.id)).toEqual([fresh.id]);
    expect(await store.get(parts.tenant, old.id)).toMatchObject({ id: old.id, response: 'response 1' });
  });

  it('HNSW: a large bucket gets BATCHES, a small one RediSearch’s choice; both find their nearest', async () => {
    const problems: StoreProblem[] = [];
    const { store, prefix, indexName } = await openStore({ algorithm: 'HNSW', problems });
    const large = { tenant: digest('large'), scope: digest('s'), user: '0' };
    const small = { tenant: digest('small'), scope: digest('s'), user: '0' };
    for (let i = 0; i < 300; i += 50)
      await Promise.all(Array.from({ length: 50 }, (_, j) => store.put(entryOf(large, i + j), 60_000)));
    for (let i = 0; i < 6; i++) await store.put(entryOf(small, 1_000 + i), 60_000);

    const raw = await client();
    const bucketOf = async (parts: typeof large, i: number) =>
      String(await raw.hGet(`${prefix}{${parts.tenant}}:${entryOf(parts, i).id}`, 'bucket'));
    const [largeBucket, smallBucket] = [await bucketOf(large, 0), await bucketOf(small, 1_000)];
    const commands: string[] = [];
    const monitor = await client();
    await monitor.monitor((line) => {
      if (line.includes('FT.')) commands.push(line);
    });

    // The first lookups know no sizes: RediSearch chooses, and the sizes are fetched behind them.
    const query = (parts: typeof large, seed: number) =>
      store.knn({ ...parts, vector: vectorOf(seed), k: 3 });
    await query(large, 7);
    await query(small, 1_003);
    const sent = (needle: string) => commands.some((line) => line.includes(needle));
    await expect
      .poll(
        () =>
          sent(`"@bucket:{${largeBucket}}" "LIMIT" "0" "0"`) &&
          sent(`"@bucket:{${smallBucket}}" "LIMIT" "0" "0"`) &&
          sent(`"FT.INFO" "${indexName}"`),
        { timeout: 20_000, interval: 50 },
      )
      .toBe(true);
    // One more round trip on the store's connection: the sizes' replies, sent earlier, are in.
    await store.get(large.tenant, entryOf(large, 0).id);
    commands.length = 0;
    const nearLarge = await query(large, 7);
    const nearSmall = await query(small, 1_003);
    await expect
      .poll(() => commands.filter((line) => line.includes('KNN 3')).length, { timeout: 20_000 })
      .toBe(2);
    const knnOf = (bucket: string) => commands.find((line) => line.includes(`(@bucket:{${bucket}})=>[KNN 3`));
    expect(knnOf(largeBucket)).toContain('HYBRID_POLICY BATCHES');
    expect(knnOf(smallBucket)).toBeDefined();
    expect(knnOf(smallBucket)).not.toContain('HYBRID_POLICY');
    // Each found its own stored vector first, and nothing of the other bucket.
    expect(nearLarge[0]?.entry.id).toBe(entryOf(large, 7).id);
    expect(nearLarge.every((match) => match.entry.tenant === large.tenant)).toBe(true);
    expect(nearSmall[0]?.entry.id).toBe(entryOf(small, 1_003).id);
    expect(nearSmall.map((match) => match.entry.tenant)).toEqual([small.tenant, small.tenant, small.tenant]);
    expect(problems).toEqual([]);
  });
});
