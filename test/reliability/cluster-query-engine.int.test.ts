// deja on a three-master Redis Cluster whose every node has the Query Engine (Redis Stack, OSS
// cluster, no search coordinator). Each master indexes its own slots; a tenant's keys share one
// slot, so its KNN goes to the master of that slot and is answered there, on the server, without
// the client-side scan. Includes a slot migration while lookups run.
import { createDeja, type Deja, type DejaErrorEvent, redisStore } from '@deja/core';
import { digest } from '@deja/core/adapter';
import { fixedEmbedder } from '@deja/core/testing';
import { createCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateSlot, type RunningCluster, slotOwner, startRedisCluster } from '../harness/redis-cluster.ts';
import { redisCli } from '../harness/redis-tools.ts';
import { keysMatching, withClient } from './support/keyspace.ts';

/** A tenant's index on a cluster: its name carries the tenant's hash tag, like its keys. */
const indexOf = (tenant: string) => `deja-idx:{${digest(tenant)}}`;
const embedder = fixedEmbedder({ 'how do I reset my password': [1, 0, 0, 0] });
const question = (tenant: string, scope = 'support') => ({
  key: { prompt: `question of ${tenant}`, scope },
  semanticText: 'how do I reset my password',
  scope,
});
const TENANTS = Array.from({ length: 24 }, (_, i) => `qe tenant ${i}`);
const answerOf = (tenant: string) => `answer of ${tenant}`;

