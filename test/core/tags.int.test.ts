// Invalidation by tag through the user's API: an answer stored with `tags: ['doc:42']` (store,
// wrap or put) goes with `tenant.invalidateTag('doc:42')`, on every store; one computed from the
// old source and still being written when the tag is invalidated never lands.
import { createDeja, DejaConfigError, DejaInputError, memoryStore, redisStore, type Store } from '@deja/core';
import { countingEmbedder } from '@deja/core/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { redisStackUrl } from '../harness/servers.ts';
import { withClient } from '../reliability/support/keyspace.ts';
import { dropTestData } from '../support/redis-cleanup.ts';
import { makeTestStore, STORE_KINDS, type StoreKind } from '../support/stores.ts';

function setup(kind: StoreKind) {
  const testStore = makeTestStore(kind);
  // With an embedder, so Redis Stack has an index and invalidation takes its FT.SEARCH path.
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
  return { deja, testStore };
}

describe.each(STORE_KINDS)('invalidation by tag (%s)', (kind) => {
  it('drops every entry of the tenant carrying the tag, from store, wrap and put, and nothing else', async () => {
    const { deja } = setup(kind);
    const tenant = deja.tenant('acme');
    const other = deja.tenant('globex');
    const ask = (text: string) => ({ key: { prompt: text }, semanticText: text });

    await tenant.responses.store(ask('what does doc 42 say?'), 'it says yes', { tags: ['doc:42'] });
    await tenant.responses.wrap(ask('summarise doc 42 and doc 7'), async () => 'both agree', {
      tags: ['doc:7', 'doc:42'],
      user: 'alice',
    });
    await tenant.put({ key: 'raw', value: { answer: 1 }, tags: ['doc:42'] });
    await tenant.responses.store(ask('what does doc 7 say?'), 'it says no', { tags: ['doc:7'] });
    await tenant.responses.store(ask('hello'), 'hi');
    await other.responses.store(ask('what does doc 42 say?'), 'their answer', { tags: ['doc:42'] });

    expect(await tenant.invalidateTag('doc:42')).toEqual({ deleted: 3, complete: true });
    expect(await tenant.responses.lookup(ask('what does doc 42 say?'), { mode: 'exact' })).toBeUndefined();
    const both = await tenant.responses.lookup(ask('summarise doc 42 and doc 7'), {
      mode: 'exact',
      user: 'alice',
    });
    expect(both).toBeUndefined();
    expect(await tenant.get('raw')).toBeUndefined();
    expect((await tenant.responses.lookup(ask('what does doc 7 say?'), { mode: 'exact' }))?.value).toBe(
      'it says no',
    );
    expect((await tenant.responses.lookup(ask('hello'), { mode: 'exact' }))?.value).toBe('hi');
    expect((await other.responses.lookup(ask('what does doc 42 say?'), { mode: 'exact' }))?.value).toBe(
      'their answer',
    );
    expect(await tenant.invalidateTag('doc:42')).toEqual({ deleted: 0, complete: true });
  });

  it('refuses the write of an answer computed before the invalidation (it was built from the old source)', async () => {
    const { deja } = setup(kind);
    const tenant = deja.tenant('acme');
    let release: () => void = () => undefined;
    const computing = new Promise<void>((resolve) => {
      release = resolve;
    });
    const request = { key: 'rag question', semanticText: 'what changed in doc 42?' };
    const running = tenant.responses.wrap(
      request,
      async () => {
        await computing;
        return 'the old answer';
      },
      { tags: ['doc:42'], awaitWrite: true },
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    await tenant.invalidateTag('doc:42');
    release();
    const result = await running;
    expect(result).toMatchObject({ hit: 'miss', value: 'the old answer', stored: false });
    expect(await tenant.responses.lookup(request, { mode: 'exact' })).toBeUndefined();

    // An answer computed after the invalidation (from the new source) is stored as usual.
    const fresh = await tenant.responses.wrap(request, async () => 'the new answer', { tags: ['doc:42'] });
    expect(fresh).toMatchObject({ hit: 'miss', stored: true });
    const stored = await tenant.responses.store({ key: 'direct' }, 'x', { tags: ['doc:42'] });
    expect(stored).toMatchObject({ stored: true });
  });

  it('keeps the tags as given in the entry metadata (the store sees only their digests)', async () => {
    const { deja } = setup(kind);
    const tenant = deja.tenant('acme');
    await tenant.put({ key: 'k', value: 1, tags: ['doc:42', 'doc:42', 'policy/é'], meta: { model: 'm' } });
    expect((await tenant.get('k'))?.meta).toEqual({ model: 'm', tags: ['doc:42', 'policy/é'] });
  });
});

describe('tags: misuse', () => {
  it('refuses unusable tags with DejaInputError before anything is computed', async () => {
    const { deja } = setup('memory');
    const tenant = deja.tenant('acme');
    let computed = 0;
    const compute = async () => {
      computed++;
      return 'x';
    };
    for (const tags of [
      [''],
      ['  '],
      [42],
      'doc:42',
      ['x'.repeat(257)],
      Array.from({ length: 33 }, (_, i) => `t${i}`),
    ])
      await expect(
        tenant.responses.wrap({ key: 'k' }, compute, { tags: tags as string[] }),
      ).rejects.toBeInstanceOf(DejaInputError);
    expect(computed).toBe(0);
    await expect(tenant.responses.store({ key: 'k' }, 'v', { tags: [''] })).rejects.toBeInstanceOf(
      DejaInputError,
    );
    await expect(tenant.put({ key: 'k', value: 1, tags: [7 as unknown as string] })).rejects.toBeInstanceOf(
      DejaInputError,
    );
    await expect(tenant.invalidateTag('')).rejects.toBeInstanceOf(DejaInputError);
  });

  it('refuses tags with DejaConfigError on a store that cannot invalidate by tag', async () => {
    const { deleteTagged: _, ...withoutTags } = memoryStore();
    const deja = createDeja({ store: withoutTags as Store, statsFlushMs: 0 });
    onTestFinished(() => deja.close());
    const tenant = deja.tenant('acme');
    await expect(tenant.responses.store({ key: 'k' }, 'v', { tags: ['doc:42'] })).rejects.toBeInstanceOf(
      DejaConfigError,
    );
    await expect(tenant.invalidateTag('doc:42')).rejects.toBeInstanceOf(DejaConfigError);
    expect(await tenant.responses.store({ key: 'k' }, 'v')).toMatchObject({ stored: true });
  });
});

describe('tags: an index made by an older deja', () => {
  it('gets the tags field (FT.ALTER) instead of being refused as another schema', async () => {
    const run = `${process.pid}-${Date.now().toString(36)}`;
    const [url, prefix, indexName] = [
      redisStackUrl(),
      `test:tags-upgrade-${run}:`,
      `idx-tags-upgrade-${run}`,
    ];
    const embedder = countingEmbedder();
    // The index as deja made it before tags: the same schema without the `tags` field.
    await withClient(url, (client) =>
      client.sendCommand([
        ...['FT.CREATE', indexName, 'ON', 'HASH', 'PREFIX', '1', prefix, 'SCHEMA', 'text', 'TEXT'],
        ...['ns', 'TAG', 'tenant', 'TAG', 'user', 'TAG', 'scope', 'TAG', 'model', 'TAG'],
        ...['created_at', 'NUMERIC', 'SORTABLE', 'embedding', 'VECTOR', 'FLAT', '6', 'TYPE', 'FLOAT32'],
        ...['DIM', String(embedder.dimensions), 'DISTANCE_METRIC', 'COSINE'],
      ]),
    );
    const store = redisStore({ url, prefix, indexName });
    const deja = createDeja({ store, embedder, statsFlushMs: 0, initTimeoutMs: 5_000 });
    onTestFinished(async () => {
      await deja.close();
      await dropTestData(url, [`${prefix}*`, `~${prefix}*`], indexName);
    });
    expect(await deja.ready()).toBe(true);
    const info = await withClient(url, (client) => client.sendCommand(['FT.INFO', indexName]));
    expect(JSON.stringify(info)).toContain('"tags"');
    const tenant = deja.tenant('acme');
    await tenant.responses.store({ key: 'k', semanticText: 'about doc 42' }, 'v', { tags: ['doc:42'] });
    expect(await tenant.invalidateTag('doc:42')).toEqual({ deleted: 1, complete: true });
  });
});
