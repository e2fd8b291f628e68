import { describe, expect, it } from 'vitest';
import { bucketSizes, FRESH_MS, MAX_REFRESHES, type SizeSources, STALE_MS } from './bucket-sizes.js';

/** Sources whose answers the test sets, counting the loads they serve. */
function sources(overrides: Partial<SizeSources> = {}) {
  const state = { time: 0, bucket: 30, index: 100, bucketLoads: 0, indexLoads: 0, reports: [] as unknown[] };
  const source: SizeSources = {
    bucketEntries: async () => {
      state.bucketLoads++;
      return state.bucket;
    },
    indexEntries: async () => {
      state.indexLoads++;
      return state.index;
    },
    indexKey: () => '',
    report: (error) => state.reports.push(error),
    now: () => state.time,
    ...overrides,
  };
  return { state, source };
}

describe('bucketSizes', () => {
  it('knows nothing at first, refreshes behind the lookup, then answers from memory', async () => {
    const { state, source } = sources();
    const sizes = bucketSizes(source);
    expect(sizes.sizeOf('t', 'b')).toBeUndefined();
    expect([state.bucketLoads, state.indexLoads]).toEqual([1, 1]);
    await sizes.idle();
    expect(sizes.sizeOf('t', 'b')).toEqual({ bucketEntries: 30, indexEntries: 100 });
    expect(sizes.sizeOf('t', 'b')).toEqual({ bucketEntries: 30, indexEntries: 100 });
    expect([state.bucketLoads, state.indexLoads]).toEqual([1, 1]);
  });

  it('asks once for concurrent lookups of one bucket, and shares one index size across buckets', async () => {
    const { state, source } = sources();
    const sizes = bucketSizes(source);
    sizes.sizeOf('t', 'b');
    sizes.sizeOf('t', 'b');
    sizes.sizeOf('t', 'c');
    await sizes.idle();
    expect([state.bucketLoads, state.indexLoads]).toEqual([2, 1]);
  });

  it('uses an old size while refreshing it, and stops using it once stale', async () => {
    const { state, source } = sources();
    const sizes = bucketSizes(source);
    sizes.sizeOf('t', 'b');
    await sizes.idle();
    state.bucket = 60;
    state.time = FRESH_MS;
    // Old but not stale: answered, and refreshed behind.
    expect(sizes.sizeOf('t', 'b')).toEqual({ bucketEntries: 30, indexEntries: 100 });
    await sizes.idle();
    expect(sizes.sizeOf('t', 'b')).toEqual({ bucketEntries: 60, indexEntries: 100 });
    // Stale: no longer used (RediSearch chooses) while it is refreshed behind.
    state.time = FRESH_MS + STALE_MS;
    expect(sizes.sizeOf('t', 'b')).toBeUndefined();
    expect(state.bucketLoads).toBe(3);
    await sizes.idle();
    expect(sizes.sizeOf('t', 'b')).toEqual({ bucketEntries: 60, indexEntries: 100 });
  });

  it('reports a failed refresh, never throws it, and waits FRESH_MS before trying again', async () => {
    const failure = new Error('connection lost');
    let calls = 0;
    const { state, source } = sources({
      bucketEntries: async () => {
        calls++;
        throw failure;
      },
    });
    const sizes = bucketSizes(source);
    expect(sizes.sizeOf('t', 'b')).toBeUndefined();
    await sizes.idle();
    expect(sizes.sizeOf('t', 'b')).toBeUndefined();
    await sizes.idle();
    expect(calls).toBe(1);
    expect(state.reports).toEqual([failure]);
    state.time = FRESH_MS;
    sizes.sizeOf('t', 'b');
    await sizes.idle();
    expect(calls).toBe(2);
  });

  it('survives a source that throws at once', async () => {
    const { state, source } = sources({
      indexEntries: () => {
        throw new Error('not connected');
      },
    });
    const sizes = bucketSizes(source);
    expect(sizes.sizeOf('t', 'b')).toBeUndefined();
    await sizes.idle();
    expect(state.reports).toHaveLength(1);
  });

  it('keeps at most MAX_REFRESHES in flight; other buckets wait for a later lookup', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = 0;
    const { source } = sources({
      bucketEntries: async () => {
        started++;
        await held;
        return 1;
      },
      indexKey: (tenant) => tenant,
      indexEntries: async () => {
        await held;
        return 10;
      },
    });
    const sizes = bucketSizes(source);
    for (let i = 0; i < 10; i++) sizes.sizeOf(`t${i}`, `b${i}`);
    expect(started).toBeLessThanOrEqual(MAX_REFRESHES);
    release();
    await sizes.idle();
    expect(sizes.sizeOf('t0', 'b0')).toEqual({ bucketEntries: 1, indexEntries: 10 });
    expect(sizes.sizeOf('t9', 'b9')).toBeUndefined();
  });
});
