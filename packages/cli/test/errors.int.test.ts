// Mistakes get one clear line on stderr, a non-zero exit code, and write nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../test/harness/redis-server.ts';
import { redisStackUrl } from '../../../test/harness/servers.ts';
import { type RedisTarget, redisTarget } from './support/redis-target.ts';
import { assertBuilt, cliEnv, runCli } from './support/run-cli.ts';
import { writeArticles, writeEmptyTable } from './support/sqlite-fixture.ts';

let directory: string;
let database: string;
let empty: string;
let target: RedisTarget;
let unreachable: string;

beforeAll(async () => {
  assertBuilt();
  directory = mkdtempSync(join(tmpdir(), 'deja-cli-errors-'));
  database = join(directory, 'articles.db');
  empty = join(directory, 'empty.db');
  writeArticles(database, { rows: 20 });
  writeEmptyTable(empty);
  target = redisTarget(redisStackUrl(), { queryEngine: true });
  // A port nobody listens on.
  unreachable = `redis://127.0.0.1:${await freePort()}`;
});

afterAll(async () => {
  await target?.cleanup();
  rmSync(directory, { recursive: true, force: true });
});

const warm = (overrides: Record<string, string>, extra: string[] = []) => {
  const flags = {
    sqlite: database,
    table: 'articles',
    'id-column': 'id',
    'text-column': 'body',
    tenant: 'acme',
    ...overrides,
  };
  return ['warm', ...Object.entries(flags).flatMap(([name, value]) => [`--${name}`, value]), ...extra];
};

/** Runs deja and checks the failure shape: exit code, exactly one line on stderr, nothing on stdout. */
const failure = async (args: string[], env: Record<string, string> = target.env) => {
  const result = await runCli(args, { env: cliEnv(env), cwd: directory });
  expect(result.stdout).toBe('');
  expect(result.stderr.endsWith('\n')).toBe(true);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  return { code: result.code, line: result.stderr.trimEnd() };
};

describe('friendly errors', () => {
  it('a missing table names the tables there are', async () => {
    expect(await failure(warm({ table: 'article' }))).toEqual({
      code: 1,
      line: 'deja warm: table "article" not found in articles.db (tables: articles)',
    });
  });

  it('a missing column names the columns there are', async () => {
    expect(await failure(warm({ 'text-column': 'content' }))).toEqual({
      code: 1,
      line: 'deja warm: column "content" (--text-column) not found in table "articles" (columns: id, title, body, category)',
    });
    expect((await failure(warm({ 'id-column': 'uuid' }))).line).toContain(
      'column "uuid" (--id-column) not found',
    );
  });

  it('an empty table, or a --where that selects nothing, is nothing to warm', async () => {
    expect(await failure(warm({ sqlite: empty }))).toEqual({
      code: 1,
      line: 'deja warm: table "articles" has no rows: nothing to warm',
    });
    expect((await failure(warm({ where: 'id > 1000' }))).line).toBe(
      'deja warm: no rows of "articles" match --where "id > 1000": nothing to warm',
    );
    expect((await failure(warm({ where: 'no_such_column = 1' }))).line).toMatch(
      /^deja warm: --where .* is not valid here: no such column/,
    );
  });

  it('a missing SQLite file says where it looked', async () => {
    expect((await failure(warm({ sqlite: 'missing.db' }))).line).toBe(
      `deja warm: no SQLite file at ${join(directory, 'missing.db')}`,
    );
  });

  it('an unreachable Redis is one line for every command that needs Redis', async () => {
    const env = { ...target.env, DEJA_REDIS_URL: unreachable };
    const expected = `cannot reach Redis at ${unreachable}: connect ECONNREFUSED 127.0.0.1:${new URL(unreachable).port}`;
    const commands = [
      warm({}),
      ['search', '--query', 'x', '--tenant', 'a', '--table', 'articles'],
      ['stats'],
      ['clear', '--tenant', 'a', '--yes'],
      ['demo'],
    ];
    const results = await Promise.all(commands.map((args) => failure(args, env)));
    expect(results).toEqual(commands.map(([name]) => ({ code: 1, line: `deja ${name}: ${expected}` })));
  });

  it('no Redis configured: says how to configure one', async () => {
    const { code, line } = await failure(warm({}), {});
    expect(code).toBe(1);
    expect(line).toBe(
      'deja warm needs Redis: set DEJA_REDIS_URL or pass --redis redis://host:6379 (the in-process memory store would forget everything when the command exits)',
    );
  });

  it('bad flags are usage errors (exit 2)', async () => {
    expect(await failure(warm({}, ['--rows-per-batch', 'many']))).toEqual({
      code: 2,
      line: 'deja warm: --rows-per-batch must be a whole number from 1 to 10000, got "many"',
    });
    expect(await failure(['warm', '--sqlite', database])).toEqual({
      code: 2,
      line: 'deja warm: --table T is required (see deja warm --help)',
    });
    expect((await failure(warm({}, ['--text', 'body']))).code).toBe(2);
    expect(
      (await failure(['search', '--query', 'x', '--tenant', 'a', '--table', 't', '--k', '0'])).code,
    ).toBe(2);
    expect((await failure(['tune', '--pairs', 'p.json', '--target-precision', '2'])).code).toBe(2);
  });

  it('another embedder dimension than the index has is a clear error, before anything is written', async () => {
    const first = await runCli(warm({ limit: '5' }), { env: cliEnv(target.env), cwd: directory });
    expect(first.code).toBe(0);
    const { code, line } = await failure(warm({ tenant: 'other' }), {
      ...target.env,
      DEJA_EMBEDDING_DIMENSIONS: '64',
    });
    expect(code).toBe(1);
    expect(line).toMatch(
      /^deja warm: Index "idx-.*" exists with another schema: vector dimensions is 256, expected 64\./,
    );
  });

  it('wrote nothing for any of the failures above', async () => {
    const client = createClient({ url: target.url });
    await client.connect();
    try {
      const keys: string[] = [];
      for await (const batch of client.scanIterator({ MATCH: `${target.prefix}*`, COUNT: 1000 }))
        keys.push(...batch);
      // Only the five rows of the one warm that succeeded.
      expect(keys).toHaveLength(5);
    } finally {
      client.destroy();
    }
  });
});
