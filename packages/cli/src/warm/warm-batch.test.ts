import { createDeja, type Deja, type Embedder, lexicalEmbedder } from '@deja/core';
import { type CountingEmbedder, countingEmbedder } from '@deja/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { rowKey, tableScope, type WarmedRow, type WarmTarget, warmBatch } from './warm-batch.js';

let deja: Deja | undefined;
afterEach(async () => {
  await deja?.close();
  deja = undefined;
});

const setup = (embedder: Embedder = lexicalEmbedder({ dimensions: 64 })) => {
  const counting = countingEmbedder(embedder);
  deja = createDeja({ embedder: counting, cacheEmbeddings: false, maxTextTokens: 20, statsFlushMs: 0 });
  const target: WarmTarget = {
    tenant: deja.tenant('acme'),
    embeddings: deja.embeddings,
    embedderModelId: counting.modelId,
    table: 'Articles',
    idColumn: 'id',
    ttlMs: 60_000,
  };
  return { target, counting };
};

const rows = (count: number, text = (id: number) => `article number ${id}`) =>
  Array.from({ length: count }, (_, i) => ({ id: i + 1, text: text(i + 1) }));

describe('warmBatch', () => {
  it('embeds and stores every new row, keyed by table and id, with its text', async () => {
    const { target, counting } = setup();
    expect(await warmBatch(target, rows(5))).toEqual({ cached: 5, skipped: 0, failed: 0, failures: [] });
    expect(counting.calls).toBe(1);
    const item = await target.tenant.get<WarmedRow>(rowKey('articles', 3));
    expect(item?.value).toEqual({ table: 'Articles', idColumn: 'id', id: 3 });
    expect(item?.text).toBe('article number 3');
    const [best] = await target.tenant.knn<WarmedRow>('article number 3', {
      k: 1,
      scope: tableScope('ARTICLES'),
    });
    expect(best?.value.id).toBe(3);
  });

  it('skips rows already cached with the same text and embedder: a re-run embeds nothing', async () => {
    const { target, counting } = setup();
    await warmBatch(target, rows(5));
    expect(await warmBatch(target, rows(5))).toEqual({ cached: 0, skipped: 5, failed: 0, failures: [] });
    expect(counting.texts).toHaveLength(5);
  });

  it('embeds a row again when its text changed', async () => {
    const { target, counting } = setup();
    await warmBatch(target, rows(3));
    const changed = rows(3, (id) => (id === 2 ? 'a rewritten article' : `article number ${id}`));
    expect(await warmBatch(target, changed)).toMatchObject({ cached: 1, skipped: 2 });
    expect(counting.texts.at(-1)).toBe('a rewritten article');
    expect((await target.tenant.get(rowKey('articles', 2)))?.text).toBe('a rewritten article');
  });

  it('embeds a row again when another embedder made its vector', async () => {
    const { target } = setup();
    await warmBatch(target, rows(2));
    const other = { ...target, embedderModelId: 'another-model' };
    expect(await warmBatch(other, rows(2))).toMatchObject({ cached: 2, skipped: 0 });
  });

  it('keeps ids 7 and "7" apart', async () => {
    const { target } = setup();
    await warmBatch(target, [
      { id: 7, text: 'number seven' },
      { id: '7', text: 'string seven' },
    ]);
    expect((await target.tenant.get(rowKey('articles', 7)))?.text).toBe('number seven');
    expect((await target.tenant.get(rowKey('articles', '7')))?.text).toBe('string seven');
  });

  it('fails rows it cannot embed, with the reason, and caches the rest', async () => {
    const { target, counting } = setup();
    const outcome = await warmBatch(target, [
      { id: 1, text: 'fine' },
      { id: undefined, text: 'no id' },
      { id: 3, text: undefined },
      { id: 4, text: '   ' },
      { id: 5, text: 'word '.repeat(200) },
    ]);
    expect(outcome.cached).toBe(1);
    expect(outcome.failed).toBe(4);
    expect(outcome.failures).toEqual([
      'a row has a NULL or BLOB id',
      'id 3: text is NULL or a BLOB',
      'id 4: text is empty or longer than maxTextTokens',
      'id 5: text is empty or longer than maxTextTokens',
    ]);
    expect(counting.texts).toEqual(['fine']);
  });

  it('fails a row whose vector is unusable, not the batch', async () => {
    const broken: Embedder = {
      modelId: 'broken',
      dimensions: 4,
      async embed(texts) {
        return texts.map((text) => (text === 'bad' ? [0, 0, 0, 0] : [1, 0, 0, 0]));
      },
    };
    const { target } = setup(broken);
    const outcome = await warmBatch(target, [
      { id: 1, text: 'good' },
      { id: 2, text: 'bad' },
    ]);
    expect(outcome).toMatchObject({ cached: 1, failed: 1 });
    expect(outcome.failures[0]).toMatch(/^id 2: Vector has zero norm/);
  });

  it('embeds identical texts of different rows once', async () => {
    const { target, counting }: { target: WarmTarget; counting: CountingEmbedder } = setup();
    await warmBatch(
      target,
      rows(4, () => 'same text'),
    );
    expect(counting.texts).toEqual(['same text']);
    expect((await target.tenant.get(rowKey('articles', 4)))?.text).toBe('same text');
  });
});
