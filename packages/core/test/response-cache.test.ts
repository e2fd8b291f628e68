// The response cache on memoryStore through the public API: exact and semantic hits, and the
// walls a hit never crosses (scope, user, tenant, model), expiry, modes and per-call similarity.
import { describe, expect, it } from 'vitest';
import { memoryDeja, PARAPHRASE, QUESTION, request, sleep, UNRELATED } from './support.ts';

describe('responses.lookup / store', () => {
  it('misses, then hits exactly with the stored value after a store', async () => {
    const tenant = memoryDeja().deja.tenant('acme');
    expect(await tenant.responses.lookup(request(QUESTION))).toBeUndefined();
    const stored = await tenant.responses.store(request(QUESTION), { text: 'Paris', at: new Date(42) });
    expect(stored).toEqual({ stored: true, key: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await tenant.responses.lookup(request(QUESTION))).toMatchObject({
      hit: 'exact',
      similarity: 1,
      key: stored.key,
      value: { text: 'Paris', at: new Date(42) },
    });
  });

  it('answers a paraphrase by meaning in the same scope, and nothing unrelated', async () => {
    const tenant = memoryDeja().deja.tenant('acme');
    await tenant.responses.store(request(QUESTION), 'Paris');
    const hit = await tenant.responses.lookup(request(PARAPHRASE));
    expect(hit).toMatchObject({ hit: 'semantic', value: 'Paris' });
    expect(hit?.similarity).toBeGreaterThan(0.95);
    expect(hit?.similarity).toBeLessThan(1);
    expect(await tenant.responses.lookup(request(UNRELATED))).toBeUndefined();
  });

  it('never answers by meaning across scopes (another model here)', async () => {
    const tenant = memoryDeja().deja.tenant('acme');
    await tenant.responses.store(request(QUESTION, 'model-a'), 'Paris from a');
    expect(await tenant.responses.lookup(request(PARAPHRASE, 'model-b'))).toBeUndefined();
    expect(await tenant.responses.lookup(request(QUESTION, 'model-b'))).toBeUndefined();
    expect((await tenant.responses.lookup(request(PARAPHRASE, 'model-a')))?.value).toBe('Paris from a');
  });

  it('never answers from another tenant, exactly or by meaning', async () => {
    const { deja } = memoryDeja();
    await deja.tenant('owner').responses.store(request(QUESTION), 'secret');
    expect(await deja.tenant('intruder').responses.lookup(request(QUESTION))).toBeUndefined();
    expect(await deja.tenant('intruder').responses.lookup(request(PARAPHRASE))).toBeUndefined();
    expect((await deja.tenant('owner').responses.lookup(request(QUESTION)))?.value).toBe('secret');
  });

  it('keeps a user’s entries to that user, and shared entries away from users', async () => {
    const tenant = memoryDeja().deja.tenant('acme');
    await tenant.responses.store(request(QUESTION), 'for alice', { user: 'alice' });
    expect((await tenant.responses.lookup(request(QUESTION), { user: 'alice' }))?.value).toBe('for alice');
    expect((await tenant.responses.lookup(request(PARAPHRASE), { user: 'alice' }))?.value).toBe('for alice');
    expect(await tenant.responses.lookup(request(QUESTION), { user: 'bob' })).toBeUndefined();
    expect(await tenant.responses.lookup(request(PARAPHRASE), { user: 'bob' })).toBeUndefined();
    expect(await tenant.responses.lookup(request(QUESTION))).toBeUndefined();

    await tenant.responses.store(request(UNRELATED), 'shared');
    expect(await tenant.responses.lookup(request(UNRELATED), { user: 'alice' })).toBeUndefined();
    expect((await tenant.responses.lookup(request(UNRELATED)))?.value).toBe('shared');
  });

  it('expires an entry after its ttlMs (per call and the deja default)', async () => {
    const { deja } = memoryDeja({ ttlMs: 40 });
    const tenant = deja.tenant('acme');
    await tenant.responses.store(request(QUESTION), 'short-lived');
    await tenant.responses.store(request(UNRELATED), 'long-lived', { ttlMs: 60_000 });
    await sleep(80);
    expect(await tenant.responses.lookup(request(QUESTION))).toBeUndefined();
    expect(await tenant.responses.lookup(request(PARAPHRASE))).toBeUndefined();
    expect((await tenant.responses.lookup(request(UNRELATED)))?.value).toBe('long-lived');
  });

  it("mode 'exact' skips the semantic tier; mode 'off' neither reads nor writes", async () => {
    const tenant = memoryDeja().deja.tenant('acme');
    await tenant.responses.store(request(QUESTION), 'Paris');
    expect(await tenant.responses.lookup(request(PARAPHRASE), { mode: 'exact' })).toBeUndefined();
    expect(await tenant.responses.lookup(request(QUESTION), { mode: 'off' })).toBeUndefined();
    expect(await tenant.responses.store(request(UNRELATED), 'bread', { mode: 'off' })).toMatchObject({
      stored: false,
      reason: 'mode-off',
    });
    expect(await tenant.responses.lookup(request(UNRELATED))).toBeUndefined();
  });

  it('a per-call minSimilarity above the paraphrase’s similarity turns the hit into a miss', async () => {
    const tenant = memoryDeja({ minSimilarity: 0.9 }).deja.tenant('acme');
    await tenant.responses.store(request(QUESTION), 'Paris');
    const similarity = (await tenant.responses.lookup(request(PARAPHRASE)))?.similarity as number;
    expect(similarity).toBeGreaterThan(0.9);
    expect(await tenant.responses.lookup(request(PARAPHRASE), { minSimilarity: 0.999 })).toBeUndefined();
  });

  it('a store overwrites the entry of the same key', async () => {
    const tenant = memoryDeja().deja.tenant('acme');
    await tenant.responses.store(request(QUESTION), 'old');
    await tenant.responses.store(request(QUESTION), 'new');
    expect((await tenant.responses.lookup(request(QUESTION)))?.value).toBe('new');
  });
});
