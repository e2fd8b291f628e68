// deja demo: the first thing a new user runs. A scripted support chat against a mock LLM shows,
// call by call, what deja answers from cache, how fast, and what that saves.
import { resolve } from 'node:path';
import { countTokens, createDeja, type Deja, lexicalEmbedder } from '@deja/core';
import { defineCommand } from '../command.js';
import { callLayout, footer, intro, legend, outcome, statsTable } from '../demo/demo-report.js';
import { mockJudge } from '../demo/mock-judge.js';
import { mockChatModel } from '../demo/mock-model.js';
import { runDemo } from '../demo/run-demo.js';
import { sampleDatabaseNextSteps, writeSampleDatabase } from '../demo/sample-database.js';
import { DEMO_MIN_SIMILARITY, DEMO_PRICES, DEMO_STEPS } from '../demo/script.js';
import { EXIT_CODES } from '../errors.js';
import { styleFor } from '../format/style.js';
import { terminalWidth } from '../format/terminal-width.js';
import { openRedisSession, redisConfig } from '../redis/redis-session.js';

/** The demo keeps to its own keys and index on a shared Redis, and clears only its own tenants. */
export const DEMO_REDIS = {
  prefix: 'deja-demo:',
  indexName: 'deja-demo-idx',
  embeddingKeyPrefix: 'deja-demo-embedding:',
} as const;
const DEMO_TTL_MS = 3_600_000;

const flags = {
  redis: {
    type: 'string',
    value: 'URL',
    description: 'run on this Redis instead of in memory (default: DEJA_REDIS_URL if set)',
  },
  sqlite: {
    type: 'string',
    value: 'FILE',
    description: 'instead of the demo, write a sample SQLite database (a support FAQ) to try warm and search',
  },
} as const;

export const demoCommand = defineCommand({
  name: 'demo',
  summary: 'a scripted chat against a mock LLM: exact hits, semantic hits, misses, time and money saved',
  details:
    `Offline by default (in-process memory store, no API key). With DEJA_REDIS_URL or --redis it runs on Redis,\n` +
    `under its own prefix ${DEMO_REDIS.prefix} and index ${DEMO_REDIS.indexName}, and first clears its demo tenants there.`,
  flags,
  async run(values, io) {
    if (values.sqlite !== undefined) {
      writeSampleDatabase(resolve(io.cwd, values.sqlite));
      io.stdout.write(sampleDatabaseNextSteps(values.sqlite));
      return EXIT_CODES.ok;
    }
    const embedder = lexicalEmbedder();
    // deja's default rule serves no semantic hit on similarity alone until it has evidence: the
    // demo gives it a judge, as an app gives it a small model (aiSdkVerifier / langchainVerifier).
    const judge = mockJudge();
    const prices = DEMO_PRICES;
    const onRedis = values.redis !== undefined || Boolean(io.env.DEJA_REDIS_URL || io.env.CACHE_REDIS_URL);
    let deja: Deja;
    let close: () => Promise<void>;
    let storeLabel: string;
    if (onRedis) {
      const config = redisConfig('demo', values.redis, io.env);
      const { prefix, indexName } = DEMO_REDIS;
      config.options = {
        ...config.options,
        redis: { ...config.options.redis, url: config.url, prefix, indexName },
      };
      const session = await openRedisSession(config, {
        embedder,
        overrides: {
          mode: 'semantic',
          minSimilarity: DEMO_MIN_SIMILARITY,
          verifier: judge,
          prices,
          ttlMs: DEMO_TTL_MS,
          cacheEmbeddings: true,
          embeddingKeyPrefix: DEMO_REDIS.embeddingKeyPrefix,
          embeddingTtlMs: DEMO_TTL_MS,
        },
      });
      ({ deja, close } = session);
      storeLabel = `Redis ${session.label} (prefix ${DEMO_REDIS.prefix}; demo tenants cleared first)`;
    } else {
      deja = createDeja({
        embedder,
        minSimilarity: DEMO_MIN_SIMILARITY,
        verifier: judge,
        prices,
        statsFlushMs: 0,
      });
      close = () => deja.close();
      storeLabel = 'in-process memory, offline (DEJA_REDIS_URL or --redis URL run it on Redis)';
    }
    const style = styleFor(io.stdout, io.env);
    const width = terminalWidth(io.stdout, io.env);
    // Loads the tokenizer now, so its start-up is not timed as part of the first call.
    countTokens('deja');
    try {
      // A re-run on Redis tells the same story: the previous run's answers are gone.
      if (onRedis)
        for (const tenant of new Set(DEMO_STEPS.map((step) => step.tenant)))
          await deja.tenant(tenant).clear();
      io.stdout.write(`${intro(storeLabel, embedder.modelId, style, width)}\n\n`);
      const layout = callLayout(width);
      io.stdout.write(`${layout.header}\n${layout.rule}\n`);
      const calls = await runDemo({
        deja,
        model: mockChatModel(),
        judge,
        onCall: (call) => io.stdout.write(`${layout.row(call, style)}\n`),
      });
      const verification = deja.stats().verification;
      io.stdout.write(
        `${legend(width, style)}\n\n` +
          `${outcome(calls, style, width, { calls: verification.verifications, ms: verification.verifierMs })}\n\n` +
          `${statsTable(deja)}\n\n${footer(width, onRedis ? DEMO_REDIS : undefined)}\n`,
      );
      return EXIT_CODES.ok;
    } finally {
      await close();
    }
  },
});
