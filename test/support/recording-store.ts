// A store with the calls it receives written down (method names, in order, optional parts as
// `part.method`), and what one piece of work cost: the store calls it made and the embedder
// calls. The store itself is real; only its calls are observed.
import type { Store } from '@deja/core';

/** Key builders: pure functions, no work on the store. */
const KEY_BUILDERS = new Set<PropertyKey>(['key']);
/** The store's optional parts, whose calls are written down as `part.method`. */
const PARTS = new Set<PropertyKey>(['locks', 'counters', 'bytes']);

export interface RecordingStore {
  store: Store;
  calls: string[];
}

/**
 * `only`: the call names to write down (e.g. `['get', 'knn', 'bytes.get']`); default all.
 * `onCall`: also told each name as the call is sent (e.g. to file it under the app call that made it).
 */
export function recordingStore(
  inner: Store,
  only?: readonly string[],
  onCall?: (name: string) => void,
): RecordingStore {
  const calls: string[] = [];
  const record = <T extends object>(target: T, prefix: string): T =>
    new Proxy(target, {
      get(object, property, receiver) {
        const value = Reflect.get(object, property, receiver);
        if (PARTS.has(property) && value) return record(value, `${String(property)}.`);
        if (typeof value !== 'function' || KEY_BUILDERS.has(property)) return value;
        const name = `${prefix}${String(property)}`;
        if (only && !only.includes(name)) return value;
        return (...args: unknown[]) => {
          calls.push(name);
          onCall?.(name);
          return value.apply(object, args);
        };
      },
    });
  return { store: record(inner, ''), calls };
}

/** Runs `run`, with the store calls and embedder calls it made. */
export async function costOf<T>(
  recorded: RecordingStore,
  embedder: { calls: number },
  run: () => Promise<T>,
): Promise<{ result: T; storeCalls: string[]; embedderCalls: number }> {
  const storeBefore = recorded.calls.length;
  const embedderBefore = embedder.calls;
  const result = await run();
  return {
    result,
    storeCalls: recorded.calls.slice(storeBefore),
    embedderCalls: embedder.calls - embedderBefore,
  };
}
