// langchainVerifier with LangChain's FakeListChatModel: what the model is asked, how its reply is
// read, and that anything but a clean verdict is an error, which core's verifier guard turns into
// 'different' (fail closed; the guard's own tests show that conversion).
import type { BaseMessage } from '@langchain/core/messages';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { describe, expect, it, vi } from 'vitest';
import { langchainVerifier } from './verifier.js';

const request = {
  query: 'How do I reset my password?',
  candidate: { text: 'How can I change my password?', value: 'Open Settings > Security.' },
  similarity: 0.91,
  signal: new AbortController().signal,
};

describe('langchainVerifier', () => {
  // The signal is handed to invoke (below); honouring it is the model's job, and the guard does
  // not depend on it: it stops waiting at its deadline either way.
  it('sends the judging instruction and both texts, not the cached answer, with the signal', async () => {
    const model = new FakeListChatModel({ responses: ['{"verdict":"same"}'] });
    const invoke = vi.spyOn(model, 'invoke');
    await langchainVerifier(model).verify(request);
    const [messages, options] = invoke.mock.calls[0] ?? [];
    const [system, human] = messages as BaseMessage[];
    expect(system?.type).toBe('system');
    expect(system?.text).toContain('Reply with JSON only');
    expect(human?.text).toContain(JSON.stringify('How do I reset my password?'));
    expect(human?.text).toContain(JSON.stringify('How can I change my password?'));
    expect(JSON.stringify(messages)).not.toContain('Open Settings');
    expect(options).toMatchObject({ signal: request.signal });
  });

  it('reads same and different, in or out of a code fence', async () => {
    const model = new FakeListChatModel({
      responses: ['{"verdict":"same"}', '```json\n{"verdict": "different"}\n```'],
    });
    const verifier = langchainVerifier(model);
    expect(await verifier.verify(request)).toMatchObject({ verdict: 'same' });
    expect(await verifier.verify(request)).toMatchObject({ verdict: 'different' });
  });

  it('a malformed reply is an error, never a verdict', async () => {
    for (const reply of ['Yes, they are the same.', 'same', '{"verdict":"SAME"}', '{"verdict":']) {
      const model = new FakeListChatModel({ responses: [reply] });
      await expect(langchainVerifier(model).verify(request)).rejects.toThrow(/gave no verdict/);
    }
  });

  it('names its model for pricing', () => {
    expect(langchainVerifier(new FakeListChatModel({ responses: [] })).modelId).toBe(
      'langchain:FakeListChatModel',
    );
  });
});
