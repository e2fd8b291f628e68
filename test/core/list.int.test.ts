// Listing a tenant's entries for admin screens: every entry once, a page at a time, as an operator
// needs to see it (text, model, age, tags as given), and one entry shown or deleted by its id.
import { createDeja, DejaInputError } from '@deja/core';
import { countingEmbedder } from '@deja/core/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { makeTestStore, STORE_KINDS, type StoreKind } from '../support/stores.ts';

function setup(kind: StoreKind) {
  const testStore = makeTestStore(kind);
  const deja = createDeja({
    ...testStore.dejaOptions,
    embedder: countingEmbedder(),
    statsFlushMs: 0,
    initTimeoutMs: 5_000,
  });
  onTestFinished(async () => {
    await deja.close();
    await testStore.cleanup();
  });
  return deja;
}

describe.each(STORE_KINDS)('tenant.list (%s)', (kind) => {
  it('lists every entry of the tenant once, page by page, and nothing of another tenant', async () => {
    const deja = setup(kind);
    const tenant = deja.tenant('acme');
    const questions = Array.from({ length: 12 }, (_, i) => `question number ${i}`);
    for (const text of questions)
      await tenant.responses.store({ key: text, semanticText: text }, `answer to ${text}`, {
        model: 'gpt-x',
      });
    await tenant.responses.store({ key: 'tagged' }, 'v', { tags: ['doc:42'], user: 'alice' });
    await deja.tenant('globex').responses.store({ key: 'theirs', semanticText: 'theirs' }, 'x');

    const listed = new Map<string, Record<string, unknown>>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await tenant.list({ limit: 5, ...(cursor ? { cursor } : {}) });
      if (!page) throw new Error('the store could not list');
      for (const entry of page.entries) listed.set(entry.id, { ...entry });
      cursor = page.cursor;
      pages++;
    } while (cursor && pages < 50);
    expect(cursor).toBeUndefined();
    expect(pages).toBeGreaterThan(1);
    const texts = [...listed.values()].map((entry) => entry.text).sort();
    expect(texts).toEqual(['', ...questions].sort());
    const question = [...listed.values()].find((entry) => entry.text === questions[3]);
    expect(question).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{64}$/),
      text: questions[3],
      model: 'gpt-x',
      createdAt: expect.any(Number),
      ageMs: expect.any(Number),
    });
    const tagged = [...listed.values()].find((entry) => entry.text === '');
    expect(tagged).toMatchObject({ tags: ['doc:42'], user: expect.stringMatching(/^[0-9a-f]{64}$/) });

    // One entry by its id: shown, then deleted.
    const id = question?.id as string;
    expect((await tenant.getById(id))?.value).toBe(`answer to ${questions[3]}`);
    expect(await deja.tenant('globex').getById(id)).toBeUndefined();
    expect(await tenant.deleteById(id)).toBe(true);
    expect(await tenant.getById(id)).toBeUndefined();
    expect(await tenant.deleteById(id)).toBe(false);
  });
});

describe('tenant.list: misuse', () => {
  it('refuses a bad limit, cursor or id with DejaInputError', async () => {
    const tenant = setup('memory').tenant('acme');
    for (const limit of [0, 1_001, 2.5, Number.NaN])
      await expect(tenant.list({ limit })).rejects.toBeInstanceOf(DejaInputError);
    for (const cursor of ['', 'a b', '{}', 'x'.repeat(201)])
      await expect(tenant.list({ cursor })).rejects.toBeInstanceOf(DejaInputError);
    for (const id of ['', 'abc', 'Z'.repeat(64), `${'a'.repeat(64)}:x`]) {
      await expect(tenant.getById(id)).rejects.toBeInstanceOf(DejaInputError);
      await expect(tenant.deleteById(id)).rejects.toBeInstanceOf(DejaInputError);
    }
  });
});
