// What one Deja shares for semantic decisions: the acceptance policy from its options, the guarded
// verifier, the evidence (shared through the store's counters, per namespace and embedding model),
// and the counters of what the tier did. Built once by createDeja.
import { sha256 } from '../keys/digest.js';
import type { ResolvedDejaOptions } from '../options.js';
import type { GuardedStore } from '../stores/guarded-store.js';
import { type AcceptancePolicy, acceptancePolicySchema } from './acceptance.js';
import type { EvidenceStore } from './evidence.js';
import { EvidenceCache } from './evidence-cache.js';
import { type GuardedVerifier, guardVerifier } from './verifier.js';

export interface SemanticCounters {
  /** Would-be unverified hits checked against a verifier or a fresh answer. */
  explored: number;
  /** Candidates skipped without asking: a cached 'different' verdict or a reported wrong hit. */
  blockedByMark: number;
  /** Served on a cached 'same' verdict (no verifier call). */
  servedOnVerdict: number;
  /** Outcomes recorded into the evidence. */
  outcomes: number;
  /** Wrong hits reported through reportWrongHit. */
  reportedWrong: number;
}

export interface SemanticShared {
  policy: AcceptancePolicy;
  verifier: GuardedVerifier | undefined;
  evidence: EvidenceCache | undefined;
  /** Compares a cached answer with a fresh one; true when they are the same answer. */
  equivalent: (cached: unknown, fresh: unknown) => boolean | Promise<boolean>;
  /** How many nearest candidates a lookup considers, best first. */
  candidates: number;
  counters: SemanticCounters;
  random: () => number;
}

/** The counters owner of the evidence: one per embedding model, so a new model starts cold. */
export function evidenceOwner(modelId: string | undefined): string {
  return `evidence-${sha256(modelId ?? 'no-model').slice(0, 16)}`;
}

export function semanticShared(
  options: ResolvedDejaOptions,
  store: GuardedStore,
  report: (operation: string, error: unknown) => void,
): SemanticShared {
  const policy = acceptancePolicySchema.parse({
    minSimilarity: options.minSimilarity,
    acceptSimilarity: options.acceptSimilarity,
    maxErrorRate: options.maxErrorRate === false ? undefined : options.maxErrorRate,
    confidence: options.confidence,
    explorationRate: options.explorationRate,
  });
  const verifier =
    options.verifier &&
    guardVerifier(options.verifier, {
      timeoutMs: options.verifierTimeoutMs,
      onFailure: ({ kind, error }) => report(`verifier ${kind}`, error),
    });
  const owner = evidenceOwner(options.embedder?.modelId);
  const evidenceStore: EvidenceStore = {
    read: async () => (await store.readCounters(owner))[owner] ?? {},
    add: (deltas) => store.addCounters(owner, deltas),
  };
  return {
    policy,
    verifier,
    evidence:
      policy.maxErrorRate === undefined
        ? undefined
        : new EvidenceCache({ store: evidenceStore, onError: (error) => report('evidence sync', error) }),
    equivalent: options.equivalent ?? sameValue,
    candidates: options.semanticCandidates,
    counters: { explored: 0, blockedByMark: 0, servedOnVerdict: 0, outcomes: 0, reportedWrong: 0 },
    random: Math.random,
  };
}

/**
 * The default `equivalent`: the two answers are the same value. Conservative on purpose: two
 * different wordings of one right answer count as a disagreement, which only keeps the bound
 * closed longer; it never lets a wrong answer count as right.
 */
function sameValue(cached: unknown, fresh: unknown): boolean {
  try {
    return JSON.stringify(cached) === JSON.stringify(fresh);
  } catch {
    return false;
  }
}
