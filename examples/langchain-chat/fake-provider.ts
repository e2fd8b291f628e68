// LangChain's FakeListChatModel standing in for a real provider: like ChatOpenAI it names its model
// and temperature among its identifying params (so they enter the cache key), and it counts calls.
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { type BaseMessage, isAIMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { type FakeChatInput, FakeListChatModel } from '@langchain/core/utils/testing';

export class FakeChatProvider extends FakeListChatModel {
  /** Calls that reached the "provider" (what a cache hit saves). */
  calls = 0;
  model: string;
  temperature: number;

  constructor({ model, temperature, ...fields }: FakeChatInput & { model: string; temperature: number }) {
    super(fields);
    this.model = model;
    this.temperature = temperature;
  }

  override _identifyingParams(): Record<string, unknown> {
    return { model: this.model, temperature: this.temperature };
  }

  override async _generate(
    messages: BaseMessage[],
    options?: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    this.calls++;
    const result = await super._generate(messages, options, runManager);
    // Real providers report usage; deja records it so a hit shows the tokens it saved.
    for (const { message } of result.generations) {
      if (isAIMessage(message))
        message.usage_metadata = { input_tokens: 24, output_tokens: 8, total_tokens: 32 };
    }
    return result;
  }
}
