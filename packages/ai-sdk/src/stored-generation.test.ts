import type { LanguageModelV4GenerateResult } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import {
  isStoredGeneration,
  replayGeneration,
  toStoredGeneration,
  worthCaching,
} from './stored-generation.js';
import { cleanFinish, isStoredStream, toStoredStream } from './stored-stream.js';

const result: LanguageModelV4GenerateResult = {
  content: [
    { type: 'text', text: 'hi' },
    {
      type: 'file',
      mediaType: 'image/png',
      data: { type: 'url', url: new URL('https://x.test/a.png'), originalUrl: 'x' },
    },
  ],
  finishReason: { unified: 'stop', raw: undefined },
  usage: {
    inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: 2, text: 2, reasoning: 0 },
  },
  warnings: [],
  request: { body: 'secret request body' },
  response: {
    id: 'r',
    timestamp: new Date(0),
    modelId: 'm',
    headers: { 'set-cookie': 'x' },
    body: { raw: true },
  },
};

describe('stored generations', () => {
  it('keep the answer, drop the HTTP exchange and store file URLs as text', () => {
    const stored = toStoredGeneration(result);
    expect(stored.response).toEqual({ id: 'r', timestamp: new Date(0), modelId: 'm' });
    expect(stored).not.toHaveProperty('request');
    expect(stored.content[1]).toEqual({
      type: 'file',
      mediaType: 'image/png',
      data: { type: 'url', href: 'https://x.test/a.png', originalUrl: 'x' },
    });
    // Plain data: through JSON only the Date changes form (a URL or other object would not survive).
    expect(JSON.parse(JSON.stringify(stored))).toEqual({
      ...stored,
      response: { ...stored.response, timestamp: new Date(0).toISOString() },
    });
  });

  it('replay with URL objects, zero usage and the hit in providerMetadata.deja', () => {
    const replayed = replayGeneration(toStoredGeneration(result), {
      hit: 'semantic',
      similarity: 0.93,
      ageMs: 5,
    });
    const file = replayed.content[1];
    expect(file?.type === 'file' && file.data.type === 'url' && file.data.url).toBeInstanceOf(URL);
    expect(file?.type === 'file' && file.data.type === 'url' && file.data.url.href).toBe(
      'https://x.test/a.png',
    );
    expect(replayed.usage.inputTokens.total).toBe(0);
    expect(replayed.providerMetadata?.deja).toEqual({
      hit: 'semantic',
      similarity: 0.93,
      ageMs: 5,
      originalUsage: result.usage,
    });
  });

  it('are not worth caching when the model failed or was cut off', () => {
    expect(worthCaching(toStoredGeneration(result))).toBe(true);
    for (const unified of ['error', 'interrupted'] as const) {
      expect(worthCaching(toStoredGeneration({ ...result, finishReason: { unified, raw: undefined } }))).toBe(
        false,
      );
    }
  });

  it.each([
    ['a string', 'hello'],
    [
      'no content',
      { finishReason: { unified: 'stop' }, usage: { inputTokens: {}, outputTokens: {} }, warnings: [] },
    ],
    ['a part without type', { ...toStoredGeneration(result), content: [{ text: 'x' }] }],
    [
      'a broken file URL',
      {
        ...toStoredGeneration(result),
        content: [{ type: 'file', mediaType: 'a/b', data: { type: 'url', href: 'not a url' } }],
      },
    ],
    [
      'a timestamp that is not a Date',
      { ...toStoredGeneration(result), response: { timestamp: '1970-01-01' } },
    ],
  ])('refuse to replay %s', (_name, value) => {
    expect(isStoredGeneration(value)).toBe(false);
  });

  it('accept what they stored', () => {
    expect(isStoredGeneration(toStoredGeneration(result))).toBe(true);
  });
});

describe('stored streams', () => {
  const finish = {
    type: 'finish' as const,
    finishReason: { unified: 'stop' as const, raw: 'stop' },
    usage: result.usage,
  };

  it('are clean only with a good finish and no error part', () => {
    expect(cleanFinish([{ type: 'text-delta', id: 't', delta: 'a' }, finish])).toBe(finish);
    expect(cleanFinish([{ type: 'text-delta', id: 't', delta: 'a' }])).toBeUndefined();
    expect(cleanFinish([{ type: 'error', error: 'x' }, finish])).toBeUndefined();
    expect(
      cleanFinish([{ ...finish, finishReason: { unified: 'interrupted', raw: undefined } }]),
    ).toBeUndefined();
  });

  it('leave out keep-alive pings and are recognised on read', () => {
    const stored = toStoredStream([{ type: 'ping' }, { type: 'text-delta', id: 't', delta: 'a' }, finish]);
    expect(stored.parts.map((part) => part.type)).toEqual(['text-delta', 'finish']);
    expect(isStoredStream(stored)).toBe(true);
    expect(isStoredStream({ parts: [{ type: 'text-delta', id: 't', delta: 'a' }] })).toBe(false);
    expect(isStoredStream({ parts: 'nope' })).toBe(false);
  });
});
