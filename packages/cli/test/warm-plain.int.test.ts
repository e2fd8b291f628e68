// deja warm on plain Redis (no Query Engine: client-side KNN). SIGTERM mid-run then resume; a
// crash (SIGKILL) mid-run then resume: nothing lost, at most the batch in flight embedded again.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisPlainUrl } from '../../../test/harness/servers.ts';
import { type RedisTarget, redisTarget, warmSummary } from './support/redis-target.ts';
import { assertBuilt, cliEnv, runCli, startCli } from './support/run-cli.ts';
import { KNOWN_ROWS, warmArticlesArgs, writeArticles } from './support/sqlite-fixture.ts';

const ROWS = 1_000;
const BATCH = 50;
let directory: string;
let database: string;
let target: RedisTarget;

beforeAll(() => {
  assertBuilt();
  directory = mkdtempSync(join(tmpdir(), 'deja-cli-plain-'));
  database = join(directory, 'articles.db');
  writeArticles(database, { rows: ROWS });
  target = redisTarget(redisPlainUrl(), { queryEngine: false });
});

afterAll(async () => {
  await target?.cleanup();
  rmSync(directory, { recursive: true, force: true });
});

const warmArgs = (tenant: string) => warmArticlesArgs(database, tenant, '--rows-per-batch', String(BATCH));
const loggedTexts = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as string);

describe('deja warm on plain Redis', () => {
  it('stops on SIGTERM with exit 143, resumes to 100% without embedding a row twice, and searches', async () => {
    const log = join(directory, 'term.log');
    const first = startCli(warmArgs('acme'), {
      env: cliEnv({ ...target.env, DEJA_EMBEDDER_LOG: log, DEJA_EMBEDDER_DELAY_MS: '30' }),
    });
    await first.waitFor('stderr', /warm: [\d,]+\/1,000 rows/);
    first.child.kill('SIGTERM');
    const stopped = await first.result;
    expect(stopped.code).toBe(143);
    expect(stopped.stdout).toContain('(no Query Engine: client-side KNN)');
    expect(stopped.stdout).toContain('stopped by SIGTERM after saving the batch in flight');
    const partial = warmSummary(stopped.stdout);
    expect(partial.cached).toBeGreaterThan(0);
    expect(partial.cached).toBeLessThan(ROWS);

    const resumed = await runCli(warmArgs('acme'), {
      env: cliEnv({ ...target.env, DEJA_EMBEDDER_LOG: log }),
    });
    expect(resumed.code).toBe(0);
    expect(warmSummary(resumed.stdout)).toEqual({
      processed: ROWS,
      cached: ROWS - partial.cached,
      skipped: partial.cached,
      failed: 0,
      coverage: '1,000 / 1,000 rows (100.0 %)',
    });
    const texts = loggedTexts(log);
    expect(texts).toHaveLength(ROWS);
    expect(new Set(texts).size).toBe(ROWS);

    const search = await runCli(
      [
        'search',
        '--query',
        'bake sourdough bread at home',
        '--tenant',
        'acme',
        '--table',
        'articles',
        '--sqlite',
        database,
        '--id-column',
        'id',
        '--k',
        '2',
        '--json',
      ],
      { env: cliEnv(target.env) },
    );
    expect(search.code).toBe(0);
    const [best] = JSON.parse(search.stdout) as { id: number; row: { title: string } }[];
    expect(best?.id).toBe(KNOWN_ROWS[0].id);
    expect(best?.row.title).toBe(KNOWN_ROWS[0].title);
  });

  it('loses nothing when killed outright: the re-run completes, re-embedding at most the batch in flight', async () => {
    const log = join(directory, 'kill.log');
    const first = startCli(warmArgs('crash'), {
      env: cliEnv({ ...target.env, DEJA_EMBEDDER_LOG: log, DEJA_EMBEDDER_DELAY_MS: '30' }),
    });
    await first.waitFor('stderr', /warm: [\d,]+\/1,000 rows/);
    first.child.kill('SIGKILL');
    expect((await first.result).signal).toBe('SIGKILL');
    const embeddedBeforeCrash = loggedTexts(log).length;
    expect(embeddedBeforeCrash).toBeLessThan(ROWS);

    const resumed = await runCli(warmArgs('crash'), {
      env: cliEnv({ ...target.env, DEJA_EMBEDDER_LOG: log }),
    });
    expect(resumed.code).toBe(0);
    const summary = warmSummary(resumed.stdout);
    expect(summary.coverage).toBe('1,000 / 1,000 rows (100.0 %)');
    expect(summary.skipped).toBeGreaterThanOrEqual(embeddedBeforeCrash - BATCH);
    const texts = loggedTexts(log);
    expect(new Set(texts).size).toBe(ROWS);
    expect(texts.length - ROWS).toBeLessThanOrEqual(BATCH);
  });

  it('abandons the batch in flight on a second Ctrl-C, says so, and the re-run still completes', async () => {
    const first = startCli(warmArgs('abandon'), {
      env: cliEnv({ ...target.env, DEJA_EMBEDDER_DELAY_MS: '400' }),
    });
    await first.waitFor('stderr', /warm: [\d,]+\/1,000 rows/);
    first.child.kill('SIGINT');
    await first.waitFor('stderr', /SIGINT: saving the batch in flight/);
    first.child.kill('SIGINT');
    const abandoned = await first.result;
    expect(abandoned.code).toBe(130);
    expect(abandoned.stdout).toContain('stopped by SIGINT; the batch in flight was abandoned');
    expect(warmSummary(abandoned.stdout).processed).toBeLessThan(ROWS);

    const resumed = await runCli(warmArgs('abandon'), { env: cliEnv(target.env) });
    expect(resumed.code).toBe(0);
    expect(warmSummary(resumed.stdout).coverage).toBe('1,000 / 1,000 rows (100.0 %)');
  });
});
