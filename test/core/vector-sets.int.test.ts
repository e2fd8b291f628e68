// Redis 8 without the Query Engine: redisStore keeps one vector set per (tenant, scope, user,
// model) and answers KNN with VSIM on the server. Each test has a Redis 8 of its own suite, so the
// server's command statistics count only this file's commands.
import { createHash } from 'node:crypto';
import { memoryStore, type RedisStore, redisStore, type Store, type StoreEntry } from '@deja/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withClient } from '../reliability/support/keyspace.ts';
import { serverPerSuite } from '../support/redis-servers.ts';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const TENANT = sha('tenant');
const SCOPE = sha('scope');
const USER = '0';
const HOUR = 3_600_000;

let sequence = 0;
function entry(overrides: Partial<StoreEntry> = {}): StoreEntry {
  sequence++;
  return {
    id: sha(`entry-${sequence}`),
    tenant: TENANT,
    user: USER,
    scope: SCOPE,
    text: `text ${sequence}`,
    embedding: Float32Array.from([1, 0, 0, 0]),
    response: `response ${sequence}`,
    meta: '{}',
    createdAt: Date.now(),
    model: 'm1',
    ...overrides,
  };
}

const query = (vector: number[], overrides: Partial<Parameters<Store['knn']>[0]> = {}) => ({
  tenant: TENANT,
  scope: SCOPE,
  user: USER,
  vector: Float32Array.from(vector),
  k: 3,
  model: 'm1',
  ...overrides,
});

/** `calls=N` of one command in INFO commandstats (0 when never called; module commands are upper case). */
function callsOf(stats: string, command: string): number {
  const match = new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'mi').exec(stats);
  return match ? Number(match[1]) : 0;
}

