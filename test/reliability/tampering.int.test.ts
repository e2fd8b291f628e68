// Entries tampered with directly in Redis (with redis-cli, as an operator or an attacker with
// access would) are misses, get deleted, and never reach the app — through exact lookups,
// semantic lookups and KNN alike. Cached payloads are data: no key of them reaches a prototype.
import { sha256 } from '@deja/core/adapter';
import { fixedEmbedder } from '@deja/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisCli } from '../harness/redis-tools.ts';
import { useDeja } from '../support/deja-fixture.ts';

const embedder = fixedEmbedder({ 'the tampered question': [1, 0, 0, 0] });
const TAMPERED_FIELDS: Record<string, [field: string, value: string]> = {
  'invalid JSON': ['response', '{"v":1,"data":'],
  'not JSON at all': ['response', 'rm -rf /'],
  'wrong version': ['response', '{"v":99,"data":"from the future"}'],
  'no version': ['response', '{"data":"anything"}'],
  'extra envelope field': ['response', '{"v":1,"data":"x","code":"alert(1)"}'],
  '__proto__ key in the payload': ['response', '{"v":1,"data":{"__proto__":{"polluted":true}}}'],
  'constructor.prototype in the payload': [
    'response',
    '{"v":1,"data":{"a":[{"constructor":{"prototype":{"polluted":true}}}]}}',
  ],
  'a date tag that is no date': ['response', '{"v":1,"data":{"$deja:date":"the day after tomorrow"}}'],
  '__proto__ key in the metadata': ['meta', '{"__proto__":{"polluted":true}}'],
  'metadata of the wrong shape': ['meta', '{"usage":{"inputTokens":-5,"outputTokens":"many"}}'],
  'created_at that is no number': ['created_at', 'yesterday'],
};

describe.each(['stack', 'plain'] as const)('entries tampered with redis-cli (%s)', (kind) => {
  // No in-process LRU: what is read back from Redis is under test, not this process's own copy.
  const fixture = useDeja(kind === 'stack' ? 'redis-stack' : 'redis-plain', { embedder, localEmbeddings: 0 });
  let port: number;
  const cli = (args: string[], stdin?: Uint8Array) => redisCli(kind, port, args, { stdin });
  const exists = async (key: string) => (await cli(['EXISTS', key])).trim() === '1';

  beforeAll(() => {
    port = Number(new URL(fixture.store.url as string).port);
  });
  afterAll(() => {
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
  });

  /** Stores a genuine entry for `name` and returns its request and Redis key. */
  async function genuine(name: string, tenant = fixture.deja.tenant('victim')) {
    const request = { key: name, semanticText: 'the tampered question', scope: name };
    const { key, stored } = await tenant.responses.store(request, { genuine: name });
    expect(stored).toBe(true);
    return { request, redisKey: `${fixture.store.prefix}{${tenant.digest}}:${key}`, tenant };
  }

  it.each(Object.entries(TAMPERED_FIELDS))('%s: a miss, reported, deleted', async (name, [field, value]) => {
    const { request, redisKey, tenant } = await genuine(name);
    expect((await cli(['HSET', redisKey, field, value])).trim()).toBe('0');
    const before = fixture.errors.length;
    expect(await tenant.responses.lookup(request, { mode: 'exact' })).toBeUndefined();
    expect(fixture.errors.slice(before).map((event) => event.kind)).toContain('corrupt-entry');
    await expect.poll(() => exists(redisKey)).toBe(false);
  });

  it.each(Object.entries(TAMPERED_FIELDS))(
    '%s: found by meaning, still a miss, deleted',
    async (name, [field, value]) => {
      const { request, redisKey, tenant } = await genuine(`semantic ${name}`);
      await cli(['HSET', redisKey, field, value]);
      const paraphrase = { ...request, key: `a paraphrase of ${name}` };
      expect(await tenant.responses.lookup(paraphrase)).toBeUndefined();
      const { request: knnRequest, redisKey: again } = await genuine(`knn ${name}`);
      await cli(['HSET', again, field, value]);
      expect(await tenant.knn([1, 0, 0, 0], { scope: `knn ${name}` })).toEqual([]);
      if (kind === 'stack' && field === 'created_at') {
        // RediSearch refuses to index a non-numeric NUMERIC field, so no semantic lookup can see
        // (or delete) the entry; the first exact lookup that reads it deletes it.
        for (const [tampered, exactRequest] of [
          [redisKey, request],
          [again, knnRequest],
        ] as const) {
          expect(await exists(tampered)).toBe(true);
          expect(await tenant.responses.lookup(exactRequest, { mode: 'exact' })).toBeUndefined();
        }
      }
      await expect.poll(() => exists(redisKey)).toBe(false);
      await expect.poll(() => exists(again)).toBe(false);
    },
  );

  it('binary garbage in the response field is a miss and is deleted', async () => {
    const { request, redisKey, tenant } = await genuine('binary garbage');
    const garbage = Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 0xc3) % 256);
    await cli(['HSET', redisKey, 'response'], garbage);
    expect(await tenant.responses.lookup(request, { mode: 'exact' })).toBeUndefined();
    await expect.poll(() => exists(redisKey)).toBe(false);
  });

  // A vector of another length cannot match any query: Redis Stack refuses to index the document,
  // the plain-Redis scan drops it from the candidates. It is not deleted: the exact lookup does not
  // use the vector and the response is still the validated one deja wrote (entries written under
  // an older embedder's dimension look just like this, and their exact answers are still right).
  it('an entry vector of the wrong length never matches, and the rest of the entry stays valid', async () => {
    const { request, redisKey, tenant } = await genuine('short vector');
    await cli(['HSET', redisKey, 'embedding'], new Uint8Array(new Float32Array([1, 0, 0]).buffer));
    const paraphrase = { ...request, key: 'a paraphrase of the short vector' };
    expect(await tenant.responses.lookup(paraphrase)).toBeUndefined();
    expect(await tenant.knn([1, 0, 0, 0], { scope: 'short vector' })).toEqual([]);
    // The exact lookup never reads the vector: the response is still the one deja wrote.
    expect((await tenant.responses.lookup(request, { mode: 'exact' }))?.value).toEqual({
      genuine: 'short vector',
    });
  });

  it('an embedding-cache value of the wrong length is a miss and is overwritten with a good one', async () => {
    const text = 'a text whose cached vector was tampered with';
    const key = `${fixture.store.embeddingPrefix}{${embedder.modelId}}:${sha256(text)}`;
    for (const bytes of [
      new Float32Array([1, 2, 3]),
      new Float32Array([1, 0, 0, 0, 0]),
      new Float32Array([]),
    ]) {
      await cli(['SET', key], new Uint8Array(bytes.buffer));
      const [vector] = await fixture.deja.embeddings.embed([text]);
      expect(vector).toHaveLength(4);
      const [expected] = await embedder.embed([text]);
      expect(Array.from(vector as Float32Array)).toEqual(Array.from(expected as Float32Array));
      expect(Number(await cli(['STRLEN', key]))).toBe(16);
      expect(Number(await cli(['PTTL', key]))).toBeGreaterThan(0);
    }
  });

  it('a NaN vector planted in the embedding cache never reaches the app', async () => {
    const text = 'a text whose cached vector holds NaN';
    const key = `${fixture.store.embeddingPrefix}{${embedder.modelId}}:${sha256(text)}`;
    await cli(['SET', key], new Uint8Array(new Float32Array([Number.NaN, 0, 0, 1]).buffer));
    const [vector] = await fixture.deja.embeddings.embed([text]);
    expect(Array.from(vector as Float32Array).every(Number.isFinite)).toBe(true);
  });
});
