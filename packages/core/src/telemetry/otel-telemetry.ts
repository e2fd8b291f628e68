// dejaTelemetry: deja's spans and metrics on OpenTelemetry. Given a tracer and a meter, it uses
// them; for what is not given it takes the global providers, from @opentelemetry/api loaded with
// a dynamic import the first time (the package is an optional peer: without it, or when the
// import fails, telemetry is a no-op and the cache works as before). Only types are imported
// statically, so neither core nor this file needs the package to load.
import type { Meter, Span, SpanStatusCode, Tracer } from '@opentelemetry/api';
import type { DejaErrorEvent } from '../guard.js';
import { type DejaMeters, dejaMeters } from './otel-metrics.js';
import { definedAttributes, type TelemetryAttributes } from './span-attributes.js';
import type { DejaOperation, DejaTelemetry, OperationTrace, TelemetrySource } from './telemetry-hooks.js';

export interface DejaTelemetryOptions {
  /** Where spans go. Default: the global tracer provider's tracer '@deja/core'. */
  tracer?: Tracer;
  /**
   * Where metrics go. Default: the global meter provider's meter '@deja/core' (register the
   * provider before createDeja: a global meter taken earlier stays a no-op).
   */
  meter?: Meter;
  /** Put the semantic text (a user's words) and verified candidates' texts on spans. Default false. */
  recordText?: boolean;
  /** Add the tenant digest to the lookup counter: one time series per tenant. Default false. */
  tenantInMetrics?: boolean;
}

const INSTRUMENTATION_NAME = '@deja/core';
/** SpanStatusCode.ERROR, without loading the enum's package at run time. */
const STATUS_ERROR = 2 as SpanStatusCode.ERROR;

export function dejaTelemetry(options: DejaTelemetryOptions = {}): DejaTelemetry {
  let tracer = options.tracer;
  let meters: DejaMeters | undefined;
  const sources = new Set<TelemetrySource>();
  const meterOptions = { tenantInMetrics: options.tenantInMetrics ?? false };
  if (options.meter) meters = dejaMeters(options.meter, sources, meterOptions);

  let loading: Promise<void> | undefined;
  if (!tracer || !options.meter) {
    loading = import('@opentelemetry/api')
      .then((api) => {
        tracer ??= api.trace.getTracer(INSTRUMENTATION_NAME);
        meters ??= dejaMeters(api.metrics.getMeter(INSTRUMENTATION_NAME), sources, meterOptions);
      })
      .catch(() => {
        // No @opentelemetry/api: nothing to report to, and nothing for the app to fix.
      })
      .finally(() => {
        loading = undefined;
      });
  }

  const start = (operation: DejaOperation, attributes: TelemetryAttributes): OperationTrace => {
    const started = performance.now();
    let span: Span | undefined;
    return {
      async run(work) {
        if (loading) await loading;
        const fail = (error: unknown) => {
          const name = error instanceof Error ? error.name : 'Error';
          meters?.failed(operation, name, performance.now() - started);
          if (!span) return;
          span.recordException(error instanceof Error ? error : String(error));
          span.setStatus({ code: STATUS_ERROR, message: error instanceof Error ? error.message : name });
          span.end();
        };
        if (!tracer) return work().catch((error) => Promise.reject(failWith(fail, error)));
        return tracer.startActiveSpan(
          `deja.${operation}`,
          { attributes: definedAttributes(attributes) },
          (active) => {
            span = active;
            return work().catch((error) => Promise.reject(failWith(fail, error)));
          },
        );
      },
      end(result) {
        span?.setAttributes(definedAttributes(result));
        span?.end();
        meters?.operation(operation, { ...attributes, ...result }, performance.now() - started);
      },
    };
  };

  return {
    recordText: options.recordText ?? false,
    start,
    error: (event: DejaErrorEvent) => meters?.error(event.kind),
    observe(source) {
      sources.add(source);
      return () => sources.delete(source);
    },
  };
}

/** Runs `fail` on a rejection and hands the error back to be rethrown unchanged. */
function failWith(fail: (error: unknown) => void, error: unknown): unknown {
  try {
    fail(error);
  } catch {
    // Telemetry trouble must not replace the app's error.
  }
  return error;
}

let shared: DejaTelemetry | undefined;

/**
 * `telemetry: true`: one telemetry on the global providers for every deja of the process, so
 * their gauges are observed by one callback (two would each report the same series).
 */
export function globalTelemetry(): DejaTelemetry {
  shared ??= dejaTelemetry();
  return shared;
}
