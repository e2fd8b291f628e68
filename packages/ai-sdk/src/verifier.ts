// aiSdkVerifier: any AI SDK language model as deja's verifier of uncertain semantic matches. It
// asks the model, with structured output, whether the cached request and the new one are the same
// (the judging prompt is core's, shared with @deja/langchain and tested there).
// Cost of one verification: ~120 instruction tokens + ~10 of labels + both request texts as input,
// ~6 output tokens; e.g. two 30-token questions: ~200 input and ~6 output tokens.
// It throws on anything but a clean verdict (a provider error, output that fails the schema):
// deja's verifier guard turns that into 'different', a miss, and reports it. No retries: a retry
// would outlive the guard's deadline, which is the user's latency budget.
import type { Verifier } from '@deja/core';
import { JUDGE_INSTRUCTIONS, judgePrompt, parseJudgeAnswer } from '@deja/core/adapter';
import { generateText, type LanguageModel, Output } from 'ai';
import { z } from 'zod';

const verdictSchema = z.object({ verdict: z.enum(['same', 'different']) }).strict();

export interface AiSdkVerifierOptions {
  /** Output token cap of one verdict (default 20: the answer is ~6 tokens). */
  maxOutputTokens?: number;
}

function modelIdOf(model: LanguageModel): string {
  return typeof model === 'string' ? model : `${model.provider}:${model.modelId}`;
}

export function aiSdkVerifier(model: LanguageModel, options: AiSdkVerifierOptions = {}): Verifier {
  return {
    modelId: modelIdOf(model),
    async verify({ query, candidate, signal }) {
      const result = await generateText({
        model,
        system: JUDGE_INSTRUCTIONS,
        prompt: judgePrompt({ query, candidate }),
        output: Output.object({ schema: verdictSchema, name: 'verdict' }),
        temperature: 0,
        maxOutputTokens: options.maxOutputTokens ?? 20,
        maxRetries: 0,
        abortSignal: signal,
      });
      // The schema has checked the shape; the shared parser keeps one rule for both adapters.
      const verdict = parseJudgeAnswer(result.output);
      if (verdict === undefined) throw new Error(`${modelIdOf(model)} gave no verdict`);
      return {
        verdict,
        inputTokens: result.usage.inputTokens ?? 0,
        outputTokens: result.usage.outputTokens ?? 0,
      };
    },
  };
}
