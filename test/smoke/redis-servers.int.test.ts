// The harness gives real servers: KNN works on Redis Stack, FT.* is absent on plain Redis.
import { createClient, SCHEMA_FIELD_TYPE, SCHEMA_VECTOR_FIELD_ALGORITHM } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisPlainUrl, redisStackUrl } from '../harness/servers.ts';

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
