// deja through a node-redis cluster client on a three-master Redis Cluster. All keys of one tenant
// share the hash tag {tenantDigest} and embeddings {modelId}, so multi-key writes never cross
// slots. On plain Redis 7 masters semantic lookup works by the client-side scan, on Redis 8 masters
// by a vector set in each tenant's slot (its delete scripts reach the set by the name in the entry,
// same slot); a cluster of Redis Stack masters uses their per-shard indexes
// (cluster-query-engine.int.test.ts).
import { createDeja, type Deja, type DejaErrorEvent, redisStore } from '@deja/core';
import { digest } from '@deja/core/adapter';
import { countingEmbedder, fixedEmbedder } from '@deja/core/testing';
import { createCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCluster, startRedisCluster } from '../harness/redis-cluster.ts';
import type { RedisKind } from '../harness/redis-server.ts';
import { keysMatching, keysWithoutTtl, withClient } from './support/keyspace.ts';

const embedder = countingEmbedder(fixedEmbedder({ 'how do I reset my password': [1, 0, 0, 0] }));
const ask = (tenant: string) => ({
  key: { prompt: `question of ${tenant}` },
  semanticText: 'how do I reset my password',
  scope: 'support',
});
const TENANTS = Array.from({ length: 12 }, (_, i) => `tenant ${i}`);

async function connect(cluster: RunningCluster) {
  const client = createCluster({ rootNodes: cluster.rootNodes });
  const clientErrors: unknown[] = [];
  client.on('error', (error) => clientErrors.push(error));
  await client.connect();
  return { client, clientErrors };
}

/** Every key on every master (a cluster has no single keyspace to scan). */
async function allKeys(cluster: RunningCluster): Promise<Map<number, string[]>> {
  const byNode = new Map<number, string[]>();
  for (const node of cluster.masters)
    byNode.set(node.port, await withClient(node.url, (client) => keysMatching(client, ['*'])));
  return byNode;
}

const MASTERS = [
  ['plain', 'plain Redis 7', 'scan'],
  ['redis8', 'Redis 8', 'vector-set'],
] as const satisfies readonly (readonly [RedisKind, string, string])[];

