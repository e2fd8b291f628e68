// The Store contract as a test suite any store can run, ours or a third party's (keyv's
// test-suite pattern):
//
//   import { describe, it, expect, beforeAll, afterAll } from 'vitest';
//   import { storeConformanceSuite } from '@deja/core/testing';
//   storeConformanceSuite({ describe, it, expect, beforeAll, afterAll }, {
//     name: 'my store', create: () => ({ store: myStore(), cleanup: async () => {} }),
//     expected: { semantic: 'scan', shared: false },
//   });
//
// The entry operations are always checked; locks, counters and byte values only when the store
// declares them (and then it must provide them).
import type { Store } from '../stores/types.js';
import { capabilityConformance } from './capability-conformance.js';
import {
  type ConformanceTarget,
  type ConformanceTestApi,
  DIMENSIONS,
  entryMaker,
  HOUR,
  NO_USER,
  runDigests,
  sleep,
  vector,
} from './conformance-support.js';
import { listConformance } from './list-conformance.js';
import { tagConformance } from './tag-conformance.js';
import { touchConformance } from './touch-conformance.js';

export type { ConformanceTarget, ConformanceTestApi } from './conformance-support.js';

export function storeConformanceSuite(api: ConformanceTestApi, target: ConformanceTarget): void {
  const { describe, it, expect, beforeAll, afterAll } = api;
  const digests = runDigests(target.name);
  const { tenantA, tenantB, scope1, userX } = digests;
  const entry = entryMaker(digests);
  const state: { store?: Store; cleanup?: () => Promise<void> } = {};
  const store = () => state.store as Store;

  describe(`Store contract: ${target.name}`, () => {
    beforeAll(async () => {
      Object.assign(state, await target.create());
      await store().init?.({ dimensions: DIMENSIONS });
    });
    afterAll(async () => {
      await state.cleanup?.();
    });

    it('declares what it can do, and provides every optional part it declares', () => {
      const { capabilities } = store();
      expect({ semantic: capabilities.semantic, shared: capabilities.shared }).toEqual(target.expected);
      for (const part of ['locks', 'counters', 'bytes'] as const)
        expect([part, capabilities[part]]).toEqual([part, store()[part] !== undefined]);
    });

    it('puts and gets an entry, without its vector', async () => {
      const written = entry();
      await store().put(written, HOUR);
      const { embedding: _, ...expected } = written;
      expect(await store().get(tenantA, written.id)).toEqual(expected);
      expect(await store().get(tenantB, written.id)).toBeUndefined();
      expect(await store().get(tenantA, digests.of('never written'))).toBeUndefined();
    });

    it('replaces an entry with the same id, dropping an old vector', async () => {
      const first = entry({ scope: digests.of('replace-scope') });
      await store().put(first, HOUR);
      await store().put({ ...first, embedding: undefined, response: 'second' }, HOUR);
      expect((await store().get(tenantA, first.id))?.response).toBe('second');
      const query = { tenant: tenantA, scope: first.scope, user: NO_USER, vector: vector(1, 0, 0, 0), k: 5 };
      expect(await store().knn(query)).toEqual([]);
    });

    it('finds nearest neighbours best first, only within tenant, scope and user', async () => {
      const scope = digests.of('knn-scope');
      const near = entry({ scope, embedding: vector(1, 0.1, 0, 0) });
      const middle = entry({ scope, embedding: vector(1, 1, 0, 0) });
      const far = entry({ scope, embedding: vector(0, 0, 1, 0) });
      const otherTenant = entry({ scope, tenant: tenantB, embedding: vector(1, 0, 0, 0) });
      const otherScope = entry({ scope: scope1, embedding: vector(1, 0, 0, 0) });
      const otherUser = entry({ scope, user: userX, embedding: vector(1, 0, 0, 0) });
      for (const item of [near, middle, far, otherTenant, otherScope, otherUser])
        await store().put(item, HOUR);
      const query = { tenant: tenantA, scope, user: NO_USER, vector: vector(1, 0, 0, 0), k: 3 };

      const matches = await store().knn(query);
      expect(matches.map((match) => match.entry.id)).toEqual([near.id, middle.id, far.id]);
      expect(matches[0]?.similarity).toBeCloseTo(0.995, 2);
      expect(matches[1]?.similarity).toBeCloseTo(Math.SQRT1_2, 2);
      expect(matches[2]?.similarity).toBeCloseTo(0, 2);
      expect(matches[0]?.entry.response).toBe(near.response);
      expect((await store().knn({ ...query, k: 1 })).map((match) => match.entry.id)).toEqual([near.id]);
      const forUser = await store().knn({ ...query, user: userX, k: 5 });
      expect(forUser.map((match) => match.entry.id)).toEqual([otherUser.id]);
    });

    it('deletes one entry', async () => {
      const item = entry();
      await store().put(item, HOUR);
      expect(await store().delete(tenantA, item.id)).toBe(true);
      expect(await store().get(tenantA, item.id)).toBeUndefined();
      expect(await store().delete(tenantA, item.id)).toBe(false);
    });

    it('clears one tenant and nothing else', async () => {
      const tenant = digests.of('to-clear');
      const keep = entry({ tenant: digests.of('to-keep') });
      await store().put(entry({ tenant }), HOUR);
      await store().put(entry({ tenant, user: userX }), HOUR);
      await store().put(keep, HOUR);
      expect(await store().count(tenant)).toBe(2);
      expect(await store().clearTenant(tenant)).toBe(2);
      expect(await store().count(tenant)).toBe(0);
      expect(await store().get(keep.tenant, keep.id)).toEqual(expect.objectContaining({ id: keep.id }));
    });

    it('forgets one user of a tenant and nothing else', async () => {
      const tenant = digests.of('forget-tenant');
      const mine = [entry({ tenant, user: userX }), entry({ tenant, user: userX, embedding: undefined })];
      const others = [entry({ tenant }), entry({ tenant: tenantB, user: userX })];
      for (const item of [...mine, ...others]) await store().put(item, HOUR);
      expect(await store().forgetUser(tenant, userX)).toBe(2);
      for (const item of mine) expect(await store().get(tenant, item.id)).toBeUndefined();
      for (const item of others)
        expect(await store().get(item.tenant, item.id)).toEqual(expect.objectContaining({ id: item.id }));
    });

    it('compares vectors of one model only', async () => {
      const scope = digests.of('model-scope');
      const [modelA, modelB] = [digests.of('model-a'), digests.of('model-b')];
      const ofA = entry({ scope, model: modelA, embedding: vector(1, 0, 0, 0) });
      const ofB = entry({ scope, model: modelB, embedding: vector(1, 0, 0, 0) });
      await store().put(ofA, HOUR);
      await store().put(ofB, HOUR);
      const query = { tenant: tenantA, scope, user: NO_USER, vector: vector(1, 0, 0, 0), k: 5 };
      expect((await store().knn({ ...query, model: modelA })).map((match) => match.entry.id)).toEqual([
        ofA.id,
      ]);
      expect((await store().knn({ ...query, model: modelB })).map((match) => match.entry.id)).toEqual([
        ofB.id,
      ]);
      expect(await store().knn(query)).toEqual([]);
      expect((await store().get(tenantA, ofA.id))?.model).toBe(modelA);
    });

    it('fences a user’s writes that began before forgetUser, and counts what it erased', async () => {
      const tenant = digests.of('fence-tenant');
      const began = Date.now() - 1_000;
      let reported = 0;
      await store().put(entry({ tenant, user: userX }), HOUR);
      expect(await store().forgetUser(tenant, userX, { onDeleted: (count) => (reported += count) })).toBe(1);
      expect(reported).toBe(1);
      const late = entry({ tenant, user: userX, createdAt: began });
      expect(await store().put(late, HOUR)).toBe(false);
      expect(await store().get(tenant, late.id)).toBeUndefined();
      const otherUser = entry({ tenant, createdAt: began });
      expect(await store().put(otherUser, HOUR)).not.toBe(false);
      const fresh = entry({ tenant, user: userX, createdAt: Date.now() + 1 });
      expect(await store().put(fresh, HOUR)).not.toBe(false);
      expect(await store().get(tenant, fresh.id)).toEqual(expect.objectContaining({ id: fresh.id }));
    });

    it('expires entries after their TTL', async () => {
      const item = entry({ scope: digests.of('expiring') });
      await store().put(item, 200);
      await sleep(600);
      expect(await store().get(tenantA, item.id)).toBeUndefined();
      const query = { tenant: tenantA, scope: item.scope, user: NO_USER, vector: vector(1, 0, 0, 0), k: 1 };
      expect(await store().knn(query)).toEqual([]);
    });

    tagConformance(api, store, digests);
    listConformance(api, store, digests);
    touchConformance(api, store, digests);
    capabilityConformance(api, target, store, digests);
  });
}
