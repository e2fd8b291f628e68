// What the cache tells its telemetry, and the three wrappers that put a lookup, a store and a
// verification inside a span. No OpenTelemetry import here (not even of types): core loads and
// runs without @opentelemetry/api, and a deja without `telemetry` pays one `undefined` check.
// The wrappers read results structurally, so this file imports nothing from the cache it observes
// (no import cycle with responses/ or options.ts).
import type { DejaErrorEvent } from '../guard.js';
import {
  lookupAttributes,
  SPAN_ATTRIBUTES,
  type StoredResultLike,
  storeAttributes,
  type TelemetryAttributes,
  type TracedLookup,
  type VerdictLike,
  verifyAttributes,
} from './span-attributes.js';

export const DEJA_OPERATIONS = { lookup: 'lookup', store: 'store', verify: 'verify' } as const;
export type DejaOperation = (typeof DEJA_OPERATIONS)[keyof typeof DEJA_OPERATIONS];

/** One traced operation. */
export interface OperationTrace {
  /** Runs `work` with this span as the active one (what the work traces becomes its child). */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Ends the span with what the result said and records the operation's metrics. */
  end(attributes: TelemetryAttributes): void;
}

/** What a deja's gauges read (createDeja hands one over per deja). */
export interface TelemetrySource {
  breaker(): 'closed' | 'open' | 'half-open';
  /** Totals of this process (tokensSaved, costSaved). */
  saved(): { tokensSaved: number; costSaved: number };
}

/** What deja tells its telemetry. `dejaTelemetry()` (@deja/core/telemetry) builds one on OpenTelemetry. */
export interface DejaTelemetry {
  /** Put the semantic text (a user's words) on spans. Default false: it may be personal data. */
  readonly recordText: boolean;
  /** Starts the span of one operation; `run` does the work inside it, `end` closes it. */
  start(operation: DejaOperation, attributes: TelemetryAttributes): OperationTrace;
  /** A problem reported to onError, counted by kind. */
  error(event: DejaErrorEvent): void;
  /** Gauges read this deja until the returned function is called (by `close()`). */
  observe(source: TelemetrySource): () => void;
}

/** Wraps a lookup path's `find` in `deja.lookup` spans; the path itself when there is no telemetry. */
export function traceLookups<P extends { find: FindLike }>(
  telemetry: DejaTelemetry | undefined,
  tenant: string,
  path: P,
): P {
  if (!telemetry) return path;
  const find: FindLike = path.find;
  const traced: FindLike = async (...args) => {
    // find(request, settings): read structurally, passed on untouched.
    const [request, settings] = args as unknown as [{ semanticText?: string }, { mode: string }];
    const trace = telemetry.start(DEJA_OPERATIONS.lookup, {
      [SPAN_ATTRIBUTES.tenant]: tenant,
      [SPAN_ATTRIBUTES.mode]: settings.mode,
      ...textAttributes(telemetry, SPAN_ATTRIBUTES.text, request.semanticText),
    });
    const found = await trace.run(() => find(...args));
    trace.end(lookupAttributes(found.result));
    return found;
  };
  return { ...path, find: traced };
}

/** Wraps a response cache's store function in `deja.store` spans. */
export function traceStores<S extends StoreLike>(
  telemetry: DejaTelemetry | undefined,
  tenant: string,
  store: S,
): S {
  if (!telemetry) return store;
  const traced: StoreLike = async (...args) => {
    // store(request, value, ...): read structurally, passed on untouched.
    const [request] = args as unknown as [{ semanticText?: string }];
    const trace = telemetry.start(DEJA_OPERATIONS.store, {
      [SPAN_ATTRIBUTES.tenant]: tenant,
      ...textAttributes(telemetry, SPAN_ATTRIBUTES.text, request.semanticText),
    });
    const result = await trace.run(() => store(...args));
    trace.end(storeAttributes(result));
    return result;
  };
  return traced as S;
}

/** One verification in a `deja.verify` span (the verifier's own calls become its children). */
export async function traceVerify<R extends VerifyRequestLike, V extends VerdictLike>(
  scope: { digest: string; context: { options: { telemetry?: DejaTelemetry | undefined } } },
  verifier: { verify(request: R): Promise<V> },
  request: R,
): Promise<V> {
  const { telemetry } = scope.context.options;
  if (!telemetry) return verifier.verify(request);
  const trace = telemetry.start(DEJA_OPERATIONS.verify, {
    [SPAN_ATTRIBUTES.tenant]: scope.digest,
    [SPAN_ATTRIBUTES.similarity]: request.similarity,
    ...textAttributes(telemetry, SPAN_ATTRIBUTES.text, request.query),
    ...textAttributes(telemetry, SPAN_ATTRIBUTES.candidateText, request.candidate.text),
  });
  const verdict = await trace.run(() => verifier.verify(request));
  trace.end(verifyAttributes(verdict));
  return verdict;
}

interface VerifyRequestLike {
  query: string;
  candidate: { text: string };
  similarity: number;
}

// `never[]` parameters: any find or store fits, whatever its request type (read structurally above).
type FindLike = (...args: never[]) => Promise<{ result: TracedLookup }>;
type StoreLike = (...args: never[]) => Promise<StoredResultLike>;

function textAttributes(telemetry: DejaTelemetry, name: string, text: string | undefined) {
  return telemetry.recordText && text !== undefined ? { [name]: text } : {};
}
