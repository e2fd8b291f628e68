// What an app's OpenTelemetry setup does, with console exporters: spans printed as they end,
// metrics printed when `flushMetrics` is called. A real app registers OTLP exporters instead.
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  ConsoleMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { ConsoleSpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

export function consoleTelemetry() {
  // Async context, so a verification's span is a child of its lookup's.
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const tracerProvider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() })],
  });
  const reader = new PeriodicExportingMetricReader({
    exporter: new ConsoleMetricExporter({ temporalitySelector: () => AggregationTemporality.CUMULATIVE }),
    // Printed on demand below, not on a timer.
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    tracer: tracerProvider.getTracer('metrics-rag'),
    meter: meterProvider.getMeter('metrics-rag'),
    flushSpans: () => tracerProvider.forceFlush(),
    flushMetrics: () => reader.forceFlush(),
    async shutdown() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      contextManager.disable();
    },
  };
}
