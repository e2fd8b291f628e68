// The cross-tenant timing side channel (docs/security/timing.md): a hit is faster than a miss, so
// whatever one tenant can make hit, it can time. Tenant scoping keeps other tenants' prompts out of
// reach: tenant B's lookup of a prompt that tenant A cached does exactly the work of a lookup of a
// prompt nobody ever saw — the same store calls in the same order, the same embedder calls.
// Latencies are measured and printed, never asserted.
import { lexicalEmbedder } from '@deja/core';
import { countingEmbedder } from '@deja/core/testing';
import { expect, it } from 'vitest';
import { describeEachStore, REDIS_KINDS, useDeja } from '../support/deja-fixture.ts';
import { costOf, type RecordingStore, recordingStore } from '../support/recording-store.ts';
import { formatPercentiles, percentiles } from './support/latency.ts';

describeEachStore('cross-tenant timing side channel', REDIS_KINDS, (kind) => {
  let recorded: RecordingStore;
  const embedder = countingEmbedder(lexicalEmbedder({ dimensions: 32 }));
  const fixture = useDeja(kind, (testStore) => {
    recorded = recordingStore(testStore.store);
    return { store: recorded.store, embedder, statsFlushMs: 0 };
  });

  /** What one lookup costs: store calls in order and embedder calls. */
  const work = (run: () => Promise<unknown>) => costOf(recorded, embedder, run);

  it("tenant B cannot tell whether tenant A cached a prompt: a lookup of A's prompt does the work of a never-seen one", async () => {
    const alice = fixture.deja.tenant('tenant A');
    const bob = fixture.deja.tenant('tenant B');
    for (let round = 0; round < 3; round++) {
      const secret = {
        key: `merger ${round}`,
        semanticText: `press release: we acquire Initech (${round})`,
        scope: 'pr',
      };
      const fresh = {
        ...secret,
        key: `never seen ${round}`,
        semanticText: `a prompt nobody ever sent (${round})`,
      };
      await alice.responses.store(secret, 'CONFIDENTIAL press release');
      expect((await alice.responses.lookup(secret))?.hit).toBe('exact');

      const cachedElsewhere = await work(() => bob.responses.lookup(secret));
      const neverSeen = await work(() => bob.responses.lookup(fresh));
      expect(cachedElsewhere.result).toBeUndefined();
      expect(neverSeen.result).toBeUndefined();
      // Same code path: exact miss, embedding-cache miss, embedder call, embedding write, KNN miss
      // with the query's marks flag.
      expect(cachedElsewhere.storeCalls).toEqual(['get', 'bytes.get', 'bytes.set', 'knn', 'bytes.get']);
      expect(neverSeen.storeCalls).toEqual(cachedElsewhere.storeCalls);
      // A's embedding of the prompt does not make B's faster: both reach the embedder.
      expect(cachedElsewhere.embedderCalls).toBe(1);
      expect(neverSeen.embedderCalls).toBe(1);
      // B asking again is B's own history (its slice of the embedding cache), and still no answer of A's.
      const again = await work(() => bob.responses.lookup({ ...secret, key: `${secret.key} again` }));
      expect(again.result).toBeUndefined();
      expect(again.embedderCalls).toBe(0);
    }
  });

  it('the channel that remains is within a tenant: its own hits; its users no longer share an embedding slice', async () => {
    const tenant = fixture.deja.tenant('tenant C');
    const prompt = { key: 'q', semanticText: 'summarise the quarterly numbers', scope: 's' };
    await tenant.responses.store(prompt, 'summary', { user: 'carol' });
    // Another user of the same tenant never gets carol's answer...
    const dave = await work(() => tenant.responses.lookup({ ...prompt, key: 'q2' }, { user: 'dave' }));
    expect(dave.result).toBeUndefined();
    // ...and the embedding of a user's prompt is cached in that user's own slice (so forgetUser can
    // erase it), so dave's lookup embeds the text itself: he cannot time carol's prompt either.
    expect(dave.embedderCalls).toBe(1);
  });

  it('latency of lookups (printed, not asserted)', async () => {
    const alice = fixture.deja.tenant('tenant A');
    const bob = fixture.deja.tenant('tenant B');
    const samples = new Map<string, number[]>();
    const outcomes = new Map<string, Set<string>>();
    const time = async (label: string, run: () => Promise<{ hit: string } | undefined>) => {
      const started = performance.now();
      const hit = await run();
      samples.set(label, [...(samples.get(label) ?? []), performance.now() - started]);
      outcomes.set(label, (outcomes.get(label) ?? new Set()).add(hit?.hit ?? 'miss'));
    };
    for (let i = 0; i < 150; i++) {
      const prompt = {
        key: `timed ${i}`,
        semanticText: `timed prompt number ${i} about ${i % 7}`,
        scope: 't',
      };
      const unseen = { ...prompt, key: `unseen ${i}`, semanticText: `unseen prompt ${i} about ${i % 7}` };
      await alice.responses.store(prompt, `answer ${i}`);
      await time('A hit (own prompt)', () => alice.responses.lookup(prompt));
      // Alternate the order of the two misses so that neither always runs first.
      const misses = [
        () => time("B miss (A's prompt)", () => bob.responses.lookup(prompt)),
        () => time('B miss (unseen prompt)', () => bob.responses.lookup(unseen)),
      ];
      for (const miss of i % 2 === 0 ? misses : misses.reverse()) await miss();
    }
    console.info(
      [
        `[${kind}] lookup latency`,
        ...[...samples].map(([label, values]) => formatPercentiles(`  ${label}`, percentiles(values))),
      ].join('\n'),
    );
    expect(Object.fromEntries([...outcomes].map(([label, seen]) => [label, [...seen]]))).toEqual({
      'A hit (own prompt)': ['exact'],
      "B miss (A's prompt)": ['miss'],
      'B miss (unseen prompt)': ['miss'],
    });
  });
});
