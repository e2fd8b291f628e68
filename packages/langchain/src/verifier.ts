// langchainVerifier: any LangChain chat model as deja's verifier of uncertain semantic matches. It
// sends core's judging prompt (shared with @deja/ai-sdk and tested there) and reads a JSON verdict
// from the reply text, which every chat model can give (tool-calling structured output is not
// available on all of them).
// Cost of one verification: ~120 instruction tokens + ~10 of labels + both request texts as input,
// ~6 output tokens; e.g. two 30-token questions: ~200 input and ~6 output tokens.
// It throws on anything but a clean verdict: deja's verifier guard turns that into 'different'
// (a miss) and reports it.
import type { Verifier } from '@deja/core';
import { JUDGE_INSTRUCTIONS, judgePrompt, parseJudgeAnswer } from '@deja/core/adapter';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';

/** What is needed of a chat model: invoke(messages, { signal }). */
export type JudgeChatModel = Pick<BaseChatModel, 'invoke'> & { getName?: () => string };

export function langchainVerifier(chatModel: JudgeChatModel): Verifier {
  const modelId = typeof chatModel.getName === 'function' ? `langchain:${chatModel.getName()}` : 'langchain';
  return {
    modelId,
    async verify({ query, candidate, signal }) {
      const reply = await chatModel.invoke(
        [new SystemMessage(JUDGE_INSTRUCTIONS), new HumanMessage(judgePrompt({ query, candidate }))],
        { signal },
      );
      const verdict = parseJudgeAnswer(reply.text);
      if (verdict === undefined) throw new Error(`${modelId} gave no verdict: ${reply.text.slice(0, 80)}`);
      return {
        verdict,
        inputTokens: reply.usage_metadata?.input_tokens ?? 0,
        outputTokens: reply.usage_metadata?.output_tokens ?? 0,
      };
    },
  };
}
