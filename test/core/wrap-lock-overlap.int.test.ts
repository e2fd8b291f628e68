// wrap's cross-process lock is tried as soon as the exact probe misses, while the semantic tier
// runs: a miss then computes without a lock round trip (and its re-check) after the search, and a
// semantic hit lets go of the lock it took. Ordering is read from the calls themselves (when each
// started and returned), never from a clock.
import { lexicalEmbedder, type Store } from '@deja/core';
import { expect, it } from 'vitest';
import { describeEachStore, REDIS_KINDS, useDeja } from '../support/deja-fixture.ts';

interface Event {
  call: string;
  at: 'start' | 'end';
}

/** The store with its knn and lock calls written down as they start and end. */
function timelineStore(inner: Store): { store: Store; events: Event[] } {
  const events: Event[] = [];
  const timed =
    <A extends unknown[], R>(call: string, run: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      events.push({ call, at: 'start' });
      try {
        return await run(...args);
      } finally {
        events.push({ call, at: 'end' });
      }
    };
  const locks = inner.locks as NonNullable<Store['locks']>;
  const store = new Proxy(inner, {
    get(object, property, receiver) {
      if (property === 'knn') return timed('knn', inner.knn.bind(inner));
      if (property === 'locks')
        return {
          acquire: timed('acquire', locks.acquire.bind(locks)),
          release: timed('release', locks.release.bind(locks)),
        };
      return Reflect.get(object, property, receiver);
    },
  });
  return { store, events };
}

describeEachStore('wrap takes its lock while the semantic tier runs', REDIS_KINDS, (kind) => {
  let recorded: ReturnType<typeof timelineStore>;
  const fixture = useDeja(kind, (testStore) => {
    recorded = timelineStore(testStore.store);
    return {
      store: recorded.store,
      embedder: lexicalEmbedder({ dimensions: 32 }),
      statsFlushMs: 0,
      lock: { ttlMs: 10_000, pollMs: 50 },
    };
  });
  const indexOf = (call: string, at: Event['at']) =>
    recorded.events.findIndex((event) => event.call === call && event.at === at);

  it('a miss: the lock try starts before the KNN has returned, and is not made again after it', async () => {
    const tenant = fixture.deja.tenant('lock overlap');
    recorded.events.length = 0;
    const result = await tenant.responses.wrap(
      { key: 'k1', semanticText: 'how do I rotate my API keys', scope: 's' },
      async () => 'use the console',
      { awaitWrite: true },
    );
    expect(result).toMatchObject({ hit: 'miss', stored: true });
    expect(indexOf('acquire', 'start')).toBeGreaterThanOrEqual(0);
    expect(indexOf('acquire', 'start')).toBeLessThan(indexOf('knn', 'end'));
    expect(recorded.events.filter((event) => event.call === 'acquire' && event.at === 'start')).toHaveLength(
      1,
    );
    // Held until the answer was stored, then released.
    expect(indexOf('release', 'start')).toBeGreaterThan(indexOf('knn', 'end'));
  });

  it('a semantic hit releases the lock it took', async () => {
    const tenant = fixture.deja.tenant('lock release');
    const question = { key: 'q1', semanticText: 'what is the refund policy', scope: 's' };
    await tenant.responses.store(question, 'thirty days');
    recorded.events.length = 0;
    let computed = 0;
    const result = await tenant.responses.wrap({ ...question, key: 'q2' }, async () => {
      computed++;
      return 'fresh';
    });
    expect(result).toMatchObject({ hit: 'semantic', value: 'thirty days' });
    expect(computed).toBe(0);
    await expect.poll(() => indexOf('release', 'end')).toBeGreaterThanOrEqual(0);
  });
});
