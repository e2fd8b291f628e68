import type { LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { canonicalJson } from '@deja/core/adapter';
import { describe, expect, it } from 'vitest';
import { requestFor, splitLastUserText } from './request-key.js';

const model = { specificationVersion: 'v4' as const, provider: 'openai.chat', modelId: 'gpt-test' };

const call = (overrides: Partial<LanguageModelV4CallOptions> = {}): LanguageModelV4CallOptions => ({
  prompt: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
    { role: 'assistant', content: [{ type: 'text', text: 'Hello!' }] },
    { role: 'user', content: [{ type: 'text', text: 'What is the capital of France?' }] },
  ],
  temperature: 0.2,
  ...overrides,
});

const keyOf = (params: LanguageModelV4CallOptions, kind: 'generate' | 'stream' = 'generate') =>
  canonicalJson(requestFor(kind, model, params).key);
const scopeOf = (params: LanguageModelV4CallOptions) =>
  canonicalJson(requestFor('generate', model, params).scope);

describe('requestFor', () => {
  it('leaves headers and the abort signal out of the key', () => {
    const plain = keyOf(call());
    expect(keyOf(call({ headers: { 'user-agent': 'ai/7.0.1', 'x-trace': 'abc' } }))).toBe(plain);
    expect(keyOf(call({ abortSignal: new AbortController().signal }))).toBe(plain);
  });

  it('puts everything that shapes the answer in the key', () => {
    const plain = keyOf(call());
    const variants: Partial<LanguageModelV4CallOptions>[] = [
      { temperature: 0.3 },
      { topP: 0.9 },
      { topK: 40 },
      { maxOutputTokens: 100 },
      { stopSequences: ['\n'] },
      { seed: 7 },
      { presencePenalty: 0.1 },
      { frequencyPenalty: 0.1 },
      { reasoning: 'high' },
      { responseFormat: { type: 'json', schema: { type: 'object' } } },
      { tools: [{ type: 'function', name: 'weather', inputSchema: { type: 'object' } }] },
      { toolChoice: { type: 'required' } },
      { providerOptions: { openai: { store: false } } },
    ];
    const keys = variants.map((variant) => keyOf(call(variant)));
    expect(new Set([plain, ...keys]).size).toBe(variants.length + 1);
    expect(keyOf(call(), 'stream')).not.toBe(plain);
    expect(canonicalJson(requestFor('generate', { ...model, modelId: 'gpt-other' }, call()).key)).not.toBe(
      plain,
    );
  });

  it('keys a V3 call (ai@6) apart from the same V4 call (ai@7): their stored shapes differ', () => {
    // A structural stand-in: only the three fields requestFor reads.
    const v3 = { ...model, specificationVersion: 'v3' } as unknown as typeof model;
    const v4Request = requestFor('generate', model, call());
    const v3Request = requestFor('generate', v3, call());
    expect(canonicalJson(v3Request.key)).not.toBe(canonicalJson(v4Request.key));
    expect(canonicalJson(v3Request.scope)).not.toBe(canonicalJson(v4Request.scope));
  });

  it('takes the last user message as the semantic text and the rest as the scope', () => {
    const request = requestFor('generate', model, call());
    expect(request.semanticText).toBe('What is the capital of France?');
    const paraphrase = call();
    paraphrase.prompt[3] = { role: 'user', content: [{ type: 'text', text: 'Capital of France?' }] };
    expect(scopeOf(paraphrase)).toBe(scopeOf(call()));
    expect(keyOf(paraphrase)).not.toBe(keyOf(call()));
  });

  it('keeps the earlier conversation, the system prompt and the settings in the scope', () => {
    const otherSystem = call();
    otherSystem.prompt[0] = { role: 'system', content: 'Be thorough.' };
    const otherHistory = call();
    otherHistory.prompt[2] = { role: 'assistant', content: [{ type: 'text', text: 'Hey.' }] };
    const scope = scopeOf(call());
    expect(scopeOf(otherSystem)).not.toBe(scope);
    expect(scopeOf(otherHistory)).not.toBe(scope);
    expect(scopeOf(call({ temperature: 1 }))).not.toBe(scope);
  });

  it('keeps the files of the last user message in the scope', () => {
    const withImage = (bytes: number[]) =>
      call({
        prompt: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in this picture?' },
              { type: 'file', mediaType: 'image/png', data: { type: 'data', data: new Uint8Array(bytes) } },
            ],
          },
        ],
      });
    expect(scopeOf(withImage([1, 2, 3]))).not.toBe(scopeOf(withImage([4, 5, 6])));
    expect(requestFor('generate', model, withImage([1])).semanticText).toBe('What is in this picture?');
  });

  it('has no semantic text without a user message with text', () => {
    expect(splitLastUserText([{ role: 'system', content: 'x' }]).semanticText).toBeUndefined();
    expect(
      splitLastUserText([{ role: 'user', content: [{ type: 'text', text: '   ' }] }]).semanticText,
    ).toBeUndefined();
    const request = requestFor('generate', model, { prompt: [{ role: 'system', content: 'x' }] });
    expect(request.semanticText).toBeUndefined();
    expect(canonicalJson(request.scope)).toBe(canonicalJson(request.key));
  });
});
