// deja stats names tenants whose apps opted in to storeTenantLabels, and only those: a tenant
// whose app did not opt in stays a digest (its id never reached Redis).
import { createDeja, loadConfig } from '@deja/core';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisPlainUrl } from '../../../test/harness/servers.ts';
import { type RedisTarget, redisTarget } from './support/redis-target.ts';
import { assertBuilt, cliEnv, runCli } from './support/run-cli.ts';

let target: RedisTarget;
const digests: Record<string, string> = {};

beforeAll(async () => {
  assertBuilt();
  target = redisTarget(redisPlainUrl(), { queryEngine: false });
  for (const [tenant, storeTenantLabels] of [
    ['acme labelled', true],
    ['globex private', false],
  ] as const) {
    const deja = createDeja({ ...loadConfig(target.env), storeTenantLabels, writeBehind: false });
    expect(await deja.ready()).toBe(true);
    await deja.tenant(tenant).responses.store({ key: 'q' }, 'a');
    await deja.tenant(tenant).responses.find({ key: 'q' });
    digests[tenant] = deja.tenant(tenant).digest;
    await deja.close();
  }
});

afterAll(async () => {
  await target?.cleanup();
});

describe('deja stats with stored tenant labels', () => {
  it('names the tenant whose app stored its label; the other stays a digest', async () => {
    const json = await runCli(['stats', '--json'], { env: cliEnv(target.env) });
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.labels).toEqual({ [digests['acme labelled'] as string]: 'acme labelled' });
    expect(Object.keys(parsed.tenants).sort()).toEqual(Object.values(digests).sort());

    const table = await runCli(['stats'], { env: cliEnv(target.env) });
    expect(table.stdout).toMatch(/^acme labelled\s+1\s/m);
    expect(table.stdout).toContain(`${digests['globex private']?.slice(0, 12)}…`);
    expect(table.stdout).not.toContain('globex');

    const prometheus = await runCli(['stats', '--prometheus'], { env: cliEnv(target.env) });
    expect(prometheus.stdout).toContain('deja_lookups_total{tenant="acme labelled",outcome="exact"} 1');
    expect(prometheus.stdout).not.toContain('globex');
  });

  it('the id of a tenant whose app did not opt in is nowhere in Redis', async () => {
    const client = createClient({ url: target.url });
    await client.connect();
    try {
      const keys: string[] = [];
      for await (const batch of client.scanIterator({ MATCH: `*${target.prefix}*`, COUNT: 1000 }))
        keys.push(...batch);
      const values = await Promise.all(
        keys.map(async (key) => ((await client.type(key)) === 'string' ? client.get(key) : '')),
      );
      expect(values.some((value) => value?.includes('acme labelled'))).toBe(true);
      expect(values.some((value) => value?.includes('globex'))).toBe(false);
      expect(keys.some((key) => key.includes('globex'))).toBe(false);
    } finally {
      client.destroy();
    }
  });
});
