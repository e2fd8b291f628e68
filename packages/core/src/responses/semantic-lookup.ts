// The semantic tier of a lookup: the few nearest entries of the same scope, best first, each
// judged before it may answer. A candidate is served when
// - a verdict for this (query, entry) pair says 'same' (cached, so a repeated query is not re-judged),
// - or the acceptance rule allows an unverified hit there (a static band, or the learned error bound),
// - or the verifier says 'same' now.
// A cached 'different' verdict or a reported wrong hit skips the candidate. A verifier that fails or
// times out counts as 'different' for this call (fail closed) and teaches nothing.
// When the rule says miss and the outcome is worth learning, the candidate comes back as `pending`:
// wrap compares it with the fresh answer it computes anyway (no extra model call) and records that.
import type { CachedItem } from '../entry-codec.js';
import { decideAcceptance } from '../semantic/acceptance.js';
import {
  encodeHitReference,
  markBlocksServing,
  PAIR_MARKS,
  type PairMark,
  parsePairMark,
  queryEntryKey,
} from '../semantic/feedback.js';
import type { SemanticShared } from '../semantic/semantic-settings.js';
import { traceVerify } from '../telemetry/telemetry-hooks.js';
import type { KnnResult, TenantScope } from '../tenancy/tenant-scope.js';
import type { CallSettings } from './call-settings.js';

export interface SemanticHit<T> {
  value: T;
  item: CachedItem<T>;
  similarity: number;
  /** True when a verifier (now or earlier, for this query) said the answer is the same. */
  verified: boolean;
  /** Hand back to reportWrongHit to say this hit was wrong. */
  reference: string;
}

/** A candidate the rule did not serve, to compare with the fresh answer. */
export interface PendingOutcome {
  similarity: number;
  value: unknown;
}

/** Why the semantic tier served nothing. */
export interface SemanticMiss {
  reason: 'no-entry' | 'below-threshold' | 'not-verified' | 'verifier-rejected' | 'reported-wrong';
  /** The best candidate's similarity, when there was one. */
  similarity?: number;
  /** The acceptance rule's own reason, for 'not-verified' (e.g. 'no-evidence-yet'). */
  rule?: string;
}

export type SemanticResult<T> =
  | { hit: SemanticHit<T>; miss?: undefined }
  | { hit?: undefined; miss: SemanticMiss; pending?: PendingOutcome };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The store key of a (query, entry) pair's mark; undefined when the store keeps no byte values.
 * A report and a verdict have keys of their own: a verdict that lands after a report (the judge
 * was asked before the user said "wrong") cannot overwrite it, and a read takes the report first.
 */
export function pairMarkKey(
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

/** The KNN of a lookup: the few nearest entries of the request's scope and user, best first. */
export function nearestCandidates<T>(
  scope: TenantScope,
  shared: SemanticShared,
  /** The request scope's digest. */
  requestScope: string,
  settings: CallSettings,
  vector: Float32Array,
): Promise<KnnResult<T>[]> {
  // Every neighbour comes back, so a miss can say how close the best one was.
  return scope.nearest<T>({
    vector,
    k: shared.candidates,
    scope: requestScope,
    user: settings.user,
    minSimilarity: 0,
  });
}

/** Judges the neighbours (from nearestCandidates), best first. */
export async function semanticLookup<T>(
  scope: TenantScope,
  shared: SemanticShared,
  /**
   * `query`: queryDigest(semanticText); `marked`: whether any mark names this query (queryMarked),
   * undefined when unknown (then the marks are read).
   */
  request: { semanticText: string; query: string; marked?: boolean },
  settings: CallSettings,
  neighbours: KnnResult<T>[],
): Promise<SemanticResult<T>> {
  const best = neighbours[0]?.similarity;
  const candidates = neighbours.filter((candidate) => candidate.similarity >= settings.minSimilarity);
  if (candidates.length === 0)
    return { miss: { reason: best === undefined ? 'no-entry' : 'below-threshold', similarity: best } };
  const { query } = request;
  const marks =
    request.marked === false ? candidates.map(() => undefined) : await readMarks(scope, query, candidates);
  const policy = { ...shared.policy, minSimilarity: settings.minSimilarity };
  const { counters } = shared;
  const hitOf = (candidate: KnnResult<T>, verified: boolean): { hit: SemanticHit<T> } => ({
    hit: {
      value: candidate.value,
      item: candidate,
      similarity: candidate.similarity,
      verified,
      reference: encodeHitReference({
        entryId: candidate.id,
        queryDigest: query,
        similarity: candidate.similarity,
      }),
    },
  });

  let miss: SemanticMiss = { reason: 'no-entry', similarity: best };
  for (const [i, candidate] of candidates.entries()) {
    const mark = marks[i];
    if (markBlocksServing(mark)) {
      counters.blockedByMark++;
      const reason = mark === PAIR_MARKS.reportedWrong ? 'reported-wrong' : 'verifier-rejected';
      if (miss.reason === 'no-entry') miss = { reason, similarity: candidate.similarity };
      continue;
    }
    if (mark === PAIR_MARKS.same) {
      counters.servedOnVerdict++;
      return hitOf(candidate, true);
    }
    const decision = decideAcceptance({
      similarity: candidate.similarity,
      policy,
      hasVerifier: shared.verifier !== undefined,
      evidence: shared.evidence?.current(),
      random: shared.random,
    });
    if (decision.explore) counters.explored++;
    if (decision.action === 'serve') return hitOf(candidate, false);
    if (decision.action === 'miss') {
      // The nearest candidate decides: the rest are further away, so no more likely to be served.
      const notVerified: SemanticMiss = {
        reason: 'not-verified',
        similarity: candidate.similarity,
        rule: decision.reason,
      };
      const pending = decision.record
        ? { similarity: candidate.similarity, value: candidate.value }
        : undefined;
      return { miss: notVerified, pending };
    }
    const verdict = await traceVerify(scope, shared.verifier as NonNullable<SemanticShared['verifier']>, {
      query: request.semanticText,
      candidate: { text: candidate.text, value: candidate.value },
      similarity: candidate.similarity,
      signal: settings.signal,
    });
    if (miss.reason === 'no-entry') miss = { reason: 'verifier-rejected', similarity: candidate.similarity };
    if (verdict.failure) continue;
    const same = verdict.verdict === 'same';
    if (decision.record) recordOutcome(shared, candidate.similarity, same);
    await writePairMark(
      scope,
      query,
      candidate.id,
      same ? PAIR_MARKS.same : PAIR_MARKS.different,
      settings.ttlMs,
    );
    if (same) return hitOf(candidate, true);
  }
  return { miss };
}

export function recordOutcome(shared: SemanticShared, similarity: number, correct: boolean): void {
  if (!shared.evidence) return;
  shared.evidence.record(similarity, correct);
  shared.counters.outcomes++;
}

/** The marks of every candidate in one read; none when the store keeps no byte values. */
async function readMarks<T>(
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
