// deja on OpenTelemetry and Prometheus: `@deja/core/telemetry`.
// createDeja({ telemetry: dejaTelemetry({ tracer, meter }) }) traces each lookup, store and
// verification and records deja's metrics; prometheusText serves deja's counters to a scraper.

export { METRIC_NAMES } from './otel-metrics.js';
export type { DejaTelemetryOptions } from './otel-telemetry.js';
export { dejaTelemetry } from './otel-telemetry.js';
export type { MetricsSnapshot } from './prometheus-text.js';
export { prometheusText } from './prometheus-text.js';
export type { TelemetryAttributes, TelemetryValue } from './span-attributes.js';
export { SPAN_ATTRIBUTES } from './span-attributes.js';
export type {
  DejaOperation,
  DejaTelemetry,
  OperationTrace,
  TelemetrySource,
} from './telemetry-hooks.js';
export { DEJA_OPERATIONS } from './telemetry-hooks.js';
