// Issue 13, finding 4: forgetUser erases everything derived from a user's prompts (entries, the
// user's slice of the embedding cache, scope and member sets), fences writes that were already
// running when it was called, and says exactly what it did: { deleted, complete }.
import { createDeja, type DejaErrorEvent, type Embedder, type Store } from '@deja/core';
import { digest, sha256 } from '@deja/core/adapter';
import { countingEmbedder } from '@deja/core/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { makeTestStore, type StoreKind } from '../support/stores.ts';
import { keysMatching, withClient } from './support/keyspace.ts';

const KINDS: StoreKind[] = ['redis-stack', 'redis-plain', 'redis-8', 'memory'];
const USER = 'alice';
const PROMPTS = ['my salary is 1234', 'my diagnosis is flu', 'my address is 1 main street'];

/** An embedder whose calls wait until the test lets them go. */
function gatedEmbedder(inner: Embedder) {
  let open: () => void = () => undefined;
  let gate = Promise.resolve();
  return {
    embedder: {
      modelId: inner.modelId,
      dimensions: inner.dimensions,
      async embed(texts: string[], signal?: AbortSignal) {
        await gate;
        return inner.embed(texts, signal);
      },
    } satisfies Embedder,
    close() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    open: () => open(),
  };
}

function setup(kind: StoreKind, embedder: Embedder, wrap?: (store: Store) => Store) {
  const testStore = makeTestStore(kind);
  const errors: DejaErrorEvent[] = [];
  const deja = createDeja({
    ...testStore.dejaOptions,
    store: wrap ? wrap(testStore.store) : testStore.store,
    embedder,
    statsFlushMs: 0,
    initTimeoutMs: 2_000,
    onError: (event) => errors.push(event),
  });
  onTestFinished(async () => {
    await deja.close();
    await testStore.cleanup();
  });
  return { deja, testStore, errors };
}

describe.each(KINDS)('forgetUser erases what the user’s prompts left (%s)', (kind) => {
  it('removes the entries, the embedding-cache slice and the sets, and counts exactly', async () => {
    const embedder = countingEmbedder();
    const { deja, testStore } = setup(kind, embedder);
    await deja.ready();
    const tenant = deja.tenant('clinic');
    const auditKeys = async (): Promise<string[]> =>
      testStore.url
        ? withClient(testStore.url, (client) =>
            keysMatching(client, [
              `${testStore.prefix}*`,
              `~${testStore.prefix}*`,
              `${testStore.embeddingPrefix}*`,
            ]),
          )
        : [];
    // Another user's entry stays, and so does everything it left.
    await tenant.put({ key: 'other', value: 1, text: 'the other user asks', user: 'bob' });
    const before = await auditKeys();
    for (const [i, prompt] of PROMPTS.entries()) {
      expect(
        (await tenant.put({ key: i, value: `answer ${i}`, text: prompt, user: USER, scope: i })).stored,
      ).toBe(true);
    }
    expect((await tenant.put({ key: 'exact', value: 'x', user: USER })).stored).toBe(true);

    expect(await tenant.forgetUser(USER)).toEqual({ deleted: 4, complete: true });
    expect(await tenant.forgetUser(USER)).toEqual({ deleted: 0, complete: true });
    expect(await tenant.count()).toBe(1);

    if (testStore.url) {
      const after = await auditKeys();
      const left = after.filter((key) => !before.includes(key));
      // At most the erasure fence is new, and it is not named with a digest anyone can compute.
      expect(left.length).toBeLessThanOrEqual(1);
      for (const key of after) {
        expect(key).not.toContain(digest(USER));
        expect(key).not.toContain(sha256(USER));
        for (const prompt of PROMPTS) expect(key).not.toContain(sha256(prompt));
      }
    }
    // The cached vectors are gone: the same prompt is embedded again.
    const calls = embedder.texts.length;
    await tenant.put({ key: 'again', value: 1, text: PROMPTS[0] as string, user: USER });
    expect(embedder.texts.length).toBe(calls + 1);
  });

  it('fences a write that was running when forgetUser was called', async () => {
    const gated = gatedEmbedder(countingEmbedder());
    const { deja } = setup(kind, gated.embedder);
    await deja.ready();
    const tenant = deja.tenant('clinic');
    gated.close();
    const running = tenant.put({ key: 'late', value: 'secret', text: 'a late prompt', user: USER });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await tenant.forgetUser(USER)).toEqual({ deleted: 0, complete: true });
    gated.open();
    expect(await running).toEqual({ stored: false, id: expect.any(String), reason: 'user-erased' });
    expect(await tenant.get('late', { user: USER })).toBeUndefined();
    expect(await tenant.count()).toBe(0);
    // A write that starts after forgetUser returned is the user's new data, and is kept.
    expect((await tenant.put({ key: 'new', value: 'fresh', text: 'a new prompt', user: USER })).stored).toBe(
      true,
    );
    expect((await tenant.get('new', { user: USER }))?.value).toBe('fresh');
  });

  it('NFC and NFD spellings of a user are one user', async () => {
    const { deja } = setup(kind, countingEmbedder());
    await deja.ready();
    const tenant = deja.tenant('clinic');
    await tenant.put({ key: 'k', value: 1, user: 'Jos\u00e9' });
    expect(await tenant.forgetUser('Jose\u0301')).toEqual({ deleted: 1, complete: true });
  });
});

describe.each(['redis-stack', 'redis-plain', 'redis-8'] as const)(
  'forgetUser past its deadline (%s)',
  (kind) => {
    it('says it is incomplete, with what it had deleted, instead of 0', async () => {
      let release: () => void = () => undefined;
      const stalled = new Promise<void>((resolve) => {
        release = resolve;
      });
      onTestFinished(() => release());
      const { deja } = setup(kind, countingEmbedder(), (store) => ({
        ...store,
        capabilities: store.capabilities,
        // The real erasure runs and reports its progress; then the store stalls past the deadline.
        async forgetUser(tenant, user, options) {
          const deleted = await store.forgetUser(tenant, user, options);
          await stalled;
          return deleted;
        },
      }));
      await deja.ready();
      const tenant = deja.tenant('clinic');
      for (let i = 0; i < 3; i++) await tenant.put({ key: i, value: i, user: USER });
      expect(await tenant.forgetUser(USER)).toEqual({ deleted: 3, complete: false });
      expect(await tenant.count()).toBe(0);
    });
  },
);
