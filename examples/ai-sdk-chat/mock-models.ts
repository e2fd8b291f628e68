// Offline stand-ins for a provider: the AI SDK's own mock models, answering from a few canned
// facts with the latency of a real API (time to first token, then a steady token rate).
import type { LanguageModelV4CallOptions, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { simulateReadableStream } from 'ai';
import { MockEmbeddingModelV4, MockLanguageModelV4 } from 'ai/test';

const FACTS: [RegExp, string][] = [
  [/capital.*france/i, 'The capital of France is Paris, on the Seine, home to about two million people.'],
  [/capital.*spain/i, 'The capital of Spain is Madrid, the highest capital city in the European Union.'],
  [
    /password/i,
    'Open Settings, choose Security, then Reset password; a link arrives by email within a minute.',
  ],
];

const FIRST_TOKEN_MS = 450;
const TOKEN_MS = 25;

function lastUserText(params: LanguageModelV4CallOptions): string {
  const message = params.prompt.findLast((item) => item.role === 'user');
  if (message?.role !== 'user') return '';
  return message.content.map((part) => (part.type === 'text' ? part.text : '')).join(' ');
}

function answerTo(params: LanguageModelV4CallOptions): string {
  const question = lastUserText(params);
  return FACTS.find(([pattern]) => pattern.test(question))?.[1] ?? "I don't know that one yet.";
}

const usage = (answer: string) => ({
  inputTokens: { total: 42, noCache: 42, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: answer.split(' ').length, text: answer.split(' ').length, reasoning: 0 },
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function mockChatModel(): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    provider: 'mock',
    modelId: 'mock-chat-1',
    doGenerate: async (params) => {
      const answer = answerTo(params);
      await sleep(FIRST_TOKEN_MS + TOKEN_MS * answer.split(' ').length);
      return {
        content: [{ type: 'text', text: answer }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: usage(answer),
        warnings: [],
        response: { id: `resp-${Date.now()}`, timestamp: new Date(), modelId: 'mock-chat-1' },
      };
    },
    doStream: async (params) => {
      const answer = answerTo(params);
      const chunks: LanguageModelV4StreamPart[] = [
        { type: 'stream-start', warnings: [] },
        {
          type: 'response-metadata',
          id: `resp-${Date.now()}`,
          timestamp: new Date(),
          modelId: 'mock-chat-1',
        },
        { type: 'text-start', id: 'text' },
        ...answer
          .split(/(?<= )/)
          .map((delta): LanguageModelV4StreamPart => ({ type: 'text-delta', id: 'text', delta })),
        { type: 'text-end', id: 'text' },
        { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: usage(answer) },
      ];
      return {
        stream: simulateReadableStream({
          chunks,
          initialDelayInMs: FIRST_TOKEN_MS,
          chunkDelayInMs: TOKEN_MS,
        }),
      };
    },
  });
}

/** 64-dimension vectors from letter counts, after 120 ms per call: enough to show what gets cached. */
export function mockEmbeddingModel(): MockEmbeddingModelV4 {
  return new MockEmbeddingModelV4({
    provider: 'mock',
    modelId: 'mock-embed-1',
    maxEmbeddingsPerCall: 16,
    doEmbed: async ({ values }) => {
      await sleep(120);
      const embeddings = values.map((value) => {
        const vector = new Array<number>(64).fill(0.01);
        for (const char of value.toLowerCase()) {
          const slot = char.charCodeAt(0) % 64;
          vector[slot] = (vector[slot] ?? 0) + 1;
        }
        return vector;
      });
      return { embeddings, usage: { tokens: values.join(' ').split(' ').length }, warnings: [] };
    },
  });
}

/**
 * A stand-in for a small, cheap judging model (what `aiSdkVerifier` asks whether a cached answer
 * fits a new question): it says "same" when both questions ask about the same fact of FACTS.
 */
export function mockJudgeModel(): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    provider: 'mock',
    modelId: 'mock-judge-1',
    doGenerate: async (params) => {
      await sleep(120);
      const [cached = '', asked = ''] = [...lastUserText(params).matchAll(/request: (".*")/g)].map(
        (match) => JSON.parse(match[1] as string) as string,
      );
      const factOf = (text: string) => FACTS.findIndex(([pattern]) => pattern.test(text));
      const same = factOf(cached) >= 0 && factOf(cached) === factOf(asked);
      const text = JSON.stringify({ verdict: same ? 'same' : 'different' });
      return {
        content: [{ type: 'text' as const, text }],
        finishReason: { unified: 'stop' as const, raw: 'stop' },
        usage: usage(text),
        warnings: [],
      };
    },
  });
}