describe.each(MASTERS)('Redis Cluster of three %s masters (%s)', (kind, _name, semantic) => {
  let cluster: RunningCluster;
  let connection: Awaited<ReturnType<typeof connect>>;
  let deja: Deja;
  let store: ReturnType<typeof redisStore>;
  const errors: DejaErrorEvent[] = [];
  beforeAll(async () => {
    cluster = await startRedisCluster({ kind });
    connection = await connect(cluster);
    store = redisStore({ client: connection.client });
    deja = createDeja({
      store,
      embedder,
      lock: { ttlMs: 2_000, pollMs: 20 },
      statsFlushMs: 50,
      // The static semantic rule and awaited writes: this file is about the cluster's storage.
      maxErrorRate: false,
      writeBehind: false,
      // Generous: this file asserts no error event at all, and a cluster of three on a busy
      // 2-core machine can miss the 250 ms default; deadlines are tested elsewhere.
      timeoutMs: 10_000,
      onError: (event) => errors.push(event),
    });
    await deja.ready();
  });
  afterAll(async () => {
    await deja?.close();
    connection?.client.destroy();
    await cluster?.stop();
  });

  it('caches exact responses per tenant, spread over the masters, without CROSSSLOT errors', async () => {
    for (const tenant of TENANTS) {
      const result = await deja
        .tenant(tenant)
        .responses.wrap(ask(tenant), async () => `answer of ${tenant}`, { user: 'alice' });
      expect(result).toMatchObject({ hit: 'miss', stored: true });
    }
    for (const tenant of TENANTS) {
      const hit = await deja.tenant(tenant).responses.lookup(ask(tenant), { user: 'alice', mode: 'exact' });
      expect(hit).toMatchObject({ hit: 'exact', value: `answer of ${tenant}` });
    }
    const byNode = await allKeys(cluster);
    expect([...byNode.values()].filter((keys) => keys.length > 0).length).toBeGreaterThanOrEqual(2);
    expect(reported(errors)).toEqual([]);
    expect(connection.clientErrors).toEqual([]);
  });

  it('caches embeddings: each text reaches the embedder once', async () => {
    const texts = Array.from({ length: 40 }, (_, i) => `document ${i}`);
    const before = embedder.texts.length;
    const first = await deja.embeddings.embed(texts);
    const second = await deja.embeddings.embed([...texts].reverse());
    expect(embedder.texts.length - before).toBe(texts.length);
    expect(second.map((vector) => Array.from(vector))).toEqual(
      first.reverse().map((vector) => Array.from(vector)),
    );
    expect(reported(errors)).toEqual([]);
  });

  it(`semantic lookup works (KNN by ${semantic}), within tenant and user`, async () => {
    expect(store.capabilities.semantic).toBe(semantic);
    const paraphrase = (tenant: string) => ({ ...ask(tenant), key: 'a paraphrase' });
    for (const tenant of TENANTS) {
      const hit = await deja.tenant(tenant).responses.lookup(paraphrase(tenant), { user: 'alice' });
      expect(hit).toMatchObject({ hit: 'semantic', value: `answer of ${tenant}` });
      expect(await deja.tenant(tenant).responses.lookup(paraphrase(tenant), { user: 'bob' })).toBeUndefined();
    }
    const neighbours = await deja
      .tenant('tenant 3')
      .knn([1, 0, 0, 0], { scope: 'support', user: 'alice', k: 10 });
    expect(neighbours.map((item) => item.value)).toEqual(['answer of tenant 3']);
    expect(reported(errors)).toEqual([]);
  });

  it('forgetUser, clear and stored counters work across the masters; every key has a TTL', async () => {
    expect(await deja.tenant('tenant 1').forgetUser('alice')).toEqual({ deleted: 1, complete: true });
    expect(
      await deja.tenant('tenant 1').responses.lookup(ask('tenant 1'), { user: 'alice' }),
    ).toBeUndefined();
    expect(await deja.tenant('tenant 2').clear()).toBe(1);
    expect(
      await deja.tenant('tenant 2').responses.lookup(ask('tenant 2'), { user: 'alice' }),
    ).toBeUndefined();
    expect((await deja.tenant('tenant 4').responses.lookup(ask('tenant 4'), { user: 'alice' }))?.value).toBe(
      'answer of tenant 4',
    );
    await expect
      .poll(async () => Object.keys(await deja.storedStats()).length, { timeout: 3_000 })
      .toBe(TENANTS.length);
    expect((await deja.storedStats('tenant 5'))[digest('tenant 5')]).toMatchObject({
      writes: 1,
      exactHits: 1,
    });

    const keys = [...(await allKeys(cluster)).entries()];
    for (const [port, nodeKeys] of keys) {
      const node = cluster.masters.find((master) => master.port === port);
      expect(await withClient(node?.url ?? '', (client) => keysWithoutTtl(client, nodeKeys))).toEqual([]);
    }
    // Of tenant 2 nothing is left but what the lookup made after clear() wrote: its counters, and
    // in the slice of the embedding cache the vector of its prompt and the learned dimension
    // (names keyed with the namespace secret), listed in the user's key set for forgetUser.
    const leftOfTenant2 = keys
      .flatMap(([, nodeKeys]) => nodeKeys)
      .filter((key) => /^~?cache:/.test(key) && key.includes(digest('tenant 2')))
      .map((key) => key.replace(/:[0-9a-f]{64}$/, ':<sha256>'))
      .sort();
    expect(leftOfTenant2).toEqual([
      `~cache:{${digest('tenant 2')}}:bytes:<sha256>`,
      `~cache:{${digest('tenant 2')}}:bytes:<sha256>`,
      `~cache:{${digest('tenant 2')}}:stats`,
      `~cache:{${digest('tenant 2')}}:user-keys:<sha256>`,
    ]);
    expect(reported(errors)).toEqual([]);
  });

  it('invalidates a tag on the shard of each tenant, without CROSSSLOT errors; other entries stay', async () => {
    const tagged = ['tag tenant a', 'tag tenant b', 'tag tenant c', 'tag tenant d', 'tag tenant e'];
    const fromDoc = (tenant: string) => ({ key: { doc: 42, tenant }, semanticText: `doc 42 for ${tenant}` });
    for (const tenant of tagged) {
      const tenantCache = deja.tenant(tenant);
      await tenantCache.responses.store(fromDoc(tenant), 'from doc 42', { tags: ['doc:42'], user: 'alice' });
      await tenantCache.responses.store({ key: 'untagged' }, 'stays');
    }
    // Each tenant's listing (a SCAN on the master of its slot) holds its two entries, tags as given.
    for (const tenant of tagged) {
      const page = await deja.tenant(tenant).list({ limit: 1_000 });
      expect(page?.cursor).toBeUndefined();
      expect(page?.entries.map((entry) => entry.tags ?? []).sort()).toEqual([[], ['doc:42']]);
    }
    for (const tenant of tagged)
      expect(await deja.tenant(tenant).invalidateTag('doc:42')).toEqual({ deleted: 1, complete: true });
    // On Redis 8 the deleting script took each entry out of its vector set too (before any lookup
    // could prune it): the sets, holding nothing else, are gone.
    const vectorSets = [...(await allKeys(cluster)).values()]
      .flat()
      .filter((key) => key.includes(':vset:') && tagged.some((tenant) => key.includes(digest(tenant))));
    expect(vectorSets).toEqual([]);
    for (const tenant of tagged) {
      const tenantCache = deja.tenant(tenant);
      expect(await tenantCache.responses.lookup(fromDoc(tenant), { user: 'alice' })).toBeUndefined();
      expect((await tenantCache.responses.lookup({ key: 'untagged' }))?.value).toBe('stays');
      await tenantCache.clear();
    }
    expect(reported(errors)).toEqual([]);
  });
});

/** Store trouble reported to onError (CROSSSLOT and friends); nothing else is expected here. */
function reported(events: DejaErrorEvent[]): string[] {
  return events.map((event) => `${event.kind} ${event.operation}: ${String(event.error)}`);
}
