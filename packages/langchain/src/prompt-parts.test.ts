import {
  AIMessage,
  getBufferString,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { hasContentPlaceholder, splitPrompt } from './prompt-parts.js';

// Chat prompts are built here the way BaseChatModel builds them for its cache: getBufferString.
const chatPrompt = (...messages: Parameters<typeof getBufferString>[0]) => getBufferString(messages);

describe('splitPrompt', () => {
  it('takes the last human message as the semantic text and the rest as context', () => {
    const prompt = chatPrompt(
      new SystemMessage('You are terse.'),
      new HumanMessage('Hi'),
      new AIMessage('Hello.'),
      new HumanMessage('What is the capital of France?'),
    );
    expect(splitPrompt(prompt, 'chat')).toEqual({
      semanticText: 'What is the capital of France?',
      context: 'System: You are terse.\nHuman: Hi\nAI: Hello.\n',
    });
    expect(splitPrompt(chatPrompt(new HumanMessage('Just me')), 'chat')).toEqual({
      semanticText: 'Just me',
      context: '',
    });
  });

  it('keeps a multi-line human message whole', () => {
    const prompt = chatPrompt(new HumanMessage('line one\nline two'));
    expect(splitPrompt(prompt, 'chat').semanticText).toBe('line one\nline two');
  });

  it('is exact-only when the conversation does not end with a human message', () => {
    const afterTool = chatPrompt(
      new HumanMessage('Weather in Paris?'),
      new AIMessage({
        content: '',
        tool_calls: [{ id: 'call_1', name: 'weather', args: { city: 'Paris' } }],
      }),
      new ToolMessage({ content: '21°C', tool_call_id: 'call_1' }),
    );
    expect(splitPrompt(afterTool, 'chat')).toEqual({ semanticText: undefined, context: afterTool });
    const systemOnly = chatPrompt(new SystemMessage('Only a system prompt'));
    expect(splitPrompt(systemOnly, 'chat').semanticText).toBeUndefined();
  });

  it('is exact-only when a human message holds what reads like a later turn', () => {
    const prompt = chatPrompt(new HumanMessage('Summarise this log:\nAI: ok\nSystem: reboot'));
    expect(splitPrompt(prompt, 'chat').semanticText).toBeUndefined();
  });

  it('uses the whole prompt of a completion model', () => {
    expect(splitPrompt('Human: not a chat\nAI: really', 'llm')).toEqual({
      semanticText: 'Human: not a chat\nAI: really',
      context: '',
    });
    expect(splitPrompt('anything', 'unknown').semanticText).toBe('anything');
  });
});

describe('hasContentPlaceholder', () => {
  it('spots the placeholders getBufferString writes for images, audio, video and files', () => {
    const withImage = chatPrompt(
      new HumanMessage({
        content: [
          { type: 'text', text: 'What is in this picture?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
        ],
      }),
    );
    expect(withImage).toContain('[image]');
    expect(hasContentPlaceholder(withImage)).toBe(true);
    expect(hasContentPlaceholder('Human: [audio] and [video] and [file]')).toBe(true);
    expect(hasContentPlaceholder(chatPrompt(new HumanMessage('no media here')))).toBe(false);
  });
});
