// The documented option types of createDeja: what users see on hover, with every default and
// unit. The zod schema in options.ts checks them at run time; options.test.ts proves at compile
// time that both describe the same input.
import type { z } from 'zod';
import type { Embedder } from './embeddings/embedder.js';
import type { DejaErrorEvent } from './guard.js';
import type { cacheModeSchema } from './option-schemas.js';
import type { LookupEvent } from './responses/lookup-types.js';
import type { Verifier } from './semantic/verifier.js';
import type { RedisSocketOptions } from './stores/redis/connection.js';
import type { Store } from './stores/types.js';
import type { DejaTelemetry } from './telemetry/telemetry-hooks.js';

/** How lookups run: exact key, exact then semantic, or not at all. */
export type CacheMode = z.infer<typeof cacheModeSchema>;

/** The Redis a deja builds when no `store` is given (what `loadConfig` fills from the environment). */
export interface DejaRedisOptions {
  /** `redis://` or `rediss://` URL; deja creates and owns the connection. */
  url: string;
  /** Key prefix of response entries. Default `'cache:'`. */
  prefix?: string;
  /** Name of the vector index. Default `'deja-idx'`. */
  indexName?: string;
  /** `'FLAT'` (exact, the default) or `'HNSW'` (approximate, for large indexes). */
  algorithm?: 'FLAT' | 'HNSW';
  /**
   * Socket settings: TLS (`tls: true` or a `rediss://` URL, with `ca`, `cert`, `key`, `servername`,
   * `rejectUnauthorized`), `connectTimeout`, `keepAlive`, `noDelay`. For anything else, build your
   * own node-redis client and pass `store: redisStore({ client })`.
   */
  socket?: RedisSocketOptions;
  /** ACL user, when not in the URL. */
  username?: string;
  /** Password, when not in the URL. */
  password?: string;
}

/** The circuit breaker around the store. */
export interface DejaBreakerOptions {
  /** Consecutive store failures that open the breaker. Default 5. */
  failureThreshold?: number;
  /** How long the breaker stays open before one probe call, ms. Default 1 000. */
  cooldownMs?: number;
}

/** A Redis lock around `wrap`'s compute, so several processes compute one miss once. */
export interface DejaLockOptions {
  /** How long a lock holds before it expires (a crashed holder frees it then), ms. Default 10 000. */
  ttlMs?: number;
  /** How often a waiter checks for the holder's answer, ms. Default 50. */
  pollMs?: number;
}

/** USD per million tokens, for the cost-saved figure. */
export interface DejaPrice {
  input: number;
  output: number;
}

