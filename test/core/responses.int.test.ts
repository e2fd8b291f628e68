// The response cache on all three stores: exact and semantic hits, scopes, tenants, users, options.
import { createDeja, type DejaErrorEvent } from '@deja/core';
import { countingEmbedder, fixedEmbedder } from '@deja/core/testing';
import { afterAll, expect, it } from 'vitest';
import { describeEachStore, useDeja } from '../support/deja-fixture.ts';

const QUESTION = 'What is the capital of France?';
const PARAPHRASE = 'Tell me the French capital';
const UNRELATED = 'How do I bake bread?';
const embedder = fixedEmbedder({
  [QUESTION]: [1, 0, 0, 0],
  [PARAPHRASE]: [0.98, 0.2, 0, 0],
  [UNRELATED]: [0, 0, 1, 0],
});
const request = (text: string, model = 'model-a') => ({
  key: { model, text },
  semanticText: text,
  scope: { model },
});

describeEachStore('response cache', (kind) => {
  const fixture = useDeja(kind, { embedder, minSimilarity: 0.9 });
  afterAll(() => {
    expect(fixture.errors).toEqual([]);
  });

  it('misses, stores, then hits exactly with the value and how it was found', async () => {
    const tenant = fixture.deja.tenant('exact');
    expect(await tenant.responses.lookup(request(QUESTION))).toBeUndefined();
    const beforeStore = Date.now();
    const stored = await tenant.responses.store(
      request(QUESTION),
      { text: 'Paris', at: new Date(42) },
      { model: 'model-a', usage: { inputTokens: 7, outputTokens: 1 } },
    );
    expect(stored).toEqual({ stored: true, key: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const hit = await tenant.responses.lookup(request(QUESTION));
    expect(hit).toMatchObject({
      hit: 'exact',
      similarity: 1,
      key: stored.key,
      value: { text: 'Paris', at: new Date(42) },
    });
    // The age is clamped at 0, so a lower bound proves nothing: it must not exceed the time since
    // the store began (an age from a wrong clock or unit would).
    expect(hit?.ageMs).toBeLessThanOrEqual(Date.now() - beforeStore);
    // And it grows with time (an age stuck at 0 would pass the bound above).
    await new Promise((resolve) => setTimeout(resolve, 50));
    const later = await tenant.responses.lookup(request(QUESTION));
    expect(later?.ageMs).toBeGreaterThanOrEqual(40);
    expect(later?.ageMs).toBeLessThanOrEqual(Date.now() - beforeStore);
    expect(hit?.meta.usage).toEqual({ inputTokens: 7, outputTokens: 1 });
  });

  it('hits a paraphrase semantically within the same scope only', async () => {
    const tenant = fixture.deja.tenant('semantic');
    await tenant.responses.store(request(QUESTION), 'Paris');
    const hit = await tenant.responses.lookup(request(PARAPHRASE));
    expect(hit).toMatchObject({ hit: 'semantic', value: 'Paris' });
    expect(hit?.similarity).toBeGreaterThan(0.9);
    expect(hit?.similarity).toBeLessThan(1);
    expect(await tenant.responses.lookup(request(PARAPHRASE, 'model-b'))).toBeUndefined();
    expect(await tenant.responses.lookup(request(UNRELATED))).toBeUndefined();
    expect(await tenant.responses.lookup(request(PARAPHRASE), { minSimilarity: 0.999 })).toBeUndefined();
    expect(await tenant.responses.lookup(request(PARAPHRASE), { mode: 'exact' })).toBeUndefined();
  });

  it('never answers from another tenant', async () => {
    await fixture.deja.tenant('owner').responses.store(request(QUESTION), 'secret');
    expect(await fixture.deja.tenant('intruder').responses.lookup(request(QUESTION))).toBeUndefined();
    expect(await fixture.deja.tenant('intruder').responses.lookup(request(PARAPHRASE))).toBeUndefined();
  });

  it('keeps a user’s entries to that user, and shared entries away from users', async () => {
    const tenant = fixture.deja.tenant('users');
    await tenant.responses.store(request(QUESTION), 'for alice', { user: 'alice' });
    expect(await tenant.responses.lookup(request(QUESTION), { user: 'alice' })).toMatchObject({
      value: 'for alice',
    });
    expect(await tenant.responses.lookup(request(PARAPHRASE), { user: 'alice' })).toMatchObject({
      hit: 'semantic',
    });
    expect(await tenant.responses.lookup(request(QUESTION), { user: 'bob' })).toBeUndefined();
    expect(await tenant.responses.lookup(request(QUESTION))).toBeUndefined();
    expect(await tenant.responses.lookup(request(PARAPHRASE), { user: 'bob' })).toBeUndefined();
  });

  it("mode 'off' neither reads nor writes; refresh recomputes and overwrites", async () => {
    const tenant = fixture.deja.tenant('modes');
    expect(await tenant.responses.store(request(QUESTION), 'x', { mode: 'off' })).toMatchObject({
      stored: false,
      reason: 'mode-off',
    });
    expect(await tenant.responses.lookup(request(QUESTION))).toBeUndefined();
    await tenant.responses.store(request(QUESTION), 'old');
    expect(await tenant.responses.lookup(request(QUESTION), { mode: 'off' })).toBeUndefined();
    const refreshed = await tenant.responses.wrap(request(QUESTION), async () => 'new', {
      refresh: true,
      awaitWrite: true,
    });
    expect(refreshed).toMatchObject({ hit: 'miss', value: 'new', stored: true });
    expect(await tenant.responses.lookup(request(QUESTION))).toMatchObject({ value: 'new' });
  });

  it('honours a per-call ttlMs', async () => {
    const tenant = fixture.deja.tenant('ttl');
    // Long enough that the first lookup comes before expiry even on a busy machine.
    await tenant.responses.store(request(QUESTION), 'brief', { ttlMs: 2_000 });
    expect(await tenant.responses.lookup(request(QUESTION))).toMatchObject({ value: 'brief' });
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    expect(await tenant.responses.lookup(request(QUESTION))).toBeUndefined();
  });

  it('computes once for 100 concurrent identical misses', async () => {
    const tenant = fixture.deja.tenant('stampede');
    let calls = 0;
    const compute = async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return 'computed once';
    };
    const results = await Promise.all(
      Array.from({ length: 100 }, () => tenant.responses.wrap(request(UNRELATED), compute)),
    );
    expect(calls).toBe(1);
    expect(new Set(results.map((result) => result.value))).toEqual(new Set(['computed once']));
    expect(results.filter((result) => result.shared)).toHaveLength(99);
    // The write runs behind the answer; once it has landed the next call is an exact hit.
    const [first] = results;
    expect(first?.hit === 'miss' && (await first.written)).toBe(true);
    expect(await tenant.responses.wrap(request(UNRELATED), compute)).toMatchObject({ hit: 'exact' });
    expect(calls).toBe(1);
  });

  it('does not store what shouldCache refuses', async () => {
    const tenant = fixture.deja.tenant('should-cache');
    const result = await tenant.responses.wrap(request(QUESTION), async () => ({ finishReason: 'error' }), {
      shouldCache: (value) => value.finishReason !== 'error',
    });
    expect(result).toMatchObject({ hit: 'miss', stored: false });
    expect(await tenant.responses.lookup(request(QUESTION))).toBeUndefined();
  });

  it('counts hits per tier and per tenant, with tokens and cost saved', async () => {
    const local = createDeja({
      ...fixture.store.dejaOptions,
      embedder,
      prices: { 'model-a': { input: 1, output: 2 } },
    });
    const tenant = local.tenant('stats');
    await tenant.responses.store(request(QUESTION), 'Paris', {
      model: 'model-a',
      usage: { inputTokens: 1_000_000, outputTokens: 1_000_000 },
    });
    await tenant.responses.lookup(request(QUESTION));
    await tenant.responses.lookup(request(PARAPHRASE));
    await tenant.responses.lookup(request(UNRELATED));
    const stats = local.stats();
    expect(stats).toMatchObject({
      exactHits: 1,
      semanticHits: 1,
      misses: 1,
      tokensSaved: 4_000_000,
      costSaved: 6,
    });
    expect(stats.byTenant.stats).toMatchObject({ exactHits: 1, semanticHits: 1, misses: 1 });
    expect(stats.hitRate).toBeCloseTo(2 / 3);
    expect(stats.lookupLatencyMs.count).toBe(3);
    // No close(): it would close the store this file shares.
  });

  it('estimates tokens with tiktoken when the response carries no usage', async () => {
    const tenant = fixture.deja.tenant('estimate');
    await tenant.responses.store(request(QUESTION), 'The capital of France is Paris.');
    const hit = await tenant.responses.lookup(request(QUESTION));
    expect(hit?.meta).toMatchObject({ usageEstimated: true, usage: { inputTokens: 7, outputTokens: 7 } });
  });

  it('embeds each semantic text once and reuses the embedding cache', async () => {
    const counting = countingEmbedder(embedder);
    const local = createDeja({ ...fixture.store.dejaOptions, embedder: counting });
    const tenant = local.tenant('embedding-reuse');
    await tenant.responses.lookup(request(QUESTION));
    await tenant.responses.store(request(QUESTION), 'Paris');
    await tenant.responses.lookup(request(PARAPHRASE));
    await tenant.responses.lookup(request(PARAPHRASE));
    expect(counting.texts).toEqual([QUESTION, PARAPHRASE]);
  });

  it('a failing embedder costs the semantic tier only: lookups miss, stores stay exact, nothing throws', async () => {
    const events: DejaErrorEvent[] = [];
    const broken = {
      modelId: 'broken-embedder',
      dimensions: 4,
      embed: async () => {
        throw new Error('provider is down');
      },
    };
    const local = createDeja({
      ...fixture.store.dejaOptions,
      embedder: broken,
      onError: (event) => events.push(event),
    });
    const tenant = local.tenant('broken-embedder');
    expect(await tenant.responses.lookup(request(QUESTION))).toBeUndefined();
    expect(await tenant.responses.store(request(QUESTION), 'exact only')).toMatchObject({ stored: true });
    expect((await tenant.responses.lookup(request(QUESTION)))?.hit).toBe('exact');
    expect(await tenant.responses.lookup(request(PARAPHRASE))).toBeUndefined();
    expect(events.filter((event) => event.kind === 'embedder').length).toBeGreaterThanOrEqual(3);
  });

  it('callers that shared an aborted computation compute again instead of failing with its abort', async () => {
    const tenant = fixture.deja.tenant('shared-abort');
    let calls = 0;
    const leader = tenant.responses.wrap(request(QUESTION, 'abort-model'), async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new DOMException('caller went away', 'AbortError');
    });
    const follower = tenant.responses.wrap(request(QUESTION, 'abort-model'), async () => {
      calls++;
      return 'follower answer';
    });
    await expect(leader).rejects.toThrow('caller went away');
    expect(await follower).toMatchObject({ hit: 'miss', value: 'follower answer' });
    expect(calls).toBe(2);
  });

  it('callers that shared a failed computation get its error (no stampede on a failing model)', async () => {
    const tenant = fixture.deja.tenant('shared-failure');
    let calls = 0;
    const compute = async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('model is down');
    };
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => tenant.responses.wrap(request(QUESTION, 'failing-model'), compute)),
    );
    expect(results.every((result) => result.status === 'rejected')).toBe(true);
    expect(calls).toBe(1);
  });
});
