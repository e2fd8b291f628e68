// The raw KNN the bench sends to RediSearch (k = 1), and a timed recall run of it: shared by the
// semantic matrix's raw contenders and the HNSW sections, so they all measure the same query.
import { type LatencySummary, summarize } from './timing.ts';

/** FT.SEARCH of the nearest entry to `vector` under `filter`, `clause` after the KNN (e.g. a hybrid policy). */
export function knnSearchArgs(
  index: string,
  filter: string,
  clause: string,
  vector: Float32Array,
  returnFields: string[],
): (string | Buffer)[] {
  return [
    'FT.SEARCH',
    index,
    `${filter}=>[KNN 1 @embedding $vector ${clause ? `${clause} ` : ''}AS distance]`,
    'PARAMS',
    '2',
    'vector',
    Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength),
    'SORTBY',
    'distance',
    'RETURN',
    String(returnFields.length),
    ...returnFields,
    'LIMIT',
    '0',
    '1',
    'DIALECT',
    '2',
  ];
}

export interface RecallRun {
  /** Key of the top hit per query (undefined: none). */
  found: (string | undefined)[];
  /** Share of queries whose top hit is `truth`'s (1 without a truth). */
  recall: number;
  /** Share of queries whose top hit is the key `expected` names. */
  hitRate: number;
  summary: LatencySummary;
}

/** Runs `search` for queries 0..count-1 (5 untimed first), timed one at a time. */
export async function recallRun(
  search: (i: number) => Promise<string | undefined>,
  count: number,
  expected: (i: number) => string,
  truth?: (string | undefined)[],
): Promise<RecallRun> {
  for (let i = 0; i < Math.min(5, count); i++) await search(i);
  const found: (string | undefined)[] = [];
  const timesUs: number[] = [];
  for (let i = 0; i < count; i++) {
    const startedAt = performance.now();
    found.push(await search(i));
    timesUs.push((performance.now() - startedAt) * 1000);
  }
  const recall = truth ? found.filter((id, i) => id !== undefined && id === truth[i]).length / count : 1;
  const hitRate = found.filter((id, i) => id === expected(i)).length / count;
  return { found, recall, hitRate, summary: summarize(timesUs) };
}
