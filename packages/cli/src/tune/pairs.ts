// Labelled pairs for `deja tune`, in two formats:
//   [{ "a": "...", "b": "...", "same": true }]     explicit labels
//   [{ "origin": "...", "similar": "..." }]        GPTCache's mock_data.json: every pair means the same;
//                                                  an origin with the next pair's `similar` gives a negative
import { DejaCliError } from '../errors.js';

export interface LabelledPair {
  a: string;
  b: string;
  same: boolean;
}

export function parsePairs(data: unknown, source: string): LabelledPair[] {
  if (!Array.isArray(data) || data.length === 0) {
    throw new DejaCliError(`${source}: expected a JSON array of pairs ({a, b, same} or {origin, similar})`);
  }
  const first = data[0] as Record<string, unknown>;
  const pairs =
    first && typeof first === 'object' && 'origin' in first
      ? fromParaphrases(data, source)
      : fromLabelled(data, source);
  const same = pairs.filter((pair) => pair.same).length;
  if (same === 0 || same === pairs.length) {
    throw new DejaCliError(
      `${source}: needs pairs of both kinds (same meaning and different meaning) to measure precision`,
    );
  }
  return pairs;
}

function fromLabelled(data: unknown[], source: string): LabelledPair[] {
  return data.map((item, i) => {
    const pair = item as Partial<LabelledPair> | null;
    if (!pair || typeof pair.a !== 'string' || typeof pair.b !== 'string' || typeof pair.same !== 'boolean') {
      throw new DejaCliError(`${source}: item ${i} is not {a: string, b: string, same: boolean}`);
    }
    if (pair.a.trim() === '' || pair.b.trim() === '')
      throw new DejaCliError(`${source}: item ${i} has an empty text`);
    return { a: pair.a, b: pair.b, same: pair.same };
  });
}

function fromParaphrases(data: unknown[], source: string): LabelledPair[] {
  const items = data.map((item, i) => {
    const pair = item as { origin?: unknown; similar?: unknown } | null;
    if (
      !pair ||
      typeof pair.origin !== 'string' ||
      typeof pair.similar !== 'string' ||
      !pair.origin.trim() ||
      !pair.similar.trim()
    ) {
      throw new DejaCliError(`${source}: item ${i} is not {origin: string, similar: string}`);
    }
    return { origin: pair.origin, similar: pair.similar };
  });
  if (items.length < 2)
    throw new DejaCliError(`${source}: needs at least 2 {origin, similar} pairs to derive negatives`);
  const positives = items.map(({ origin, similar }) => ({ a: origin, b: similar, same: true }));
  const negatives = items.map(({ origin }, i) => ({
    a: origin,
    b: (items[(i + 1) % items.length] as { similar: string }).similar,
    same: false,
  }));
  return [...positives, ...negatives];
}
