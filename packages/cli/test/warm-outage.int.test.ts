// Redis stops answering in the middle of a warm: the command stops with one line and a summary of
// what was saved, exit 1; once Redis is back, the same command finishes the job.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRedis, startRedisServer } from '../../../test/harness/redis-server.ts';
import { warmSummary } from './support/redis-target.ts';
import { assertBuilt, cliEnv, runCli, startCli } from './support/run-cli.ts';
import { warmArticlesArgs, writeArticles } from './support/sqlite-fixture.ts';

const ROWS = 1_000;
const BATCH = 100;
let directory: string;
let database: string;
let server: RunningRedis;

beforeAll(async () => {
  assertBuilt();
  directory = mkdtempSync(join(tmpdir(), 'deja-cli-outage-'));
  database = join(directory, 'articles.db');
  writeArticles(database, { rows: ROWS });
  // Its own server: this test freezes it.
  server = await startRedisServer({ kind: 'stack' });
});

afterAll(async () => {
  await server?.stop(true);
  rmSync(directory, { recursive: true, force: true });
});

describe('deja warm when Redis stops answering', () => {
  it('stops with one line and what was saved; the re-run completes', async () => {
    const log = join(directory, 'embedded.log');
    const env = { DEJA_REDIS_URL: server.url, DEJA_TIMEOUT_MS: '2000', DEJA_EMBEDDER_LOG: log };
    const args = warmArticlesArgs(database, 'acme', '--rows-per-batch', String(BATCH));
    const first = startCli(args, { env: cliEnv({ ...env, DEJA_EMBEDDER_DELAY_MS: '50' }) });
    await first.waitFor('stderr', /warm: [\d,]+\/1,000 rows/);
    server.freeze();
    let failed: Awaited<typeof first.result>;
    try {
      failed = await first.result;
    } finally {
      server.thaw();
    }
    expect(failed.code).toBe(1);
    const errorLines = failed.stderr.split('\n').filter((line) => line.startsWith('deja warm:'));
    expect(errorLines).toEqual([
      expect.stringMatching(/^deja warm: Redis trouble: \w+ took longer than 2000 ms$/),
    ]);
    expect(failed.stdout).toContain('stopped by an error (below). Everything written so far is kept');
    const saved = warmSummary(failed.stdout).cached;
    expect(saved).toBeGreaterThan(0);
    expect(saved).toBeLessThan(ROWS);

    const resumed = await runCli(args, { env: cliEnv(env) });
    expect(resumed.code).toBe(0);
    const summary = warmSummary(resumed.stdout);
    expect(summary.coverage).toBe('1,000 / 1,000 rows (100.0 %)');
    expect(summary.skipped).toBeGreaterThanOrEqual(saved);
    const texts = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    expect(new Set(texts).size).toBe(ROWS);
    // Only the batch that was in flight when Redis froze can have been embedded twice.
    expect(texts.length - ROWS).toBeLessThanOrEqual(BATCH);
  });
});
