// deja's spans and metrics as an OpenTelemetry SDK records them (in-memory exporters): one span per
// lookup, store and verification with tier, similarity, hit or miss and its reason, the tenant as
// its digest and no text unless recordText; the counters, the duration histogram, tokens and cost
// saved, errors by kind and the breaker gauge. Embeddings come from a fixed table (the similarity
// of each query to the stored one is chosen), the store is the memory store.
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDeja, type Deja } from '../deja.js';
import { DejaInputError } from '../errors.js';
import type { DejaErrorEvent } from '../guard.js';
import type { Verifier } from '../semantic/verifier.js';
import { memoryStore } from '../stores/memory-store.js';
import { dejaTelemetry } from './otel-telemetry.js';

/** Unit vectors at a chosen cosine similarity to the stored question (ORIGIN). */
const at = (similarity: number) => [similarity, Math.sqrt(1 - similarity * similarity)];
const ORIGIN = 'What is the capital of France?';
const VECTORS: Record<string, number[]> = {
  [ORIGIN]: at(1),
  'capital of France, please': at(0.97), // above acceptSimilarity: served unverified
  'Which city is the French capital?': at(0.92), // between the bands: the verifier says same
  'France capital, the one with the tower?': at(0.93), // between the bands: the verifier says different
  'How do I bake bread?': at(0.5), // below minSimilarity
};
const TEXTS = Object.keys(VECTORS);
const ANSWER = 'Paris.';

const embedder = {
  modelId: 'fixed-table',
  dimensions: 2,
  async embed(texts: string[]) {
    return texts.map((text) => {
      const vector = VECTORS[text];
      if (!vector) throw new Error(`no vector for ${JSON.stringify(text)}`);
      return vector;
    });
  },
};
const verifier: Verifier = {
  modelId: 'judge',
  async verify({ query }) {
    return query === 'Which city is the French capital?' ? 'same' : 'different';
  },
};

const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => {
  // What an app's SDK setup does: async context, so a verification nests under its lookup.
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(() => {
  contextManager.disable();
  context.disable();
});

interface Harness {
  deja: Deja;
  /** Finished spans, once their (asynchronous) export is done. */
  spans(): Promise<ReadableSpan[]>;
  metrics(): Promise<Map<string, DataPoint<number | Histogram>[]>>;
  errors: DejaErrorEvent[];
}

const open: Deja[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((deja) => deja.close()));
});

function harness(options: { recordText?: boolean } = {}): Harness {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter: spanExporter })],
  });
  const tracer = tracerProvider.getTracer('test');
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // Exports only when the test asks (forceFlush): no timer decides what a test sees.
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  const meter = new MeterProvider({ readers: [reader] }).getMeter('test');
  const errors: DejaErrorEvent[] = [];
  const deja = createDeja({
    store: memoryStore(),
    embedder,
    minSimilarity: 0.9,
    acceptSimilarity: 0.95,
    maxErrorRate: false,
    verifier,
    writeBehind: false,
    prices: { 'chat-model': { input: 2, output: 8 } },
    onError: (event) => errors.push(event),
    telemetry: dejaTelemetry({ tracer, meter, recordText: options.recordText }),
  });
  open.push(deja);
  return {
    deja,
    errors,
    async spans() {
      await tracerProvider.forceFlush();
      return spanExporter.getFinishedSpans();
    },
    async metrics() {
      await reader.forceFlush();
      const byName = new Map<string, DataPoint<number | Histogram>[]>();
      const last = metricExporter.getMetrics().at(-1);
      for (const scope of last?.scopeMetrics ?? [])
        for (const metric of scope.metrics)
          byName.set(metric.descriptor.name, metric.dataPoints as DataPoint<number | Histogram>[]);
      return byName;
    },
  };
}

const storeOrigin = (deja: Deja, tenant = 'acme') =>
  deja.tenant(tenant).responses.store({ key: { q: ORIGIN }, semanticText: ORIGIN }, ANSWER, {
    model: 'chat-model',
    usage: { inputTokens: 1_000, outputTokens: 500 },
  });
const find = (deja: Deja, text: string, tenant = 'acme') =>
  deja.tenant(tenant).responses.find({ key: { q: text }, semanticText: text });

const named = (spans: ReadableSpan[], name: string) => spans.filter((span) => span.name === name);

