// deja stats --prometheus prints the counters every process flushed to Redis in the Prometheus text
// format: tenants as digests (by name with --tenant), entries and the store's state. The counters
// are written by an app-like deja on the same Redis Stack (flushed when it closes). The text's
// grammar is tested in core (telemetry/prometheus-text.test.ts); here: what a user sees.
import { createDeja, loadConfig } from '@deja/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisStackUrl } from '../../../test/harness/servers.ts';
import { type RedisTarget, redisTarget } from './support/redis-target.ts';
import { assertBuilt, cliEnv, runCli } from './support/run-cli.ts';

let target: RedisTarget;
const digests: Record<string, string> = {};

beforeAll(async () => {
  assertBuilt();
  target = redisTarget(redisStackUrl(), { queryEngine: true });
  // The app: one entry for acme, two exact hits and a miss; a miss for globex.
  const deja = createDeja({ ...loadConfig(target.env), writeBehind: false, statsFlushMs: 0 });
  expect(await deja.ready()).toBe(true);
  const acme = deja.tenant('acme').responses;
  await acme.store({ key: 'q1' }, 'a1', { model: 'm', usage: { inputTokens: 40, outputTokens: 2 } });
  await acme.find({ key: 'q1' });
  await acme.find({ key: 'q1' });
  await acme.find({ key: 'unknown' });
  await deja.tenant('globex').responses.find({ key: 'q1' });
  digests.acme = deja.tenant('acme').digest;
  digests.globex = deja.tenant('globex').digest;
  await deja.close();
});

afterAll(async () => {
  await target?.cleanup();
});

describe('deja stats --prometheus', () => {
  it('every tenant by digest, with HELP and TYPE lines, entries and the store state', async () => {
    const result = await runCli(['stats', '--prometheus'], { env: cliEnv(target.env) });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toContain(
      '# HELP deja_lookups_total Lookups by outcome: an exact hit, a semantic hit or a miss',
    );
    expect(lines).toContain('# TYPE deja_lookups_total counter');
    expect(lines).toContain(`deja_lookups_total{tenant="${digests.acme}",outcome="exact"} 2`);
    expect(lines).toContain(`deja_lookups_total{tenant="${digests.acme}",outcome="miss"} 1`);
    expect(lines).toContain(`deja_lookups_total{tenant="${digests.globex}",outcome="miss"} 1`);
    expect(lines).toContain(`deja_writes_total{tenant="${digests.acme}"} 1`);
    expect(lines).toContain(`deja_tokens_saved_total{tenant="${digests.acme}"} 84`);
    expect(lines).toContain('# TYPE deja_entries gauge');
    expect(lines).toContain('deja_entries 1');
    expect(lines).toContain('deja_store_connected 1');
    // Ids never reach Redis in clear, so they cannot come out of it; the CLI's own breaker is not the apps'.
    expect(result.stdout).not.toContain('acme');
    expect(result.stdout).not.toContain('deja_breaker_state');
    expect(result.stdout.endsWith('\n')).toBe(true);
  });

  it('--tenant NAME: that tenant only, labelled by its name', async () => {
    const result = await runCli(['stats', '--prometheus', '--tenant', 'acme'], { env: cliEnv(target.env) });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toContain('deja_lookups_total{tenant="acme",outcome="exact"} 2');
    expect(lines).toContain('deja_lookups_total{tenant="acme",outcome="semantic"} 0');
    expect(result.stdout).not.toContain(digests.globex as string);
  });

  it('--json and --prometheus together are a usage error', async () => {
    const result = await runCli(['stats', '--prometheus', '--json'], { env: cliEnv(target.env) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--json and --prometheus are two output formats: pass one');
    expect(result.stdout).toBe('');
  });
});
