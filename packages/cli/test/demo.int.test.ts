// `deja demo`, the README's first command: offline on the memory store it exits 0 and shows
// exact hits, semantic hits and misses with what they saved; with DEJA_REDIS_URL it runs on Redis.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisPlainUrl, redisStackUrl } from '../../../test/harness/servers.ts';
import { dropTestData } from '../../../test/support/redis-cleanup.ts';
import { DEMO_REDIS } from '../src/commands/demo.ts';
import { SAMPLE_ROWS } from '../src/demo/sample-database.ts';
import { DEMO_STEPS } from '../src/demo/script.ts';
import { assertBuilt, type CliResult, cliEnv, runCli } from './support/run-cli.ts';

beforeAll(() => assertBuilt());

const resultsOf = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => /^\s*\d+\s{2}\S/.test(line))
    .map((line) => (/\s(EXACT|SEMANTIC|miss)\s/.exec(line)?.[1] ?? '?').toLowerCase());

const expectDemoStory = (result: CliResult) => {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  // Every scripted call, with the result the script announces.
  expect(resultsOf(result.stdout)).toEqual(DEMO_STEPS.map((step) => step.expected));
  expect(result.stdout).toMatch(/^tenant acme, model mock-mini\n 1 /m);
  expect(result.stdout).toMatch(
    /^ 2\s+How do I reset my password\?\s+EXACT\s+1\.000\s+[\d.]+ ms\s+\d+\s+\$0\.\d{4}\s+asked again$/m,
  );
  expect(result.stdout).toMatch(/^ 3\s+How can I reset my password\?\s+SEMANTIC\s+0\.8\d\d ✓\s/m);
  expect(result.stdout).toMatch(/^ 4\s+How do I reset my username\?\s+miss\s+0\.\d{3} ✗\s+\d{3} ms/m);
  expect(result.stdout).toContain('6 of 13 calls answered from cache (46.2 %): 7 model calls instead of 13.');
  expect(result.stdout).toMatch(/^tenant acme\s+3\s+2\s+6\s+45\.5 %/m);
  expect(result.stdout).toMatch(/^all\s+3\s+3\s+7\s+46\.2 %/m);
  expect(result.stdout).toContain('EXAMPLE prices');
  expect(result.stdout).toContain('LEXICAL');
};

describe.concurrent('deja demo', () => {
  it('runs offline on the memory store: exit 0, hits and misses, savings, a stats table, plain text', async () => {
    const result = await runCli(['demo'], { env: cliEnv() });
    expectDemoStory(result);
    expect(result.stdout).toContain('store     in-process memory, offline');
    // Not a terminal: no colour codes.
    expect(result.stdout.includes('\u001b[')).toBe(false);
  });

  it.each([80, 100])('fits %i columns (COLUMNS), at the width of the output', async (columns) => {
    const result = await runCli(['demo'], { env: cliEnv({ COLUMNS: String(columns) }) });
    expect(result.code).toBe(0);
    expect(resultsOf(result.stdout)).toEqual(DEMO_STEPS.map((step) => step.expected));
    const widest = Math.max(...result.stdout.split('\n').map((line) => [...line].length));
    expect(widest).toBeLessThanOrEqual(columns);
    // At 100 columns nothing is left out; at 80 the tokens and $ saved columns go (the totals stay).
    expect(/^ #\s+question.*\$ saved/m.test(result.stdout)).toBe(columns === 100);
    expect(result.stdout).toContain('tokens saved');
  });

  it('writes a sample SQLite database with --sqlite, and refuses to overwrite one', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'deja-demo-db-'));
    try {
      const file = join(folder, 'demo.db');
      const result = await runCli(['demo', '--sqlite', file], { env: cliEnv() });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('--table faq --id-column id --text-column question');
      const database = new DatabaseSync(file, { readOnly: true });
      expect(database.prepare('SELECT count(*) AS rows FROM faq').get()).toEqual({
        rows: SAMPLE_ROWS.length,
      });
      database.close();
      const again = await runCli(['demo', '--sqlite', file], { env: cliEnv() });
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('exists');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  describe('with DEJA_REDIS_URL', () => {
    const cleanup = (url: string, indexName?: string) =>
      dropTestData(
        url,
        [`${DEMO_REDIS.prefix}*`, `~${DEMO_REDIS.prefix}*`, `${DEMO_REDIS.embeddingKeyPrefix}*`],
        indexName,
      );
    afterAll(async () => {
      await cleanup(redisStackUrl(), DEMO_REDIS.indexName);
      await cleanup(redisPlainUrl());
    });

    it('runs the same story on Redis Stack and on plain Redis', async () => {
      const [stack, plain] = await Promise.all([
        runCli(['demo'], { env: cliEnv({ DEJA_REDIS_URL: redisStackUrl() }) }),
        runCli(['demo', '--redis', redisPlainUrl()], { env: cliEnv() }),
      ]);
      expectDemoStory(stack);
      expect(stack.stdout).toContain(`store     Redis ${redisStackUrl()} (prefix ${DEMO_REDIS.prefix};`);
      expect(stack.stdout).toContain(
        `DEJA_KEY_PREFIX=${DEMO_REDIS.prefix} DEJA_INDEX_NAME=${DEMO_REDIS.indexName} deja stats`,
      );
      expectDemoStory(plain);
    });
  });
});
