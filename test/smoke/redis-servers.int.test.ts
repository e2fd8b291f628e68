// The harness gives real servers: KNN works on Redis Stack, FT.* is absent on plain Redis, and
// Redis 8 has vector sets but no Query Engine.
import { createClient, SCHEMA_FIELD_TYPE, SCHEMA_VECTOR_FIELD_ALGORITHM } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redis8Url, redisPlainUrl, redisStackUrl } from '../harness/servers.ts';

const vector = (values: number[]) => Buffer.from(new Float32Array(values).buffer);

describe('Redis Stack from the harness', () => {
  const client = createClient({ url: redisStackUrl() });
  const index = `smoke-idx-${process.pid}`;
  const prefix = `smoke:${process.pid}:`;

  beforeAll(async () => {
    await client.connect();
  });
  afterAll(async () => {
    await client.ft.dropIndex(index, { DD: true }).catch(() => undefined);
    client.destroy();
  });

  it('runs FT.CREATE with a FLOAT32 COSINE vector field and answers KNN in similarity order', async () => {
    await client.ft.create(
      index,
      {
        embedding: {
          type: SCHEMA_FIELD_TYPE.VECTOR,
          ALGORITHM: SCHEMA_VECTOR_FIELD_ALGORITHM.FLAT,
          TYPE: 'FLOAT32',
          DIM: 3,
          DISTANCE_METRIC: 'COSINE',
        },
      },
      { ON: 'HASH', PREFIX: prefix },
    );
    await client.hSet(`${prefix}a`, { embedding: vector([1, 0, 0]) });
    await client.hSet(`${prefix}b`, { embedding: vector([0.8, 0.6, 0]) });
    await client.hSet(`${prefix}c`, { embedding: vector([0, 0, 1]) });

    const result = await client.ft.search(index, '*=>[KNN 3 @embedding $query AS distance]', {
      PARAMS: { query: vector([1, 0.1, 0]) },
      SORTBY: 'distance',
      RETURN: ['distance'],
      DIALECT: 2,
    });

    expect(result.documents.map((document) => document.id)).toEqual([
      `${prefix}a`,
      `${prefix}b`,
      `${prefix}c`,
    ]);
    const distances = result.documents.map((document) => Number(document.value.distance));
    expect(distances[0]).toBeLessThan(0.01);
    expect(distances[2]).toBeCloseTo(1, 5);
  });
});

describe('plain Redis from the harness', () => {
  const client = createClient({ url: redisPlainUrl() });
  beforeAll(async () => {
    await client.connect();
  });
  afterAll(() => client.destroy());

  it('has no Query Engine: FT._LIST is an unknown command', async () => {
    await expect(client.sendCommand(['FT._LIST'])).rejects.toThrow(/unknown command/i);
    expect(await client.ping()).toBe('PONG');
  });
});

describe('Redis 8 from the harness', () => {
  const client = createClient({ url: redis8Url() });
  const key = `smoke:vset:${process.pid}`;
  beforeAll(async () => {
    await client.connect();
  });
  afterAll(async () => {
    await client.del(key);
    client.destroy();
  });

  it('is Redis 8 with vector sets (VADD / VSIM) and without the Query Engine', async () => {
    expect(await client.info('server')).toMatch(/^redis_version:8\./m);
    await expect(client.sendCommand(['FT._LIST'])).rejects.toThrow(/unknown command/i);
    for (const [name, values] of [
      ['a', [1, 0, 0]],
      ['b', [0.8, 0.6, 0]],
      ['c', [0, 0, 1]],
    ] as const)
      await client.sendCommand(['VADD', key, 'FP32', vector([...values]), name, 'NOQUANT']);
    // node-redis speaks RESP3 here: WITHSCORES comes back as element -> score (RESP2: a flat array).
    const reply = await client.sendCommand(['VSIM', key, 'FP32', vector([1, 0.1, 0]), 'WITHSCORES']);
    const scores = Array.isArray(reply)
      ? Object.fromEntries(reply.flatMap((item, i) => (i % 2 === 0 ? [[item, reply[i + 1]]] : [])))
      : (reply as unknown as Record<string, unknown>);
    const ranked = Object.entries(scores).sort((a, b) => Number(b[1]) - Number(a[1]));
    expect(ranked.map(([name]) => name)).toEqual(['a', 'b', 'c']);
    // VSIM's score is (1 + cosine) / 2: an orthogonal vector scores 0.5.
    expect(Number(ranked[2]?.[1])).toBeCloseTo(0.5, 5);
  });
});
