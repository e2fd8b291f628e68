// Every behaviour of the Store contract, run against each backend (see stores.int.test.ts).
import { digest, type Store, type StoreEntry } from '@deja/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestStore, type StoreKind, type TestStore } from '../support/stores.ts';

const DIMENSIONS = 4;
const tenantA = digest('tenant-a');
const tenantB = digest('tenant-b');
const scope1 = digest('scope-1');
const scope2 = digest('scope-2');
const userX = digest('user-x');
const NO_USER = '0';

let sequence = 0;
function entry(overrides: Partial<StoreEntry> = {}): StoreEntry {
  sequence++;
  return {
    id: digest(`entry-${sequence}`),
    tenant: tenantA,
    user: NO_USER,
    scope: scope1,
    text: `text ${sequence}`,
    embedding: Float32Array.from([1, 0, 0, 0]),
    response: JSON.stringify({ v: 1, data: `response ${sequence}` }),
    meta: '{}',
    createdAt: Date.now(),
    ...overrides,
  };
}
const vector = (...values: number[]) => Float32Array.from(values);
const HOUR = 3_600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function storeConformanceSuite(kind: StoreKind): void {
  describe(`Store contract on ${kind}`, () => {
    let testStore: TestStore;
    let store: Store;
    beforeAll(async () => {
      testStore = makeTestStore(kind);
      store = testStore.store;
      await store.init({ dimensions: DIMENSIONS });
    });
    afterAll(() => testStore.cleanup());

    it('declares what it can do', () => {
      expect(store.capabilities.semantic).toBe(kind === 'redis-stack' ? 'index' : 'scan');
      expect(store.capabilities.shared).toBe(kind !== 'memory');
    });

    it('puts and gets an entry, without its vector', async () => {
      const written = entry();
      await store.put(written, HOUR);
      const { embedding: _, ...expected } = written;
      expect(await store.get(tenantA, written.id)).toEqual(expected);
      expect(await store.get(tenantB, written.id)).toBeUndefined();
      expect(await store.get(tenantA, digest('never written'))).toBeUndefined();
    });

    it('replaces an entry with the same id, dropping an old vector', async () => {
      const first = entry({ scope: digest('replace-scope') });
      await store.put(first, HOUR);
      await store.put({ ...first, embedding: undefined, response: 'second' }, HOUR);
      expect((await store.get(tenantA, first.id))?.response).toBe('second');
      expect(
        await store.knn({
          tenant: tenantA,
          scope: first.scope,
          user: NO_USER,
          vector: vector(1, 0, 0, 0),
          k: 5,
        }),
      ).toEqual([]);
    });

    it('finds nearest neighbours best first, only within tenant, scope and user', async () => {
      const scope = digest('knn-scope');
      const near = entry({ scope, embedding: vector(1, 0.1, 0, 0) });
      const middle = entry({ scope, embedding: vector(1, 1, 0, 0) });
      const far = entry({ scope, embedding: vector(0, 0, 1, 0) });
      const otherTenant = entry({ scope, tenant: tenantB, embedding: vector(1, 0, 0, 0) });
      const otherScope = entry({ scope: scope2, embedding: vector(1, 0, 0, 0) });
      const otherUser = entry({ scope, user: userX, embedding: vector(1, 0, 0, 0) });
      for (const item of [near, middle, far, otherTenant, otherScope, otherUser]) await store.put(item, HOUR);

      const matches = await store.knn({
        tenant: tenantA,
        scope,
        user: NO_USER,
        vector: vector(1, 0, 0, 0),
        k: 3,
      });
      expect(matches.map((match) => match.entry.id)).toEqual([near.id, middle.id, far.id]);
      expect(matches[0]?.similarity).toBeCloseTo(0.995, 2);
      expect(matches[1]?.similarity).toBeCloseTo(Math.SQRT1_2, 2);
      expect(matches[2]?.similarity).toBeCloseTo(0, 2);
      expect(matches[0]?.entry.response).toBe(near.response);

      const top1 = await store.knn({
        tenant: tenantA,
        scope,
        user: NO_USER,
        vector: vector(1, 0, 0, 0),
        k: 1,
      });
      expect(top1.map((match) => match.entry.id)).toEqual([near.id]);
      const forUser = await store.knn({
        tenant: tenantA,
        scope,
        user: userX,
        vector: vector(1, 0, 0, 0),
        k: 5,
      });
      expect(forUser.map((match) => match.entry.id)).toEqual([otherUser.id]);
    });

    it('deletes one entry', async () => {
      const item = entry();
      await store.put(item, HOUR);
      expect(await store.delete(tenantA, item.id)).toBe(true);
      expect(await store.get(tenantA, item.id)).toBeUndefined();
      expect(await store.delete(tenantA, item.id)).toBe(false);
    });

    it('clears one tenant and nothing else', async () => {
      const tenant = digest('to-clear');
      const keep = entry({ tenant: digest('to-keep') });
      await store.put(entry({ tenant }), HOUR);
      await store.put(entry({ tenant, user: userX }), HOUR);
      await store.put(keep, HOUR);
      const ownedBytes = store.tenantBytesKey(tenant, 'vector');
      const keptBytes = store.tenantBytesKey(keep.tenant, 'vector');
      await store.setBytes(
        [
          { key: ownedBytes, value: new Uint8Array([1]) },
          { key: keptBytes, value: new Uint8Array([2]) },
        ],
        HOUR,
      );
      expect(await store.count(tenant)).toBe(2);
      expect(await store.clearTenant(tenant)).toBe(2);
      expect(await store.count(tenant)).toBe(0);
      expect(await store.get(keep.tenant, keep.id)).toBeDefined();
      expect((await store.getBytes([ownedBytes, keptBytes])).map((value) => value && [...value])).toEqual([
        undefined,
        [2],
      ]);
    });

    it('forgets one user of a tenant and nothing else', async () => {
      const tenant = digest('forget-tenant');
      const mine = [entry({ tenant, user: userX }), entry({ tenant, user: userX, embedding: undefined })];
      const others = [entry({ tenant }), entry({ tenant: tenantB, user: userX })];
      for (const item of [...mine, ...others]) await store.put(item, HOUR);
      expect(await store.forgetUser(tenant, userX)).toBe(2);
      for (const item of mine) expect(await store.get(tenant, item.id)).toBeUndefined();
      for (const item of others) expect(await store.get(item.tenant, item.id)).toBeDefined();
    });

    it('expires entries after their TTL', async () => {
      const item = entry({ scope: digest('expiring') });
      await store.put(item, 150);
      expect(await store.get(tenantA, item.id)).toBeDefined();
      await sleep(300);
      expect(await store.get(tenantA, item.id)).toBeUndefined();
      expect(
        await store.knn({
          tenant: tenantA,
          scope: item.scope,
          user: NO_USER,
          vector: vector(1, 0, 0, 0),
          k: 1,
        }),
      ).toEqual([]);
    });

    it('reads and writes byte values in order, with a TTL', async () => {
      const keyOf = (name: string) => `${testStore.embeddingPrefix}${name}`;
      await store.setBytes(
        [
          { key: keyOf('a'), value: new Uint8Array([1, 2, 3]) },
          { key: keyOf('b'), value: new Uint8Array([4]) },
        ],
        HOUR,
      );
      const values = await store.getBytes([keyOf('b'), keyOf('missing'), keyOf('a')]);
      expect(values.map((value) => (value ? [...value] : undefined))).toEqual([[4], undefined, [1, 2, 3]]);
      expect(await store.getBytes([])).toEqual([]);
      await store.setBytes([{ key: keyOf('short'), value: new Uint8Array([9]) }], 100);
      await sleep(250);
      expect(await store.getBytes([keyOf('short')])).toEqual([undefined]);
    });

    it('gives a lock to one holder until it is released or expires', async () => {
      const id = digest(`lock-${kind}`);
      const token = await store.acquireLock(tenantA, id, 200);
      expect(token).toEqual(expect.any(String));
      expect(await store.acquireLock(tenantA, id, 200)).toBeUndefined();
      await store.releaseLock(tenantA, id, 'not-the-token');
      expect(await store.acquireLock(tenantA, id, 200)).toBeUndefined();
      await store.releaseLock(tenantA, id, token as string);
      const second = await store.acquireLock(tenantA, id, 100);
      expect(second).toEqual(expect.any(String));
      await sleep(250);
      expect(await store.acquireLock(tenantA, id, 100)).toEqual(expect.any(String));
    });

    it('adds and reads persisted counters per tenant', async () => {
      const tenant = digest(`counters-${kind}`);
      await store.addCounters(tenant, { exactHits: 2, costSaved: 0.5 });
      await store.addCounters(tenant, { exactHits: 1, misses: 4 });
      expect((await store.readCounters(tenant))[tenant]).toEqual({ exactHits: 3, costSaved: 0.5, misses: 4 });
      expect(Object.keys(await store.readCounters())).toContain(tenant);
    });

    it('reports its health', async () => {
      const health = await store.health();
      expect(health.connected).toBe(true);
      expect(health.queryEngine).toBe(kind === 'redis-stack');
      if (kind !== 'memory') expect(health.memoryBytes).toBeGreaterThan(0);
      if (kind === 'redis-stack') expect(health.index?.state).toBe('ready');
    });
  });
}
