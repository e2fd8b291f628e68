// Sliding TTL: a hit extends its entry's TTL (never shortens it), sent after the hit without
// waiting; what must outlive the entry (the sets forgetUser and invalidateTag walk on plain
// Redis) is extended with it, so erasure and invalidation still find an entry a hit kept alive.
import { createDeja, DejaInputError } from '@deja/core';
import { countingEmbedder } from '@deja/core/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { withClient } from '../reliability/support/keyspace.ts';
import { makeTestStore, STORE_KINDS, type StoreKind } from '../support/stores.ts';

const SHORT = 2_000;
const LONG = 3_600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function setup(kind: StoreKind, slidingTtl: boolean) {
  const testStore = makeTestStore(kind);
  const deja = createDeja({
    ...testStore.dejaOptions,
    embedder: countingEmbedder(),
    slidingTtl,
    statsFlushMs: 0,
    initTimeoutMs: 5_000,
  });
  onTestFinished(async () => {
    await deja.close();
    await testStore.cleanup();
  });
  return { deja, testStore };
}

describe.each(STORE_KINDS)('sliding TTL (%s)', (kind) => {
  it('a hit keeps its entry (and what erasure needs) past its first TTL; without it, it expires', async () => {
    const { deja, testStore } = setup(kind, true);
    const tenant = deja.tenant('acme');
    const asked = { key: 'q', semanticText: 'how do I reset my password' };
    const untouched = { key: 'other', semanticText: 'an answer nobody asks for again' };
    await tenant.responses.store(asked, 'a', { ttlMs: SHORT, user: 'alice', tags: ['doc:1'] });
    await tenant.responses.store(untouched, 'b', { ttlMs: SHORT, user: 'alice' });
    const hit = await tenant.responses.lookup(asked, { user: 'alice', ttlMs: LONG, mode: 'exact' });
    expect(hit?.value).toBe('a');
    if (testStore.url) {
      // The refresh is sent, not awaited: wait until Redis has it.
      const key = `${testStore.prefix}{${tenant.digest}}:${hit?.key}`;
      await expect
        .poll(() => withClient(testStore.url as string, (client) => client.pTTL(key)), { timeout: 10_000 })
        .toBeGreaterThan(SHORT);
    }
    await sleep(SHORT + 500);
    expect((await tenant.responses.lookup(asked, { user: 'alice', mode: 'exact' }))?.value).toBe('a');
    expect(await tenant.responses.lookup(untouched, { user: 'alice', mode: 'exact' })).toBeUndefined();
    // The user's and the tag's sets lived on with the entry: both still find it.
    const copy = { key: 'q2', semanticText: 'copy' };
    await tenant.responses.store(copy, 'c', { ttlMs: LONG, user: 'alice', tags: ['doc:1'] });
    expect(await tenant.invalidateTag('doc:1')).toEqual({ deleted: 2, complete: true });
  }, 30_000);

  it('a hit never shortens a longer TTL, and a per-call slidingTtl: false leaves it alone', async () => {
    const { deja, testStore } = setup(kind, true);
    const tenant = deja.tenant('acme');
    const asked = { key: 'q' };
    await tenant.responses.store(asked, 'a', { ttlMs: SHORT });
    await tenant.responses.lookup(asked, { ttlMs: 100 });
    await tenant.responses.lookup(asked, { ttlMs: LONG, slidingTtl: false });
    if (testStore.url) {
      const hit = await tenant.responses.lookup(asked, { ttlMs: 100 });
      const key = `${testStore.prefix}{${tenant.digest}}:${hit?.key}`;
      await sleep(300);
      const ttl = await withClient(testStore.url, (client) => client.pTTL(key));
      expect(ttl).toBeGreaterThan(300);
      expect(ttl).toBeLessThanOrEqual(SHORT);
    }
    await sleep(SHORT + 500);
    expect(await tenant.responses.lookup(asked)).toBeUndefined();
  }, 30_000);
});

describe('sliding TTL: misuse', () => {
  it('refuses a non-boolean slidingTtl per call with DejaInputError, and at createDeja', async () => {
    const { deja } = setup('memory', false);
    await expect(
      deja.tenant('acme').responses.lookup({ key: 'q' }, { slidingTtl: 'yes' as unknown as boolean }),
    ).rejects.toBeInstanceOf(DejaInputError);
    expect(() => createDeja({ slidingTtl: 1 as unknown as boolean })).toThrow(/slidingTtl/);
  });
});