describe('deja spans', () => {
  it('a store and an exact hit: tenant as its digest, tier, similarity 1, tokens saved', async () => {
    const { deja, spans } = harness();
    expect((await storeOrigin(deja)).stored).toBe(true);
    expect((await find(deja, ORIGIN)).hit).toBe('exact');
    const digest = deja.tenant('acme').digest;
    const [store] = named(await spans(), 'deja.store');
    expect(store?.attributes).toEqual({ 'deja.tenant': digest, 'deja.stored': true });
    const [lookup] = named(await spans(), 'deja.lookup');
    expect(lookup?.attributes).toEqual({
      'deja.tenant': digest,
      'deja.mode': 'semantic',
      'deja.outcome': 'exact',
      'deja.hit': true,
      'deja.similarity': 1,
      'deja.tokens_saved': 1_500,
    });
  });

  it('a semantic hit served without verification says so (verified false) with its similarity', async () => {
    const { deja, spans } = harness();
    await storeOrigin(deja);
    const result = await find(deja, 'capital of France, please');
    expect(result.hit).toBe('semantic');
    const [lookup] = named(await spans(), 'deja.lookup');
    expect(lookup?.attributes['deja.outcome']).toBe('semantic');
    expect(lookup?.attributes['deja.verified']).toBe(false);
    expect(lookup?.attributes['deja.similarity']).toBeCloseTo(0.97, 6);
    expect(named(await spans(), 'deja.verify')).toEqual([]);
  });

  it('a verification is a child span of its lookup, with the verdict; the lookup says verified', async () => {
    const { deja, spans } = harness();
    await storeOrigin(deja);
    expect((await find(deja, 'Which city is the French capital?')).hit).toBe('semantic');
    const [lookup] = named(await spans(), 'deja.lookup');
    const [verify] = named(await spans(), 'deja.verify');
    expect(verify?.parentSpanContext?.spanId).toBe(lookup?.spanContext().spanId);
    expect(verify?.attributes).toMatchObject({
      'deja.tenant': deja.tenant('acme').digest,
      'deja.verdict': 'same',
      'deja.verified': true,
    });
    expect(verify?.attributes['deja.similarity']).toBeCloseTo(0.92, 6);
    expect(lookup?.attributes).toMatchObject({ 'deja.outcome': 'semantic', 'deja.verified': true });
  });

  it('misses carry their reason: below the threshold (with the best similarity), verifier rejected, no entry', async () => {
    const { deja, spans } = harness();
    await storeOrigin(deja);
    await find(deja, 'How do I bake bread?');
    await find(deja, 'France capital, the one with the tower?');
    await find(deja, ORIGIN, 'globex');
    const lookups = named(await spans(), 'deja.lookup').map((span) => span.attributes);
    expect(lookups[0]).toMatchObject({
      'deja.outcome': 'miss',
      'deja.hit': false,
      'deja.miss.reason': 'below-threshold',
    });
    expect(lookups[0]?.['deja.similarity']).toBeCloseTo(0.5, 6);
    expect(lookups[1]).toMatchObject({ 'deja.outcome': 'miss', 'deja.miss.reason': 'verifier-rejected' });
    expect(lookups[2]).toMatchObject({
      'deja.outcome': 'miss',
      'deja.miss.reason': 'no-entry',
      'deja.tenant': deja.tenant('globex').digest,
    });
    const [verify] = named(await spans(), 'deja.verify');
    expect(verify?.attributes).toMatchObject({ 'deja.verdict': 'different', 'deja.verified': false });
  });

  it('no prompt or answer text and no tenant id by default; recordText puts the semantic texts on spans', async () => {
    const quiet = harness();
    await storeOrigin(quiet.deja);
    for (const text of TEXTS) await find(quiet.deja, text);
    const quietSpans = await quiet.spans();
    const values = quietSpans.flatMap((span) => Object.values(span.attributes).map(String));
    expect(quietSpans.length).toBe(1 + TEXTS.length + 2);
    for (const secret of [...TEXTS, ANSWER, 'acme'])
      expect(values.filter((value) => value.includes(secret))).toEqual([]);

    const loud = harness({ recordText: true });
    await storeOrigin(loud.deja);
    await find(loud.deja, 'Which city is the French capital?');
    const [lookup] = named(await loud.spans(), 'deja.lookup');
    const [verify] = named(await loud.spans(), 'deja.verify');
    expect(named(await loud.spans(), 'deja.store')[0]?.attributes['deja.text']).toBe(ORIGIN);
    expect(lookup?.attributes['deja.text']).toBe('Which city is the French capital?');
    expect(verify?.attributes).toMatchObject({
      'deja.text': 'Which city is the French capital?',
      'deja.candidate.text': ORIGIN,
    });
  });

  it('a call that throws for bad input ends its span as an error and rethrows the same error', async () => {
    const { deja, spans } = harness();
    const bad = deja.tenant('acme').responses.find({ key: { q: () => 1 } });
    await expect(bad).rejects.toThrow(DejaInputError);
    const [lookup] = named(await spans(), 'deja.lookup');
    expect(lookup?.status.code).toBe(2);
    expect(lookup?.events.map((event) => event.name)).toEqual(['exception']);
  });
});

