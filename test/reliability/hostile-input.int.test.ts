// Hostile and odd input: oversized prompts and responses, binary and base64 file parts, NaN and
// Infinity vectors, wrong dimensions, empty strings, failing embedders. Each gets a typed error or
// "not cached" — never a crash, and never a partial write: the keyspace is checked after each.
import { DejaInputError, type Embedder, lexicalEmbedder } from '@deja/core';
import { createClient } from 'redis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachStore, REDIS_KINDS, useDeja } from '../support/deja-fixture.ts';
import { type Client, keysMatching, keysWithoutTtl } from './support/keyspace.ts';

const DIMENSIONS = 8;
const MAX_RESPONSE_BYTES = 64_000;
const lexical = lexicalEmbedder({ dimensions: DIMENSIONS });

type Embed = Embedder['embed'];

/** An embedder whose answers the test chooses, to play a broken or hostile embedding service. */
function scriptedEmbedder(): Embedder & { next?: Embed } {
  const embedder: Embedder & { next?: Embed } = {
    modelId: 'scripted',
    dimensions: DIMENSIONS,
    embed: (texts, signal) => (embedder.next ? embedder.next(texts, signal) : lexical.embed(texts, signal)),
  };
  return embedder;
}

describeEachStore('hostile input', REDIS_KINDS, (kind) => {
  const embedder = scriptedEmbedder();
  const fixture = useDeja(kind, {
    embedder,
    maxResponseBytes: MAX_RESPONSE_BYTES,
    maxTextTokens: 2_000,
    statsFlushMs: 0,
  });
  let client: Client;
  const keys = () =>
    keysMatching(client, [
      `${fixture.store.prefix}*`,
      `~${fixture.store.prefix}*`,
      `${fixture.store.embeddingPrefix}*`,
    ]);

  beforeAll(async () => {
    client = createClient({ url: fixture.store.url });
    await client.connect();
  });
  afterAll(async () => {
    // Whatever happened above, nothing was left without a TTL.
    expect(await keysWithoutTtl(client, await keys())).toEqual([]);
    client.destroy();
  });

  /**
   * Runs `attempt` and checks it wrote no entry and no part of one (hash, member sets). The
   * embedding cache may keep the vector of a semantic text that was embedded on the way: that is a
   * whole, valid cache entry of its own, not a piece of the refused one.
   */
  async function writesNothing(attempt: () => Promise<unknown>): Promise<void> {
    const before = new Set(await keys());
    await attempt();
    const added = (await keys()).filter((key) => !before.has(key));
    expect(added.filter((key) => !key.startsWith(fixture.store.embeddingPrefix))).toEqual([]);
  }

  it('oversized responses are not cached, and nothing is written', async () => {
    const tenant = fixture.deja.tenant('oversized');
    const huge = { text: 'x'.repeat(MAX_RESPONSE_BYTES), more: ['y'.repeat(1_000)] };
    await writesNothing(async () => {
      expect(await tenant.responses.store({ key: 'huge', semanticText: 'a big one' }, huge)).toMatchObject({
        stored: false,
        reason: 'too-large',
      });
    });
    const wrapped = await tenant.responses.wrap({ key: 'huge' }, async () => huge);
    expect(wrapped).toMatchObject({ hit: 'miss', stored: false });
    expect(wrapped.value).toBe(huge);
    expect(await tenant.responses.lookup({ key: 'huge' })).toBeUndefined();
  });

  it('oversized prompts are cached exact-only; put() refuses to embed them with a typed error', async () => {
    const tenant = fixture.deja.tenant('long prompts');
    const prompt = 'tell me everything '.repeat(20_000);
    const request = { key: { prompt }, semanticText: prompt };
    expect(await tenant.responses.store(request, 'a short answer')).toMatchObject({ stored: true });
    expect(await tenant.responses.lookup(request)).toMatchObject({ hit: 'exact', value: 'a short answer' });
    expect(await tenant.responses.lookup({ ...request, key: 'paraphrase' })).toBeUndefined();
    await writesNothing(() =>
      expect(tenant.put({ key: 'long', value: 1, text: prompt })).rejects.toThrow(/maxTextTokens/),
    );
  });

  it('a prompt and an answer that are one long run of a character do not stall the process', async () => {
    // Token counting (maxTextTokens, usage estimates) used to hand such a run to the tokenizer in
    // one piece, which is quadratic in its length: minutes of blocked event loop at these sizes.
    const tenant = fixture.deja.tenant('long runs');
    const prompt = 'a'.repeat(400_000);
    const answer = '='.repeat(60_000);
    const started = performance.now();
    const request = { key: { prompt }, semanticText: prompt };
    expect(await tenant.responses.lookup(request)).toBeUndefined();
    const wrapped = await tenant.responses.wrap(request, async () => answer);
    expect(wrapped).toMatchObject({ hit: 'miss', stored: true });
    expect(await tenant.responses.lookup(request)).toMatchObject({ hit: 'exact', value: answer });
    await writesNothing(() => expect(tenant.knn(prompt)).rejects.toThrow(/maxTextTokens/));
    console.info(
      `[${kind}] one-run prompt (400 KB) and answer (60 KB): ${(performance.now() - started).toFixed(0)} ms`,
    );
  });

  it('binary and base64 file parts: Uint8Array survives byte for byte, other binary is refused', async () => {
    const tenant = fixture.deja.tenant('files');
    const bytes = Uint8Array.from({ length: 4_096 }, (_, i) => (i * 131 + 7) % 256);
    const filePart = {
      type: 'file',
      mediaType: 'image/png',
      data: bytes,
      base64: Buffer.from(bytes).toString('base64'),
      dataUrl: `data:image/png;base64,${Buffer.from(bytes.subarray(0, 64)).toString('base64')}`,
    };
    expect(await tenant.responses.store({ key: 'file' }, { content: [filePart] })).toMatchObject({
      stored: true,
    });
    const hit = await tenant.responses.lookup<{ content: (typeof filePart)[] }>({ key: 'file' });
    const part = hit?.value.content[0];
    expect(part?.data).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(part?.data ?? []).equals(Buffer.from(bytes))).toBe(true);
    expect(part?.base64).toBe(filePart.base64);
    expect(part?.dataUrl).toBe(filePart.dataUrl);
    // A Buffer is a Uint8Array: its bytes survive (and come back as a plain Uint8Array).
    expect(await tenant.responses.store({ key: 'buffer' }, Buffer.from('héllo'))).toMatchObject({
      stored: true,
    });
    const buffer = (await tenant.responses.lookup<Uint8Array>({ key: 'buffer' }))?.value;
    expect(Buffer.from(buffer ?? []).toString()).toBe('héllo');

    class FileBlob {
      constructor(readonly bytes: Uint8Array) {}
    }
    for (const [name, value] of [
      ['ArrayBuffer', { data: bytes.buffer }],
      ['Int16Array', { data: new Int16Array(4) }],
      ['DataView', { data: new DataView(bytes.buffer) }],
      ['class instance', { data: new FileBlob(bytes) }],
      ['Blob', { data: new Blob([bytes]) }],
    ] as const) {
      await writesNothing(async () => {
        const result = await tenant.responses.store({ key: name, semanticText: `file ${name}` }, value);
        expect(result, name).toMatchObject({ stored: false, reason: 'not-cacheable' });
      });
      expect(await tenant.responses.lookup({ key: name }), name).toBeUndefined();
    }
  });

  it('NaN, Infinity, zero and wrong-length vectors are typed fixture.errors, for put and for knn', async () => {
    const tenant = fixture.deja.tenant('vectors');
    const bad = [
      Array(DIMENSIONS).fill(Number.NaN),
      [Number.POSITIVE_INFINITY, ...Array(DIMENSIONS - 1).fill(0)],
      [Number.NEGATIVE_INFINITY, ...Array(DIMENSIONS - 1).fill(1)],
      Array(DIMENSIONS).fill(0),
      Array(DIMENSIONS - 1).fill(1),
      Array(DIMENSIONS * 100).fill(1),
      [],
      new Float32Array(DIMENSIONS).fill(Number.NaN),
    ];
    for (const vector of bad) {
      await writesNothing(() =>
        expect(tenant.put({ key: 'v', value: 1, text: 'some text', vector })).rejects.toThrow(DejaInputError),
      );
      await expect(tenant.knn(vector)).rejects.toThrow(DejaInputError);
    }
  });

  it('an embedder returning NaN, wrong dimensions, too few vectors, or failing: lookups miss, answers are still served', async () => {
    const tenant = fixture.deja.tenant('broken embedder');
    const broken: Record<string, Embed> = {
      NaN: async (texts) => texts.map(() => Array(DIMENSIONS).fill(Number.NaN)),
      Infinity: async (texts) => texts.map(() => Array(DIMENSIONS).fill(Number.POSITIVE_INFINITY)),
      'wrong dimensions': async (texts) => texts.map(() => Array(DIMENSIONS + 1).fill(1)),
      'too few vectors': async () => [],
      'a thrown error': async () => {
        throw new Error('embedding service unavailable');
      },
    };
    for (const [name, embed] of Object.entries(broken)) {
      embedder.next = embed;
      const request = { key: `asked while the embedder returned ${name}`, semanticText: `question ${name}` };
      try {
        expect(await tenant.responses.lookup(request), name).toBeUndefined();
        const wrapped = await tenant.responses.wrap(request, async () => `answer ${name}`);
        expect(wrapped, name).toMatchObject({ hit: 'miss', value: `answer ${name}` });
        // The cached embedder passes the embedder's answer (or error) through, and caches none of it.
        await fixture.deja.embeddings.embed([`direct ${name}`]).catch(() => undefined);
      } finally {
        embedder.next = undefined;
      }
      // No vector of a broken embedder was cached: the healthy embedder is asked again.
      const [vector] = await fixture.deja.embeddings.embed([`direct ${name}`]);
      expect(Array.from(vector as Float32Array).every(Number.isFinite), name).toBe(true);
    }
  });

  it('empty strings: typed fixture.errors for ids and put text, exact-only for semantic text', async () => {
    const tenant = fixture.deja.tenant('empty');
    expect(() => fixture.deja.tenant('')).toThrow(DejaInputError);
    await expect(tenant.responses.lookup({ key: 'k' }, { user: '' })).rejects.toThrow(DejaInputError);
    const asked = embedder.next;
    let embedderCalls = 0;
    embedder.next = async (texts) => {
      embedderCalls++;
      return lexical.embed(texts);
    };
    await writesNothing(async () => {
      await expect(tenant.put({ key: 'e', value: 1, text: '' })).rejects.toThrow(DejaInputError);
      await expect(tenant.put({ key: 'e', value: 1, text: '   ' })).rejects.toThrow(DejaInputError);
      await expect(tenant.knn('')).rejects.toThrow(DejaInputError);
      await expect(tenant.knn(' \n')).rejects.toThrow(DejaInputError);
      await expect(tenant.knn('many words '.repeat(2_000))).rejects.toThrow(/maxTextTokens/);
    });
    // None of these reached the embedder (a hosted one would answer an empty text with an error).
    expect(embedderCalls).toBe(0);
    embedder.next = asked;
    for (const semanticText of ['', ' ', '\n\t']) {
      const request = { key: `empty ${JSON.stringify(semanticText)}`, semanticText };
      expect(await tenant.responses.store(request, '')).toMatchObject({ stored: true });
      expect(await tenant.responses.lookup(request)).toMatchObject({ hit: 'exact', value: '' });
    }
    expect(await tenant.responses.store({ key: '' }, 'empty key')).toMatchObject({ stored: true });
    expect((await tenant.responses.lookup({ key: '' }))?.value).toBe('empty key');
    const [vector] = await fixture.deja.embeddings.embed(['']);
    expect(vector).toHaveLength(DIMENSIONS);
  });
});
