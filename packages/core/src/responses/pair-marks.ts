// The marks a (query, entry) pair can carry: a verifier's cached verdict and a user's report that
// the hit was wrong, each under its own key in the tenant's keyspace, plus one flag per query
// saying that some mark names it (so the query nobody judged skips the marks read).
import type { PairMark } from '../semantic/feedback.js';
import { PAIR_MARKS, parsePairMark, queryEntryKey } from '../semantic/feedback.js';
import type { KnnResult, TenantScope } from '../tenancy/tenant-scope.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The store key of a (query, entry) pair's mark; undefined when the store keeps no byte values.
 * A report and a verdict have keys of their own: a verdict that lands after a report (the judge
 * was asked before the user said "wrong") cannot overwrite it, and a read takes the report first.
 */
function pairMarkKey(
  scope: TenantScope,
  query: string,
  entryId: string,
  kind: 'verdict' | 'report',
): string | undefined {
  const name = queryEntryKey({ tenantDigest: scope.digest, queryDigest: query, entryId });
  return scope.context.store.bytesKey(scope.digest, kind === 'report' ? `report:${name}` : `mark:${name}`);
}

/**
 * The store key saying that some mark names this query (whichever entry). A lookup reads it with
 * its first round trip, so the query nobody judged or reported (nearly all) skips the marks read.
 */
function queryMarkedKey(scope: TenantScope, query: string): string | undefined {
  return scope.context.store.bytesKey(scope.digest, `marked:${scope.digest}:${query}`);
}

/**
 * Whether any mark names this query: false when none does (or the store keeps no marks), undefined
 * when the read failed (the marks are then read, failing closed).
 */
export async function queryMarked(scope: TenantScope, query: string): Promise<boolean | undefined> {
  // Keys need the initialised store (a Redis store reads its namespace secret at init).
  if (!(await scope.context.store.ready())) return undefined;
  const key = queryMarkedKey(scope, query);
  if (!key) return false;
  const values = await scope.context.store.getBytes([key]);
  return values.length === 0 ? undefined : values[0] !== undefined;
}

export async function writePairMark(
  scope: TenantScope,
  query: string,
  entryId: string,
  mark: PairMark,
  ttlMs: number,
): Promise<void> {
  if (!(await scope.context.store.ready())) return;
  const { store } = scope.context;
  const key = pairMarkKey(scope, query, entryId, mark === PAIR_MARKS.reportedWrong ? 'report' : 'verdict');
  const flag = queryMarkedKey(scope, query);
  if (!key || !flag) return;
  // The flag goes first and never expires before any mark of the query, so a reader that skips
  // the marks on its word never misses one.
  await Promise.all([
    store.setBytes([{ key: flag, value: encoder.encode('1') }], ttlMs, { keepLonger: true }),
    store.setBytes([{ key, value: encoder.encode(mark) }], ttlMs),
  ]);
}

/** The marks of every candidate in one read; none when the store keeps no byte values. */
export async function readMarks<T>(
  scope: TenantScope,
  query: string,
  candidates: KnnResult<T>[],
): Promise<(PairMark | undefined)[]> {
  // Both keys of every candidate in one read: [report, verdict] per candidate.
  const keys = candidates.flatMap((candidate) => [
    pairMarkKey(scope, query, candidate.id, 'report'),
    pairMarkKey(scope, query, candidate.id, 'verdict'),
  ]);
  if (keys.some((key) => key === undefined)) return candidates.map(() => undefined);
  const values = await scope.context.store.getBytes(keys as string[]);
  const markAt = (i: number) => {
    const bytes = values[i];
    return bytes ? parsePairMark(decoder.decode(bytes)) : undefined;
  };
  return candidates.map((_, i) => markAt(2 * i) ?? markAt(2 * i + 1));
}
