// deja warm on Redis Stack, as a user runs it: 3,000 rows, interrupted by Ctrl-C (SIGINT) partway,
// run again: 100% coverage and no row embedded twice. Then search, stats and --where/--limit.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisStackUrl } from '../../../test/harness/servers.ts';
import { type RedisTarget, redisTarget, warmSummary } from './support/redis-target.ts';
import { assertBuilt, cliEnv, runCli, startCli } from './support/run-cli.ts';
import { KNOWN_ROWS, warmArticlesArgs, writeArticles } from './support/sqlite-fixture.ts';

const ROWS = 3_000;
let directory: string;
let database: string;
let target: RedisTarget;

beforeAll(() => {
  assertBuilt();
  directory = mkdtempSync(join(tmpdir(), 'deja-cli-warm-'));
  database = join(directory, 'articles.db');
  writeArticles(database, { rows: ROWS });
  target = redisTarget(redisStackUrl(), { queryEngine: true });
});

afterAll(async () => {
  await target?.cleanup();
  rmSync(directory, { recursive: true, force: true });
});

const warmArgs = (tenant: string, ...extra: string[]) => warmArticlesArgs(database, tenant, ...extra);

const loggedTexts = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as string);

describe('deja warm on Redis Stack', () => {
  it('resumes after Ctrl-C: 100% coverage, every row embedded exactly once', async () => {
    const log = join(directory, 'embedded.log');
    const slow = cliEnv({ ...target.env, DEJA_EMBEDDER_LOG: log, DEJA_EMBEDDER_DELAY_MS: '40' });
    const first = startCli(warmArgs('acme', '--rows-per-batch', '100'), { env: slow });
    // The first progress line (10%) says it is under way; then Ctrl-C.
    await first.waitFor('stderr', /warm: [\d,]+\/3,000 rows/);
    first.child.kill('SIGINT');
    const interrupted = await first.result;
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toContain('SIGINT: saving the batch in flight, then stopping');
    expect(interrupted.stdout).toContain('stopped by SIGINT after saving the batch in flight');
    const partial = warmSummary(interrupted.stdout);
    expect(partial.processed).toBeGreaterThan(0);
    expect(partial.processed).toBeLessThan(ROWS);
    expect(partial.cached).toBe(partial.processed);
    expect(partial.coverage).toMatch(/^at least [\d,]+ \/ 3,000 rows/);
    // What was embedded was written: the log holds exactly the rows counted as cached.
    expect(loggedTexts(log)).toHaveLength(partial.cached);

    const resumed = await runCli(warmArgs('acme', '--rows-per-batch', '100'), {
      env: cliEnv({ ...target.env, DEJA_EMBEDDER_LOG: log }),
    });
    expect(resumed.stderr).not.toContain('deja warm:');
    expect(resumed.code).toBe(0);
    const rest = warmSummary(resumed.stdout);
    expect(rest).toEqual({
      processed: ROWS,
      cached: ROWS - partial.cached,
      skipped: partial.cached,
      failed: 0,
      coverage: '3,000 / 3,000 rows (100.0 %)',
    });
    expect(resumed.stdout).toMatch(/^Redis memory {2}[\d.]+ [KMG]B used$/m);

    const texts = loggedTexts(log);
    expect(texts).toHaveLength(ROWS);
    expect(new Set(texts).size).toBe(ROWS);
    expect(texts).toContain(KNOWN_ROWS[0].body);

    // A third run has nothing left to do.
    const again = await runCli(warmArgs('acme'), { env: cliEnv({ ...target.env, DEJA_EMBEDDER_LOG: log }) });
    expect(warmSummary(again.stdout)).toMatchObject({ processed: ROWS, cached: 0, skipped: ROWS });
    expect(loggedTexts(log)).toHaveLength(ROWS);
  });

  it('search finds the rows by their words and fetches them whole from SQLite', async () => {
    for (const row of KNOWN_ROWS) {
      const query = row.body.split(' ').slice(2, 7).join(' ');
      const result = await runCli(
        [
          'search',
          '--min-similarity',
          '0',
          '--query',
          query,
          '--tenant',
          'acme',
          '--table',
          'articles',
          '--sqlite',
          database,
          '--id-column',
          'id',
          '--k',
          '3',
          '--json',
        ],
        { env: cliEnv(target.env) },
      );
      expect(result.stderr).toBe('');
      const matches = JSON.parse(result.stdout) as {
        id: number;
        similarity: number;
        row: { title: string; body: string };
      }[];
      expect(matches).toHaveLength(3);
      expect(matches[0]?.id).toBe(row.id);
      expect(matches[0]?.row).toMatchObject({
        id: row.id,
        title: row.title,
        body: row.body,
        category: row.id % 2 ? 'odd' : 'even',
      });
      expect(matches[0]?.similarity).toBeGreaterThan(matches[1]?.similarity as number);
    }
    const table = await runCli(
      [
        'search',
        '--min-similarity',
        '0',
        '--query',
        'harvesting honey from beehives',
        '--tenant',
        'acme',
        '--table',
        'articles',
        '--sqlite',
        database,
        '--id-column',
        'id',
      ],
      { env: cliEnv(target.env) },
    );
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[2]).toMatch(/^similarity\s+id\s+title\s+body\s+category$/);
    expect(lines[4]).toMatch(/^\s+0\.\d{3}\s+303\s+Beekeeping\s+Harvesting honey/);
    expect(lines).toHaveLength(4 + 5);
  });

  it('search without --sqlite shows ids and the cached texts', async () => {
    const result = await runCli(
      ['search', '--query', 'reading tide tables', '--tenant', 'acme', '--table', 'ARTICLES', '--k', '1'],
      {
        env: cliEnv(target.env),
      },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\s+0\.\d{3}\s+202\s+Reading tide tables before kayaking/m);
  });

  it('search in a tenant that warmed nothing says so', async () => {
    const result = await runCli(['search', '--query', 'honey', '--tenant', 'nobody', '--table', 'articles'], {
      env: cliEnv(target.env),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'deja search: no cached rows of table "articles" for tenant "nobody" at similarity >= 0.5 (--min-similarity 0 shows the nearest whatever their similarity; or run deja warm first)\n',
    );
  });

  it('stats counts the tenant entries and the writes of the warm', async () => {
    const result = await runCli(['stats', '--tenant', 'acme', '--json'], { env: cliEnv(target.env) });
    expect(result.code).toBe(0);
    const stats = JSON.parse(result.stdout);
    expect(stats.queryEngine).toBe(true);
    expect(stats.index).toMatchObject({ name: target.indexName, state: 'ready' });
    expect(stats.entries).toBe(ROWS);
    expect(stats.tenants.acme.writes).toBe(ROWS);
    expect(stats.memoryBytes).toBeGreaterThan(0);
    const text = await runCli(['stats'], { env: cliEnv(target.env) });
    expect(text.stdout).toContain('(Query Engine; index');
    expect(text.stdout).toMatch(/^entries {2}3,000$/m);
  });

  it('warms only the rows --where and --limit select, and counts coverage over them', async () => {
    const result = await runCli(warmArgs('even-only', '--where', "category = 'even'", '--limit', '200'), {
      env: cliEnv(target.env),
    });
    expect(result.code).toBe(0);
    expect(warmSummary(result.stdout)).toEqual({
      processed: 200,
      cached: 200,
      skipped: 0,
      failed: 0,
      coverage: '200 / 200 rows (100.0 %)',
    });
    const search = await runCli(
      [
        'search',
        '--min-similarity',
        '0',
        '--query',
        'entry number 7',
        '--tenant',
        'even-only',
        '--table',
        'articles',
        '--k',
        '200',
        '--json',
      ],
      {
        env: cliEnv(target.env),
      },
    );
    const ids = (JSON.parse(search.stdout) as { id: number }[]).map((match) => match.id);
    expect(ids).toHaveLength(200);
    expect(ids.every((id) => id % 2 === 0 && id <= 400)).toBe(true);
  });
});
