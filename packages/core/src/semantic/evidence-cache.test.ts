import { describe, expect, it } from 'vitest';
import { type EvidenceStore, memoryEvidenceStore, serializeEvidence } from './evidence.js';
import { EvidenceCache } from './evidence-cache.js';

/** A store whose calls the test releases one by one (the test controls time and order). */
function controlledStore(): EvidenceStore & { calls: string[]; failNext: (kind: 'add' | 'read') => void } {
  const inner = memoryEvidenceStore();
  const failing = new Set<string>();
  const calls: string[] = [];
  return {
    calls,
    failNext: (kind) => failing.add(kind),
    async read() {
      calls.push('read');
      if (failing.delete('read')) throw new Error('read failed');
      return inner.read();
    },
    async add(deltas) {
      calls.push(`add ${JSON.stringify(deltas)}`);
      if (failing.delete('add')) throw new Error('add failed');
      return inner.add(deltas);
    },
  };
}

describe('EvidenceCache', () => {
  it('answers from local memory and syncs at most every refreshMs', async () => {
    let now = 0;
    const store = controlledStore();
    const cache = new EvidenceCache({ store, refreshMs: 1000, now: () => now });
    cache.current(); // first use starts a sync
    await cache.sync();
    expect(store.calls).toEqual(['read']);
    now = 999;
    cache.current();
    await cache.sync(); // explicit sync still allowed
    store.calls.length = 0;
    now = 1500;
    cache.current(); // 501 ms after the explicit sync: no new one
    expect(store.calls).toEqual([]);
    now = 2600;
    cache.current();
    await cache.sync();
    expect(store.calls).toEqual(['read']);
  });

  it('shows its own outcomes at once, pushes them as deltas, and never counts them twice', async () => {
    const store = memoryEvidenceStore();
    await store.add({ 'e1:90:r': 5 }); // another process's outcomes
    const cache = new EvidenceCache({ store, refreshMs: 60_000, now: () => 0 });
    await cache.sync();
    cache.record(0.9, false);
    expect(serializeEvidence(cache.current())).toEqual({ 'e1:90:r': 5, 'e1:90:w': 1 });
    await cache.sync();
    expect(store.fields).toEqual({ 'e1:90:r': 5, 'e1:90:w': 1 });
    expect(serializeEvidence(cache.current())).toEqual({ 'e1:90:r': 5, 'e1:90:w': 1 });
    expect(cache.pendingFields()).toEqual({});
  });

  it('two processes sharing one store both learn everything', async () => {
    const store = memoryEvidenceStore();
    const a = new EvidenceCache({ store, refreshMs: 60_000, now: () => 0 });
    const b = new EvidenceCache({ store, refreshMs: 60_000, now: () => 0 });
    a.record(0.95, true);
    b.record(0.95, false);
    await a.sync();
    await b.sync();
    await a.sync();
    for (const cache of [a, b])
      expect(serializeEvidence(cache.current())).toEqual({ 'e1:95:r': 1, 'e1:95:w': 1 });
  });

  it('keeps outcomes whose push failed for the next sync, and reports the failure', async () => {
    const store = controlledStore();
    const errors: unknown[] = [];
    const cache = new EvidenceCache({
      store,
      refreshMs: 60_000,
      now: () => 0,
      onError: (e) => errors.push(e),
    });
    cache.record(0.9, true);
    store.failNext('add');
    await cache.sync();
    expect(errors).toHaveLength(1);
    cache.record(0.9, true);
    expect(serializeEvidence(cache.current())).toEqual({ 'e1:90:r': 2 });
    await cache.sync();
    expect(await store.read()).toEqual({ 'e1:90:r': 2 });
    expect(serializeEvidence(cache.current())).toEqual({ 'e1:90:r': 2 });
  });

  it('keeps pushed outcomes in view when the read after the push fails', async () => {
    const store = controlledStore();
    const cache = new EvidenceCache({ store, refreshMs: 60_000, now: () => 0, onError: () => {} });
    cache.record(0.9, false);
    store.failNext('read');
    await cache.sync();
    expect(serializeEvidence(cache.current())).toEqual({ 'e1:90:w': 1 });
    await cache.sync(); // the read lands: the pushed outcome is now in the shared total, once
    expect(serializeEvidence(cache.current())).toEqual({ 'e1:90:w': 1 });
  });

  it('returns the same object until something changes (callers memoise on it)', async () => {
    const cache = new EvidenceCache({ store: memoryEvidenceStore(), refreshMs: 60_000, now: () => 0 });
    await cache.sync();
    const first = cache.current();
    expect(cache.current()).toBe(first);
    cache.record(0.9, true);
    expect(cache.current()).not.toBe(first);
  });

  it('runs one sync at a time', async () => {
    const store = controlledStore();
    const cache = new EvidenceCache({ store, refreshMs: 60_000, now: () => 0 });
    await Promise.all([cache.sync(), cache.sync(), cache.sync()]);
    expect(store.calls).toEqual(['read']);
  });
});
