// Faithful replay at the model interface: every kind of content a LanguageModelV4 (ai@7) or a
// LanguageModelV3 (ai@6) returns comes back equal after storage — or, when it cannot, the result
// is not cached at all.
import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamPart,
} from '@ai-sdk/provider';
import { createDeja, type Deja } from '@deja/core';
import { simulateReadableStream } from 'ai';
import { convertReadableStreamToArray } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestStore, STORE_KINDS, type TestStore } from '../../../test/support/stores.ts';
import { dejaHitOf, dejaMiddleware } from '../src/index.ts';
import { generateResult, RESPONSE_TIME, usage } from './fixtures.ts';
import { type Major, majorsTimes } from './majors.ts';

const PNG = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 255]);

const everyKindOfContent = generateResult(
  [
    { type: 'reasoning', text: 'Thinking it over.', providerMetadata: { anthropic: { signature: 'sig-1' } } },
    {
      type: 'text',
      text: 'Here is the chart.',
      citations: [
        {
          source: { type: 'source', sourceType: 'url', id: 'src-1', url: 'https://example.com/a' },
          startIndex: 0,
        },
      ],
    },
    { type: 'source', sourceType: 'url', id: 'src-1', url: 'https://example.com/a', title: 'A' },
    {
      type: 'source',
      sourceType: 'document',
      id: 'src-2',
      mediaType: 'application/pdf',
      title: 'Report',
      filename: 'r.pdf',
    },
    { type: 'file', mediaType: 'image/png', data: { type: 'data', data: PNG } },
    { type: 'file', mediaType: 'image/png', data: { type: 'data', data: 'iVBORw0KGgo=' } },
    {
      type: 'file',
      mediaType: 'image/png',
      data: { type: 'url', url: new URL('https://cdn.example.com/chart.png?v=2') },
    },
    { type: 'reasoning-file', mediaType: 'image/png', data: { type: 'data', data: PNG } },
    {
      type: 'tool-call',
      toolCallId: 'call-1',
      toolName: 'search',
      input: '{"q":"charts"}',
      providerExecuted: true,
    },
    { type: 'tool-result', toolCallId: 'call-1', toolName: 'search', result: { hits: [1, 2, 3] } },
    { type: 'tool-approval-request', approvalId: 'approval-1', toolCallId: 'call-1' },
    { type: 'custom', kind: 'openai.compaction', providerMetadata: { openai: { id: 'c-1' } } },
  ],
  {
    warnings: [{ type: 'unsupported', feature: 'topK', details: 'ignored' }],
    providerMetadata: { openai: { responseId: 'r-1', logprobs: [0.1, 0.2] } },
    structuredOutputText: '',
  },
);

/**
 * The same for a LanguageModelV3 (ai@6): file data is a base64 string or the bytes themselves,
 * text has no citations, and there are no reasoning files or custom parts. Typed as V4 for the
 * shared helpers; the middleware under ai@6 sees exactly these objects.
 */
const everyKindOfContentV3 = generateResult(
  [
    { type: 'reasoning', text: 'Thinking it over.', providerMetadata: { anthropic: { signature: 'sig-1' } } },
    { type: 'text', text: 'Here is the chart.' },
    { type: 'source', sourceType: 'url', id: 'src-1', url: 'https://example.com/a', title: 'A' },
    { type: 'file', mediaType: 'image/png', data: PNG },
    { type: 'file', mediaType: 'image/png', data: 'iVBORw0KGgo=' },
    { type: 'tool-call', toolCallId: 'call-1', toolName: 'search', input: '{"q":"charts"}' },
    { type: 'tool-result', toolCallId: 'call-1', toolName: 'search', result: { hits: [1, 2, 3] } },
    { type: 'tool-approval-request', approvalId: 'approval-1', toolCallId: 'call-1' },
  ] as unknown as LanguageModelV4GenerateResult['content'],
  {
    warnings: [{ type: 'unsupported', feature: 'topK', details: 'ignored' }],
    providerMetadata: { openai: { responseId: 'r-1', logprobs: [0.1, 0.2] } },
  },
);

const params = (text: string): LanguageModelV4CallOptions => ({
  prompt: [{ role: 'user', content: [{ type: 'text', text }] }],
});

