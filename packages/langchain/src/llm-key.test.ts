import { describe, expect, it } from 'vitest';
import { parseLlmKey, splitEntries } from './llm-key.js';

// Shapes BaseLanguageModel._getSerializedCacheKeyParametersForCall produces (sorted `name:JSON`).
const CHAT_KEY = '_model:"base_chat_model",_type:"openai",model:"gpt-4o-mini",temperature:0.2';

describe('parseLlmKey', () => {
  it('reads the model kind and name', () => {
    expect(parseLlmKey(CHAT_KEY)).toEqual({ normalized: CHAT_KEY, kind: 'chat', model: 'gpt-4o-mini' });
    expect(parseLlmKey('_model:"base_llm",_type:"fake"')).toEqual({
      normalized: '_model:"base_llm",_type:"fake"',
      kind: 'llm',
      model: 'fake',
    });
    expect(parseLlmKey('_model:"base_chat_model",model_name:"claude",_type:"anthropic"').model).toBe(
      'claude',
    );
  });

  it('drops the AbortSignal LangChain copies into the call options', () => {
    const withSignal =
      '_model:"base_chat_model",_type:"openai",model:"gpt-4o-mini",signal:{},temperature:0.2';
    expect(parseLlmKey(withSignal).normalized).toBe(CHAT_KEY);
  });

  it('keeps a signal entry that is not an empty object, and every other entry byte for byte', () => {
    const key = '_model:"base_chat_model",signal:{"a":1},stop:["x,signal:{}"]';
    expect(parseLlmKey(key).normalized).toBe(key);
  });

  it('uses an llmKey it does not understand as it is', () => {
    for (const key of ['', 'no colon here', 'a:1,', 'a:{"unclosed":1', 'a:1,b:', 'a:"x"y', 'a:]']) {
      const parsed = parseLlmKey(key);
      expect(parsed.normalized).toBe(key);
      expect(parsed.model).toBeUndefined();
    }
    expect(parseLlmKey('weird _model:"base_chat_model" text').kind).toBe('chat');
  });
});

describe('splitEntries', () => {
  it('splits on top-level commas only', () => {
    const entries = splitEntries('a:1,b:"x,y",c:{"d":[1,2],"e":"}"},f:true,g:null,h:"q\\"uote,"');
    expect(entries?.map((entry) => [entry.name, entry.value])).toEqual([
      ['a', 1],
      ['b', 'x,y'],
      ['c', { d: [1, 2], e: '}' }],
      ['f', true],
      ['g', null],
      ['h', 'q"uote,'],
    ]);
  });

  it('refuses text that is not name:JSON entries', () => {
    expect(splitEntries(':1')).toBeUndefined();
    expect(splitEntries('a,b:1')).toBeUndefined();
    expect(splitEntries('a:nope')).toBeUndefined();
  });
});
