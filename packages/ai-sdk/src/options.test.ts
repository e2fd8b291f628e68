import { createDeja, DejaConfigError, DejaInputError } from '@deja/core';
import { parseAdapterOptions } from '@deja/core/adapter';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { AiSdkEmbedderOptions, aiSdkEmbedderOptionsSchema } from './ai-sdk-embedder.js';
import {
  callOptionsSchema,
  type DejaCallOptions,
  type DejaEmbeddingMiddlewareOptions,
  type DejaMiddlewareOptions,
  type embeddingMiddlewareOptionsSchema,
  middlewareOptionsSchema,
  resolveCallSettings,
} from './options.js';

const deja = createDeja({ mode: 'exact', statsFlushMs: 0 });
const defaults = parseAdapterOptions(
  middlewareOptionsSchema,
  { deja, tenant: 'acme', ttlMs: 60_000 },
  'dejaMiddleware',
);

describe('resolveCallSettings', () => {
  it('lays the call options over the middleware options over the deja defaults', () => {
    expect(resolveCallSettings(defaults, undefined)).toEqual({
      tenant: 'acme',
      user: undefined,
      mode: 'exact',
      ttlMs: 60_000,
      minSimilarity: undefined,
      refresh: false,
    });
    expect(
      resolveCallSettings(defaults, {
        tenant: 'globex',
        user: 7,
        mode: 'semantic',
        ttlMs: 5_000,
        minSimilarity: 0.8,
        refresh: true,
      }),
    ).toEqual({
      tenant: 'globex',
      user: 7,
      mode: 'semantic',
      ttlMs: 5_000,
      minSimilarity: 0.8,
      refresh: true,
    });
  });

  it.each([
    [{ mode: 'fuzzy' }, /mode/],
    [{ minSimilarity: 1.5 }, /minSimilarity/],
    [{ ttlMs: -1 }, /ttlMs/],
    [{ ttlMs: 1.5 }, /ttlMs/],
    [{ refresh: 'yes' }, /refresh/],
    [{ tenant: '' }, /tenant/],
    [{ tenantId: 'acme' }, /tenantId/],
    ['acme', /expected object/],
  ])('refuses %j with a DejaInputError', (raw, message) => {
    expect(() => resolveCallSettings(defaults, raw)).toThrow(DejaInputError);
    expect(() => resolveCallSettings(defaults, raw)).toThrow(message);
  });

  it('refuses a call without any tenant', () => {
    const noTenant = parseAdapterOptions(middlewareOptionsSchema, { deja }, 'dejaMiddleware');
    expect(() => resolveCallSettings(noTenant, {})).toThrow(DejaInputError);
    expect(() => resolveCallSettings(noTenant, {})).toThrow(/No tenant/);
    expect(resolveCallSettings(noTenant, { tenant: 'acme' }).tenant).toBe('acme');
  });
});

describe('middleware options', () => {
  it.each([
    ['no deja', {}, /deja/],
    ['a deja that is not one', { deja: {} }, /deja/],
    ['an unknown mode', { deja, mode: 'sometimes' }, /mode/],
    ['a negative replay delay', { deja, replayDelayMs: -5 }, /replayDelayMs/],
    ['an unknown option', { deja, tenants: 'x' }, /tenants/],
  ])('refuses %s with a DejaConfigError', (_name, options, message) => {
    expect(() => parseAdapterOptions(middlewareOptionsSchema, options, 'dejaMiddleware')).toThrow(
      DejaConfigError,
    );
    expect(() => parseAdapterOptions(middlewareOptionsSchema, options, 'dejaMiddleware')).toThrow(message);
  });
});

describe('option types', () => {
  it('are documented interfaces equal to what their schemas take (checked by tsc)', () => {
    expectTypeOf<DejaCallOptions>().toEqualTypeOf<z.input<typeof callOptionsSchema>>();
    expectTypeOf<DejaMiddlewareOptions>().toEqualTypeOf<z.input<typeof middlewareOptionsSchema>>();
    expectTypeOf<DejaEmbeddingMiddlewareOptions>().toEqualTypeOf<
      z.input<typeof embeddingMiddlewareOptionsSchema>
    >();
    expectTypeOf<AiSdkEmbedderOptions>().toEqualTypeOf<z.input<typeof aiSdkEmbedderOptionsSchema>>();
  });

  it('refuse a key they do not document and a replay pause out of range', () => {
    const unknown = callOptionsSchema.safeParse({ ttl: 60 }).error?.issues ?? [];
    expect(unknown.some((issue) => issue.code === 'unrecognized_keys')).toBe(true);
    expect(() =>
      parseAdapterOptions(middlewareOptionsSchema, { deja, replayDelayMs: 60_001 }, 'dejaMiddleware'),
    ).toThrow('replayDelayMs must be a whole number of milliseconds from 0 to 60000');
  });
});
