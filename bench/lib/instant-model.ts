// The mock language model the middleware sections measure against: it answers RESPONSE_TEXT at
// once, generating or streaming (no timer before or between parts), so what a cached call adds
// over it is deja's and the round trip's alone.
import { RESPONSE_TEXT } from '../sections/exact-overhead.ts';

type AiModules = {
  MockLanguageModelV4: typeof import('ai/test').MockLanguageModelV4;
  simulateReadableStream: typeof import('ai').simulateReadableStream;
};

const TIMESTAMP = new Date('2026-01-02T03:04:05.678Z');

function usage() {
  return {
    inputTokens: { total: 12, noCache: 12, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: 300, text: 300, reasoning: undefined },
  };
}

/** A maker of instant models, from the dynamically loaded `ai` and `ai/test` modules. */
export function instantModelMaker({ MockLanguageModelV4, simulateReadableStream }: AiModules) {
  const words = RESPONSE_TEXT.split(/(?<= )/);
  return () =>
    new MockLanguageModelV4({
      modelId: 'mock-instant',
      doGenerate: async () => ({
        content: [{ type: 'text' as const, text: RESPONSE_TEXT }],
        finishReason: { unified: 'stop' as const, raw: 'stop' },
        usage: usage(),
        warnings: [],
        response: { id: 'response-1', timestamp: TIMESTAMP, modelId: 'mock-instant' },
      }),
      doStream: async () => ({
        stream: simulateReadableStream({
          chunks: [
            { type: 'stream-start' as const, warnings: [] },
            {
              type: 'response-metadata' as const,
              id: 'response-1',
              timestamp: TIMESTAMP,
              modelId: 'mock-instant',
            },
            { type: 'text-start' as const, id: 'text-1' },
            ...words.map((delta) => ({ type: 'text-delta' as const, id: 'text-1', delta })),
            { type: 'text-end' as const, id: 'text-1' },
            {
              type: 'finish' as const,
              finishReason: { unified: 'stop' as const, raw: 'stop' },
              usage: usage(),
            },
          ],
          // null: no timer before or between parts (0 would still wait a macrotask for each).
          initialDelayInMs: null,
          chunkDelayInMs: null,
        }),
      }),
    });
}