describe('redisStore on Redis 8 (vector sets, no Query Engine)', () => {
  const server = serverPerSuite({ kind: 'redis8' });
  let prefix: string;
  let store: RedisStore;
  const url = () => server.current.url;
  /** The vector sets (and packed-vector keys) of the test's tenant. */
  const semanticKeys = (suffix: string) =>
    withClient(url(), (client) => client.keys(`~${prefix}{${TENANT}}:scope:*:${suffix}`));
  const cardinality = (key: string) =>
    withClient(url(), async (client) => Number(await client.sendCommand(['VCARD', key])));

  beforeEach(async () => {
    prefix = `vs${++sequence}:`;
    store = redisStore({ url: url(), prefix });
    await store.init({ dimensions: 4 });
  });
  afterEach(() => store.close());

  it('detects vector sets and keeps each place’s vectors in one, not in packed keys', async () => {
    expect(store.capabilities.semantic).toBe('vector-set');
    expect((await store.health()).queryEngine).toBe(false);
    await store.put(entry(), HOUR);
    await store.put(entry({ embedding: Float32Array.from([0, 1, 0, 0]) }), HOUR);
    const [set, ...others] = await semanticKeys('vset:4');
    expect(others).toEqual([]);
    expect(await withClient(url(), (client) => client.type(set as string))).toBe('vectorset');
    expect(await cardinality(set as string)).toBe(2);
    expect(await semanticKeys('vectors:*')).toEqual([]);
  });

  it('answers a KNN with one VSIM on the server, reading no packed vectors', async () => {
    const near = entry({ embedding: Float32Array.from([1, 0.1, 0, 0]) });
    await store.put(near, HOUR);
    await store.put(entry({ embedding: Float32Array.from([0, 0, 1, 0]) }), HOUR);
    await withClient(url(), (client) => client.sendCommand(['CONFIG', 'RESETSTAT']));
    const [best] = await store.knn(query([1, 0, 0, 0]));
    expect(best?.entry.id).toBe(near.id);
    const stats = await withClient(url(), (client) => client.info('commandstats'));
    expect(callsOf(stats, 'vsim')).toBe(1);
    expect(callsOf(stats, 'getrange')).toBe(0);
    expect(callsOf(stats, 'strlen')).toBe(0);
  });

  it('gives the cosine similarity, as the scan of the memory store does', async () => {
    const memory = memoryStore();
    const entries = [
      [1, 0, 0, 0],
      [0.6, 0.8, 0, 0],
      [0.2, -0.3, 0.9, 0.1],
      [0, 0, 0, 1],
    ].map((values) => entry({ embedding: Float32Array.from(values) }));
    for (const item of entries) {
      await store.put(item, HOUR);
      await memory.put(item, HOUR);
    }
    const ask = query([0.9, 0.3, 0.2, 0.1], { k: 4 });
    const fromSet = await store.knn(ask);
    const fromScan = await memory.knn(ask);
    expect(fromSet.map((match) => match.entry.id)).toEqual(fromScan.map((match) => match.entry.id));
    for (const [i, match] of fromSet.entries())
      expect(match.similarity).toBeCloseTo(fromScan[i]?.similarity as number, 6);
    // Orthogonal and opposite vectors are 0, not VSIM's raw 0.5 and 0.
    expect((await store.knn(query([0, 0, 0, -1], { k: 4 }))).at(-1)?.similarity).toBe(0);
  });

  it('never lets the set expire before one of its entries (its TTL only grows)', async () => {
    await store.put(entry(), 60_000);
    await store.put(entry(), 10 * HOUR);
    await store.put(entry(), 1_000);
    const [set] = await semanticKeys('vset:4');
    const ttl = await withClient(url(), (client) => client.pTTL(set as string));
    expect(ttl).toBeGreaterThan(10 * HOUR - 60_000);
  });

  it('takes entries out of the set on delete, tag invalidation, forgetUser and clear', async () => {
    const user = sha('user');
    const [kept, deleted, tagged] = [entry({ user }), entry({ user }), entry({ user, tags: [sha('tag')] })];
    for (const item of [kept, deleted, tagged]) await store.put(item, HOUR);
    const [set] = await semanticKeys('vset:4');
    expect(await cardinality(set as string)).toBe(3);
    expect(await store.delete(TENANT, deleted.id)).toBe(true);
    expect(await cardinality(set as string)).toBe(2);
    expect(await store.deleteTagged(TENANT, sha('tag'))).toBe(1);
    expect(await cardinality(set as string)).toBe(1);
    expect(await store.forgetUser(TENANT, user)).toBe(1);
    expect(await semanticKeys('vset:4')).toEqual([]);

    await store.put(entry(), HOUR);
    expect(await semanticKeys('vset:4')).toHaveLength(1);
    expect(await store.clearTenant(TENANT)).toBe(1);
    expect(await semanticKeys('vset:4')).toEqual([]);
  });

  it('skips an id whose entry expired and prunes it from the set, keeping the live ones', async () => {
    const [gone, live] = [entry(), entry({ embedding: Float32Array.from([0.9, 0.1, 0, 0]) })];
    await store.put(gone, HOUR);
    await store.put(live, HOUR);
    // Expiry, as Redis does it: the hash goes, nothing else is told.
    await withClient(url(), (client) => client.del(`${prefix}{${TENANT}}:${gone.id}`));
    const [set] = await semanticKeys('vset:4');
    expect(await cardinality(set as string)).toBe(2);
    expect((await store.knn(query([1, 0, 0, 0]))).map((match) => match.entry.id)).toEqual([live.id]);
    await expect.poll(() => cardinality(set as string)).toBe(1);
    expect((await store.knn(query([1, 0, 0, 0]))).map((match) => match.entry.id)).toEqual([live.id]);
  });

  it('a rewrite of an entry with another vector moves its element (no second element, no old vector)', async () => {
    const item = entry();
    await store.put(item, HOUR);
    await store.put({ ...item, embedding: Float32Array.from([0, 1, 0, 0]) }, HOUR);
    const [set] = await semanticKeys('vset:4');
    expect(await cardinality(set as string)).toBe(1);
    const [match] = await store.knn(query([0, 1, 0, 0]));
    expect(match?.entry.id).toBe(item.id);
    expect(match?.similarity).toBeCloseTo(1, 6);
  });

  it('never answers from a set its entry left: replaced under another model, or without a vector', async () => {
    const first = entry();
    await store.put(first, HOUR);
    const [modelOneSet] = await semanticKeys('vset:4');
    await store.put({ ...first, model: 'm2', response: 'by model 2' }, HOUR);
    expect(await store.knn(query([1, 0, 0, 0]))).toEqual([]);
    const [byM2] = await store.knn(query([1, 0, 0, 0], { model: 'm2' }));
    expect(byM2?.entry.response).toBe('by model 2');

    const second = entry();
    await store.put(second, HOUR);
    await store.put({ ...second, embedding: undefined }, HOUR);
    expect(await store.knn(query([1, 0, 0, 0]))).toEqual([]);
    // Both ids were pruned from model 1's set by the lookups that met them; model 2's keeps its own.
    await expect.poll(() => cardinality(modelOneSet as string)).toBe(0);
    const modelTwoSet = (await semanticKeys('vset:4')).find((key) => key !== modelOneSet);
    expect(await cardinality(modelTwoSet as string)).toBe(1);
  });

  it("with semantic: 'scan' keeps the packed vectors of plain Redis", async () => {
    const scanPrefix = `scan${++sequence}:`;
    const scanning = redisStore({ url: url(), prefix: scanPrefix, semantic: 'scan' });
    await scanning.init({ dimensions: 4 });
    try {
      expect(scanning.capabilities.semantic).toBe('scan');
      const item = entry();
      await scanning.put(item, HOUR);
      expect((await scanning.knn(query([1, 0, 0, 0])))[0]?.entry.id).toBe(item.id);
      const keys = await withClient(url(), (client) => client.keys(`~${scanPrefix}{${TENANT}}:scope:*`));
      expect(keys.some((key) => key.includes(':vectors:4'))).toBe(true);
      expect(keys.some((key) => key.includes(':vset:'))).toBe(false);
    } finally {
      await scanning.close();
    }
  });
});
