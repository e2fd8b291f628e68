// LangChain's own fake models, extended only to count calls and to carry what real providers
// carry: model and temperature among the identifying params (they end up in the llmKey).
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { Embeddings } from '@langchain/core/embeddings';
import { AIMessage, type AIMessageFields, type BaseMessage } from '@langchain/core/messages';
import type { ChatGenerationChunk, ChatResult } from '@langchain/core/outputs';
import {
  type FakeChatInput,
  FakeListChatModel,
  FakeLLM,
  SyntheticEmbeddings,
} from '@langchain/core/utils/testing';

export interface CountingChatInput extends FakeChatInput {
  model?: string;
  temperature?: number;
}

/** FakeListChatModel that counts the calls reaching the "provider" and names its model and temperature. */
export class CountingChatModel extends FakeListChatModel {
  /** Calls of _generate (invoke, batch, generate). */
  calls = 0;
  /** Calls of _streamResponseChunks (.stream(), or invoke with a streaming callback). */
  streams = 0;
  model: string;
  temperature: number;

  constructor({ model = 'fake-gpt', temperature = 0, ...fields }: CountingChatInput) {
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
    return super._generate(messages, options, runManager);
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    this.streams++;
    yield* super._streamResponseChunks(messages, options, runManager);
  }
}

/** A chat model whose every answer is the given message (tool calls, usage, metadata and all). */
export class ScriptedChatModel extends CountingChatModel {
  constructor(
    private readonly reply: AIMessageFields,
    fields: Omit<CountingChatInput, 'responses'> = {},
  ) {
    super({ ...fields, responses: ['unused'] });
  }

  override async _generate(): Promise<ChatResult> {
    this.calls++;
    const message = new AIMessage(structuredClone(this.reply));
    return { generations: [{ text: message.text, message }] };
  }
}

/** SyntheticEmbeddings that records every batch reaching it, with a model name and batch size like real ones. */
export class CountingEmbeddings extends Embeddings {
  readonly documentBatches: string[][] = [];
  readonly queries: string[] = [];
  private readonly inner: SyntheticEmbeddings;

  constructor(
    readonly model = 'synthetic-8',
    readonly batchSize?: number,
    readonly vectorSize = 8,
  ) {
    super({});
    this.inner = new SyntheticEmbeddings({ vectorSize });
  }

  get documentTexts(): string[] {
    return this.documentBatches.flat();
  }

  override async embedDocuments(documents: string[]): Promise<number[][]> {
    this.documentBatches.push([...documents]);
    // Shifted off zero: SyntheticEmbeddings gives some texts a zero vector, which no cache keeps.
    return (await this.inner.embedDocuments(documents)).map((vector) => vector.map((value) => value + 0.01));
  }

  override async embedQuery(document: string): Promise<number[]> {
    this.queries.push(document);
    // A query vector unlike the document one, as asymmetric models (Cohere, Voyage, Nomic) give.
    const vector = await this.inner.embedQuery(document);
    return vector.map((value, i) => value + (i === 0 ? 1 : 0.01));
  }
}

/** FakeLLM (a completion model) that counts the calls reaching it. */
export class CountingLLM extends FakeLLM {
  calls = 0;

  override async _call(
    prompt: string,
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<string> {
    this.calls++;
    return super._call(prompt, options, runManager);
  }
}
