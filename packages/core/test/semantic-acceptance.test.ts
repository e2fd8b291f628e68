// The semantic tier's acceptance, through the public API: the bounded default serves nothing
// unverified without evidence; a verifier answers the uncertain band and its verdicts are cached
// per (query, entry); verifier trouble fails closed; a reported wrong hit stops that entry from
// answering that query; outcomes from wrap's fresh answers open the bound.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Verifier, VerifyRequest } from '../src/index.ts';
import { fixedEmbedder } from '../src/testing/index.ts';
import { memoryDeja, PARAPHRASE, QUESTION, request } from './support.ts';

/** A verifier that answers from a table and writes down what it was asked. */
function tableVerifier(answer: (request: VerifyRequest) => 'same' | 'different' | Promise<never>) {
  const asked: VerifyRequest[] = [];
  const verifier: Verifier = {
    async verify(request) {
      asked.push(request);
      return answer(request);
    },
  };
  return { verifier, asked };
}

describe('semantic acceptance', () => {
  it('by default (maxErrorRate 0.05, no evidence yet) serves no unverified semantic hit', async () => {
    const { deja } = memoryDeja({ maxErrorRate: 0.05 });
    const tenant = deja.tenant('cold');
    await tenant.responses.store(request(QUESTION), 'Paris');
    expect(await tenant.responses.lookup(request(PARAPHRASE))).toBeUndefined();
    // The exact tier is untouched by the bound.
    expect(await tenant.responses.lookup(request(QUESTION))).toMatchObject({ hit: 'exact', value: 'Paris' });
  });

  it('verifies a candidate in the band, serves it as verified, and does not ask twice for one query', async () => {
    const { verifier, asked } = tableVerifier(() => 'same');
    const { deja } = memoryDeja({ verifier });
    const tenant = deja.tenant('verified');
    await tenant.responses.store(request(QUESTION), 'Paris');
    const first = await tenant.responses.lookup(request(PARAPHRASE));
    expect(first).toMatchObject({ hit: 'semantic', value: 'Paris', verified: true });
    expect(asked.map((call) => [call.query, call.candidate.text, call.candidate.value])).toEqual([
      [PARAPHRASE, QUESTION, 'Paris'],
    ]);
    expect(await tenant.responses.lookup(request(PARAPHRASE))).toMatchObject({ verified: true });
    expect(asked).toHaveLength(1);
    expect(deja.stats().verification).toMatchObject({ verifications: 1, verified: 1, rejected: 0 });
    expect(deja.stats().semantic.servedOnVerdict).toBe(1);
  });

  it("misses on a 'different' verdict and remembers it for that query", async () => {
    const { verifier, asked } = tableVerifier(() => 'different');
    const { deja } = memoryDeja({ verifier });
    const tenant = deja.tenant('rejected');
    await tenant.responses.store(request(QUESTION), 'Paris');
    expect(await tenant.responses.lookup(request(PARAPHRASE))).toBeUndefined();
    expect(await tenant.responses.lookup(request(PARAPHRASE))).toBeUndefined();
    expect(asked).toHaveLength(1);
    expect(deja.stats().semantic.blockedByMark).toBe(1);
  });

  it('fails closed when the verifier throws or is late, reports it, and judges again next time', async () => {
    const { verifier, asked } = tableVerifier(() => Promise.reject(new Error('judge down')));
    const { deja, errors } = memoryDeja({ verifier, verifierTimeoutMs: 1_000 });
    const tenant = deja.tenant('failing');
    await tenant.responses.store(request(QUESTION), 'Paris');
    expect(await tenant.responses.lookup(request(PARAPHRASE))).toBeUndefined();
    expect(errors.map((event) => event.kind)).toContain('verifier');
    expect(await tenant.responses.lookup(request(PARAPHRASE))).toBeUndefined();
    expect(asked).toHaveLength(2);

    const slow: Verifier = { verify: () => new Promise(() => {}) };
    const late = memoryDeja({ verifier: slow, verifierTimeoutMs: 50 });
    await late.deja.tenant('slow').responses.store(request(QUESTION), 'Paris');
    expect(await late.deja.tenant('slow').responses.lookup(request(PARAPHRASE))).toBeUndefined();
    expect(late.deja.stats().verification.timeouts).toBe(1);
  });

  it('a reported wrong hit no longer answers that query, and other queries still can', async () => {
    const other = 'Which city is the capital of France?';
    const embedder = fixedEmbedder({
      [QUESTION]: [1, 0, 0, 0],
      [PARAPHRASE]: [0.98, 0.2, 0, 0],
      [other]: [0.97, 0, 0.24, 0],
    });
    const { deja } = memoryDeja({ embedder, minSimilarity: 0.9 });
    const tenant = deja.tenant('feedback');
    await tenant.responses.store(request(QUESTION), 'Paris');
    const hit = await tenant.responses.lookup(request(PARAPHRASE));
    expect(hit).toMatchObject({ hit: 'semantic', reference: expect.stringMatching(/^dh1:/) });
    await tenant.responses.reportWrongHit(hit?.reference as string);
    expect(await tenant.responses.lookup(request(PARAPHRASE))).toBeUndefined();
    expect(await tenant.responses.lookup(request(other))).toMatchObject({ value: 'Paris' });
    expect(deja.stats().semantic.reportedWrong).toBe(1);
    await expect(tenant.responses.reportWrongHit('not a reference')).rejects.toThrow(/hit reference/);
  });

  it('a report made while the judge was deciding is not overwritten by its verdict', async () => {
    let reference = '';
    let report: () => Promise<void> = async () => {};
    // The user says "wrong" for this (query, entry) while the judge is still deciding; the judge
    // then says 'same'. The report must win, now and on every later lookup.
    const verifier: Verifier = {
      async verify() {
        await report();
        return 'same';
      },
    };
    const { deja } = memoryDeja({ verifier });
    const tenant = deja.tenant('race');
    const stored = await tenant.responses.store(request(QUESTION), 'Paris');
    const query = request(PARAPHRASE).semanticText;
    reference = `dh1:${stored.key}:${createHash('sha256').update(query).digest('hex')}:0.98`;
    report = () => tenant.responses.reportWrongHit(reference);
    await tenant.responses.lookup(request(PARAPHRASE));
    report = async () => {};
    expect(await tenant.responses.find(request(PARAPHRASE))).toMatchObject({
      hit: 'miss',
      reason: 'reported-wrong',
    });
  });

  it("another tenant's report cannot block this tenant's answer", async () => {
    const { deja } = memoryDeja({ minSimilarity: 0.9 });
    const mine = deja.tenant('mine');
    await mine.responses.store(request(QUESTION), 'Paris');
    const hit = await mine.responses.lookup(request(PARAPHRASE));
    await deja.tenant('someone else').responses.reportWrongHit(hit?.reference as string);
    expect(await mine.responses.lookup(request(PARAPHRASE))).toMatchObject({ value: 'Paris' });
  });

  it("learns from wrap's fresh answers: once they agree often enough, unverified hits are served", async () => {
    // Queries at similarity ~0.97 to one stored question; the fresh answer always agrees.
    const vectors: Record<string, number[]> = { [QUESTION]: [1, 0, 0, 0] };
    const queries = Array.from({ length: 400 }, (_, i) => `paraphrase number ${i}`);
    for (const query of queries) vectors[query] = [0.97, 0.243, 0, 0];
    const { deja } = memoryDeja({
      embedder: fixedEmbedder(vectors),
      maxErrorRate: 0.1,
      explorationRate: 0,
      minSimilarity: 0.9,
    });
    const tenant = deja.tenant('learning');
    await tenant.responses.store(request(QUESTION), 'Paris');
    const kinds: string[] = [];
    for (const query of queries) {
      const result = await tenant.responses.wrap(request(query), async () => 'Paris', {
        shouldCache: () => false,
      });
      kinds.push(result.hit);
    }
    // Cold: the first ones miss (and teach); later ones are served without asking anyone.
    expect(kinds.slice(0, 10)).toEqual(Array(10).fill('miss'));
    expect(kinds.slice(-10)).toEqual(Array(10).fill('semantic'));
    expect(deja.stats().semantic.outcomes).toBeGreaterThan(10);
  });

  it('keeps the bound closed when the fresh answers disagree', async () => {
    const vectors: Record<string, number[]> = { [QUESTION]: [1, 0, 0, 0] };
    const queries = Array.from({ length: 300 }, (_, i) => `look-alike number ${i}`);
    for (const query of queries) vectors[query] = [0.97, 0.243, 0, 0];
    const { deja } = memoryDeja({
      embedder: fixedEmbedder(vectors),
      maxErrorRate: 0.1,
      explorationRate: 0,
      minSimilarity: 0.9,
    });
    const tenant = deja.tenant('disagreeing');
    await tenant.responses.store(request(QUESTION), 'Paris');
    let served = 0;
    for (const [i, query] of queries.entries()) {
      // One answer in three agrees: an error rate far above δ.
      const fresh = i % 3 === 0 ? 'Paris' : `another answer ${i}`;
      const result = await tenant.responses.wrap(request(query), async () => fresh, {
        shouldCache: () => false,
      });
      if (result.hit === 'semantic') served++;
    }
    expect(served).toBe(0);
  });
});
