// `deja demo`, the README's first command: offline on the memory store it exits 0 and shows
// exact hits, semantic hits and misses with what they saved; with DEJA_REDIS_URL it runs on Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisPlainUrl, redisStackUrl } from '../../../test/harness/servers.ts';
import { dropTestData } from '../../../test/support/redis-cleanup.ts';
import { DEMO_REDIS } from '../src/commands/demo.ts';
import { DEMO_STEPS } from '../src/demo/script.ts';
import { assertBuilt, type CliResult, cliEnv, runCli } from './support/run-cli.ts';

beforeAll(() => assertBuilt());

const resultsOf = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => /^\s*\d+\s{2}(acme|globex)\s/.test(line))
    .map((line) => (/\s(EXACT|SEMANTIC|miss)\s/.exec(line)?.[1] ?? '?').toLowerCase());

const expectDemoStory = (result: CliResult) => {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  // Every scripted call, with the result the script announces.
  expect(resultsOf(result.stdout)).toEqual(DEMO_STEPS.map((step) => step.expected));
  expect(result.stdout).toMatch(
    /^ 2\s+acme\s+mock-mini\s+How do I reset my password\?\s+EXACT\s+1\.000\s+[\d.]+ ms\s+\d+\s+\$0\.\d+\s+asked again$/m,
  );
  expect(result.stdout).toMatch(
    /^ 3\s+acme\s+mock-mini\s+How can I reset my password\?\s+SEMANTIC\s+0\.8\d\d\s/m,
  );
  expect(result.stdout).toMatch(
    /^ 4\s+acme\s+mock-mini\s+How do I reset my username\?\s+miss\s+0\.\d{3} < 0\.80\s+\d{3} ms/m,
  );
  expect(result.stdout).toContain('6 of 13 calls answered from cache (46%): 7 model calls instead of 13.');
  expect(result.stdout).toMatch(/^tenant acme\s+3\s+2\s+6\s+45%/m);
  expect(result.stdout).toMatch(/^all\s+3\s+3\s+7\s+46%/m);
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
      expect(stack.stdout).toContain(
        `store     Redis ${redisStackUrl()} (prefix ${DEMO_REDIS.prefix}; demo tenants cleared first)`,
      );
      expectDemoStory(plain);
    });
  });
});
