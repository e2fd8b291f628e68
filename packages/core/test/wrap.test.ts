// responses.wrap on memoryStore through the public API: a miss computes once however many identical
// calls arrive together (single-flight), the answer is then served from the cache, failures and
// refused answers are never cached.
import { describe, expect, it } from 'vitest';
import { memoryDeja, PARAPHRASE, QUESTION, request, sleep } from './support.ts';

/** Waits until the cache answers `text` exactly (a computed answer may be written behind). */
const cachedSoon = { timeout: 5_000, interval: 10 };

describe('responses.wrap', () => {
  it('computes once for 50 concurrent identical misses; everyone gets the one answer', async () => {
    const tenant = memoryDeja().deja.tenant('acme');
    let computes = 0;
    const compute = async () => {
      computes++;
      await sleep(20);
      return { answer: computes };
    };
    const results = await Promise.all(
      Array.from({ length: 50 }, () => tenant.responses.wrap(request(QUESTION), compute)),
    );
    expect(computes).toBe(1);
    expect(results.every((result) => result.hit === 'miss')).toBe(true);
    expect(results.map((result) => result.value)).toEqual(Array(50).fill({ answer: 1 }));
    // One caller computed; the 49 others shared its flight.
    expect(results.filter((result) => !result.shared)).toHaveLength(1);
  });

  it('serves the computed answer from the cache afterwards, exactly and by meaning', async () => {
    const tenant = memoryDeja().deja.tenant('acme');
    let computes = 0;
    const compute = async () => `answer ${++computes}`;
    expect(await tenant.responses.wrap(request(QUESTION), compute)).toMatchObject({
      hit: 'miss',
      value: 'answer 1',
    });
    await expect
      .poll(async () => (await tenant.responses.lookup(request(QUESTION)))?.value, cachedSoon)
      .toBe('answer 1');
    expect(await tenant.responses.wrap(request(QUESTION), compute)).toMatchObject({
      hit: 'exact',
      value: 'answer 1',
      shared: false,
    });
    expect(await tenant.responses.wrap(request(PARAPHRASE), compute)).toMatchObject({
      hit: 'semantic',
      value: 'answer 1',
    });
    expect(computes).toBe(1);
  });

  it('gives every sharer the compute’s error, caches nothing, and computes again next time', async () => {
    const tenant = memoryDeja().deja.tenant('acme');
    let computes = 0;
    const failing = async () => {
      computes++;
      await sleep(10);
      throw new Error('model is down');
    };
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => tenant.responses.wrap(request(QUESTION), failing)),
    );
    expect(computes).toBe(1);
    expect(
      results.map((result) => (result.status === 'rejected' ? String(result.reason) : 'resolved')),
    ).toEqual(Array(10).fill('Error: model is down'));
    expect(await tenant.responses.lookup(request(QUESTION))).toBeUndefined();
    const retried = await tenant.responses.wrap(request(QUESTION), async () => 'recovered');
    expect(retried).toMatchObject({ hit: 'miss', value: 'recovered' });
  });

  it('does not cache an answer shouldCache refuses', async () => {
    const tenant = memoryDeja().deja.tenant('acme');
    const refused = await tenant.responses.wrap(request(QUESTION), async () => ({ error: 'rate limited' }), {
      shouldCache: (value) => !('error' in value),
    });
    expect(refused).toMatchObject({ hit: 'miss', stored: false });
    let computes = 0;
    const again = await tenant.responses.wrap(request(QUESTION), async () => ({ answer: ++computes }));
    expect(again).toMatchObject({ hit: 'miss', value: { answer: 1 } });
    expect(computes).toBe(1);
  });

  it('keeps concurrent misses of different tenants apart (one compute each)', async () => {
    const { deja } = memoryDeja();
    const computed: string[] = [];
    const results = await Promise.all(
      ['a', 'b', 'a', 'b'].map((id) =>
        deja.tenant(id).responses.wrap(request(QUESTION), async () => {
          computed.push(id);
          await sleep(10);
          return `answer for ${id}`;
        }),
      ),
    );
    expect(computed.sort()).toEqual(['a', 'b']);
    expect(results.map((result) => result.value)).toEqual([
      'answer for a',
      'answer for b',
      'answer for a',
      'answer for b',
    ]);
  });
});
