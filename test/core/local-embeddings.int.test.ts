// The in-process LRU of embeddings (localEmbeddings): a text this process embedded or read a moment
// ago costs no embedding-cache read, so the KNN leaves with the exact probe (one round trip); it is
// kept per tenant and user like the store's slices, and erasure drops it here too.
import { lexicalEmbedder } from '@deja/core';
import { countingEmbedder } from '@deja/core/testing';
import { expect, it } from 'vitest';
import { describeEachStore, REDIS_KINDS, useDeja } from '../support/deja-fixture.ts';
import { costOf, type RecordingStore, recordingStore } from '../support/recording-store.ts';

describeEachStore('local embeddings (in-process LRU)', REDIS_KINDS, (kind) => {
  let recorded: RecordingStore;
  const embedder = countingEmbedder(lexicalEmbedder({ dimensions: 32 }));
  const fixture = useDeja(kind, (testStore) => {
    recorded = recordingStore(testStore.store, ['get', 'knn', 'put', 'bytes.get', 'bytes.set']);
    return { store: recorded.store, embedder, statsFlushMs: 0, acceptSimilarity: 0.95 };
  });

  const work = <T>(run: () => Promise<T>) => costOf(recorded, embedder, run);

  const byteReads = (work: { storeCalls: string[] }) =>
    work.storeCalls.filter((call) => call === 'bytes.get').length;

  it('a text embedded a moment ago: no embedder, no embedding read; probe and KNN in one round trip', async () => {
    const tenant = fixture.deja.tenant('lru tenant');
    const question = { key: 'q1', semanticText: 'how do I reset my password', scope: 's' };
    await tenant.responses.store(question, 'use the reset link');
    const paraphrase = { ...question, key: 'q2' };
    const first = await work(() => tenant.responses.find(paraphrase));
    expect(first.result).toMatchObject({ hit: 'semantic', value: 'use the reset link' });
    expect(first.embedderCalls).toBe(0);
    // No embedding read: the vector came from the LRU. The probe, the query's marks flag (the only
    // byte read) and the KNN leave together; nobody judged this query, so no marks read follows.
    expect([...first.storeCalls].sort()).toEqual(['bytes.get', 'get', 'knn']);
    // An exact hit answers from the probe (the KNN that left with it may still be under way).
    const exact = await work(() => tenant.responses.find(question));
    expect(exact.result).toMatchObject({ hit: 'exact', value: 'use the reset link' });
    expect(exact.embedderCalls).toBe(0);
  });

  it('a reported wrong hit still blocks on the one-round-trip path', async () => {
    const tenant = fixture.deja.tenant('lru report');
    const question = { key: 'r1', semanticText: 'what is the refund policy', scope: 's' };
    await tenant.responses.store(question, 'thirty days');
    const hit = await tenant.responses.find({ ...question, key: 'r2' });
    expect(hit.hit).toBe('semantic');
    await tenant.responses.reportWrongHit((hit as { reference: string }).reference);
    const again = await work(() => tenant.responses.find({ ...question, key: 'r2' }));
    expect(again.result).toMatchObject({ hit: 'miss', reason: 'reported-wrong' });
    expect(again.embedderCalls).toBe(0);
  });

  it("forgetUser drops the user's embeddings in this process too; other users keep theirs", async () => {
    const tenant = fixture.deja.tenant('lru forget');
    const prompt = { key: 'f1', semanticText: 'my private prompt', scope: 's' };
    await tenant.responses.lookup(prompt, { user: 'carol' });
    await tenant.responses.lookup(prompt, { user: 'dave' });
    const warm = await work(() => tenant.responses.lookup(prompt, { user: 'carol' }));
    expect(warm.embedderCalls).toBe(0);
    expect(byteReads(warm)).toBe(1); // the marks flag only: no embedding read
    await tenant.forgetUser('carol');
    // Gone from the LRU and from the store: carol's next lookup reads the cache and embeds again.
    const afterErasure = await work(() => tenant.responses.lookup(prompt, { user: 'carol' }));
    expect(byteReads(afterErasure)).toBe(2); // the flag and the embedding read
    expect(afterErasure.embedderCalls).toBe(1);
    const dave = await work(() => tenant.responses.lookup(prompt, { user: 'dave' }));
    expect(dave.embedderCalls).toBe(0);
    expect(byteReads(dave)).toBe(1);
  });

  it("clear drops the tenant's embeddings in this process too", async () => {
    const tenant = fixture.deja.tenant('lru clear');
    const prompt = { key: 'c1', semanticText: 'a prompt to clear', scope: 's' };
    await tenant.responses.lookup(prompt);
    await tenant.clear();
    const afterClear = await work(() => tenant.responses.lookup(prompt));
    expect(byteReads(afterClear)).toBe(2);
    expect(afterClear.embedderCalls).toBe(1);
  });
});
