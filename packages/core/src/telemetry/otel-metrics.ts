// deja's metrics on an OpenTelemetry Meter. Counters and the duration histogram are recorded when
// an operation's span ends; tokens and cost saved and the breaker state are observed from each
// deja at collection time (their source of truth is stats() and the guard, so the two never
// disagree). Attribute sets are small and bounded: outcome and reason are closed lists; the tenant
// digest is added to the lookup counter only on request (one series per tenant).
import type { Meter } from '@opentelemetry/api';
import { definedAttributes, SPAN_ATTRIBUTES, type TelemetryAttributes } from './span-attributes.js';
import type { DejaOperation, TelemetrySource } from './telemetry-hooks.js';

export const METRIC_NAMES = {
  lookups: 'deja.lookups',
  stores: 'deja.stores',
  verifications: 'deja.verifications',
  duration: 'deja.operation.duration',
  errors: 'deja.errors',
  tokensSaved: 'deja.tokens.saved',
  costSaved: 'deja.cost.saved',
  breakerState: 'deja.breaker.state',
} as const;

const BREAKER_STATES = ['closed', 'half-open', 'open'] as const;

/** Seconds: from a memory-store hit (tens of µs) to a verifier call (seconds). */
const DURATION_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

export interface DejaMeters {
  /** One finished operation: its duration, and the counter of its outcome. */
  operation(operation: DejaOperation, attributes: TelemetryAttributes, durationMs: number): void;
  /** One operation that threw (misuse): its duration, with the error's name. */
  failed(operation: DejaOperation, errorType: string, durationMs: number): void;
  error(kind: string): void;
}

export function dejaMeters(
  meter: Meter,
  sources: ReadonlySet<TelemetrySource>,
  options: { tenantInMetrics: boolean },
): DejaMeters {
  const lookups = meter.createCounter(METRIC_NAMES.lookups, {
    description: 'Lookups by outcome (exact, semantic, miss) and, for misses, the reason',
    unit: '{lookup}',
  });
  const stores = meter.createCounter(METRIC_NAMES.stores, {
    description: 'Store calls, by whether the entry was written and why not',
    unit: '{store}',
  });
  const verifications = meter.createCounter(METRIC_NAMES.verifications, {
    description: "Verifier calls by verdict; a failure or time-out is a fail-closed 'different'",
    unit: '{verification}',
  });
  const duration = meter.createHistogram(METRIC_NAMES.duration, {
    description: 'Duration of deja lookups, stores and verifications',
    unit: 's',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
  const errors = meter.createCounter(METRIC_NAMES.errors, {
    description: 'Problems reported to onError (the app saw a miss), by kind',
    unit: '{error}',
  });
  const tokensSaved = meter.createObservableCounter(METRIC_NAMES.tokensSaved, {
    description: 'Tokens the original calls spent, saved by cache hits in this process',
    unit: '{token}',
  });
  const costSaved = meter.createObservableCounter(METRIC_NAMES.costSaved, {
    description: 'Cost saved by cache hits in this process (createDeja prices)',
    unit: 'USD',
  });
  const breaker = meter.createObservableGauge(METRIC_NAMES.breakerState, {
    description: 'Dejas of this process whose circuit breaker is in each state',
    unit: '{deja}',
  });
  meter.addBatchObservableCallback(
    (result) => {
      if (sources.size === 0) return;
      let tokens = 0;
      let cost = 0;
      const states: Record<(typeof BREAKER_STATES)[number], number> = { closed: 0, 'half-open': 0, open: 0 };
      for (const source of sources) {
        const saved = source.saved();
        tokens += saved.tokensSaved;
        cost += saved.costSaved;
        states[source.breaker()]++;
      }
      result.observe(tokensSaved, tokens);
      result.observe(costSaved, cost);
      for (const state of BREAKER_STATES)
        result.observe(breaker, states[state], { 'deja.breaker.state': state });
    },
    [tokensSaved, costSaved, breaker],
  );

  const pick = (attributes: TelemetryAttributes, names: string[]) =>
    definedAttributes(Object.fromEntries(names.map((name) => [name, attributes[name]])));
  const A = SPAN_ATTRIBUTES;

  return {
    operation(operation, attributes, durationMs) {
      if (operation === 'lookup') {
        const names: string[] = [A.outcome, A.missReason];
        if (options.tenantInMetrics) names.push(A.tenant);
        lookups.add(1, pick(attributes, names));
        duration.record(durationMs / 1000, { [A.operation]: operation, ...pick(attributes, [A.outcome]) });
      } else if (operation === 'store') {
        stores.add(1, pick(attributes, [A.stored, A.notCachedReason]));
        duration.record(durationMs / 1000, { [A.operation]: operation, ...pick(attributes, [A.stored]) });
      } else {
        verifications.add(1, pick(attributes, [A.verdict, A.verifierFailure]));
        duration.record(durationMs / 1000, { [A.operation]: operation, ...pick(attributes, [A.verdict]) });
      }
    },
    failed(operation, errorType, durationMs) {
      duration.record(durationMs / 1000, { [A.operation]: operation, 'error.type': errorType });
    },
    error(kind) {
      errors.add(1, { [A.errorKind]: kind });
    },
  };
}
