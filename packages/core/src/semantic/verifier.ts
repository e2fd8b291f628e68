// The verifier contract, and the guard every call to one goes through.
// A verifier judges whether a cached entry (its text and answer) answers a new query: 'same' or
// 'different'. It is usually a model call, so it is slow, costs money and can fail; the guard:
// 1. gives it its own deadline (the caller's signal aborts it too) and aborts it at the deadline;
// 2. fails CLOSED: an error, a time-out or an answer that is not a verdict is 'different' (a
//    miss costs one model call; a wrong hit costs the user's trust), and is reported;
// 3. counts calls, verdicts, failures, time and tokens for stats.
export const VERDICTS = { same: 'same', different: 'different' } as const;
export type Verdict = (typeof VERDICTS)[keyof typeof VERDICTS];

export interface VerifyRequest {
  /** The new query's text (what was embedded for the lookup). */
  query: string;
  /** The cached entry: the text it was stored under and its answer. */
  candidate: { text: string; value: unknown };
  similarity: number;
  /** Aborted at the guard's deadline or when the caller gives up. */
  signal: AbortSignal;
}

/** What a verifier may return: a bare verdict, or one with the tokens it spent. */
export type VerifyResult = Verdict | { verdict: Verdict; inputTokens?: number; outputTokens?: number };

export interface Verifier {
  verify(request: VerifyRequest): Promise<VerifyResult>;
  /** The judging model's id, so stats can price the tokens (PriceTable). */
  readonly modelId?: string;
}

export const VERIFIER_FAILURES = { error: 'error', timeout: 'timeout', invalid: 'invalid-verdict' } as const;
export type VerifierFailureKind = (typeof VERIFIER_FAILURES)[keyof typeof VERIFIER_FAILURES];

export interface VerifierCounters {
  /** Calls made. */
  verifications: number;
  /** Said 'same' (served). */
  verified: number;
  /** Said 'different', or failed (see failures). */
  rejected: number;
  /** Errors, time-outs and invalid verdicts (all counted in rejected too). */
  failures: number;
  timeouts: number;
  /** Wall time spent waiting for verdicts, ms. */
  verifierMs: number;
  inputTokens: number;
  outputTokens: number;
}

export const emptyVerifierCounters = (): VerifierCounters => ({
  verifications: 0,
  verified: 0,
  rejected: 0,
  failures: 0,
  timeouts: 0,
  verifierMs: 0,
  inputTokens: 0,
  outputTokens: 0,
});

export interface GuardedVerdict {
  verdict: Verdict;
  /** Set when the verdict is a fail-closed 'different'. */
  failure?: VerifierFailureKind;
  ms: number;
}

export interface GuardedVerifierOptions {
  /** Deadline of one verification, ms. */
  timeoutMs: number;
  /** A failure (the verdict was then 'different'). */
  onFailure?: (failure: { kind: VerifierFailureKind; error: unknown }) => void;
  /** Clock for the time counter, ms. */
  now?: () => number;
}

export interface GuardedVerifier {
  verify(request: Omit<VerifyRequest, 'signal'> & { signal?: AbortSignal }): Promise<GuardedVerdict>;
  /** Totals since creation. */
  counters(): VerifierCounters;
  /** Counts since the last take (for per-tenant stats deltas), then resets them. */
  takeCounters(): VerifierCounters;
  readonly modelId?: string;
}

class VerifierTimeout extends Error {
  override readonly name = 'VerifierTimeout';
}

function readVerdict(
  result: unknown,
): { verdict: Verdict; inputTokens: number; outputTokens: number } | undefined {
  const tokens = (value: unknown) =>
    typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
  if (result === VERDICTS.same || result === VERDICTS.different)
    return { verdict: result, inputTokens: 0, outputTokens: 0 };
  if (typeof result !== 'object' || result === null) return undefined;
  const { verdict, inputTokens, outputTokens } = result as Record<string, unknown>;
  if (verdict !== VERDICTS.same && verdict !== VERDICTS.different) return undefined;
  return { verdict, inputTokens: tokens(inputTokens), outputTokens: tokens(outputTokens) };
}

export function guardVerifier(verifier: Verifier, options: GuardedVerifierOptions): GuardedVerifier {
  const now = options.now ?? (() => performance.now());
  const onFailure = options.onFailure ?? (() => {});
  const total = emptyVerifierCounters();
  let delta = emptyVerifierCounters();
  const count = (changes: Partial<VerifierCounters>) => {
    for (const [name, value] of Object.entries(changes) as [keyof VerifierCounters, number][]) {
      total[name] += value;
      delta[name] += value;
    }
  };

  async function verify(request: Omit<VerifyRequest, 'signal'> & { signal?: AbortSignal }) {
    const started = now();
    const controller = new AbortController();
    const abortFromCaller = () => controller.abort(request.signal?.reason);
    if (request.signal?.aborted) abortFromCaller();
    request.signal?.addEventListener('abort', abortFromCaller, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new VerifierTimeout(`verifier gave no verdict within ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
    });
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
      if (controller.signal.aborted) reject(controller.signal.reason);
    });
    // Settled races leave these to reject later (a time-out aborts the controller): not unhandled.
    aborted.catch(() => {});
    deadline.catch(() => {});
    let outcome: GuardedVerdict;
    try {
      const call = Promise.resolve().then(() => verifier.verify({ ...request, signal: controller.signal }));
      // A verdict that arrives after the deadline must not become an unhandled rejection.
      call.catch(() => {});
      const result = await Promise.race([call, deadline, aborted]);
      const read = readVerdict(result);
      if (!read) {
        onFailure({
          kind: VERIFIER_FAILURES.invalid,
          error: new Error(`verifier returned ${JSON.stringify(result)}`),
        });
        outcome = { verdict: VERDICTS.different, failure: VERIFIER_FAILURES.invalid, ms: 0 };
      } else {
        count({ inputTokens: read.inputTokens, outputTokens: read.outputTokens });
        outcome = { verdict: read.verdict, ms: 0 };
      }
    } catch (error) {
      const kind = error instanceof VerifierTimeout ? VERIFIER_FAILURES.timeout : VERIFIER_FAILURES.error;
      if (kind === VERIFIER_FAILURES.timeout) controller.abort(error);
      onFailure({ kind, error });
      outcome = { verdict: VERDICTS.different, failure: kind, ms: 0 };
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', abortFromCaller);
    }
    outcome.ms = Math.max(0, now() - started);
    count({
      verifications: 1,
      verified: outcome.verdict === VERDICTS.same ? 1 : 0,
      rejected: outcome.verdict === VERDICTS.different ? 1 : 0,
      failures: outcome.failure ? 1 : 0,
      timeouts: outcome.failure === VERIFIER_FAILURES.timeout ? 1 : 0,
      verifierMs: outcome.ms,
    });
    return outcome;
  }

  return {
    verify,
    counters: () => ({ ...total }),
    takeCounters: () => {
      const taken = delta;
      delta = emptyVerifierCounters();
      return taken;
    },
    ...(verifier.modelId === undefined ? {} : { modelId: verifier.modelId }),
  };
}
