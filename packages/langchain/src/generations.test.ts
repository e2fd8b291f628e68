import { AIMessage, AIMessageChunk, HumanMessage } from '@langchain/core/messages';
import { type ChatGeneration, ChatGenerationChunk, type Generation } from '@langchain/core/outputs';
import { describe, expect, it } from 'vitest';
import { reviveGenerations, storeGenerations, usageOf } from './generations.js';

/** The message of the first generation, which must be there. */
function aiMessageOf(generations: Generation[] | undefined): AIMessage {
  const message = (generations?.[0] as ChatGeneration | undefined)?.message;
  if (!message) throw new Error('expected a chat generation');
  return message as AIMessage;
}

/** What a round trip through Redis does to a value: JSON and back. */
const throughJson = (value: unknown) => JSON.parse(JSON.stringify(value));

const richMessage = () =>
  new AIMessage({
    id: 'msg-42',
    name: 'assistant',
    content: [
      { type: 'text', text: 'Calling the weather tool.' },
      { type: 'text', text: ' One moment.' },
    ],
    tool_calls: [{ id: 'call_1', name: 'weather', args: { city: 'Paris', days: [1, 2] }, type: 'tool_call' }],
    invalid_tool_calls: [
      { id: 'call_2', name: 'broken', args: '{"city":', error: 'bad json', type: 'invalid_tool_call' },
    ],
    additional_kwargs: { refusal: null, nested: { deep: [true, 'x'] } },
    usage_metadata: {
      input_tokens: 12,
      output_tokens: 7,
      total_tokens: 19,
      input_token_details: { cache_read: 3 },
    },
    response_metadata: { model_name: 'gpt-4o-mini', finish_reason: 'tool_calls' },
  });

describe('storeGenerations / reviveGenerations', () => {
  it('round-trips a chat generation exactly: type, content, tool calls, kwargs, usage, metadata, id', () => {
    const original: ChatGeneration = {
      text: 'Calling the weather tool. One moment.',
      message: richMessage(),
      generationInfo: { logprobs: null },
    };
    const [revived] = reviveGenerations(throughJson(storeGenerations([original]))) as ChatGeneration[];
    expect(revived?.message).toBeInstanceOf(AIMessage);
    expect(revived?.message.toDict()).toEqual(original.message.toDict());
    expect(revived?.text).toBe(original.text);
    expect(revived?.generationInfo).toEqual({ logprobs: null });
  });

  it('revives a streamed chunk as the message it aggregates to', () => {
    const chunk = new ChatGenerationChunk({
      text: 'hi',
      message: new AIMessageChunk({
        content: 'hi',
        usage_metadata: { input_tokens: 1, output_tokens: 1, total_tokens: 2 },
      }),
    });
    const message = aiMessageOf(reviveGenerations(throughJson(storeGenerations([chunk]))));
    expect(message.type).toBe('ai');
    expect(message.usage_metadata).toEqual({
      input_tokens: 1,
      output_tokens: 1,
      total_tokens: 2,
    });
  });

  it('round-trips completion-model generations with their generationInfo', () => {
    const original: Generation[] = [
      { text: 'one', generationInfo: { finishReason: 'stop' } },
      { text: 'two' },
    ];
    expect(reviveGenerations(throughJson(storeGenerations(original)))).toEqual(original);
  });

  it('gives fresh objects every time (LangChain zeroes usage on the message a cache returns)', () => {
    const stored = throughJson(storeGenerations([{ text: 'x', message: richMessage() } as ChatGeneration]));
    aiMessageOf(reviveGenerations(stored)).usage_metadata = {
      input_tokens: 0,
      output_tokens: 0,
      total_tokens: 0,
    };
    expect(aiMessageOf(reviveGenerations(stored)).usage_metadata?.input_tokens).toBe(12);
  });

  it('turns values it did not write into a miss', () => {
    for (const value of [
      null,
      'text',
      { generations: [] },
      { generations: [{ nope: 1 }] },
      { generations: [{ text: 1 }] },
    ]) {
      expect(reviveGenerations(value)).toBeUndefined();
    }
    // A message type LangChain cannot rebuild.
    expect(
      reviveGenerations({
        generations: [{ text: 'x', message: { type: 'martian', data: { content: 'x' } } }],
      }),
    ).toBeUndefined();
    expect(
      reviveGenerations({ generations: [{ text: 'x', message: { type: 'tool', data: { content: 'x' } } }] }),
    ).toBeUndefined();
  });

  it('keeps a human message a model echoed as a human message', () => {
    const stored = throughJson(
      storeGenerations([{ text: 'x', message: new HumanMessage('x') } as ChatGeneration]),
    );
    const [revived] = reviveGenerations(stored) as ChatGeneration[];
    expect(revived?.message).toBeInstanceOf(HumanMessage);
  });
});

describe('usageOf', () => {
  it('reads the provider usage of chat generations, counting a shared prompt once', () => {
    const generation = (output: number): ChatGeneration => ({
      text: '',
      message: new AIMessage({
        content: '',
        usage_metadata: { input_tokens: 10, output_tokens: output, total_tokens: 10 + output },
      }),
    });
    expect(usageOf([generation(3), generation(4)])).toEqual({ inputTokens: 10, outputTokens: 7 });
    expect(usageOf([{ text: 'plain' }])).toBeUndefined();
  });
});
