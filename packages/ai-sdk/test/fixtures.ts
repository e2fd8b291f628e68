// Mock models (the AI SDK's own doubles) that answer from the prompt, with optional latency, so a
// test can count what reached the "provider".
import type {
  EmbeddingModelV4CallOptions,
  LanguageModelV4CallOptions,
  LanguageModelV4Content,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamPart,
  LanguageModelV4Usage,
} from '@ai-sdk/provider';
import { simulateReadableStream } from 'ai';
import type { MockLanguageModelV4 } from 'ai/test';
import { AI7, type Major } from './majors.ts';

export const RESPONSE_TIME = new Date('2026-01-02T03:04:05.678Z');

export function usage(input = 12, output = 34): LanguageModelV4Usage {
  return {
    inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: output, text: output, reasoning: undefined },
    raw: { prompt_tokens: input, completion_tokens: output },
  };
}

/** The text of the last user message of a call (what the mock "answers"). */
export function lastUserText(params: LanguageModelV4CallOptions): string {
  const message = params.prompt.findLast((item) => item.role === 'user');
  if (message?.role !== 'user') return '';
  return message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join(' ');
}

export function generateResult(
  content: LanguageModelV4Content[],
  extra: Partial<LanguageModelV4GenerateResult> = {},
): LanguageModelV4GenerateResult {
  return {
    content,
    finishReason: { unified: 'stop', raw: 'stop' },
    usage: usage(),
    warnings: [],
    response: { id: 'response-1', timestamp: RESPONSE_TIME, modelId: 'mock-model-id-2026' },
    request: { body: { sent: true } },
    ...extra,
  };
}

/** The parts a provider streams for a text answer, one delta per word. */
export function textStreamParts(
  text: string,
  finish: Partial<Extract<LanguageModelV4StreamPart, { type: 'finish' }>> = {},
) {
  const words = text.split(/(?<= )/);
  const parts: LanguageModelV4StreamPart[] = [
    { type: 'stream-start', warnings: [] },
    { type: 'response-metadata', id: 'response-1', timestamp: RESPONSE_TIME, modelId: 'mock-model-id-2026' },
    { type: 'text-start', id: 'text-1' },
    ...words.map((delta): LanguageModelV4StreamPart => ({ type: 'text-delta', id: 'text-1', delta })),
    { type: 'text-end', id: 'text-1' },
    { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: usage(), ...finish },
  ];
  return parts;
}

export interface TextModelOptions {
  modelId?: string;
  /** What the model answers to a call (default: an echo of the last user message). */
  answer?: (params: LanguageModelV4CallOptions) => string;
  /** Latency before the answer (generate) or the first part (stream), ms. */
  delayMs?: number;
  /** Pause between streamed parts, ms. */
  chunkDelayMs?: number;
  /** The stream parts to send (default: textStreamParts of the answer). */
  parts?: (params: LanguageModelV4CallOptions) => LanguageModelV4StreamPart[];
  /** Whose mock: ai@7's MockLanguageModelV4 (default) or ai@6's MockLanguageModelV3. */
  major?: Major;
}

/** A mock language model that answers from the prompt; doGenerateCalls/doStreamCalls count the calls. */
export function textModel(options: TextModelOptions = {}): MockLanguageModelV4 {
  const answer = options.answer ?? ((params) => `Answer to: ${lastUserText(params)}`);
  const wait = (ms: number | undefined, signal?: AbortSignal) =>
    ms
      ? new Promise<void>((resolve) => setTimeout(resolve, ms)).then(() => signal?.throwIfAborted())
      : Promise.resolve();
  return new (options.major ?? AI7).MockLanguageModel({
    modelId: options.modelId ?? 'mock-model-id',
    doGenerate: async (params) => {
      await wait(options.delayMs, params.abortSignal);
      return generateResult([{ type: 'text', text: answer(params) }]);
    },
    doStream: async (params) => {
      await wait(options.delayMs, params.abortSignal);
      const chunks = options.parts ? options.parts(params) : textStreamParts(answer(params));
      return {
        stream: simulateReadableStream({
          chunks,
          initialDelayInMs: null,
          chunkDelayInMs: options.chunkDelayMs ?? null,
        }),
        response: { headers: { 'x-request-id': 'abc' } },
      };
    },
  });
}

/** A deterministic 8-dimension vector per text (a hash of its characters). */
export function vectorOf(text: string, dimensions = 8): number[] {
  const vector = Array.from({ length: dimensions }, (_, i) => 1 + i / 10);
  for (let i = 0; i < text.length; i++) {
    const slot = i % dimensions;
    vector[slot] = (vector[slot] as number) + (text.charCodeAt(i) % 17) / 7;
  }
  return vector;
}

/** A mock embedding model giving vectorOf(value); doEmbedCalls records what reached it. */
export function embeddingModel(
  options: { maxEmbeddingsPerCall?: number; modelId?: string; dimensions?: number; major?: Major } = {},
) {
  return new (options.major ?? AI7).MockEmbeddingModel({
    modelId: options.modelId ?? 'mock-embedding',
    maxEmbeddingsPerCall: options.maxEmbeddingsPerCall ?? 100,
    supportsParallelCalls: false,
    doEmbed: async (params: EmbeddingModelV4CallOptions) => ({
      embeddings: params.values.map((value) => vectorOf(value, options.dimensions)),
      usage: { tokens: params.values.length * 3 },
      warnings: [],
    }),
  });
}

/** Float32 rounding, which cached vectors (stored as float32) and the middleware's answers share. */
export function asFloat32(vector: number[]): number[] {
  return Array.from(Float32Array.from(vector));
}
