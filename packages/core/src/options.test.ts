import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { DejaConfigError, DejaInputError } from './errors.js';
import {
  type DejaOptions,
  type dejaOptionsSchema,
  parseOptions,
  parseTtlMs,
  type ResolvedDejaOptions,
} from './options.js';

describe('createDeja options', () => {
  it('are documented interfaces equal to the schema, whose documented defaults it fills (ms durations)', () => {
    // Compile-time: a field added to one and not the other fails `tsc` (the package typecheck).
    expectTypeOf<DejaOptions>().toEqualTypeOf<z.input<typeof dejaOptionsSchema>>();
    expectTypeOf<ResolvedDejaOptions>().toEqualTypeOf<z.output<typeof dejaOptionsSchema>>();
    expect(parseOptions({})).toMatchObject({
      mode: 'semantic',
      minSimilarity: 0.9,
      ttlMs: 86_400_000,
      embeddingTtlMs: 604_800_000,
      cacheEmbeddings: true,
      localEmbeddings: 10_000,
      embeddingReadBatchSize: 100,
      embeddingKeyPrefix: 'embedding:',
      maxTextTokens: 8_192,
      maxResponseBytes: 1_000_000,
      timeoutMs: 250,
      initTimeoutMs: 5_000,
      breaker: { failureThreshold: 5, cooldownMs: 1_000 },
      strict: false,
      lock: false,
      prices: {},
      statsFlushMs: 5_000,
    });
    expect(parseOptions({ lock: {} }).lock).toEqual({ ttlMs: 10_000, pollMs: 50 });
  });

  it.each([
    [{ ttlMs: 0 }, 'ttlMs must be a whole number of milliseconds from 1 to 315360000000'],
    [{ ttlMs: 1.5 }, 'ttlMs must be a whole number of milliseconds'],
    [{ embeddingTtlMs: 3_650 * 86_400_000 + 1 }, 'embeddingTtlMs must be a whole number of milliseconds'],
    [{ embeddingReadBatchSize: 10_001 }, 'embeddingReadBatchSize must be a whole number from 1 to 10000'],
    [{ dimensions: 0 }, 'dimensions must be a whole number from 1 to 65536'],
    [{ timeoutMs: 600_001 }, 'timeoutMs must be a whole number of milliseconds from 1 to 600000'],
    [{ minSimilarity: -0.1 }, 'minSimilarity is a cosine similarity in [0, 1]'],
    [{ mode: 'fuzzy' }, "mode must be 'exact', 'semantic' or 'off'"],
    [{ lock: { ttlMs: 0 } }, 'lock.ttlMs must be'],
    [{ breaker: { failureThreshold: 0 } }, 'breaker.failureThreshold must be'],
    [{ ttl: 60 }, 'ttl'],
  ])('refuses %j, naming the option and its limit', (input, message) => {
    expect(() => parseOptions(input as DejaOptions)).toThrow(DejaConfigError);
    expect(() => parseOptions(input as DejaOptions)).toThrow(message);
  });

  it('checks a per-call ttlMs with the same limits, as a DejaInputError', () => {
    expect(parseTtlMs(1)).toBe(1);
    expect(() => parseTtlMs(0)).toThrow(DejaInputError);
    expect(() => parseTtlMs(0.5)).toThrow(
      'ttlMs must be a whole number of milliseconds from 1 to 315360000000',
    );
  });
});
