import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  type DejaCacheOptions,
  type DejaEmbeddingsOptions,
  dejaCacheOptionsSchema,
  dejaEmbeddingsOptionsSchema,
  type LangchainEmbedderOptions,
  langchainEmbedderOptionsSchema,
} from './options.js';

describe('option types', () => {
  it('are documented interfaces equal to what their schemas take (checked by tsc)', () => {
    expectTypeOf<DejaCacheOptions>().toEqualTypeOf<z.input<typeof dejaCacheOptionsSchema>>();
    expectTypeOf<DejaEmbeddingsOptions>().toEqualTypeOf<z.input<typeof dejaEmbeddingsOptionsSchema>>();
    expectTypeOf<LangchainEmbedderOptions>().toEqualTypeOf<z.input<typeof langchainEmbedderOptionsSchema>>();
  });

  it('refuse a key they do not document (a misspelt option is an error, not ignored)', () => {
    for (const schema of [
      dejaCacheOptionsSchema,
      dejaEmbeddingsOptionsSchema,
      langchainEmbedderOptionsSchema,
    ]) {
      const issues = schema.safeParse({ batchSize: 10 }).error?.issues ?? [];
      expect(issues.some((issue) => issue.code === 'unrecognized_keys')).toBe(true);
    }
  });

  it('take any well-formed model id (deja escapes it in keys) up to the core limit', () => {
    expect(langchainEmbedderOptionsSchema.safeParse({ modelId: 'a {b}: c' }).success).toBe(true);
    expect(langchainEmbedderOptionsSchema.safeParse({ modelId: 'x'.repeat(1_025) }).success).toBe(false);
    expect(langchainEmbedderOptionsSchema.safeParse({ modelId: '\ud800' }).success).toBe(false);
  });
});