describe('Redis Cluster of three Redis Stack masters: KNN on the shard of the tenant', () => {
  let cluster: RunningCluster;
  /** The tenant's hash slot, as the server computes it. */
  const slotOf = async (tenant: string) =>
    Number(
      await redisCli('stack', cluster.masters[0]?.port ?? 0, ['CLUSTER', 'KEYSLOT', `{${digest(tenant)}}`]),
    );
  let client: ReturnType<typeof createCluster>;
  let deja: Deja;
  const errors: DejaErrorEvent[] = [];
  const clientErrors: unknown[] = [];
  beforeAll(async () => {
    cluster = await startRedisCluster({ kind: 'stack' });
    client = createCluster({ rootNodes: cluster.rootNodes });
    client.on('error', (error) => clientErrors.push(error));
    await client.connect();
    deja = createDeja({
      store: redisStore({ client }),
      embedder,
      cacheEmbeddings: false,
      onError: (event) => errors.push(event),
    });
    await deja.ready();
  });
  /** The values of the tenant's nearest entries to the stored vector, through the store's KNN. */
  const nearestValues = async (tenant: string, scope: string, user: string) =>
    (await deja.tenant(tenant).knn([1, 0, 0, 0], { scope, user, k: 5 })).map((item) => item.value);
  afterAll(async () => {
    await deja?.close();
    client?.destroy();
    await cluster?.stop();
  });

  it('detects the Query Engine on every master and uses it instead of the scan', async () => {
    expect((await deja.health()).queryEngine).toBe(true);
    expect(reported(errors)).toEqual([]);
  });

  it('answers each tenant from its own shard; the tenants cover all three masters', async () => {
    const owners = new Set<number>();
    for (const tenant of TENANTS) owners.add((await slotOwner(cluster, await slotOf(tenant))).port);
    expect(owners.size).toBe(3);
    for (const tenant of TENANTS) {
      const stored = await deja
        .tenant(tenant)
        .responses.store(question(tenant), answerOf(tenant), { user: 'alice' });
      expect(stored).toMatchObject({ stored: true });
    }
    for (const tenant of TENANTS) {
      expect(await nearestValues(tenant, 'support', 'alice')).toEqual([answerOf(tenant)]);
      expect(await nearestValues(tenant, 'support', 'bob')).toEqual([]);
      expect(await nearestValues(tenant, 'billing', 'alice')).toEqual([]);
      const exact = await deja
        .tenant(tenant)
        .responses.lookup(question(tenant), { user: 'alice', mode: 'exact' });
      expect(exact?.value).toBe(answerOf(tenant));
    }
    // Each tenant's index sits on the master of its slot and holds its entry; no scan member set
    // was written anywhere.
    for (const tenant of TENANTS) {
      const owner = await slotOwner(cluster, await slotOf(tenant));
      const info = await redisCli('stack', owner.port, ['FT.INFO', indexOf(tenant)]);
      expect(Number(/num_docs\n(\d+)/.exec(info)?.[1])).toBe(1);
    }
    for (const master of cluster.masters) {
      const scopeSets = await withClient(master.url, (node) => keysMatching(node, ['~cache:*:scope:*']));
      expect(scopeSets).toEqual([]);
    }
    expect(await deja.count()).toBe(TENANTS.length);
    expect(await deja.count(TENANTS[5])).toBe(1);
    expect(reported(errors)).toEqual([]);
  });

  it('forgets a user and clears a tenant on the shard that holds them', async () => {
    const [forgotten, cleared] = [TENANTS[1] as string, TENANTS[2] as string];
    expect(await deja.tenant(forgotten).forgetUser('alice')).toEqual({ deleted: 1, complete: true });
    expect(await nearestValues(forgotten, 'support', 'alice')).toEqual([]);
    expect(await deja.tenant(cleared).clear()).toBe(1);
    expect(await nearestValues(cleared, 'support', 'alice')).toEqual([]);
    expect(await deja.count()).toBe(TENANTS.length - 2);
    expect(reported(errors)).toEqual([]);
  });

  it('invalidates a tag in the index on the shard of each tenant', async () => {
    const tagged = ['qe tag tenant a', 'qe tag tenant b', 'qe tag tenant c', 'qe tag tenant d'];
    for (const tenant of tagged) {
      await deja.tenant(tenant).responses.store(question(tenant), 'from doc 42', { tags: ['doc:42'] });
      await deja.tenant(tenant).responses.store({ key: 'untagged' }, 'stays');
    }
    // Each tenant's listing (a SCAN on the master of its slot) holds its two entries, tags as given.
    for (const tenant of tagged) {
      const page = await deja.tenant(tenant).list({ limit: 1_000 });
      expect(page?.cursor).toBeUndefined();
      expect(page?.entries.map((entry) => entry.tags ?? []).sort()).toEqual([[], ['doc:42']]);
    }
    for (const tenant of tagged)
      expect(await deja.tenant(tenant).invalidateTag('doc:42')).toEqual({ deleted: 1, complete: true });
    for (const tenant of tagged) {
      expect(await deja.tenant(tenant).responses.lookup(question(tenant), { mode: 'exact' })).toBeUndefined();
      expect((await deja.tenant(tenant).responses.lookup({ key: 'untagged' }))?.value).toBe('stays');
      await deja.tenant(tenant).clear();
    }
    expect(reported(errors)).toEqual([]);
  });

  it('recreates the index on a master that lost it (as on a new master) and answers again', async () => {
    const tenant = TENANTS[7] as string;
    const owner = await slotOwner(cluster, await slotOf(tenant));
    await redisCli('stack', owner.port, ['FT.DROPINDEX', indexOf(tenant)]);
    await expect
      .poll(() => nearestValues(tenant, 'support', 'alice'), { timeout: 10_000 })
      .toEqual([answerOf(tenant)]);
    expect(await redisCli('stack', owner.port, ['FT._LIST'])).toContain(indexOf(tenant));
  });

  it('keeps answering, never wrongly, while a tenant slot migrates, and hits on the new owner after', async () => {
    const moving = TENANTS[10] as string;
    const source = await slotOwner(cluster, await slotOf(moving));
    const target = cluster.masters.find((master) => master !== source) as RunningCluster['masters'][number];
    // Several entries of the moving tenant, so the migration passes through states where they are split.
    const scopes = ['billing', 'sales', 'legal', 'ops', 'hr', 'it'];
    for (const scope of scopes)
      await deja.tenant(moving).responses.store(question(moving, scope), `${answerOf(moving)} in ${scope}`, {
        user: 'alice',
      });
    const bystanders = TENANTS.slice(11, 15);
    const outcomes: { tenant: string; value: unknown; expected: string }[] = [];
    const lookupAll = async () => {
      for (const scope of scopes) {
        const [value] = await nearestValues(moving, scope, 'alice');
        outcomes.push({ tenant: moving, value, expected: `${answerOf(moving)} in ${scope}` });
        const exact = await deja
          .tenant(moving)
          .responses.lookup(question(moving, scope), { user: 'alice', mode: 'exact' });
        outcomes.push({ tenant: moving, value: exact?.value, expected: `${answerOf(moving)} in ${scope}` });
      }
      for (const tenant of bystanders) {
        const [value] = await nearestValues(tenant, 'support', 'alice');
        outcomes.push({ tenant, value, expected: answerOf(tenant) });
      }
    };
    const { movedKeys } = await migrateSlot(cluster, await slotOf(moving), target, {
      batch: 2,
      between: lookupAll,
    });
    expect(movedKeys).toBeGreaterThan(scopes.length);
    expect(outcomes.length).toBeGreaterThan(0);
    // Never another tenant's, scope's or user's answer: the right one, or a miss.
    expect(outcomes.filter(({ value, expected }) => value !== undefined && value !== expected)).toEqual([]);
    // Bystanders on other slots never notice.
    expect(outcomes.filter(({ tenant, value, expected }) => tenant !== moving && value !== expected)).toEqual(
      [],
    );
    expect((await slotOwner(cluster, await slotOf(moving))).port).toBe(target.port);

    // After the move, every entry of the tenant is found again on its new master.
    for (const scope of scopes)
      expect(await nearestValues(moving, scope, 'alice')).toEqual([`${answerOf(moving)} in ${scope}`]);
    expect(await redisCli('stack', target.port, ['FT._LIST'])).toContain(indexOf(moving));
    expect(await deja.count(moving)).toBe(scopes.length + 1);
    expect(reported(errors)).toEqual([]);
    expect(clientErrors).toEqual([]);
  });
});

function reported(events: DejaErrorEvent[]): string[] {
  return events.map((event) => `${event.kind} ${event.operation}: ${String(event.error)}`);
}
