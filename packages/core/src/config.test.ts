import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { DejaConfigError } from './errors.js';

describe('loadConfig', () => {
  it('reads the seed CACHE_* names', () => {
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

  it('prefers DEJA_* over the seed name', () => {
    expect(
      loadConfig({ DEJA_TTL_MS: '5000', CACHE_DEFAULT_TTL: '600', DEJA_MIN_SIMILARITY: '0.85' }),
    ).toEqual({
      ttlMs: 5000,
      minSimilarity: 0.85,
    });
  });

  it('names the variable and what is allowed when a value is bad', () => {
    expect(() => loadConfig({ CACHE_BATCH_SIZE: 'ten' })).toThrow(DejaConfigError);
    expect(() => loadConfig({ CACHE_BATCH_SIZE: 'ten' })).toThrow(
      /CACHE_BATCH_SIZE="ten" is invalid: expected a whole number from 1 to 10000/,
    );
    expect(() => loadConfig({ DEJA_MIN_SIMILARITY: '1.5' })).toThrow(/DEJA_MIN_SIMILARITY.*from 0 to 1/);
    expect(() => loadConfig({ DEJA_REDIS_URL: 'http://x' })).toThrow(/redis:\/\//);
    expect(() => loadConfig({ CACHE_ENABLE_EMBEDDINGS: 'maybe' })).toThrow(/true or false/);
    expect(() => loadConfig({ CACHE_INDEX_NAME: 'idx' })).toThrow(/without DEJA_REDIS_URL/);
  });

  it('refuses a renamed DEJA_* variable, naming its replacement', () => {
    expect(() => loadConfig({ DEJA_TTL: '3600' })).toThrow(/DEJA_TTL was renamed DEJA_TTL_MS/);
    expect(() => loadConfig({ DEJA_BATCH_SIZE: '10' })).toThrow(/DEJA_EMBEDDING_READ_BATCH_SIZE/);
  });

  it('returns nothing for an empty environment', () => {
    expect(loadConfig({})).toEqual({});
  });
});
