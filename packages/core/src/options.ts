// createDeja options. One zod schema gives the runtime check and the limits; the documented
// interfaces (option-types.ts) give the type users see on hover (z.input<> would drop the JSDoc).
// options.test.ts proves at compile time that interface and schema describe the same input.
import { z } from 'zod';
import type { Embedder } from './embeddings/embedder.js';
import { embedderProblem } from './embeddings/embedder-check.js';
import { DejaConfigError, DejaInputError } from './errors.js';
import type { DejaErrorEvent } from './guard.js';
import {
  cacheModeSchema,
  DAY_MS,
  dimensionsSchema,
  durationMsSchema,
  formatIssues,
  similaritySchema,
  ttlMsSchema,
  wholeNumberSchema,
} from './option-schemas.js';
import type { DejaOptions, ResolvedDejaOptions } from './option-types.js';
import type { LookupEvent } from './responses/lookup-types.js';
import type { Verifier } from './semantic/verifier.js';
import type { RedisSocketOptions } from './stores/redis/connection.js';
import type { Store } from './stores/types.js';
import { globalTelemetry } from './telemetry/otel-telemetry.js';
import type { DejaTelemetry } from './telemetry/telemetry-hooks.js';

export type {
  CacheMode,
  DejaBreakerOptions,
  DejaLockOptions,
  DejaOptions,
  DejaPrice,
  DejaRedisOptions,
  ResolvedDejaOptions,
} from './option-types.js';
export { cacheModeSchema, formatIssues, similaritySchema, ttlMsSchema };

const storeSchema = z.custom<Store>(
  (value) => typeof value === 'object' && value !== null && typeof (value as Store).put === 'function',
  'store must be a deja Store (memoryStore() or redisStore(...))',
);
/** The one embedder check (embedder-check.ts), as a schema piece. */
export const embedderSchema = z.custom<Embedder>((value) => embedderProblem(value) === undefined, {
  error: (issue) => embedderProblem(issue.input) ?? 'embedder is not an Embedder',
});

const nonEmpty = (name: string) => z.string().min(1, `${name} must not be empty`);

