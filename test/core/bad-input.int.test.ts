// Bad input gets a typed error or is not cached; nothing stored is harmed. Tampered entries are
// misses, get deleted and never reach the app.
import { createDeja, DejaConfigError, DejaInputError } from '@deja/core';
import { countingEmbedder, fixedEmbedder } from '@deja/core/testing';
import { createClient } from 'redis';
import { expect, it } from 'vitest';
import { describeEachStore, useDeja } from '../support/deja-fixture.ts';

const embedder = fixedEmbedder({ question: [1, 0, 0, 0] });
const ask = { key: 'question', semanticText: 'question', scope: 'chat' };

describeEachStore('bad input', (kind) => {
  const fixture = useDeja(kind, { embedder, maxResponseBytes: 1_000, maxTextTokens: 50 });

  it('refuses bad vectors with a typed error and writes nothing', async () => {
    const tenant = fixture.deja.tenant('vectors');
    for (const vector of [
      [Number.NaN, 0, 0, 0],
      [Number.POSITIVE_INFINITY, 0, 0, 0],
      [0, 0, 0, 0],
      [1, 0, 0],
    ]) {
      await expect(tenant.put({ key: 'v', value: 1, text: 'question', vector })).rejects.toThrow(
        DejaInputError,
      );
      await expect(tenant.knn(vector)).rejects.toThrow(DejaInputError);
    }
    expect(await tenant.get('v')).toBeUndefined();
  });

  it('refuses empty and oversized texts for put, and skips the semantic tier for them in lookups', async () => {
    const tenant = fixture.deja.tenant('texts');
    await expect(tenant.put({ key: 'e', value: 1, text: '' })).rejects.toThrow(/empty/);
    await expect(tenant.put({ key: 'o', value: 1, text: 'word '.repeat(100) })).rejects.toThrow(
      /maxTextTokens/,
    );
    const long = { key: 'long', semanticText: 'word '.repeat(100), scope: 'chat' };
    expect(await tenant.responses.store(long, 'exact only')).toMatchObject({ stored: true });
    expect((await tenant.responses.lookup(long))?.hit).toBe('exact');
    expect(await tenant.responses.lookup({ ...ask, semanticText: '   ' })).toBeUndefined();
  });

  it('does not pay for an embedding of a response it will not store', async () => {
    const counting = countingEmbedder(embedder);
    const local = createDeja({ ...fixture.store.dejaOptions, embedder: counting, maxResponseBytes: 1_000 });
    const tenant = local.tenant('no-embedding-for-refused');
    expect(await tenant.responses.store(ask, 'x'.repeat(2_000))).toMatchObject({ reason: 'too-large' });
    expect(await tenant.responses.store(ask, { n: Number.NaN })).toMatchObject({ reason: 'not-cacheable' });
    expect(counting.calls).toBe(0);
  });

  it('does not cache oversized or non-JSON responses, and keeps what was there', async () => {
    const tenant = fixture.deja.tenant('responses');
    await tenant.responses.store(ask, 'original');
    expect(await tenant.responses.store(ask, 'x'.repeat(2_000))).toMatchObject({
      stored: false,
      reason: 'too-large',
    });
    expect(await tenant.responses.store(ask, { n: Number.NaN })).toMatchObject({
      stored: false,
      reason: 'not-cacheable',
    });
    expect(await tenant.responses.store(ask, { when: new Date(Number.NaN) })).toMatchObject({
      stored: false,
      reason: 'not-cacheable',
    });
    expect(await tenant.responses.store(ask, new Map())).toMatchObject({
      stored: false,
      reason: 'not-cacheable',
    });
    expect((await tenant.responses.lookup(ask))?.value).toBe('original');
    expect(fixture.deja.stats().notCached).toBeGreaterThanOrEqual(4);
  });

  it('rejects thresholds outside [0, 1] and bad ttls with a typed error', async () => {
    const tenant = fixture.deja.tenant('options');
    await expect(tenant.responses.lookup(ask, { minSimilarity: 1.5 })).rejects.toThrow(/outside \[0, 1\]/);
    await expect(tenant.responses.lookup(ask, { minSimilarity: -0.1 })).rejects.toThrow(DejaInputError);
    await expect(tenant.responses.lookup(ask, { mode: 'fuzzy' as 'exact' })).rejects.toThrow(DejaInputError);
    await expect(tenant.responses.store(ask, 'x', { ttlMs: 0 })).rejects.toThrow(/ttlMs/);
    await expect(tenant.responses.store(ask, 'x', { ttlMs: 1.5 })).rejects.toThrow(DejaInputError);
    expect(() => createDeja({ ...fixture.store.dejaOptions, minSimilarity: 2 })).toThrow(DejaConfigError);
  });

  it('rejects missing, empty and oversized tenant and user ids', async () => {
    for (const id of [undefined, null, '', 'x'.repeat(2_000), Number.NaN]) {
      expect(() => fixture.deja.tenant(id as unknown as string)).toThrow(DejaInputError);
    }
    await expect(fixture.deja.tenant('t').responses.lookup(ask, { user: '' })).rejects.toThrow(
      DejaInputError,
    );
  });

  if (kind !== 'memory') {
    it('treats tampered entries as misses, deletes them and reports them', async () => {
      const tenant = fixture.deja.tenant('tamper');
      const client = createClient({ url: fixture.store.url });
      await client.connect();
      const tampering: Record<string, Record<string, string>> = {
        'invalid JSON': { response: '{not json' },
        'wrong version': { response: '{"v":99,"data":"old"}' },
        '__proto__ key': { response: '{"v":1,"data":{"__proto__":{"admin":true}}}' },
        'bad meta': { meta: '{"usage":"lots"}' },
        'another tenant named': { tenant: 'f'.repeat(64) },
      };
      for (const [name, fields] of Object.entries(tampering)) {
        const request = { ...ask, key: name, semanticText: undefined };
        const { key } = await tenant.responses.store(request, 'genuine');
        const redisKey = `${fixture.store.prefix}{${tenant.digest}}:${key}`;
        expect(await client.exists(redisKey)).toBe(1);
        await client.hSet(redisKey, fields);
        const before = fixture.errors.length;
        expect(await tenant.responses.lookup(request), name).toBeUndefined();
        expect(fixture.errors.slice(before).map((event) => event.kind)).toContain('corrupt-entry');
        await expect.poll(() => client.exists(redisKey)).toBe(0);
      }
      expect(({} as Record<string, unknown>).admin).toBeUndefined();

      const { key } = await tenant.responses.store({ key: 'lost fields' }, 'genuine');
      const damaged = `${fixture.store.prefix}{${tenant.digest}}:${key}`;
      await client.hDel(damaged, ['response', 'tenant']);
      expect(await tenant.responses.lookup({ key: 'lost fields' })).toBeUndefined();
      await expect.poll(() => client.exists(damaged)).toBe(0);
      client.destroy();
    });

    it('ignores a vector of the wrong length written into the embedding cache', async () => {
      const client = createClient({ url: fixture.store.url });
      await client.connect();
      const key = `${fixture.store.embeddingPrefix}{${embedder.modelId}}:${(await import('@deja/core/adapter')).sha256('tampered text')}`;
      await client.set(key, Buffer.from(new Float32Array([1, 2, 3]).buffer), { PX: 60_000 });
      const [vector] = await fixture.deja.embeddings.embed(['tampered text']);
      expect(vector).toHaveLength(4);
      client.destroy();
    });
  }
});
