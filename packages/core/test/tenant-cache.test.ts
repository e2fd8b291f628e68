// The generic entry API of a tenant on memoryStore through the public API: put / get / knn /
// delete / count, and erasure (clear, forgetUser) that removes exactly its part.
import { describe, expect, it } from 'vitest';
import { DejaInputError } from '../src/index.ts';
import { memoryDeja, PARAPHRASE, QUESTION, sleep, UNRELATED } from './support.ts';

describe('tenant put / get / delete', () => {
  it('gets what was put, by key and user; delete removes only that entry', async () => {
    const tenant = memoryDeja().deja.tenant('acme');
    expect(await tenant.put({ key: { doc: 1 }, value: { body: 'one' } })).toMatchObject({ stored: true });
    await tenant.put({ key: { doc: 1 }, value: 'alice’s one', user: 'alice' });
    await tenant.put({ key: { doc: 2 }, value: 'two' });
    expect(await tenant.get({ doc: 1 })).toMatchObject({ value: { body: 'one' }, text: '' });
    expect((await tenant.get({ doc: 1 }, { user: 'alice' }))?.value).toBe('alice’s one');
    expect(await tenant.get({ doc: 1 }, { user: 'bob' })).toBeUndefined();
    expect(await tenant.count()).toBe(3);

    expect(await tenant.delete({ doc: 1 })).toBe(true);
    expect(await tenant.delete({ doc: 1 })).toBe(false);
    expect(await tenant.get({ doc: 1 })).toBeUndefined();
    expect((await tenant.get({ doc: 1 }, { user: 'alice' }))?.value).toBe('alice’s one');
    expect((await tenant.get({ doc: 2 }))?.value).toBe('two');
  });

  it('expires an entry after its ttlMs', async () => {
    const tenant = memoryDeja().deja.tenant('acme');
    await tenant.put({ key: 'brief', value: 1, ttlMs: 30 });
    await tenant.put({ key: 'lasting', value: 2 });
    await sleep(60);
    expect(await tenant.get('brief')).toBeUndefined();
    expect((await tenant.get('lasting'))?.value).toBe(2);
  });

  it('keys are canonical: the same object in another key order is the same entry', async () => {
    const tenant = memoryDeja().deja.tenant('acme');
    await tenant.put({ key: { a: 1, b: [2, 3] }, value: 'x' });
    expect((await tenant.get({ b: [2, 3], a: 1 }))?.value).toBe('x');
    expect(await tenant.get({ a: 1, b: [3, 2] })).toBeUndefined();
  });
});

describe('tenant knn', () => {
  it('returns the nearest entries of one scope and user, best first, above minSimilarity', async () => {
    const tenant = memoryDeja().deja.tenant('acme');
    await tenant.put({ key: 'q', value: 'capital', text: QUESTION, scope: 'geo' });
    await tenant.put({ key: 'u', value: 'bread', text: UNRELATED, scope: 'geo' });
    await tenant.put({ key: 'other scope', value: 'elsewhere', text: QUESTION, scope: 'cooking' });
    await tenant.put({ key: 'private', value: 'alice’s', text: QUESTION, scope: 'geo', user: 'alice' });

    const all = await tenant.knn(PARAPHRASE, { scope: 'geo', k: 5 });
    expect(all.map((match) => match.value)).toEqual(['capital', 'bread']);
    expect(all[0]?.similarity).toBeGreaterThan(0.95);
    expect(all[1]?.similarity).toBeCloseTo(0, 5);
    expect((await tenant.knn(PARAPHRASE, { scope: 'geo', minSimilarity: 0.5 })).map((m) => m.value)).toEqual([
      'capital',
    ]);
    expect((await tenant.knn(PARAPHRASE, { scope: 'geo', k: 1 })).map((m) => m.value)).toEqual(['capital']);
    expect((await tenant.knn(PARAPHRASE, { scope: 'geo', user: 'alice' })).map((m) => m.value)).toEqual([
      'alice’s',
    ]);
    // A vector works as the query too.
    expect((await tenant.knn([1, 0, 0, 0], { scope: 'cooking' })).map((m) => m.value)).toEqual(['elsewhere']);
  });

  it('refuses a bad k, a bad minSimilarity and a vector of the wrong size with DejaInputError', async () => {
    const tenant = memoryDeja().deja.tenant('acme');
    await expect(tenant.knn(QUESTION, { k: 0 })).rejects.toThrow(DejaInputError);
    await expect(tenant.knn(QUESTION, { minSimilarity: 2 })).rejects.toThrow(DejaInputError);
    await expect(tenant.knn([1, 0, 0])).rejects.toThrow(DejaInputError);
    await expect(tenant.knn('   ')).rejects.toThrow(DejaInputError);
  });

  it('never returns another tenant’s entries', async () => {
    const { deja } = memoryDeja();
    await deja.tenant('owner').put({ key: 'q', value: 'secret', text: QUESTION });
    expect(await deja.tenant('intruder').knn(QUESTION)).toEqual([]);
    expect((await deja.tenant('owner').knn(QUESTION)).map((m) => m.value)).toEqual(['secret']);
  });
});

describe('tenant clear / forgetUser', () => {
  it('clear removes every entry of the tenant and nothing of another', async () => {
    const { deja } = memoryDeja();
    const gone = deja.tenant('clear-me');
    await gone.put({ key: 1, value: 'a', text: QUESTION });
    await gone.put({ key: 2, value: 'b', user: 'u' });
    await deja.tenant('keep-me').put({ key: 1, value: 'kept', text: QUESTION });
    expect(await gone.clear()).toBe(2);
    expect(await gone.count()).toBe(0);
    expect(await gone.get(1)).toBeUndefined();
    expect(await gone.knn(QUESTION)).toEqual([]);
    expect((await deja.tenant('keep-me').get(1))?.value).toBe('kept');
  });

  it('forgetUser erases one user’s entries in one tenant: not other users, shared entries or tenants', async () => {
    const { deja } = memoryDeja();
    const tenant = deja.tenant('acme');
    await tenant.put({ key: 1, value: 'leaver 1', user: 'leaver', text: QUESTION });
    await tenant.responses.store({ key: 2, semanticText: UNRELATED }, 'leaver 2', { user: 'leaver' });
    await tenant.put({ key: 1, value: 'stayer', user: 'stayer' });
    await tenant.put({ key: 1, value: 'shared' });
    await deja.tenant('elsewhere').put({ key: 1, value: 'other tenant', user: 'leaver' });

    expect(await tenant.forgetUser('leaver')).toEqual({ deleted: 2, complete: true });
    expect(await tenant.get(1, { user: 'leaver' })).toBeUndefined();
    expect(await tenant.responses.lookup({ key: 2 }, { user: 'leaver' })).toBeUndefined();
    expect(await tenant.knn(QUESTION, { user: 'leaver' })).toEqual([]);
    expect((await tenant.get(1, { user: 'stayer' }))?.value).toBe('stayer');
    expect((await tenant.get(1))?.value).toBe('shared');
    expect((await deja.tenant('elsewhere').get(1, { user: 'leaver' }))?.value).toBe('other tenant');
    expect(await tenant.forgetUser('leaver')).toEqual({ deleted: 0, complete: true });
  });
});
