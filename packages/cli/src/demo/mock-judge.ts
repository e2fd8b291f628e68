// The demo's verifier: a stand-in for the small, cheap judging model an app gives deja
// (aiSdkVerifier / langchainVerifier). deja's default rule (maxErrorRate 0.05) serves no semantic
// hit on similarity alone until it has evidence; until then the judge decides. This one knows
// which of the script's questions mean the same (DEMO_SAME_MEANING) and takes the time and tokens
// a small model would, so the demo shows what a verified hit really costs.
import type { Verifier } from '@deja/core';
import { realSleep, type Sleep } from './mock-model.js';
import { DEMO_MODELS, DEMO_SAME_MEANING } from './script.js';

/** A judge call: ~120 instruction tokens plus both questions in, one short verdict out. */
const JUDGE_LATENCY_MS = 150;
const JUDGE_INSTRUCTION_TOKENS = 120;
const JUDGE_OUTPUT_TOKENS = 6;

/** What the judge has done: verdicts and the tokens they took, priced as `modelId`. */
export interface JudgeUsage {
  modelId: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
}

export interface MockJudge extends Verifier {
  readonly modelId: string;
  /** Everything so far, or what happened since an earlier snapshot. */
  usage(since?: JudgeUsage): JudgeUsage;
}

export function sameMeaning(a: string, b: string): boolean {
  return a === b || DEMO_SAME_MEANING.some((group) => group.includes(a) && group.includes(b));
}

export function mockJudge(sleep: Sleep = realSleep): MockJudge {
  // Priced as the small model (DEMO_PRICES), so the verification's cost shows in stats.
  const total: JudgeUsage = { modelId: DEMO_MODELS.small, calls: 0, inputTokens: 0, outputTokens: 0 };
  return {
    modelId: total.modelId,
    usage(since) {
      return {
        modelId: total.modelId,
        calls: total.calls - (since?.calls ?? 0),
        inputTokens: total.inputTokens - (since?.inputTokens ?? 0),
        outputTokens: total.outputTokens - (since?.outputTokens ?? 0),
      };
    },
    async verify({ query, candidate }) {
      const inputTokens = JUDGE_INSTRUCTION_TOKENS + Math.ceil((query.length + candidate.text.length) / 4);
      total.calls++;
      total.inputTokens += inputTokens;
      total.outputTokens += JUDGE_OUTPUT_TOKENS;
      await sleep(JUDGE_LATENCY_MS);
      const verdict = sameMeaning(query, candidate.text) ? 'same' : 'different';
      return { verdict, inputTokens, outputTokens: JUDGE_OUTPUT_TOKENS };
    },
  };
}