describe('deja metrics', () => {
  const point = (points: DataPoint<number | Histogram>[] | undefined, attributes: Record<string, unknown>) =>
    points?.find((candidate) => JSON.stringify(candidate.attributes) === JSON.stringify(attributes))?.value;

  it('lookups by outcome and reason, stores, verifications, durations, tokens and cost saved, errors by kind, breaker', async () => {
    const { deja, metrics, errors } = harness();
    await storeOrigin(deja);
    await find(deja, ORIGIN); // exact
    await find(deja, 'capital of France, please'); // semantic, unverified
    await find(deja, 'Which city is the French capital?'); // semantic, verified
    await find(deja, 'France capital, the one with the tower?'); // miss: verifier-rejected
    await find(deja, 'How do I bake bread?'); // miss: below-threshold
    await find(deja, 'a text the embedder does not know'); // miss: embedder-failed (reported)

    const byName = await metrics();
    const lookups = byName.get('deja.lookups');
    expect(point(lookups, { 'deja.outcome': 'exact' })).toBe(1);
    expect(point(lookups, { 'deja.outcome': 'semantic' })).toBe(2);
    expect(point(lookups, { 'deja.outcome': 'miss', 'deja.miss.reason': 'verifier-rejected' })).toBe(1);
    expect(point(lookups, { 'deja.outcome': 'miss', 'deja.miss.reason': 'below-threshold' })).toBe(1);
    expect(point(lookups, { 'deja.outcome': 'miss', 'deja.miss.reason': 'embedder-failed' })).toBe(1);
    expect(point(byName.get('deja.stores'), { 'deja.stored': true })).toBe(1);
    const verifications = byName.get('deja.verifications');
    expect(point(verifications, { 'deja.verdict': 'same' })).toBe(1);
    expect(point(verifications, { 'deja.verdict': 'different' })).toBe(1);

    const durations = byName.get('deja.operation.duration') ?? [];
    const counted = (operation: string) =>
      durations
        .filter((candidate) => candidate.attributes['deja.operation'] === operation)
        .reduce((sum, candidate) => sum + (candidate.value as Histogram).count, 0);
    expect([counted('lookup'), counted('store'), counted('verify')]).toEqual([6, 1, 2]);

    // Three hits on an entry whose call spent 1 000 + 500 tokens at $2 / $8 per million.
    expect(point(byName.get('deja.tokens.saved'), {})).toBe(4_500);
    expect(point(byName.get('deja.cost.saved'), {})).toBeCloseTo(3 * 0.006, 10);
    expect(deja.stats().tokensSaved).toBe(4_500);

    expect(errors.map((event) => event.kind)).toEqual(['embedder']);
    expect(point(byName.get('deja.errors'), { 'deja.error.kind': 'embedder' })).toBe(1);

    const breaker = byName.get('deja.breaker.state');
    expect(point(breaker, { 'deja.breaker.state': 'closed' })).toBe(1);
    expect(point(breaker, { 'deja.breaker.state': 'open' })).toBe(0);
  });

  it('the tenant digest is on the lookup counter only when asked (tenantInMetrics)', async () => {
    const reader = new PeriodicExportingMetricReader({
      exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
      exportIntervalMillis: 3_600_000,
    });
    const meter = new MeterProvider({ readers: [reader] }).getMeter('test');
    const tracer = new TracerProvider().getTracer('test');
    const deja = createDeja({
      store: memoryStore(),
      telemetry: dejaTelemetry({ tracer, meter, tenantInMetrics: true }),
    });
    open.push(deja);
    await deja.tenant('acme').responses.find({ key: 'k' });
    const { resourceMetrics } = await reader.collect();
    const lookups = resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .find((metric) => metric.descriptor.name === 'deja.lookups');
    expect(lookups?.dataPoints.map((candidate) => candidate.attributes)).toEqual([
      { 'deja.outcome': 'miss', 'deja.miss.reason': 'no-entry', 'deja.tenant': deja.tenant('acme').digest },
    ]);
  });

  it('a closed deja is no longer observed (its gauges stop)', async () => {
    const { deja, metrics } = harness();
    await deja.close();
    open.splice(open.indexOf(deja), 1);
    const byName = await metrics();
    expect(byName.get('deja.breaker.state') ?? []).toEqual([]);
  });
});