describe.each(majorsTimes(STORE_KINDS))('replay of stored results, %s, on %s', (_, kind, major) => {
  const { MockLanguageModel } = major;
  let testStore: TestStore;
  let deja: Deja;
  let tenantCounter = 0;
  const wrap = (model: LanguageModelV4): LanguageModelV4 =>
    major.wrapLanguageModel({
      model,
      middleware: dejaMiddleware({ deja, tenant: `replay-${kind}-${++tenantCounter}` }),
    });

  beforeAll(() => {
    testStore = makeTestStore(kind);
    deja = createDeja({ ...testStore.dejaOptions, statsFlushMs: 0 });
  });
  afterAll(async () => {
    await deja.close();
    await testStore.cleanup();
  });

  it('replays text, reasoning, sources, files (bytes and URLs), tool parts, warnings and metadata as they were', async () => {
    const content = major.spec === 'v4' ? everyKindOfContent : everyKindOfContentV3;
    const model = new MockLanguageModel({ doGenerate: async () => content });
    const wrapped = wrap(model);

    const fresh = await wrapped.doGenerate(params('draw a chart'));
    const replayed = await wrapped.doGenerate(params('draw a chart'));

    expect(model.doGenerateCalls).toHaveLength(1);
    expect(fresh).toEqual({ ...content, providerMetadata: { ...content.providerMetadata, deja: MISS } });
    expect(replayed.content).toEqual(content.content);
    expect(replayed.warnings).toEqual(content.warnings);
    expect(replayed.finishReason).toEqual(content.finishReason);
    expect(replayed.response).toEqual({
      id: 'response-1',
      timestamp: RESPONSE_TIME,
      modelId: 'mock-model-id-2026',
    });
    expect(replayed.response?.timestamp).toBeInstanceOf(Date);
    // No HTTP exchange happened on a hit, so none is reported.
    expect(replayed.request).toBeUndefined();
    const { deja: hit, ...providerMetadata } = replayed.providerMetadata ?? {};
    expect(providerMetadata).toEqual(content.providerMetadata);
    expect(hit).toEqual({ hit: 'exact', similarity: 1, ageMs: expect.any(Number), originalUsage: usage() });
    if (major.spec === 'v3') {
      const [, , , bytes, base64] = replayed.content as unknown as { data: unknown }[];
      expect(bytes?.data).toBeInstanceOf(Uint8Array);
      expect(base64?.data).toBe('iVBORw0KGgo=');
      return;
    }
    const [, , , , bytes, , url] = replayed.content;
    expect(bytes).toMatchObject({ data: { type: 'data', data: expect.any(Uint8Array) } });
    expect(url).toMatchObject({ data: { type: 'url', url: expect.any(URL) } });
    expect(url?.type === 'file' && url.data.type === 'url' && url.data.url.href).toBe(
      'https://cdn.example.com/chart.png?v=2',
    );
    expect(replayed.structuredOutputText).toBe('');
  });

  it('replays every stream part, files included, with the finish part marked', async () => {
    const parts = streamParts(major);
    const model = new MockLanguageModel({
      doStream: async () => ({
        stream: simulateReadableStream({ chunks: parts, initialDelayInMs: null, chunkDelayInMs: null }),
      }),
    });
    const wrapped = wrap(model);

    const fresh = await convertReadableStreamToArray((await wrapped.doStream(params('stream it'))).stream);
    const replayed = await convertReadableStreamToArray((await wrapped.doStream(params('stream it'))).stream);

    expect(model.doStreamCalls).toHaveLength(1);
    expect(fresh.slice(0, -1)).toEqual(parts.slice(0, -1));
    const freshFinish = fresh.at(-1);
    expect(freshFinish?.type === 'finish' && freshFinish.providerMetadata).toEqual({
      a: { b: 1 },
      deja: MISS,
    });
    expect(replayed.slice(0, -1)).toEqual(parts.slice(0, -1));
    const finish = replayed.at(-1);
    expect(finish?.type === 'finish' && finish.finishReason).toEqual({
      unified: 'tool-calls',
      raw: 'tool_use',
    });
    expect(finish?.type === 'finish' && finish.usage.inputTokens.total).toBe(0);
    expect(finish?.type === 'finish' && finish.providerMetadata?.a).toEqual({ b: 1 });
    expect(finish?.type === 'finish' && dejaHitOf(finish.providerMetadata)?.originalUsage).toEqual(usage());
    if (major.spec === 'v3') {
      expect((replayed[10] as unknown as { data: unknown }).data).toBeInstanceOf(Uint8Array);
      expect((replayed[11] as unknown as { data: unknown }).data).toBe('iVBORw0KGgo=');
      return;
    }
    const replayedUrl = replayed[11];
    expect(replayedUrl?.type === 'file' && replayedUrl.data.type === 'url' && replayedUrl.data.url.href).toBe(
      'https://cdn.example.com/x.png',
    );
  });

  it('does not cache a result holding data that cannot round-trip, and returns it intact', async () => {
    class Handle {
      constructor(readonly fd: number) {}
    }
    const odd = generateResult([{ type: 'text', text: 'odd' }], {
      // A provider breaking its types: a class instance where JSON belongs.
      providerMetadata: { vendor: { handle: new Handle(3) as unknown as number } },
    });
    const model = new MockLanguageModel({ doGenerate: async () => odd });
    const wrapped = wrap(model);

    const first = await wrapped.doGenerate(params('odd one'));
    const second = await wrapped.doGenerate(params('odd one'));

    expect(model.doGenerateCalls).toHaveLength(2);
    expect(first).toEqual({ ...odd, providerMetadata: { ...odd.providerMetadata, deja: MISS } });
    expect(first.providerMetadata?.vendor?.handle).toBe(odd.providerMetadata?.vendor?.handle);
    expect(second.providerMetadata?.vendor?.handle).toBeInstanceOf(Handle);
    expect(dejaHitOf(second.providerMetadata)).toBeUndefined();
  });

  it('does not cache a generation that finished with an error', async () => {
    const failed = generateResult([{ type: 'text', text: 'half an ans' }], {
      finishReason: { unified: 'error', raw: 'server_error' },
    });
    const model = new MockLanguageModel({ doGenerate: async () => failed });
    const wrapped = wrap(model);
    await wrapped.doGenerate(params('fail'));
    await wrapped.doGenerate(params('fail'));
    expect(model.doGenerateCalls).toHaveLength(2);
  });
});

