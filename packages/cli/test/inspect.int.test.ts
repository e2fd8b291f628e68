// deja inspect lists a tenant's entries page by page (every entry once, none of another tenant),
// shows one in full and deletes one by its id, on Redis Stack and on plain Redis.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisPlainUrl, redisStackUrl } from '../../../test/harness/servers.ts';
import { type RedisTarget, redisTarget, warmSummary } from './support/redis-target.ts';
import { assertBuilt, cliEnv, runCli } from './support/run-cli.ts';
import { warmArticlesArgs, writeArticles } from './support/sqlite-fixture.ts';

const ROWS = 30;
const ID_LINE = /^([0-9a-f]{64})\s/gm;

describe.each([
  ['redis-stack', redisStackUrl, true],
  ['redis-plain', redisPlainUrl, false],
] as const)('deja inspect on %s', (_kind, url, queryEngine) => {
  let directory: string;
  let target: RedisTarget;
  const inspect = (...args: string[]) => runCli(['inspect', ...args], { env: cliEnv(target.env) });

  beforeAll(async () => {
    assertBuilt();
    directory = mkdtempSync(join(tmpdir(), 'deja-cli-inspect-'));
    const database = join(directory, 'articles.db');
    writeArticles(database, { rows: ROWS });
    target = redisTarget(url(), { queryEngine });
    for (const [tenant, extra] of [
      ['acme', []],
      ['globex', ['--limit', '3']],
    ] as const) {
      const warm = await runCli(warmArticlesArgs(database, tenant, ...extra), { env: cliEnv(target.env) });
      expect(warm.code).toBe(0);
      expect(warmSummary(warm.stdout).cached).toBe(tenant === 'acme' ? ROWS : 3);
    }
  }, 120_000);

  afterAll(async () => {
    await target?.cleanup();
    rmSync(directory, { recursive: true, force: true });
  });

  it('lists every entry of the tenant once, page by page, with the command for the next page', async () => {
    const ids = new Set<string>();
    let args = ['--tenant', 'acme', '--limit', '8'];
    for (let page = 0; page < 40; page++) {
      const result = await inspect(...args);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      for (const [, id] of result.stdout.matchAll(ID_LINE)) ids.add(id as string);
      const more = /^More: deja inspect --tenant acme --cursor ([A-Za-z0-9_-]+)$/m.exec(result.stdout);
      if (!more) break;
      args = ['--tenant', 'acme', '--cursor', more[1] as string];
    }
    expect(ids.size).toBe(ROWS);
    const json = JSON.parse((await inspect('--tenant', 'globex', '--json', '--limit', '1000')).stdout);
    expect(json.cursor).toBeUndefined();
    expect(json.entries).toHaveLength(3);
    for (const entry of json.entries) {
      expect(entry).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{64}$/),
        text: expect.any(String),
        createdAt: expect.any(Number),
        ageMs: expect.any(Number),
      });
    }
  });

  it('shows one entry in full, deletes it, and then finds it no more', async () => {
    const listed = JSON.parse((await inspect('--tenant', 'globex', '--json')).stdout);
    const { id, text } = listed.entries[0] as { id: string; text: string };
    const shown = await inspect('--tenant', 'globex', '--show', id);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`id        ${id}\n`);
    expect(shown.stdout).toContain(`text      ${text}\n`);
    expect(shown.stdout).toMatch(/^value\n/m);
    const deleted = await inspect('--tenant', 'globex', '--delete', id);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toBe(`Deleted entry ${id} of tenant "globex".\n`);
    expect((await inspect('--tenant', 'globex', '--show', id)).code).toBe(1);
    expect((await inspect('--tenant', 'globex', '--delete', id)).code).toBe(1);
    const after = JSON.parse((await inspect('--tenant', 'globex', '--json')).stdout);
    expect(after.entries.map((entry: { id: string }) => entry.id)).not.toContain(id);
    expect(after.entries).toHaveLength(2);
    // Ids are per tenant (the same row warmed in acme has the same id there): acme keeps its own.
    const inAcme = await inspect('--tenant', 'acme', '--show', id);
    expect(inAcme.code).toBe(0);
    expect(inAcme.stdout).toContain(`id        ${id}\n`);
    const missing = await inspect('--tenant', 'globex', '--show', id);
    expect(missing.stderr).toBe(`deja inspect: no entry ${id} in tenant "globex"\n`);
  });

  it('says what is wrong with a bad id, cursor or flag combination', async () => {
    const both = await inspect('--tenant', 'acme', '--show', 'a'.repeat(64), '--delete', 'a'.repeat(64));
    expect(both.code).toBe(2);
    expect(both.stderr).toBe('deja inspect: --show and --delete are two actions: pass one\n');
    const badId = await inspect('--tenant', 'acme', '--show', 'doc:42');
    expect(badId.code).toBe(1);
    expect(badId.stderr).toBe('deja inspect: An entry id is the 64-character hex id list() gives\n');
    const badCursor = await inspect('--tenant', 'acme', '--cursor', 'not a cursor');
    expect(badCursor.code).toBe(1);
    expect(badCursor.stderr).toBe('deja inspect: cursor must be the cursor of a previous list() page\n');
    const badLimit = await inspect('--tenant', 'acme', '--limit', '0');
    expect(badLimit.code).toBe(2);
  });
});
