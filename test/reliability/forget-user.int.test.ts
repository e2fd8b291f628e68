// forgetUser erases every entry of a user, checked by reading the whole keyspace afterwards, also
// while writes for that user keep arriving. What is guaranteed for a write racing with forgetUser:
//   - a write that finished before forgetUser was called is gone when forgetUser resolves;
//   - a write that started after forgetUser resolved is kept;
//   - a write that overlapped it may end either way, but never half: if its entry survives, the
//     entry is listed in the user's member set, so the next forgetUser erases it;
//   - forgetUser ends even while writes for the user never stop (it takes the member set whole).
import { createHmac } from 'node:crypto';
import { lexicalEmbedder } from '@deja/core';
import { digest } from '@deja/core/adapter';
import { expect, it } from 'vitest';
import {
  setFenceArgs,
  TAKE_BUSY,
  takeMembersArgs,
} from '../../packages/core/src/stores/redis/erasure-commands.ts';
import { describeEachStore, REDIS_KINDS, useDeja } from '../support/deja-fixture.ts';
import { type Client, keysMatching, withClient } from './support/keyspace.ts';
import { sleep } from './support/latency.ts';

const USER = 'Zoë | *@{leaver}';
const OTHER_USER = 'zoë | *@{leaver}';

interface Write {
  redisKey: string;
  startedAt: number;
  finishedAt: number;
}

/** Every entry hash under `prefix`, by key, with its tenant and user fields. */
async function entries(client: Client, prefix: string) {
  const keys = (await keysMatching(client, [`${prefix}*`])).filter((key) => !key.startsWith('~'));
  const fields = await Promise.all(keys.map((key) => client.hmGet(key, ['tenant', 'user'])));
  return new Map(keys.map((key, i) => [key, { tenant: fields[i]?.[0], user: fields[i]?.[1] }]));
}

/**
 * The user's member set ('user') or the ids a forgetUser is erasing ('user-erasing'): names keyed
 * with the namespace secret deja keeps in Redis.
 */
async function userSetKey(
  client: Client,
  prefix: string,
  tenantDigest: string,
  set: 'user' | 'user-erasing' = 'user',
): Promise<string> {
  const secret = String(await client.get(`~deja:secret:${prefix}`));
  const name = createHmac('sha256', secret)
    .update(`user:${digest(USER)}`)
    .digest('hex');
  return `~${prefix}{${tenantDigest}}:${set}:${name}`;
}

