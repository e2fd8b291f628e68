// The published conformance suite (@deja/core/testing) on deja's stores (memory, Redis Stack,
// plain Redis 7, Redis 8), plus what only the Redis stores promise (server health, the index).
import { storeConformanceSuite } from '@deja/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestStore, STORE_KINDS, type StoreKind, type TestStore } from '../support/stores.ts';

const api = { describe, it, expect, beforeAll, afterAll };
/** How each store answers KNN: the Query Engine's index, Redis 8's vector sets, or a client-side scan. */
const SEMANTIC = {
  memory: 'scan',
  'redis-stack': 'index',
  'redis-plain': 'scan',
  'redis-8': 'vector-set',
} as const satisfies Record<StoreKind, string>;

for (const kind of STORE_KINDS) {
  storeConformanceSuite(api, {
    name: kind,
    create: () => {
      const testStore = makeTestStore(kind);
      return { store: testStore.store, cleanup: () => testStore.cleanup() };
    },
    expected: { semantic: SEMANTIC[kind], shared: kind !== 'memory' },
  });
}

describe.each(['redis-stack', 'redis-plain', 'redis-8'] as const)('Redis store health on %s', (kind) => {
  let testStore: TestStore;
  beforeAll(async () => {
    testStore = makeTestStore(kind);
    await testStore.store.init?.({ dimensions: 4 });
  });
  afterAll(() => testStore.cleanup());

  it('reports the server memory and, with the Query Engine, a ready index', async () => {
    const health = await testStore.store.health?.();
    expect(health?.memoryBytes).toBeGreaterThan(0);
    // A new index scans the server's existing keys in the background (other tests' keys too):
    // 'indexing' until that scan ends, however empty its own prefix is. It must become ready.
    await expect
      .poll(async () => (await testStore.store.health?.())?.index?.state, { timeout: 30_000, interval: 100 })
      .toBe(kind === 'redis-stack' ? 'ready' : undefined);
  }, 60_000);
});
