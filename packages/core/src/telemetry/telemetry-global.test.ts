// `telemetry: true` takes the global providers through a lazily imported @opentelemetry/api; when
// that package is missing, telemetry is a no-op and the cache works; and no file of core imports
// the package at run time except through that import(), so core loads without it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { metrics, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.doUnmock('@opentelemetry/api');
  vi.resetModules();
  trace.disable();
  metrics.disable();
});

describe('telemetry: true', () => {
  it('records on the global tracer and meter providers', async () => {
    const spans = new InMemorySpanExporter();
    const tracerProvider = new TracerProvider({
      spanProcessors: [new SimpleSpanProcessor({ exporter: spans })],
    });
    const reader = new PeriodicExportingMetricReader({
      exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
      exportIntervalMillis: 3_600_000,
    });
    trace.setGlobalTracerProvider(tracerProvider);
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    const { createDeja } = await import('../deja.js');
    const { memoryStore } = await import('../stores/memory-store.js');
    const deja = createDeja({ store: memoryStore(), telemetry: true });
    await deja.tenant('acme').responses.find({ key: 'q' });
    await tracerProvider.forceFlush();
    expect(spans.getFinishedSpans().map((span) => [span.name, span.attributes['deja.miss.reason']])).toEqual([
      ['deja.lookup', 'no-entry'],
    ]);
    const { resourceMetrics } = await reader.collect();
    const names = resourceMetrics.scopeMetrics.flatMap((scope) =>
      scope.metrics.map((metric) => metric.descriptor.name),
    );
    expect(names).toContain('deja.lookups');
    expect(names).toContain('deja.breaker.state');
    await deja.close();
  });

  it('without @opentelemetry/api: nothing is recorded and every call works', async () => {
    // A provider is registered: spans would reach it if the (mocked away) package were loaded.
    const spans = new InMemorySpanExporter();
    const tracerProvider = new TracerProvider({
      spanProcessors: [new SimpleSpanProcessor({ exporter: spans })],
    });
    trace.setGlobalTracerProvider(tracerProvider);
    vi.doMock('@opentelemetry/api', () => {
      throw new Error("Cannot find package '@opentelemetry/api'");
    });
    const { dejaTelemetry } = await import('./otel-telemetry.js');
    const telemetry = dejaTelemetry();
    const lookup = telemetry.start('lookup', { 'deja.tenant': 'digest' });
    expect(await lookup.run(async () => 'answer')).toBe('answer');
    lookup.end({ 'deja.outcome': 'miss' });
    const { createDeja } = await import('../deja.js');
    const { memoryStore } = await import('../stores/memory-store.js');
    const deja = createDeja({ store: memoryStore(), telemetry, writeBehind: false });
    const responses = deja.tenant('acme').responses;
    expect((await responses.store({ key: 'q' }, 'a')).stored).toBe(true);
    expect((await responses.find({ key: 'q' })).hit).toBe('exact');
    await expect(lookup.run(async () => Promise.reject(new Error('app failure')))).rejects.toThrow(
      'app failure',
    );
    await deja.close();
    await tracerProvider.forceFlush();
    expect(spans.getFinishedSpans()).toEqual([]);
  });
});

describe('core loads without @opentelemetry/api', () => {
  it('no shipped source file imports it except as types or through import()', () => {
    const root = join(import.meta.dirname, '..');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter(
      (file) => file.endsWith('.ts') && !file.endsWith('.test.ts'),
    );
    const runtimeImports = files.filter((file) =>
      /^import (?!type )[^;]*from '@opentelemetry\//m.test(readFileSync(join(root, file), 'utf8')),
    );
    expect(files.length).toBeGreaterThan(50);
    expect(runtimeImports).toEqual([]);
    const lazy = readFileSync(join(root, 'telemetry', 'otel-telemetry.ts'), 'utf8');
    expect(lazy).toContain("import('@opentelemetry/api')");
  });
});
