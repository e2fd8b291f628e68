// The optional parts of the Store contract: each checked only when the store declares it.
import type { Store } from '../stores/types.js';
import {
  type ConformanceTarget,
  type ConformanceTestApi,
  entryMaker,
  HOUR,
  type RunDigests,
  sleep,
} from './conformance-support.js';

export function capabilityConformance(
  api: ConformanceTestApi,
  target: ConformanceTarget,
  store: () => Store,
  digests: RunDigests,
): void {
  const { it, expect } = api;
  const entry = entryMaker(digests);
  const { tenantA } = digests;
  const declares = (part: 'locks' | 'counters' | 'bytes') => store().capabilities[part];

  it('bytes: reads and writes byte values in order, with a TTL; a tenant clear removes its own', async () => {
    if (!declares('bytes')) return expect(store().bytes).toBeUndefined();
    const bytes = store().bytes as NonNullable<Store['bytes']>;
    const keyOf = (name: string) => target.globalBytesKey?.(name) ?? bytes.key(digests.of('global'), name);
    await bytes.set(
      [
        { key: keyOf('a'), value: new Uint8Array([1, 2, 3]) },
        { key: keyOf('b'), value: new Uint8Array([4]) },
      ],
      HOUR,
    );
    const values = await bytes.get([keyOf('b'), keyOf('missing'), keyOf('a')]);
    expect(values.map((value) => (value ? [...value] : undefined))).toEqual([[4], undefined, [1, 2, 3]]);
    expect(await bytes.get([])).toEqual([]);
    await bytes.set([{ key: keyOf('short'), value: new Uint8Array([9]) }], 150);
    // keepLonger: the value is replaced but a longer expiry is kept; a new key still expires.
    await bytes.set([{ key: keyOf('long'), value: new Uint8Array([1]) }], HOUR);
    await bytes.set(
      [
        { key: keyOf('long'), value: new Uint8Array([2]) },
        { key: keyOf('fresh'), value: new Uint8Array([3]) },
      ],
      150,
      { keepLonger: true },
    );
    await sleep(500);
    const afterExpiry = await bytes.get([keyOf('short'), keyOf('long'), keyOf('fresh')]);
    expect(afterExpiry.map((value) => (value ? [...value] : undefined))).toEqual([undefined, [2], undefined]);

    const cleared = digests.of('bytes-cleared');
    const kept = digests.of('bytes-kept');
    await store().put(entry({ tenant: cleared }), HOUR);
    await bytes.set(
      [
        { key: bytes.key(cleared, 'vector'), value: new Uint8Array([1]) },
        { key: bytes.key(kept, 'vector'), value: new Uint8Array([2]) },
      ],
      HOUR,
    );
    await store().clearTenant(cleared);
    const after = await bytes.get([bytes.key(cleared, 'vector'), bytes.key(kept, 'vector')]);
    expect(after.map((value) => value && [...value])).toEqual([undefined, [2]]);

    // A user's byte values go with forgetUser; the tenant's and other users' stay.
    const { userX } = digests;
    const userY = digests.of('bytes-user-y');
    const names = [bytes.key(kept, 'v', userX), bytes.key(kept, 'v', userY), bytes.key(kept, 'v')];
    await bytes.set(
      names.map((key, i) => ({ key, value: new Uint8Array([i]) })),
      HOUR,
    );
    await store().forgetUser(kept, userX);
    expect((await bytes.get(names)).map((value) => value && [...value])).toEqual([undefined, [1], [2]]);
  });

  it('locks: one holder until it is released or expires', async () => {
    if (!declares('locks')) return expect(store().locks).toBeUndefined();
    const locks = store().locks as NonNullable<Store['locks']>;
    const id = digests.of('lock');
    // Long enough that a busy machine cannot let it expire between two calls.
    const token = await locks.acquire(tenantA, id, 30_000);
    expect(token).toEqual(expect.any(String));
    expect(await locks.acquire(tenantA, id, 30_000)).toBeUndefined();
    await locks.release(tenantA, id, 'not-the-token');
    expect(await locks.acquire(tenantA, id, 30_000)).toBeUndefined();
    await locks.release(tenantA, id, token as string);
    expect(await locks.acquire(tenantA, id, 100)).toEqual(expect.any(String));
    await sleep(400);
    expect(await locks.acquire(tenantA, id, 100)).toEqual(expect.any(String));
  });

  it('counters: adds and reads per owner; reserved owners stay out of the tenant listing', async () => {
    if (!declares('counters')) return expect(store().counters).toBeUndefined();
    const counters = store().counters as NonNullable<Store['counters']>;
    const tenant = digests.of('counters');
    const reserved = `evidence-${digests.of('reserved').slice(0, 8)}`;
    await counters.add(tenant, { exactHits: 2, costSaved: 0.5 });
    await counters.add(tenant, { exactHits: 1, misses: 4 });
    await counters.add(reserved, { seen: 1 });
    expect((await counters.read(tenant))[tenant]).toEqual({ exactHits: 3, costSaved: 0.5, misses: 4 });
    expect(await counters.read(reserved)).toEqual({ [reserved]: { seen: 1 } });
    const all = Object.keys(await counters.read());
    expect([all.includes(tenant), all.includes(reserved)]).toEqual([true, false]);
  });

  it('health: reports a connected store when it has a health check', async () => {
    if (!store().health) return expect(store().health).toBeUndefined();
    const health = await store().health?.();
    expect(health?.connected).toBe(true);
    expect(health?.queryEngine).toBe(target.expected.semantic === 'index');
  });
}