describeEachStore('forgetUser', REDIS_KINDS, (kind) => {
  // Generous deadlines: this is about what erasure removes and fences, not about a busy machine's
  // latency (writes, the sweep's deadline is initTimeoutMs).
  const fixture = useDeja(kind, {
    embedder: lexicalEmbedder({ dimensions: 16 }),
    statsFlushMs: 0,
    timeoutMs: 5_000,
    initTimeoutMs: 30_000,
  });

  it('erases every entry of the user, with writes for that user arriving all along', async () => {
    const tenant = fixture.deja.tenant('forgetful');
    const elsewhere = fixture.deja.tenant('elsewhere');
    const redisKey = (tenantDigest: string, id: string) => `${fixture.store.prefix}{${tenantDigest}}:${id}`;
    const write = async (i: number, writes: Write[]) => {
      const startedAt = performance.now();
      const request = {
        key: { n: i, salt: Math.random() },
        semanticText: `question number ${i}`,
        scope: i % 3,
      };
      const result =
        i % 2 === 0
          ? await tenant.responses.store(request, { i }, { user: USER })
          : await tenant
              .put({ key: request.key, value: i, text: request.semanticText, user: USER })
              .then((put) => ({ ...put, key: put.id }));
      const { key, stored } = result;
      // A write that began before a forgetUser and ends after it is fenced: refused, said so.
      if (!stored) return expect(result.reason).toBe('user-erased');
      writes.push({ redisKey: redisKey(tenant.digest, key), startedAt, finishedAt: performance.now() });
    };

    // Entries of other users and of the same user in another tenant must all stay.
    const bystanders: string[] = [];
    for (let i = 0; i < 20; i++) {
      bystanders.push(
        redisKey(tenant.digest, (await tenant.responses.store({ key: i }, i, { user: OTHER_USER })).key),
      );
      bystanders.push(redisKey(tenant.digest, (await tenant.responses.store({ key: i }, i)).key));
      bystanders.push(
        redisKey(elsewhere.digest, (await elsewhere.responses.store({ key: i }, i, { user: USER })).key),
      );
    }
    const writes: Write[] = [];
    for (let i = 0; i < 300; i++) await write(i, writes);

    // Four writers for the user, running before, during and after forgetUser.
    let writing = true;
    let next = 1_000;
    const writers = Array.from({ length: 4 }, async () => {
      while (writing) await write(next++, writes);
    });
    await sleep(100);
    const calledAt = performance.now();
    const { deleted: erased, complete } = await tenant.forgetUser(USER);
    expect(complete).toBe(true);
    const resolvedAt = performance.now();
    await sleep(100);
    writing = false;
    await Promise.all(writers);

    const before = writes.filter((entry) => entry.finishedAt < calledAt);
    const racing = writes.filter((entry) => entry.finishedAt >= calledAt && entry.startedAt <= resolvedAt);
    const after = writes.filter((entry) => entry.startedAt > resolvedAt);
    expect(before.length).toBeGreaterThan(300);
    expect(after.length).toBeGreaterThan(0);
    expect(erased).toBeGreaterThanOrEqual(before.length);

    await withClient(fixture.store.url ?? '', async (client) => {
      const stored = await entries(client, fixture.store.prefix);
      const userMembers = new Set(
        (await client.sMembers(await userSetKey(client, fixture.store.prefix, tenant.digest))).map((id) =>
          redisKey(tenant.digest, id),
        ),
      );
      for (const entry of before) expect(stored.has(entry.redisKey), 'written before forgetUser').toBe(false);
      for (const entry of after)
        expect(stored.get(entry.redisKey)?.user, 'written after forgetUser').toBe(digest(USER));
      // A racing write that survived is whole and listed for the next forgetUser.
      for (const entry of racing.filter((candidate) => stored.has(candidate.redisKey)))
        expect(userMembers.has(entry.redisKey), 'surviving racing write is in the member set').toBe(true);
      for (const key of bystanders) expect(stored.has(key), 'bystander').toBe(true);
      console.info(
        `[${kind}] forgetUser erased ${erased}; writes before ${before.length}, racing ${racing.length} ` +
          `(${racing.filter((entry) => stored.has(entry.redisKey)).length} survived), after ${after.length}`,
      );
    });

    // Once the writes have stopped, forgetUser leaves nothing of the user in this tenant.
    await tenant.forgetUser(USER);
    await withClient(fixture.store.url ?? '', async (client) => {
      const left = [...(await entries(client, fixture.store.prefix)).entries()].filter(
        ([, fields]) => fields.tenant === tenant.digest && fields.user === digest(USER),
      );
      expect(left).toEqual([]);
      const memberSets = await keysMatching(client, [
        await userSetKey(client, fixture.store.prefix, tenant.digest),
        await userSetKey(client, fixture.store.prefix, tenant.digest, 'user-erasing'),
      ]);
      expect(memberSets).toEqual([]);
    });
    expect(
      await tenant.responses.lookup(
        { key: { n: 0 }, semanticText: 'question number 0', scope: 0 },
        { user: USER },
      ),
    ).toBeUndefined();
    expect(await tenant.knn('question number 5', { user: USER, scope: 2, k: 50 })).toEqual([]);
  });

  it('ends while writes for the user never stop arriving', async () => {
    const tenant = fixture.deja.tenant('busy');
    // Sixteen writers for the user, none waiting for another: new members land in the user's set
    // during every round trip of the sweep, so a sweep that chased them would never end.
    let writing = true;
    let written = 0;
    const writers = Array.from({ length: 16 }, async (_, writer) => {
      for (let i = 0; writing; i++) {
        await tenant.put({ key: { writer, i }, value: i, user: USER });
        written++;
      }
    });
    await expect.poll(() => written, { timeout: 20_000 }).toBeGreaterThan(500);
    const { complete } = await tenant.forgetUser(USER);
    const writtenMeanwhile = written;
    writing = false;
    await Promise.all(writers);
    expect(complete).toBe(true);
    console.info(`[${kind}] forgetUser ended with ${writtenMeanwhile} writes made`);
  });

  it('finishes what an unfinished forgetUser left, with the ids written since', async () => {
    const tenant = fixture.deja.tenant('interrupted');
    const url = fixture.store.url ?? '';
    for (let i = 0; i < 5; i++) await tenant.put({ key: { before: i }, value: i, user: USER });
    // As a forgetUser that died after taking the user's ids leaves them: in the erasing set.
    await withClient(url, async (client) => {
      const members = await userSetKey(client, fixture.store.prefix, tenant.digest);
      await client.rename(
        members,
        await userSetKey(client, fixture.store.prefix, tenant.digest, 'user-erasing'),
      );
    });
    for (let i = 0; i < 3; i++) await tenant.put({ key: { after: i }, value: i, user: USER });
    expect(await tenant.forgetUser(USER)).toEqual({ deleted: 8, complete: true });
    expect(await tenant.count()).toBe(0);
    await withClient(url, async (client) => {
      const sets = [
        await userSetKey(client, fixture.store.prefix, tenant.digest),
        await userSetKey(client, fixture.store.prefix, tenant.digest, 'user-erasing'),
      ];
      expect(await keysMatching(client, sets)).toEqual([]);
    });
  });

  it('keeps the later of two fences (two erasures at once), each with its TTL', async () => {
    await withClient(fixture.store.url ?? '', async (client) => {
      const fence = `~${fixture.store.prefix}{fence}:erased:f`;
      expect(await client.sendCommand(setFenceArgs(fence, 200, 60_000))).toBe(1);
      expect(await client.sendCommand(setFenceArgs(fence, 100, 60_000))).toBe(0);
      expect(await client.get(fence)).toBe('200');
      expect(await client.sendCommand(setFenceArgs(fence, 300, 60_000))).toBe(1);
      expect(await client.get(fence)).toBe('300');
      expect(await client.pTTL(fence)).toBeGreaterThan(30_000);
      await client.del(fence);
    });
  });

  it('takes the member set whole, with its TTL, and never over ids still being erased', async () => {
    await withClient(fixture.store.url ?? '', async (client) => {
      const members = `~${fixture.store.prefix}{take}:user:m`;
      const erasing = `~${fixture.store.prefix}{take}:user-erasing:m`;
      const take = () => client.sendCommand(takeMembersArgs(members, erasing));
      expect(await take()).toBe(0);
      await client.sAdd(members, ['a', 'b']);
      await client.pExpire(members, 60_000);
      expect(await take()).toBe(1);
      expect(await client.exists(members)).toBe(0);
      expect((await client.sMembers(erasing)).sort()).toEqual(['a', 'b']);
      expect(await client.pTTL(erasing)).toBeGreaterThan(30_000);
      // Ids still being erased are not overwritten: the caller erases them first, then takes again.
      await client.sAdd(members, ['c']);
      expect(await take()).toBe(TAKE_BUSY);
      expect((await client.sMembers(erasing)).sort()).toEqual(['a', 'b']);
      expect(await client.sMembers(members)).toEqual(['c']);
      expect(await client.del([members, erasing])).toBe(2);
    });
  });
});
