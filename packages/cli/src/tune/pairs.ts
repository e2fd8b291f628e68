// Labelled pairs for `deja tune`, in two formats (packages/cli/README.md, "deja tune"):
//   [{ "a": "...", "b": "...", "same": true }]   a: a cached question, b: a new one; same: would
//                                                the answer to a be a right answer to b?
//   [{ "origin": "...", "similar": "..." }]      paraphrases, every pair means the same (GPTCache's
//                                                mock_data.json); turned into labelled pairs with
//                                                unanswerable queries by @deja/core/evaluation
import { type LabelledPair, paraphrasesToLabelledPairs } from '@deja/core/evaluation';
import { DejaCliError } from '../errors.js';

export function parsePairs(data: unknown, source: string): LabelledPair[] {
  if (!Array.isArray(data) || data.length === 0) {
    throw new DejaCliError(`${source}: expected a JSON array of pairs ({a, b, same} or {origin, similar})`);
  }
  const first = data[0] as Record<string, unknown>;
  return first && typeof first === 'object' && 'origin' in first
    ? fromParaphrases(data, source)
    : fromLabelled(data, source);
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
    throw new DejaCliError(`${source}: needs at least 2 {origin, similar} pairs (one answerable, one not)`);
  return paraphrasesToLabelledPairs(items);
}
