// The bucket tag and the HNSW hybrid policy on a three-master Redis Stack cluster, where each
// tenant has its own index on the master of its slot: the share of a bucket is its share of the
// tenant's index. Watched with MONITOR on every master; the failing size refresh is a real
// refusal by Redis (an ACL that takes FT.INFO away), not a mock.
import { redisStore, type StoreInitOptions } from '@deja/core';
import { digest } from '@deja/core/adapter';
import { createClient, createCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCluster, startRedisCluster } from '../harness/redis-cluster.ts';
import { redisCli } from '../harness/redis-tools.ts';
import { ENTRY_DIMENSIONS, entryOf, vectorOf } from '../support/store-entries.ts';

type StoreProblem = Parameters<NonNullable<StoreInitOptions['report']>>[0];

const DIMENSIONS = ENTRY_DIMENSIONS;

type Parts = { tenant: string; scope: string; user: string };
const partsOf = (tenant: string, scope = 's', user = '0'): Parts => ({
  tenant: digest(tenant),
  scope: digest(scope),
  user,
});
describe('Redis Cluster (three Stack masters): KNN by bucket on the tenant’s own HNSW index', () => {
  let cluster: RunningCluster;
  let client: ReturnType<typeof createCluster>;
  const problems: StoreProblem[] = [];
  const commands: string[] = [];
  const monitors: { destroy(): void }[] = [];

  beforeAll(async () => {
    cluster = await startRedisCluster({ kind: 'stack' });
    client = createCluster({ rootNodes: cluster.rootNodes });
    client.on('error', () => undefined);
    await client.connect();
  });
  afterAll(async () => {
    for (const monitor of monitors) monitor.destroy();
    client?.destroy();
    await cluster?.stop();
  });

  it('keeps tenants, scopes and users apart with one tag, on each tenant’s shard', async () => {
    const clustered = redisStore({ client, algorithm: 'HNSW' });
    await clustered.init({ dimensions: DIMENSIONS, report: (problem) => problems.push(problem) });
    const combos = ['t1', 't2', 't3'].flatMap((tenant) =>
      ['s', 'u'].flatMap((scope) => ['0', digest('alice')].map((user) => partsOf(tenant, scope, user))),
    );
    // The same vector everywhere: only the bucket tells the entries apart.
    for (const combo of combos) expect(await clustered.put(entryOf(combo, 1), 60_000)).toBe(true);
    for (const combo of combos) {
      const matches = await clustered.knn({ ...combo, vector: vectorOf(1), k: combos.length });
      expect(matches.map((match) => match.entry.id)).toEqual([entryOf(combo, 1).id]);
    }
    expect(problems).toEqual([]);
    await clustered.close();
  });

  it('searches a large bucket of a tenant index with BATCHES and a small one with RediSearch’s choice', async () => {
    const clustered = redisStore({ client, algorithm: 'HNSW' });
    await clustered.init({ dimensions: DIMENSIONS, report: (problem) => problems.push(problem) });
    const [large, small] = [partsOf('policy tenant', 'big'), partsOf('policy tenant', 'little')];
    for (let i = 0; i < 300; i += 50)
      await Promise.all(Array.from({ length: 50 }, (_, j) => clustered.put(entryOf(large, i + j), 60_000)));
    for (let i = 0; i < 6; i++) await clustered.put(entryOf(small, 1_000 + i), 60_000);
    for (const master of cluster.masters) {
      const monitor = createClient({ url: master.url });
      monitor.on('error', () => undefined);
      await monitor.connect();
      monitors.push(monitor);
      await monitor.monitor((line) => {
        if (line.includes('FT.')) commands.push(line);
      });
    }
    const query = (parts: Parts, seed: number) => clustered.knn({ ...parts, vector: vectorOf(seed), k: 3 });
    await query(large, 7);
    await query(small, 1_003);
    const countsSent = () => commands.filter((line) => line.includes('"LIMIT" "0" "0"')).length;
    await expect.poll(countsSent, { timeout: 20_000, interval: 50 }).toBeGreaterThanOrEqual(2);
    await expect
      .poll(() => commands.some((line) => line.includes('"FT.INFO"')), { timeout: 20_000 })
      .toBe(true);
    // A round trip to the tenant's master after them: their replies are in.
    await clustered.get(large.tenant, entryOf(large, 0).id);
    commands.length = 0;
    const nearLarge = await query(large, 7);
    const nearSmall = await query(small, 1_003);
    await expect
      .poll(() => commands.filter((line) => line.includes('=>[KNN 3')).length, { timeout: 20_000 })
      .toBe(2);
    const [largeKnn, smallKnn] = commands.filter((line) => line.includes('=>[KNN 3'));
    expect(largeKnn).toContain('HYBRID_POLICY BATCHES');
    expect(smallKnn).not.toContain('HYBRID_POLICY');
    expect(nearLarge[0]?.entry.id).toBe(entryOf(large, 7).id);
    expect(nearLarge.every((match) => match.entry.scope === large.scope)).toBe(true);
    expect(nearSmall[0]?.entry.id).toBe(entryOf(small, 1_003).id);
    expect(nearSmall.every((match) => match.entry.scope === small.scope)).toBe(true);
    expect(problems).toEqual([]);
    await clustered.close();
  });

  it('answers a lookup whose size refresh Redis refuses, and reports the refusal', async () => {
    const clustered = redisStore({ client, algorithm: 'HNSW' });
    const reports: StoreProblem[] = [];
    await clustered.init({ dimensions: DIMENSIONS, report: (problem) => reports.push(problem) });
    const parts = partsOf('refused tenant');
    for (let i = 0; i < 20; i++) await clustered.put(entryOf(parts, i), 60_000);
    // From now on no master runs FT.INFO (the index size refresh); FT.SEARCH still runs.
    const acl = (rule: string) =>
      Promise.all(
        cluster.masters.map((master) => redisCli('stack', master.port, ['ACL', 'SETUSER', 'default', rule])),
      );
    await acl('-ft.info');
    try {
      for (let round = 0; round < 3; round++) {
        const matches = await clustered.knn({ ...parts, vector: vectorOf(5), k: 2 });
        expect(matches[0]?.entry.id).toBe(entryOf(parts, 5).id);
      }
      await expect.poll(() => reports.length, { timeout: 20_000 }).toBeGreaterThan(0);
      expect(reports[0]).toMatchObject({ kind: 'store', operation: 'knn-policy' });
      expect(String(reports[0]?.error)).toMatch(/NOPERM|permission/i);
      // Refused once, not asked again at every lookup.
      const matches = await clustered.knn({ ...parts, vector: vectorOf(6), k: 2 });
      expect(matches[0]?.entry.id).toBe(entryOf(parts, 6).id);
      expect(reports).toHaveLength(1);
    } finally {
      await acl('+ft.info');
      await clustered.close();
    }
  });
});