export const dejaOptionsSchema = z
  .object({
    store: storeSchema.optional(),
    redis: z
      .object({
        url: z.string().regex(/^rediss?:\/\//, 'redis.url must be a redis:// or rediss:// URL'),
        prefix: nonEmpty('redis.prefix').optional(),
        indexName: nonEmpty('redis.indexName').optional(),
        algorithm: z
          .enum(['FLAT', 'HNSW'], { message: "redis.algorithm must be 'FLAT' or 'HNSW'" })
          .optional(),
        // node-redis checks the socket's fields when it connects; here only that it is an object.
        socket: z
          .custom<RedisSocketOptions>(
            (value) => typeof value === 'object' && value !== null,
            'redis.socket must be an object',
          )
          .optional(),
        username: nonEmpty('redis.username').optional(),
        password: z.string({ message: 'redis.password must be a string' }).optional(),
      })
      .strict()
      .optional(),
    embedder: embedderSchema.optional(),
    dimensions: dimensionsSchema.optional(),
    mode: cacheModeSchema.default('semantic'),
    minSimilarity: similaritySchema.default(0.9),
    ttlMs: ttlMsSchema.default(DAY_MS),
    embeddingTtlMs: durationMsSchema('embeddingTtlMs', 1, 3_650 * DAY_MS).default(7 * DAY_MS),
    cacheEmbeddings: z.boolean({ message: 'cacheEmbeddings must be true or false' }).default(true),
    localEmbeddings: wholeNumberSchema('localEmbeddings', 0, 10_000_000).default(10_000),
    embeddingReadBatchSize: wholeNumberSchema('embeddingReadBatchSize', 1, 10_000).default(100),
    embeddingKeyPrefix: nonEmpty('embeddingKeyPrefix').default('embedding:'),
    maxTextTokens: wholeNumberSchema('maxTextTokens', 1, 10_000_000).default(8_192),
    // 512 MiB: the largest string value Redis stores.
    maxResponseBytes: wholeNumberSchema('maxResponseBytes', 1, 512 * 1024 * 1024).default(1_000_000),
    timeoutMs: durationMsSchema('timeoutMs', 1, 600_000).default(250),
    initTimeoutMs: durationMsSchema('initTimeoutMs', 1, 600_000).default(5_000),
    maxInFlight: wholeNumberSchema('maxInFlight', 1, 100_000).default(64),
    maxQueued: wholeNumberSchema('maxQueued', 0, 1_000_000).default(10_000),
    breaker: z
      .object({
        failureThreshold: wholeNumberSchema('breaker.failureThreshold', 1, 1_000).default(5),
        cooldownMs: durationMsSchema('breaker.cooldownMs', 1, 3_600_000).default(1_000),
      })
      .strict()
      .default({ failureThreshold: 5, cooldownMs: 1_000 }),
    strict: z.boolean({ message: 'strict must be true or false' }).default(false),
    onError: z
      .custom<(event: DejaErrorEvent) => void>(
        (value) => typeof value === 'function',
        'onError must be a function',
      )
      .optional(),
    lock: z
      .union([
        z.literal(false),
        z
          .object({
            ttlMs: durationMsSchema('lock.ttlMs', 1, 3_600_000).default(10_000),
            pollMs: durationMsSchema('lock.pollMs', 1, 60_000).default(50),
          })
          .strict(),
      ])
      .default(false),
    prices: z
      .record(z.string(), z.object({ input: z.number().nonnegative(), output: z.number().nonnegative() }))
      .default({}),
    statsFlushMs: durationMsSchema('statsFlushMs', 0, 3_600_000).default(5_000),
    writeBehind: z.boolean({ message: 'writeBehind must be true or false' }).default(true),
    slidingTtl: z.boolean({ message: 'slidingTtl must be true or false' }).default(false),
    storeTenantLabels: z.boolean({ message: 'storeTenantLabels must be true or false' }).default(false),
    maxPendingWrites: wholeNumberSchema('maxPendingWrites', 1, 1_000_000).default(1_000),
    maxErrorRate: z
      .union([
        z.literal(false),
        z.number().gt(0, 'maxErrorRate must be above 0').lt(1, 'maxErrorRate must be below 1'),
      ])
      .default(0.05),
    confidence: z
      .number()
      .gt(0.5, 'confidence must be above 0.5')
      .lt(1, 'confidence must be below 1')
      .default(0.95),
    explorationRate: z.number().min(0).max(1, 'explorationRate is a share in [0, 1]').default(0.05),
    acceptSimilarity: similaritySchema.optional(),
    verifier: z
      .custom<Verifier>(
        (value) =>
          typeof value === 'object' && value !== null && typeof (value as Verifier).verify === 'function',
        'verifier must have verify({ query, candidate, similarity, signal })',
      )
      .optional(),
    verifierTimeoutMs: durationMsSchema('verifierTimeoutMs', 1, 600_000).default(5_000),
    equivalent: z
      .custom<NonNullable<DejaOptions['equivalent']>>(
        (value) => typeof value === 'function',
        'equivalent must be a function (cached, fresh) => boolean',
      )
      .optional(),
    semanticCandidates: wholeNumberSchema('semanticCandidates', 1, 20).default(3),
    onLookup: z
      .custom<(event: LookupEvent) => void>(
        (value) => typeof value === 'function',
        'onLookup must be a function',
      )
      .optional(),
    telemetry: z
      .union([
        z.boolean({ message: 'telemetry must be true, false or dejaTelemetry(...)' }),
        z.custom<DejaTelemetry>(
          (value) =>
            typeof value === 'object' &&
            value !== null &&
            typeof (value as DejaTelemetry).start === 'function' &&
            typeof (value as DejaTelemetry).observe === 'function',
          'telemetry must be true, false or dejaTelemetry({ tracer, meter }) from @deja/core/telemetry',
        ),
      ])
      .optional()
      .transform((value) => (value === true ? globalTelemetry() : value || undefined)),
  })
  .strict();

export function parseOptions(options: DejaOptions): ResolvedDejaOptions {
  const parsed = dejaOptionsSchema.safeParse(options);
  if (!parsed.success) throw new DejaConfigError(`Invalid deja options: ${formatIssues(parsed.error)}`);
  const resolved = parsed.data;
  // Both would leave one silently unused: the store wins, and the Redis the user named is not used.
  if (resolved.store && resolved.redis)
    throw new DejaConfigError(
      'Invalid deja options: pass store or redis, not both (redis builds a redisStore; to set up a store yourself, pass only store)',
    );
  const { telemetry, onError } = resolved;
  // Telemetry counts every reported problem by kind; the app's own hook still gets each one.
  if (telemetry)
    resolved.onError = (event) => {
      telemetry.error(event);
      onError?.(event);
    };
  const { embedder } = resolved;
  if (embedder && embedder.dimensions === undefined && resolved.dimensions === undefined) {
    throw new DejaConfigError(
      `embedder ${embedder.modelId} states no dimensions: pass createDeja({ dimensions }) (the vector index is made with it)`,
    );
  }
  if (
    embedder?.dimensions !== undefined &&
    resolved.dimensions !== undefined &&
    embedder.dimensions !== resolved.dimensions
  ) {
    throw new DejaConfigError(
      `dimensions is ${resolved.dimensions} but embedder ${embedder.modelId} gives ${embedder.dimensions}`,
    );
  }
  return resolved;
}

/** A ttlMs from a call's options; a typed error names what is wrong. */
export function parseTtlMs(value: number): number {
  const parsed = ttlMsSchema.safeParse(value);
  if (!parsed.success) throw new DejaInputError(formatIssues(parsed.error).replace(/^\(options\): /, ''));
  return parsed.data;
}