/** Why the first call of each test missed: deja has no embedder, so nothing was semantic. */
const MISS = { hit: 'miss', reason: 'not-embeddable' };

function streamParts(major: Major): LanguageModelV4StreamPart[] {
  if (major.spec === 'v3') {
    const v3 = [...STREAM_PARTS];
    // V3 file parts carry the bytes or a base64 string, never a URL.
    v3[10] = { type: 'file', mediaType: 'image/png', data: PNG } as unknown as LanguageModelV4StreamPart;
    v3[11] = {
      type: 'file',
      mediaType: 'image/png',
      data: 'iVBORw0KGgo=',
    } as unknown as LanguageModelV4StreamPart;
    return v3;
  }
  return STREAM_PARTS;
}

const STREAM_PARTS: LanguageModelV4StreamPart[] = [
  { type: 'stream-start', warnings: [{ type: 'other', message: 'beta model' }] },
  { type: 'response-metadata', id: 'response-1', timestamp: RESPONSE_TIME, modelId: 'mock' },
  { type: 'reasoning-start', id: 'r' },
  { type: 'reasoning-delta', id: 'r', delta: 'hmm' },
  { type: 'reasoning-end', id: 'r' },
  { type: 'tool-input-start', id: 'call-1', toolName: 'search' },
  { type: 'tool-input-delta', id: 'call-1', delta: '{"q":"x"}' },
  { type: 'tool-input-end', id: 'call-1' },
  { type: 'tool-call', toolCallId: 'call-1', toolName: 'search', input: '{"q":"x"}' },
  { type: 'source', sourceType: 'url', id: 's', url: 'https://example.com' },
  { type: 'file', mediaType: 'image/png', data: { type: 'data', data: PNG } },
  {
    type: 'file',
    mediaType: 'image/png',
    data: { type: 'url', url: new URL('https://cdn.example.com/x.png') },
  },
  { type: 'text-start', id: 't' },
  { type: 'text-delta', id: 't', delta: 'done' },
  { type: 'text-end', id: 't' },
  {
    type: 'finish',
    finishReason: { unified: 'tool-calls', raw: 'tool_use' },
    usage: usage(),
    providerMetadata: { a: { b: 1 } },
  },
];
