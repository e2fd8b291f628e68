import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_VARIABLES, loadConfig, schemaAt } from './config.js';
import { DejaConfigError } from './errors.js';
import { parseOptions } from './options.js';

describe('loadConfig', () => {
  it('reads the seed CACHE_* names, CACHE_DEFAULT_TTL as seconds', () => {
    expect(
      loadConfig({
        CACHE_REDIS_URL: 'redis://localhost:6379',
        CACHE_INDEX_NAME: 'idx',
        CACHE_KEY_PREFIX: 'c:',
        CACHE_EMBEDDING_DIMENSIONS: '384',
        CACHE_DEFAULT_TTL: '600',
        CACHE_ENABLE_EMBEDDINGS: 'false',
        CACHE_MAX_TEXT_LENGTH: '2000',
        CACHE_BATCH_SIZE: '50',
      }),
    ).toEqual({
      redis: { url: 'redis://localhost:6379', indexName: 'idx', prefix: 'c:' },
      dimensions: 384,
      ttlMs: 600_000,
      cacheEmbeddings: false,
      maxTextTokens: 2000,
      embeddingReadBatchSize: 50,
    });
  });

  it('prefers DEJA_* over the seed name; DEJA_*_MS are milliseconds', () => {
    expect(
      loadConfig({ DEJA_TTL_MS: '5000', CACHE_DEFAULT_TTL: '600', DEJA_MIN_SIMILARITY: '0.85' }),
    ).toEqual({
      ttlMs: 5000,
      minSimilarity: 0.85,
    });
  });

  it('coerces every kind of value the schema holds', () => {
    expect(
      loadConfig({
        DEJA_REDIS_URL: ' rediss://cache.example:6380 ',
        DEJA_VECTOR_ALGORITHM: 'HNSW',
        DEJA_MODE: 'exact',
        DEJA_STRICT: 'yes',
        DEJA_CACHE_EMBEDDINGS: 'OFF',
        DEJA_EMBEDDING_TTL_MS: '60000',
        DEJA_STATS_FLUSH_MS: '0',
      }),
    ).toEqual({
      redis: { url: 'rediss://cache.example:6380', algorithm: 'HNSW' },
      mode: 'exact',
      strict: true,
      cacheEmbeddings: false,
      embeddingTtlMs: 60_000,
      statsFlushMs: 0,
    });
  });

  it('reads the semantic, load and write-behind options; DEJA_MAX_ERROR_RATE=false is the static rule', () => {
    expect(
      loadConfig({
        DEJA_MAX_ERROR_RATE: '0.02',
        DEJA_CONFIDENCE: '0.99',
        DEJA_EXPLORATION_RATE: '0',
        DEJA_ACCEPT_SIMILARITY: '0.97',
        DEJA_SEMANTIC_CANDIDATES: '5',
        DEJA_VERIFIER_TIMEOUT_MS: '2500',
        DEJA_LOCAL_EMBEDDINGS: '0',
        DEJA_MAX_IN_FLIGHT: '128',
        DEJA_MAX_QUEUED: '500',
        DEJA_WRITE_BEHIND: 'false',
        DEJA_MAX_PENDING_WRITES: '50',
      }),
    ).toEqual({
      maxErrorRate: 0.02,
      confidence: 0.99,
      explorationRate: 0,
      acceptSimilarity: 0.97,
      semanticCandidates: 5,
      verifierTimeoutMs: 2_500,
      localEmbeddings: 0,
      maxInFlight: 128,
      maxQueued: 500,
      writeBehind: false,
      maxPendingWrites: 50,
    });
    expect(loadConfig({ DEJA_MAX_ERROR_RATE: ' false ' })).toEqual({ maxErrorRate: false });
    expect(() => loadConfig({ DEJA_MAX_ERROR_RATE: '1.5' })).toThrow(/DEJA_MAX_ERROR_RATE.*below 1/);
    expect(() => loadConfig({ DEJA_MAX_ERROR_RATE: 'off' })).toThrow(DejaConfigError);
  });

  it('names the variable and gives the schema’s own message when a value is bad', () => {
    expect(() => loadConfig({ CACHE_BATCH_SIZE: 'ten' })).toThrow(DejaConfigError);
    expect(() => loadConfig({ CACHE_BATCH_SIZE: 'ten' })).toThrow(
      'CACHE_BATCH_SIZE="ten" is invalid: embeddingReadBatchSize must be a whole number from 1 to 10000',
    );
    expect(() => loadConfig({ DEJA_MIN_SIMILARITY: '1.5' })).toThrow(/DEJA_MIN_SIMILARITY.*\[0, 1\]/);
    expect(() => loadConfig({ DEJA_REDIS_URL: 'http://x' })).toThrow(/redis:\/\//);
    expect(() => loadConfig({ CACHE_ENABLE_EMBEDDINGS: 'maybe' })).toThrow(/true or false/);
    expect(() => loadConfig({ DEJA_MODE: 'fuzzy' })).toThrow(
      /DEJA_MODE="fuzzy".*'exact', 'semantic' or 'off'/,
    );
    expect(() => loadConfig({ DEJA_TIMEOUT_MS: ' ' })).toThrow(/DEJA_TIMEOUT_MS=" " is invalid: timeoutMs/);
    expect(() => loadConfig({ DEJA_TIMEOUT_MS: '2.5' })).toThrow(
      /timeoutMs must be a whole number of milliseconds/,
    );
    expect(() => loadConfig({ CACHE_DEFAULT_TTL: '1.5' })).toThrow(
      'CACHE_DEFAULT_TTL="1.5" (seconds) is invalid: expected a whole number of seconds',
    );
    expect(() => loadConfig({ CACHE_INDEX_NAME: 'idx' })).toThrow(/without DEJA_REDIS_URL/);
  });

  it('has the limits of the schema, not limits of its own', () => {
    // The same value is refused by createDeja and by the environment, with the same message.
    const fromSchema = () => parseOptions({ maxTextTokens: 10_000_001 });
    const fromEnv = () => loadConfig({ DEJA_MAX_TEXT_TOKENS: '10000001' });
    expect(fromSchema).toThrow('maxTextTokens must be a whole number from 1 to 10000000');
    expect(fromEnv).toThrow('maxTextTokens must be a whole number from 1 to 10000000');
    expect(loadConfig({ DEJA_MAX_TEXT_TOKENS: '10000000' })).toEqual({ maxTextTokens: 10_000_000 });
    // A seed TTL in seconds is checked against ttlMs's limit after conversion: ten years passes.
    expect(loadConfig({ CACHE_DEFAULT_TTL: String(3_650 * 86_400) })).toEqual({ ttlMs: 3_650 * 86_400_000 });
    expect(() => loadConfig({ CACHE_DEFAULT_TTL: String(3_650 * 86_400 + 1) })).toThrow(/ttlMs must be/);
  });

  it('maps every variable onto a real option path, each name once', () => {
    for (const variable of ENVIRONMENT_VARIABLES) expect(() => schemaAt(variable.path)).not.toThrow();
    const names = ENVIRONMENT_VARIABLES.flatMap((variable) => [variable.name, variable.seed ?? []]).flat();
    expect(new Set(names).size).toBe(names.length);
    expect(() => schemaAt('nope')).toThrow(/no option nope/);
  });

  it('refuses a renamed DEJA_* variable, naming its replacement', () => {
    expect(() => loadConfig({ DEJA_TTL: '3600' })).toThrow(/DEJA_TTL was renamed DEJA_TTL_MS/);
    expect(() => loadConfig({ DEJA_BATCH_SIZE: '10' })).toThrow(/DEJA_EMBEDDING_READ_BATCH_SIZE/);
  });

  it('returns nothing for an empty environment', () => {
    expect(loadConfig({})).toEqual({});
  });
});
