// Tenancy on all three stores: adversarial ids never meet, clear and forgetUser erase exactly
// their part, every Redis key has a TTL, and random operation sequences agree with a model.
import { fixedEmbedder } from '@deja/core/testing';
import fc from 'fast-check';
import { createClient } from 'redis';
import { expect, it } from 'vitest';
import { describeEachStore, useDeja } from '../support/deja-fixture.ts';

const ADVERSARIAL_IDS = [
  'Acme',
  'acme',
  'a,b',
  'a',
  'b',
  'x|victim',
  'victim',
  'ac*',
  'a b',
  't{1}',
  't}',
  '{t',
  'back\\slash',
  'quote"d',
  '@tenant:{x}',
  '\uD800',
  '\uDC00',
  '\uD800\uDC00',
  ' ',
  '0',
  '-1',
  '*',
];
const embedder = fixedEmbedder({ question: [1, 0, 0, 0] });
const ask = { key: 'question', semanticText: 'question', scope: 'chat' };

describeEachStore('tenancy', (kind) => {
  const fixture = useDeja(kind, { embedder });

  it('adversarial tenant ids never see each other’s entries, exactly or semantically', async () => {
    for (const id of ADVERSARIAL_IDS)
      await fixture.deja.tenant(id).responses.store(ask, `answer of ${JSON.stringify(id)}`);
    for (const id of ADVERSARIAL_IDS) {
      const exact = await fixture.deja.tenant(id).responses.lookup(ask);
      expect(exact?.value).toBe(`answer of ${JSON.stringify(id)}`);
      const semantic = await fixture.deja.tenant(id).responses.lookup({ ...ask, key: 'paraphrase' });
      expect(semantic?.value).toBe(`answer of ${JSON.stringify(id)}`);
      const neighbours = await fixture.deja.tenant(id).knn('question', { k: 50, scope: 'chat' });
      expect(neighbours.map((item) => item.value)).toEqual([`answer of ${JSON.stringify(id)}`]);
    }
  });

  it('adversarial user ids never see each other’s entries', async () => {
    const tenant = fixture.deja.tenant('user-fuzz');
    for (const user of ADVERSARIAL_IDS)
      await tenant.responses.store(ask, `for ${JSON.stringify(user)}`, { user });
    for (const user of ADVERSARIAL_IDS) {
      expect((await tenant.responses.lookup(ask, { user }))?.value).toBe(`for ${JSON.stringify(user)}`);
      expect((await tenant.responses.lookup({ ...ask, key: 'other' }, { user }))?.value).toBe(
        `for ${JSON.stringify(user)}`,
      );
    }
    expect(await tenant.responses.lookup(ask)).toBeUndefined();
  });

  it('a UUID object and its string are the same tenant and user', async () => {
    class Uuid {
      constructor(private readonly value: string) {}
      toString() {
        return this.value;
      }
    }
    const id = '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
    await fixture.deja.tenant(new Uuid(id)).responses.store(ask, 'uuid', { user: new Uuid(id) });
    expect((await fixture.deja.tenant(id).responses.lookup(ask, { user: id }))?.value).toBe('uuid');
  });

  it('a numeric id and its string are the same tenant and user', async () => {
    await fixture.deja.tenant(42).responses.store(ask, 'numeric', { user: 7 });
    expect((await fixture.deja.tenant('42').responses.lookup(ask, { user: '7' }))?.value).toBe('numeric');
    expect(await fixture.deja.tenant('42.0').responses.lookup(ask, { user: '7' })).toBeUndefined();
  });

  it('put / get / knn / delete on the tenant API', async () => {
    const tenant = fixture.deja.tenant('api');
    expect(
      await tenant.put({ key: { doc: 1 }, value: { title: 'one' }, text: 'question', scope: 'docs' }),
    ).toMatchObject({ stored: true });
    expect(await tenant.get({ doc: 1 })).toMatchObject({ value: { title: 'one' }, text: 'question' });
    expect((await tenant.knn([1, 0, 0, 0], { scope: 'docs' }))[0]).toMatchObject({ value: { title: 'one' } });
    expect(await tenant.delete({ doc: 1 })).toBe(true);
    expect(await tenant.get({ doc: 1 })).toBeUndefined();
  });

  it('clear removes one tenant and nothing else', async () => {
    await fixture.deja.tenant('clear-me').responses.store(ask, 'gone');
    await fixture.deja.tenant('clear-me').responses.store(ask, 'gone too', { user: 'u' });
    await fixture.deja.tenant('keep-me').responses.store(ask, 'kept');
    expect(await fixture.deja.tenant('clear-me').clear()).toBe(2);
    expect(await fixture.deja.tenant('clear-me').responses.lookup(ask)).toBeUndefined();
    expect((await fixture.deja.tenant('keep-me').responses.lookup(ask))?.value).toBe('kept');
  });

  it('forgetUser erases every entry of that user and only those', async () => {
    const tenant = fixture.deja.tenant('forget');
    for (let i = 0; i < 20; i++)
      await tenant.responses.store({ ...ask, key: `q${i}` }, i, { user: 'leaver' });
    await tenant.responses.store(ask, 'stays', { user: 'stayer' });
    await fixture.deja.tenant('elsewhere').responses.store(ask, 'other tenant', { user: 'leaver' });
    expect(await tenant.forgetUser('leaver')).toEqual({ deleted: 20, complete: true });
    for (let i = 0; i < 20; i++)
      expect(await tenant.responses.lookup({ ...ask, key: `q${i}` }, { user: 'leaver' })).toBeUndefined();
    expect((await tenant.responses.lookup(ask, { user: 'stayer' }))?.value).toBe('stays');
    expect((await fixture.deja.tenant('elsewhere').responses.lookup(ask, { user: 'leaver' }))?.value).toBe(
      'other tenant',
    );
  });

  if (kind === 'redis-stack') {
    it('forgetUser finds entries through the index even when the user’s member set was lost', async () => {
      const tenant = fixture.deja.tenant('forget-evicted');
      for (let i = 0; i < 3; i++)
        await tenant.responses.store({ ...ask, key: `e${i}` }, i, { user: 'evicted' });
      const client = createClient({ url: fixture.store.url });
      await client.connect();
      // The member set's name is a keyed digest of the user: find the one set of this tenant.
      const sets = await client.keys(`~${fixture.store.prefix}{${tenant.digest}}:user:*`);
      expect(sets).toHaveLength(1);
      expect(await client.del(sets[0] as string)).toBe(1);
      client.destroy();
      expect(await tenant.forgetUser('evicted')).toEqual({ deleted: 3, complete: true });
      for (let i = 0; i < 3; i++)
        expect(await tenant.responses.lookup({ ...ask, key: `e${i}` }, { user: 'evicted' })).toBeUndefined();
    });
  }

  // The memory store has no keys to audit; its TTLs are covered by the conformance suite.
  if (kind !== 'memory')
    it('leaves no key without a TTL', async () => {
      const tenant = fixture.deja.tenant('ttl-audit');
      await tenant.responses.store(ask, 'x', { user: 'u1' });
      await fixture.deja.embeddings.embed(['question', 'another text']);
      const client = createClient({ url: fixture.store.url });
      await client.connect();
      const keys: string[] = [];
      for (const pattern of [
        `${fixture.store.prefix}*`,
        `~${fixture.store.prefix}*`,
        `${fixture.store.embeddingPrefix}*`,
      ]) {
        for await (const batch of client.scanIterator({ MATCH: pattern, COUNT: 1000 })) keys.push(...batch);
      }
      const ttls = await Promise.all(keys.map((key) => client.pTTL(key)));
      client.destroy();
      expect(keys.length).toBeGreaterThan(3);
      expect(keys.filter((_, i) => (ttls[i] as number) <= 0)).toEqual([]);
    });

  it('random put/get/delete/clear/forgetUser sequences agree with a simple model', async () => {
    const tenants = ['t1', 't2'];
    const users = [undefined, 'u1', 'u2'];
    const keysOf = ['k1', 'k2', 'k3'];
    const command = fc.oneof(
      fc.record({
        op: fc.constant('put' as const),
        tenant: fc.constantFrom(...tenants),
        user: fc.constantFrom(...users),
        key: fc.constantFrom(...keysOf),
        value: fc.integer(),
      }),
      fc.record({
        op: fc.constant('get' as const),
        tenant: fc.constantFrom(...tenants),
        user: fc.constantFrom(...users),
        key: fc.constantFrom(...keysOf),
      }),
      fc.record({
        op: fc.constant('delete' as const),
        tenant: fc.constantFrom(...tenants),
        user: fc.constantFrom(...users),
        key: fc.constantFrom(...keysOf),
      }),
      fc.record({ op: fc.constant('clear' as const), tenant: fc.constantFrom(...tenants) }),
      fc.record({
        op: fc.constant('forgetUser' as const),
        tenant: fc.constantFrom(...tenants),
        user: fc.constantFrom('u1', 'u2'),
      }),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 25 }), async (commands) => {
        run++;
        const model = new Map<string, number>();
        const name = (tenant: string) => `prop-${run}-${tenant}`;
        const slot = (tenant: string, user: string | undefined, key: string) =>
          `${tenant}|${user ?? ''}|${key}`;
        for (const step of commands) {
          const tenant = fixture.deja.tenant(name(step.tenant));
          if (step.op === 'put') {
            await tenant.put({ key: step.key, value: step.value, user: step.user });
            model.set(slot(step.tenant, step.user, step.key), step.value);
          } else if (step.op === 'get') {
            const item = await tenant.get(step.key, { user: step.user });
            expect(item?.value).toBe(model.get(slot(step.tenant, step.user, step.key)));
          } else if (step.op === 'delete') {
            const existed = model.delete(slot(step.tenant, step.user, step.key));
            expect(await tenant.delete(step.key, { user: step.user })).toBe(existed);
          } else if (step.op === 'clear') {
            const expected = [...model.keys()].filter((key) => key.startsWith(`${step.tenant}|`));
            expect(await tenant.clear()).toBe(expected.length);
            for (const key of expected) model.delete(key);
          } else {
            const expected = [...model.keys()].filter((key) =>
              key.startsWith(`${step.tenant}|${step.user}|`),
            );
            expect(await tenant.forgetUser(step.user)).toEqual({ deleted: expected.length, complete: true });
            for (const key of expected) model.delete(key);
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});
