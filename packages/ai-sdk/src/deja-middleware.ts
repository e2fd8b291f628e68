// dejaMiddleware: generateText, streamText and structured output served from deja's response cache,
// exact and semantic, through `wrapLanguageModel`.
import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
  LanguageModelV4Usage,
} from '@ai-sdk/provider';
import type { CacheHit, Deja, ResponseOptions } from '@deja/core';
import { digest, parseAdapterOptions } from '@deja/core/adapter';
import { type LanguageModelMiddleware, simulateReadableStream } from 'ai';
import type { DejaHit } from './hit-metadata.js';
import {
  type CallSettings,
  type DejaMiddlewareOptions,
  middlewareOptionsSchema,
  resolveCallSettings,
} from './options.js';
import { requestFor } from './request-key.js';
import {
  isStoredGeneration,
  replayGeneration,
  type StoredGeneration,
  toStoredGeneration,
  worthCaching,
} from './stored-generation.js';
import {
  cleanFinish,
  isStoredStream,
  markFinish,
  replayParts,
  type StoredStream,
  toStoredStream,
} from './stored-stream.js';
import { StreamFlights } from './stream-flight.js';

const SHARED: DejaHit = { hit: 'shared', similarity: 1, ageMs: 0 };

/** Streams in flight per deja, so middleware instances made per request still find each other. */
const flightsByDeja = new WeakMap<Deja, StreamFlights>();

export function dejaMiddleware(input: DejaMiddlewareOptions): LanguageModelMiddleware {
  const options = parseAdapterOptions(middlewareOptionsSchema, input, 'dejaMiddleware');
  const { deja } = options;
  let flights = flightsByDeja.get(deja);
  if (!flights) {
    flights = new StreamFlights();
    flightsByDeja.set(deja, flights);
  }
  const streamFlights = flights;
  // The settings of each call, keyed by the params object transformParams hands to wrapGenerate/wrapStream.
  const settingsOf = new WeakMap<LanguageModelV4CallOptions, CallSettings>();
  const settingsFor = (params: LanguageModelV4CallOptions) =>
    settingsOf.get(params) ?? resolveCallSettings(options, params.providerOptions?.deja);

  return {
    specificationVersion: 'v4',

    // Validates `providerOptions.deja` (bad input throws before the provider is called) and takes it
    // out, so no provider ever sees it and it never enters the cache key.
    async transformParams({ params }) {
      const { deja: callOptions, ...providerOptions } = params.providerOptions ?? {};
      const settings = resolveCallSettings(options, callOptions);
      const transformed: LanguageModelV4CallOptions = { ...params };
      if (Object.keys(providerOptions).length > 0) transformed.providerOptions = providerOptions;
      else delete transformed.providerOptions;
      settingsOf.set(transformed, settings);
      return transformed;
    },

    async wrapGenerate({ doGenerate, params, model }) {
      const settings = settingsFor(params);
      if (settings.mode === 'off') return doGenerate();
      const tenant = deja.tenant(settings.tenant);
      const request = requestFor('generate', model, params);
      let fresh: LanguageModelV4GenerateResult | undefined;
      const compute = async () => {
        fresh = await doGenerate();
        return toStoredGeneration(fresh);
      };
      const wrapOptions = {
        ...responseOptions(settings, params),
        shouldCache: worthCaching,
        describe: (value: StoredGeneration) => describeUsage(model, value.usage),
      };
      let result = await tenant.responses.wrap(request, compute, wrapOptions);
      if (result.hit !== 'miss' && !isStoredGeneration(result.value)) {
        // An entry this version cannot replay: answer afresh and overwrite it.
        result = await tenant.responses.wrap(request, compute, { ...wrapOptions, refresh: true });
      }
      if (result.hit === 'miss')
        return fresh && !result.shared ? fresh : replayGeneration(result.value, SHARED);
      return replayGeneration(result.value, {
        hit: result.hit,
        similarity: result.similarity,
        ageMs: result.ageMs,
      });
    },

    async wrapStream({ doStream, params, model }) {
      const settings = settingsFor(params);
      if (settings.mode === 'off') return doStream();
      const tenant = deja.tenant(settings.tenant);
      const request = requestFor('stream', model, params);
      const flightKey = digest({
        tenant: tenant.digest,
        key: request.key,
        user: settings.user ?? null,
        refresh: settings.refresh,
      });
      const follow = {
        signal: params.abortSignal,
        rewrite: (part: LanguageModelV4StreamPart) => markFinish(part, SHARED),
      };

      const inFlight = streamFlights.join(flightKey, follow);
      if (inFlight) return { stream: await inFlight };
      if (!settings.refresh) {
        const hit = await tenant.responses.lookup(request, responseOptions(settings, params));
        if (hit && isStoredStream(hit.value)) return replay(hit.value, hit, options.replayDelayMs);
        // An entry this version cannot replay is overwritten by the fresh answer below.
      }
      const joined = streamFlights.join(flightKey, follow);
      if (joined) return { stream: await joined };
      return streamFlights.start(
        flightKey,
        // The flight's own signal: one caller aborting must not cut the stream another shares.
        (signal) => model.doStream({ ...params, abortSignal: signal }),
        async ({ parts }) => {
          const finish = cleanFinish(parts);
          if (!finish) return;
          await tenant.responses.store(request, toStoredStream(parts), {
            ...responseOptions(settings, params),
            ...describeUsage(model, finish.usage),
          });
        },
        { signal: params.abortSignal },
      );
    },
  };
}

function responseOptions(settings: CallSettings, params: LanguageModelV4CallOptions): ResponseOptions {
  const options: ResponseOptions = {
    mode: settings.mode,
    refresh: settings.refresh,
    signal: params.abortSignal,
  };
  if (settings.user !== undefined) options.user = settings.user;
  if (settings.ttlMs !== undefined) options.ttlMs = settings.ttlMs;
  if (settings.minSimilarity !== undefined) options.minSimilarity = settings.minSimilarity;
  return options;
}

function describeUsage(model: LanguageModelV4, usage: LanguageModelV4Usage) {
  return {
    model: model.modelId,
    usage: { inputTokens: usage.inputTokens.total, outputTokens: usage.outputTokens.total },
  };
}

/** A hit as a stream, at once (or paced by `replayDelayMs`), through the AI SDK's own stream simulator. */
function replay(
  stored: StoredStream,
  hit: CacheHit,
  replayDelayMs: number | undefined,
): LanguageModelV4StreamResult {
  const chunks = replayParts(stored, { hit: hit.hit, similarity: hit.similarity, ageMs: hit.ageMs });
  return {
    stream: simulateReadableStream({ chunks, initialDelayInMs: null, chunkDelayInMs: replayDelayMs || null }),
  };
}
