import { getBufferString, HumanMessage, SystemMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { requestOf } from './deja-cache.js';

const CHAT_KEY = '_model:"base_chat_model",_type:"openai",model:"gpt-4o-mini",temperature:0';
const LLM_KEY = '_model:"base_llm",_type:"openai",model:"gpt-3.5-turbo-instruct"';

describe('requestOf', () => {
  it('keys on prompt and settings, compares the last human message, scopes on settings and the conversation before it', () => {
    const prompt = getBufferString([new SystemMessage('Be brief.'), new HumanMessage('Capital of France?')]);
    expect(requestOf(prompt, CHAT_KEY)).toEqual({
      request: {
        key: { prompt, llmKey: CHAT_KEY },
        semanticText: 'Capital of France?',
        scope: { llmKey: CHAT_KEY, context: 'System: Be brief.\n' },
      },
      model: 'gpt-4o-mini',
    });
  });

  it('compares a whole completion prompt by meaning', () => {
    expect(requestOf('Translate: cat', LLM_KEY)?.request).toEqual({
      key: { prompt: 'Translate: cat', llmKey: LLM_KEY },
      semanticText: 'Translate: cat',
      scope: { llmKey: LLM_KEY, context: '' },
    });
  });

  it('gives the same request with or without an AbortSignal in the call', () => {
    const withSignal = CHAT_KEY.replace(',temperature', ',signal:{},temperature');
    expect(requestOf('Human: hi', withSignal)).toEqual(requestOf('Human: hi', CHAT_KEY));
  });

  it('refuses chat prompts whose media LangChain flattened to placeholders, not completion prompts', () => {
    expect(requestOf('Human: What is in this picture?[image]', CHAT_KEY)).toBeUndefined();
    expect(requestOf('Explain the [image] tag in Markdown', LLM_KEY)).toBeDefined();
  });
});
