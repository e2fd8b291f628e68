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
import { encodeHitReference, markBlocksServing, PAIR_MARKS } from '../semantic/feedback.js';
import type { SemanticShared } from '../semantic/semantic-settings.js';
import { traceVerify } from '../telemetry/telemetry-hooks.js';
import type { KnnResult, TenantScope } from '../tenancy/tenant-scope.js';
import type { CallSettings } from './call-settings.js';
import { readMarks, writePairMark } from './pair-marks.js';

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

/**
 * The KNN of a lookup: the nearest entries of the request's scope and user, best first. `all`:
 * the `semanticCandidates` nearest; else only as many as can matter before the marks are known.
 * Without a verifier only the nearest can be served, unless a mark blocks it (the next one is
 * then asked for: see the re-query in lookup-path.ts); with one, each candidate may be judged.
 */
export function nearestCandidates<T>(
  scope: TenantScope,
  shared: SemanticShared,
  /** The request scope's digest. */
  requestScope: string,
  settings: CallSettings,
  vector: Float32Array,
  all = false,
): Promise<KnnResult<T>[]> {
  // Every neighbour comes back, so a miss can say how close the best one was.
  return scope.nearest<T>({
    vector,
    k: all ? shared.candidates : candidatesBeforeMarks(shared),
    scope: requestScope,
    user: settings.user,
    minSimilarity: 0,
  });
}

/** How many candidates a KNN asks for while it is unknown whether a mark names the query. */
export function candidatesBeforeMarks(shared: SemanticShared): number {
  return shared.verifier ? shared.candidates : Math.min(1, shared.candidates);
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
