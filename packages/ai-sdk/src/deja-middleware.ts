// dejaMiddleware: generateText, streamText and structured output served from deja's response cache,
// exact and semantic, through `wrapLanguageModel`.
import type { CacheHit, Deja, MissReason } from '@deja/core';
import { callStoreOptions, digestAsync, parseAdapterOptions } from '@deja/core/adapter';
import { type LanguageModelMiddleware, simulateReadableStream } from 'ai';
import { type DejaHit, type DejaMissMetadata, missMetadata, putDeja } from './hit-metadata.js';
import {
  type CallSettings,
  type DejaMiddlewareOptions,
  middlewareOptionsSchema,
  resolveCallSettings,
} from './options.js';
import { requestFor } from './request-key.js';
import type {
  CallOptions,
  GenerateResult,
  LanguageModelSpec,
  StreamPart,
  StreamResult,
  Usage,
} from './spec.js';
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
  markMiss,
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
  const settingsOf = new WeakMap<CallOptions, CallSettings>();
  // A call without providerOptions.deja runs with the middleware's own settings: resolved once
  // (and frozen, being shared), or resolved again each call while they throw (no tenant).
  let ownSettings: CallSettings | undefined;
  const resolve = (callOptions: unknown): CallSettings => {
    if (callOptions !== undefined) return resolveCallSettings(options, callOptions);
    ownSettings ??= Object.freeze(resolveCallSettings(options, undefined));
    return ownSettings;
  };
  const settingsFor = (params: CallOptions) =>
    settingsOf.get(params) ?? resolve(params.providerOptions?.deja);

  return {
    // The one value both majors' types accept: ai@6's middleware type requires 'v3', ai@7's takes
    // any string; neither reads it at run time. The functions below serve V3 calls (ai@6) and V4
    // calls (ai@7, which turns a V3 model into V4 before any middleware sees it) alike.
    specificationVersion: 'v3',

    // Validates `providerOptions.deja` (bad input throws before the provider is called) and takes it
    // out, so no provider ever sees it and it never enters the cache key.
    async transformParams({ params }) {
      const { providerOptions: given, ...rest } = params;
      const { deja: callOptions, ...providerOptions } = given ?? {};
      const settings = resolve(callOptions);
      // Built without the key rather than `delete`d: a deleted property leaves V8 a slow object.
      const transformed: CallOptions = rest;
      if (Object.keys(providerOptions).length > 0) transformed.providerOptions = providerOptions;
      settingsOf.set(transformed, settings);
      return transformed;
    },

    async wrapGenerate({ doGenerate, params, model }) {
      const settings = settingsFor(params);
      if (settings.mode === 'off') return markedMiss(await doGenerate(), OFF);
      const tenant = deja.tenant(settings.tenant);
      const request = requestFor('generate', model, params);
      let fresh: GenerateResult | undefined;
      const compute = async () => {
        fresh = await doGenerate();
        return toStoredGeneration(fresh);
      };
      const wrapOptions = {
        ...callStoreOptions(settings, params.abortSignal),
        shouldCache: worthCaching,
        describe: (value: StoredGeneration) => describeUsage(model, value.usage),
      };
      let result = await tenant.responses.wrap(request, compute, wrapOptions);
      if (result.hit !== 'miss' && !isStoredGeneration(result.value)) {
        // An entry this version cannot replay: answer afresh and overwrite it.
        result = await tenant.responses.wrap(request, compute, { ...wrapOptions, refresh: true });
      }
      if (result.hit === 'miss')
        return fresh && !result.shared
          ? markedMiss(fresh, missMetadata(result))
          : replayGeneration(result.value, SHARED);
      return replayGeneration(result.value, hitOf(result));
    },

    async wrapStream({ doStream, params, model }) {
      const settings = settingsFor(params);
      if (settings.mode === 'off') return markedMissStream(await doStream(), OFF);
      const tenant = deja.tenant(settings.tenant);
      const request = requestFor('stream', model, params);
      // The key holds the whole prompt: hashed with the event loop free between slices.
      const flightKey = await digestAsync({
        tenant: tenant.digest,
        key: request.key,
        user: settings.user ?? null,
        refresh: settings.refresh,
      });
      const follow = {
        signal: params.abortSignal,
        rewrite: (part: StreamPart) => markFinish(part, SHARED),
      };

      const inFlight = streamFlights.join(flightKey, follow);
      if (inFlight) return { stream: await inFlight };
      let miss: DejaMissMetadata = { hit: 'miss', reason: REFRESH };
      if (!settings.refresh) {
        const found = await tenant.responses.find(request, callStoreOptions(settings, params.abortSignal));
        if (found.hit !== 'miss' && isStoredStream(found.value))
          return replay(found.value, found, options.replayDelayMs);
        // An entry this version cannot replay is overwritten by the fresh answer below.
        if (found.hit === 'miss') miss = missMetadata(found);
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
            ...callStoreOptions(settings, params.abortSignal),
            ...describeUsage(model, finish.usage),
          });
        },
        { signal: params.abortSignal, rewrite: (part: StreamPart) => markMiss(part, miss) },
      );
    },
  };
}

const OFF: DejaMissMetadata = { hit: 'miss', reason: 'mode-off' satisfies MissReason };
const REFRESH: MissReason = 'refresh';

function hitOf(hit: CacheHit): DejaHit {
  const marked: DejaHit = { hit: hit.hit, similarity: hit.similarity, ageMs: hit.ageMs };
  if (hit.verified !== undefined) marked.verified = hit.verified;
  if (hit.reference !== undefined) marked.reference = hit.reference;
  return marked;
}

/** A fresh answer says why the cache missed (providerMetadata.deja), and is otherwise the model's. */
function markedMiss(result: GenerateResult, miss: DejaMissMetadata): GenerateResult {
  return { ...result, providerMetadata: putDeja(result.providerMetadata, miss) };
}

function markedMissStream(result: StreamResult, miss: DejaMissMetadata): StreamResult {
  const mark = new TransformStream<StreamPart, StreamPart>({
    transform: (part, controller) => controller.enqueue(markMiss(part, miss)),
  });
  return { ...result, stream: result.stream.pipeThrough(mark) };
}

function describeUsage(model: LanguageModelSpec, usage: Usage) {
  return {
    model: model.modelId,
    usage: { inputTokens: usage.inputTokens.total, outputTokens: usage.outputTokens.total },
  };
}

/** A hit as a stream, at once (or paced by `replayDelayMs`), through the AI SDK's own stream simulator. */
function replay(stored: StoredStream, hit: CacheHit, replayDelayMs: number | undefined): StreamResult {
  const chunks = replayParts(stored, hitOf(hit));
  return {
    stream: simulateReadableStream({ chunks, initialDelayInMs: null, chunkDelayInMs: replayDelayMs || null }),
  };
}
