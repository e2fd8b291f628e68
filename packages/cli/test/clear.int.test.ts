// deja clear removes one tenant (or one user of a tenant) and nothing else; it asks first, and
// without a terminal to ask on it refuses unless --yes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createDeja, lexicalEmbedder } from '@deja/core';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisStackUrl } from '../../../test/harness/servers.ts';
import { runCli as runInProcess } from '../src/cli.ts';
import { type RedisTarget, redisTarget, warmSummary } from './support/redis-target.ts';
import { assertBuilt, cliEnv, runCli } from './support/run-cli.ts';
import { warmArticlesArgs, writeArticles } from './support/sqlite-fixture.ts';

const ROWS = 60;
let directory: string;
let database: string;
let target: RedisTarget;
let sentinel: string;

beforeAll(async () => {
  assertBuilt();
  directory = mkdtempSync(join(tmpdir(), 'deja-cli-clear-'));
  database = join(directory, 'articles.db');
  writeArticles(database, { rows: ROWS });
  target = redisTarget(redisStackUrl(), { queryEngine: true });
  sentinel = `cli-clear-sentinel:${target.indexName}`;
  const client = createClient({ url: target.url });
  await client.connect();
  await client.set(sentinel, 'still here', { EX: 600 });
  client.destroy();
  for (const tenant of ['acme', 'globex']) {
    const warm = await runCli(warmArticlesArgs(database, tenant), { env: cliEnv(target.env) });
    expect(warmSummary(warm.stdout).cached).toBe(ROWS);
  }
});

afterAll(async () => {
  const client = createClient({ url: target.url });
  await client.connect();
  await client.del(sentinel);
  client.destroy();
  await target?.cleanup();
  rmSync(directory, { recursive: true, force: true });
});

const entriesOf = async (tenant: string) => {
  const result = await runCli(['stats', '--tenant', tenant, '--json'], { env: cliEnv(target.env) });
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout).entries as number;
};

describe('deja clear', () => {
  it('refuses without --yes when stdin is not a terminal, and deletes nothing', async () => {
    const result = await runCli(['clear', '--tenant', 'acme'], { env: cliEnv(target.env) });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'deja clear: refusing to delete the entries of tenant "acme" without confirmation: stdin is not a terminal, pass --yes\n',
    );
    expect(await entriesOf('acme')).toBe(ROWS);
  });

  it('on a terminal, asks, and an answer other than yes deletes nothing', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    let stderr = '';
    const io = {
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text) },
      stdin,
      env: target.env,
      cwd: directory,
    };
    const answered = runInProcess(['clear', '--tenant', 'acme'], io);
    stdin.write('n\n');
    expect(await answered).toBe(1);
    expect(stderr).toContain(
      `Delete every cached entry of tenant "acme" (${ROWS} entries) in ${target.url}? [y/N] `,
    );
    expect(stderr).toContain('Nothing deleted.');
    expect(await entriesOf('acme')).toBe(ROWS);
  });

  it('removes one tenant and nothing else: the other tenant, its search, and keys outside deja stay', async () => {
    const result = await runCli(['clear', '--tenant', 'acme', '--yes'], { env: cliEnv(target.env) });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`Deleted ${ROWS} entries of tenant "acme".\n`);
    expect(await entriesOf('acme')).toBe(0);
    expect(await entriesOf('globex')).toBe(ROWS);

    const gone = await runCli(['search', '--query', 'sailboat', '--tenant', 'acme', '--table', 'articles'], {
      env: cliEnv(target.env),
    });
    expect(gone.code).toBe(1);
    const kept = await runCli(
      // --min-similarity 0: this checks that globex's rows are still there, not how alike they are.
      [
        'search',
        '--query',
        'sailboat',
        '--tenant',
        'globex',
        '--table',
        'articles',
        '--k',
        '3',
        '--min-similarity',
        '0',
        '--json',
      ],
      {
        env: cliEnv(target.env),
      },
    );
    expect(JSON.parse(kept.stdout)).toHaveLength(3);

    const client = createClient({ url: target.url });
    await client.connect();
    expect(await client.get(sentinel)).toBe('still here');
    client.destroy();
  });

  it('with --user, removes that user of the tenant only', async () => {
    const deja = createDeja({
      redis: { url: target.url, prefix: target.prefix, indexName: target.indexName },
      embedder: lexicalEmbedder(),
      statsFlushMs: 0,
    });
    const tenant = deja.tenant('initech');
    for (const user of ['u1', 'u2']) {
      for (const question of ['reset password', 'ship to canada']) {
        expect(
          (await tenant.put({ key: question, value: `${user} answer`, text: question, user })).stored,
        ).toBe(true);
      }
    }
    const result = await runCli(['clear', '--tenant', 'initech', '--user', 'u1', '--yes'], {
      env: cliEnv(target.env),
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Deleted 2 entries of user "u1" in tenant "initech".\n');
    expect(await tenant.get('reset password', { user: 'u1' })).toBeUndefined();
    expect((await tenant.get('reset password', { user: 'u2' }))?.value).toBe('u2 answer');
    expect((await tenant.get('ship to canada', { user: 'u2' }))?.value).toBe('u2 answer');
    expect(await entriesOf('globex')).toBe(ROWS);
    await deja.close();
  });

  it('on a terminal, "y" confirms', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    let stdout = '';
    const io = {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: () => true },
      stdin,
      env: target.env,
      cwd: directory,
    };
    const answered = runInProcess(['clear', '--tenant', 'initech'], io);
    stdin.write('y\n');
    expect(await answered).toBe(0);
    expect(stdout).toBe('Deleted 2 entries of tenant "initech".\n');
    expect(await entriesOf('globex')).toBe(ROWS);
  });
});