/** Options of `createDeja`. Every duration is milliseconds and its name ends in `Ms`. */
export interface DejaOptions {
  /** Where entries live. Default: a `redisStore` from `redis` when given, else `memoryStore()`. Not with `redis`. */
  store?: Store;
  /** Builds a redisStore when no `store` is given. */
  redis?: DejaRedisOptions;
  /**
   * Turns semantic text into vectors. Default none: lookups are exact only. Its `dimensions`, or the
   * `dimensions` option, must be known up front (the vector index is made with it).
   */
  embedder?: Embedder;
  /** Vector dimension (1 to 65 536); must agree with the embedder's when both are given. */
  dimensions?: number;
  /** `'exact'`, `'semantic'` (exact first, then by meaning) or `'off'`. Default `'semantic'`. */
  mode?: CacheMode;
  /** Cosine similarity a semantic hit needs, in [0, 1]. Default 0.9. */
  minSimilarity?: number;
  /** Time to live of a response entry, ms (1 ms to ten years). Default 86 400 000 (one day). */
  ttlMs?: number;
  /** Time to live of a cached embedding, ms (1 ms to ten years). Default 604 800 000 (seven days). */
  embeddingTtlMs?: number;
  /** Cache embeddings at all (semantic lookup still embeds). Default true. */
  cacheEmbeddings?: boolean;
  /**
   * Embeddings kept in this process (an LRU of tenant, user, model and text), so a repeated text
   * costs no read of the embedding cache; 0 turns it off. Default 10 000 (about 15 MB at 384
   * dimensions). forgetUser and clear drop their slice here too.
   */
  localEmbeddings?: number;
  /** Texts per MGET when reading the embedding cache, 1 to 10 000. Default 100. */
  embeddingReadBatchSize?: number;
  /** Key prefix of `deja.embeddings`' cached vectors. Default `'embedding:'`. */
  embeddingKeyPrefix?: string;
  /** Longest semantic text that is embedded, in tiktoken tokens; longer ones are exact only. Default 8 192. */
  maxTextTokens?: number;
  /** Largest encoded response that is stored, bytes; bigger ones are not cached. Default 1 000 000. */
  maxResponseBytes?: number;
  /** Deadline of one store operation, ms (1 to 600 000). Default 250. */
  timeoutMs?: number;
  /** Deadline of connecting and creating or checking the index, ms (1 to 600 000). Default 5 000. */
  initTimeoutMs?: number;
  /** The circuit breaker. Default `{ failureThreshold: 5, cooldownMs: 1_000 }`. */
  breaker?: DejaBreakerOptions;
  /**
   * Store operations sent to Redis at once (1 to 100 000); the next ones wait for a slot, and a
   * deadline starts only when its operation gets one. Default 64, sized for one connection.
   */
  maxInFlight?: number;
  /**
   * Store operations that may wait for a slot (0 to 1 000 000); beyond that, work is shed as a
   * miss (reported as `overloaded`, never counted by the breaker). Default 10 000.
   */
  maxQueued?: number;
  /** Throw store trouble instead of treating it as a miss. Default false. */
  strict?: boolean;
  /** Called with every problem the app does not see (each is also counted in `stats().errors`). */
  onError?: (event: DejaErrorEvent) => void;
  /** A Redis lock around compute in `wrap`, or `false` for none. Default false. */
  lock?: false | DejaLockOptions;
  /** USD per million tokens by model id, for the cost-saved figure. Default `{}`. */
  prices?: Record<string, DejaPrice>;
  /** How often per-tenant counters are written to the store, ms (0: only on close). Default 5 000. */
  statsFlushMs?: number;
  /**
   * Write a computed answer behind the app's back: `wrap` returns it as soon as it exists and the
   * cache write follows (errors reported, flushed by `close()`). Per call: `awaitWrite`. Default true.
   */
  writeBehind?: boolean;
  /**
   * A hit extends its entry's TTL to the call's `ttlMs` from now (never shortens it): one command
   * sent after the hit, not waited for. Entries in use stay; unused ones still expire. Per call:
   * `slidingTtl`. Default false.
   */
  slidingTtl?: boolean;
  /**
   * Store each tenant's id beside its digest, so `deja stats` can name tenants. Off by default: a
   * tenant id may say who a customer is, and without this no id reaches the store in clear.
   * Default false.
   */
  storeTenantLabels?: boolean;
  /** Writes waiting behind at most (1 to 1 000 000); past it a write is dropped and counted. Default 1 000. */
  maxPendingWrites?: number;
  /**
   * δ, the highest error rate accepted among semantic hits served WITHOUT verification, in (0, 1).
   * deja learns from outcomes (verdicts, fresh answers compared with `equivalent`, reported wrong
   * hits) where in similarity that holds with `confidence`, and serves unverified hits only there;
   * elsewhere it verifies (with a `verifier`) or misses. No evidence, no unverified semantic hit.
   * `false`: no bound; a static rule (`acceptSimilarity`, or every candidate at `minSimilarity`
   * when there is neither a band nor a verifier — not safe on its own, see the README). Default 0.05.
   */
  maxErrorRate?: number | false;
  /** How sure the evidence must be that the error rate is at most `maxErrorRate`, in (0.5, 1). Default 0.95. */
  confidence?: number;
  /** Share of would-be unverified hits checked against a verifier or a fresh answer, in [0, 1]. Default 0.05. */
  explorationRate?: number;
  /** Cosine similarity at or above which a candidate needs no verification (a static band), in [0, 1]. Default none. */
  acceptSimilarity?: number;
  /** Judges whether a cached answer answers a new query (e.g. `aiSdkVerifier(model)`). Default none. */
  verifier?: Verifier;
  /** Deadline of one verification, ms; a late verdict counts as 'different'. Default 5 000. */
  verifierTimeoutMs?: number;
  /**
   * Whether a cached answer and a freshly computed one are the same answer (teaches the bound on
   * misses at no extra model call). Default: equal as JSON (conservative: a rewording counts as different).
   */
  equivalent?: (cached: unknown, fresh: unknown) => boolean | Promise<boolean>;
  /** Nearest entries a semantic lookup considers, best first, 1 to 20. Default 3. */
  semanticCandidates?: number;
  /** Called after every lookup, hit or miss, with the outcome and why (tenant as its digest, never text). */
  onLookup?: (event: LookupEvent) => void;
  /**
   * OpenTelemetry spans (deja.lookup, deja.store, deja.verify) and metrics: `dejaTelemetry({ tracer,
   * meter })` from `@deja/core/telemetry`, or `true` for the global providers (needs the optional
   * peer `@opentelemetry/api`; without it, nothing is recorded). Tenants appear as digests and no
   * prompt text unless `recordText`. Default none.
   */
  telemetry?: boolean | DejaTelemetry;
}

/** The options a Deja runs with: every default filled in. */
export interface ResolvedDejaOptions
  extends Required<
      Omit<
        DejaOptions,
        | 'store'
        | 'redis'
        | 'embedder'
        | 'dimensions'
        | 'onError'
        | 'breaker'
        | 'lock'
        | 'acceptSimilarity'
        | 'verifier'
        | 'equivalent'
        | 'onLookup'
        | 'telemetry'
      >
    >,
    Pick<
      DejaOptions,
      | 'store'
      | 'redis'
      | 'embedder'
      | 'dimensions'
      | 'onError'
      | 'acceptSimilarity'
      | 'verifier'
      | 'equivalent'
      | 'onLookup'
    > {
  breaker: Required<DejaBreakerOptions>;
  lock: false | Required<DejaLockOptions>;
  /** `true` resolved to the telemetry on the global providers; false and absent to none. */
  telemetry: DejaTelemetry | undefined;
}
