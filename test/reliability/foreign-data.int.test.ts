// Issue 13, finding 2: deja reads, indexes, counts and deletes only entries it wrote itself, on
// its own prefix, for its own embedder. Foreign data in or near its keyspace — a neighbouring
// deja's entries, an application's own hashes, vectors of another size or model — is never
// served, never deleted for it, and never a reason to delete something else.
import { createDeja, type Deja, DejaConfigError, type DejaErrorEvent, redisStore } from '@deja/core';
import { fixedEmbedder } from '@deja/core/testing';
import { RESP_TYPES } from 'redis';
import { describe, expect, it, onTestFinished } from 'vitest';
import { redis8Url, redisPlainUrl, redisStackUrl } from '../harness/servers.ts';
import { dropTestData } from '../support/redis-cleanup.ts';
import { withClient } from './support/keyspace.ts';

const KINDS = ['redis-stack', 'redis-plain', 'redis-8'] as const;
type Kind = (typeof KINDS)[number];

let counter = 0;
/** A fresh prefix / index / embedding prefix; everything under them is removed when the test ends. */
function namespace(kind: Kind) {
  const tag = `fd${process.pid}x${++counter}x${Date.now().toString(36)}`;
  const url = kind === 'redis-stack' ? redisStackUrl() : kind === 'redis-8' ? redis8Url() : redisPlainUrl();
  const prefix = `test:${tag}:`;
  const indexName = `idx-${tag}`;
  const extraIndexes: string[] = [];
  onTestFinished(async () => {
    for (const index of extraIndexes) await dropTestData(url, [], index);
    await dropTestData(url, [`${prefix}*`, `~${prefix}*`, `emb-${tag}*`], indexName);
    await withClient(url, async (client) => {
      const registered = await client.sMembers('~deja:prefixes').catch(() => [] as string[]);
      const ours = registered.filter((name) => name.startsWith(prefix));
      if (ours.length > 0) await client.sRem('~deja:prefixes', ours);
    });
  });
  return { url, prefix, indexName, tag, extraIndexes };
}

function dejaOn(
  url: string,
  prefix: string,
  indexName: string,
  embedder: ReturnType<typeof fixedEmbedder>,
  errors: DejaErrorEvent[] = [],
): Deja {
  const deja = createDeja({
    store: redisStore({ url, prefix, indexName }),
    embedder,
    embeddingKeyPrefix: `emb-${prefix.slice('test:'.length)}`,
    statsFlushMs: 0,
    onError: (event) => errors.push(event),
  });
  onTestFinished(() => deja.close());
  return deja;
}

const QUESTION = 'what is the capital of france';
const PARAPHRASE = 'which city is the capital of france';
const embedder = (modelId = 'model-a', dimensions = 4) =>
  fixedEmbedder(
    {
      [QUESTION]: [1, 0, 0, 0, ...Array(dimensions - 4).fill(0)],
      [PARAPHRASE]: [0.99, 0.1, 0, 0, ...Array(dimensions - 4).fill(0)],
    },
    { modelId, dimensions },
  );

describe.each(KINDS)('foreign and neighbouring data (%s)', (kind) => {
  it('refuses to start on a prefix that nests inside another deja’s, or contains one', async () => {
    const { url, prefix, indexName } = namespace(kind);
    await dejaOn(url, prefix, indexName, embedder()).ready();
    const staging = dejaOn(url, `${prefix}staging:`, `${indexName}-staging`, embedder());
    await expect(staging.ready()).rejects.toThrow(DejaConfigError);
    await expect(staging.ready()).rejects.toThrow(/nests|inside|contains/);

    const other = namespace(kind);
    await dejaOn(other.url, `${other.prefix}inner:`, `${other.indexName}-inner`, embedder()).ready();
    const outer = dejaOn(other.url, other.prefix, other.indexName, embedder());
    await expect(outer.ready()).rejects.toThrow(DejaConfigError);
  });

  it('never serves, counts or deletes a neighbouring deja’s entry that sits under its prefix', async () => {
    const production = namespace(kind);
    const neighbour = namespace(kind);
    const prod = dejaOn(production.url, production.prefix, production.indexName, embedder());
    const other = dejaOn(neighbour.url, neighbour.prefix, neighbour.indexName, embedder());
    await prod.ready();
    await other.ready();
    // The neighbour's genuine entry, copied to where a deja on `<production prefix>staging:` would
    // have written it (inside the production index's prefix).
    const tenantOfOther = other.tenant('acme');
    const { id: key } = await tenantOfOther.put({ key: 'q', value: 'staging answer', text: QUESTION });
    const copied = `${production.prefix}staging:{${tenantOfOther.digest}}:${key}`;
    await withClient(production.url, async (client) => {
      const source = `${neighbour.prefix}{${tenantOfOther.digest}}:${key}`;
      const dumped = await client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).dump(source);
      expect(dumped).not.toBeNull();
      await client.restore(copied, 0, dumped as Buffer);
    });

    const tenant = prod.tenant('acme');
    expect(await tenant.knn(QUESTION, { k: 10 })).toEqual([]);
    expect(await tenant.count()).toBe(0);
    expect(await prod.count()).toBe(0);
    expect(await tenant.clear()).toBe(0);
    await withClient(production.url, async (client) => expect(await client.exists(copied)).toBe(1));
  });

  it('an application’s own hash under the prefix is never served, never deleted, never shadows', async () => {
    const { url, prefix, indexName } = namespace(kind);
    const errors: DejaErrorEvent[] = [];
    const deja = dejaOn(url, prefix, indexName, embedder(), errors);
    await deja.ready();
    const tenant = deja.tenant('acme');
    const genuine = await tenant.put({ key: 'q', value: 'genuine answer', text: QUESTION });
    expect(genuine.stored).toBe(true);
    const vector = Buffer.from(new Float32Array([1, 0, 0, 0]).buffer);
    const appKeys = [
      `${prefix}{${tenant.digest}}:app-session`,
      `${prefix}{${tenant.digest}}:${'f'.repeat(64)}`,
    ];
    await withClient(url, async (client) => {
      const scope = (await client.hGet(`${prefix}{${tenant.digest}}:${genuine.id}`, 'scope')) as string;
      for (const [i, appKey] of appKeys.entries())
        await client.hSet(appKey, {
          tenant: tenant.digest,
          user: '0',
          scope,
          text: QUESTION,
          embedding: vector,
          // The first is decodable, the second is garbage: neither is deja's.
          response: i === 0 ? '{"v":1,"data":"the application’s value"}' : 'not a payload',
          meta: '{}',
          created_at: String(Date.now()),
        });
    });
    for (let round = 0; round < 3; round++) {
      const [nearest] = await tenant.knn(PARAPHRASE, { k: 1 });
      expect(nearest?.value).toBe('genuine answer');
      expect((await tenant.knn(PARAPHRASE, { k: 10 })).map((item) => item.value)).toEqual(['genuine answer']);
      expect(await tenant.get('q')).toMatchObject({ value: 'genuine answer' });
    }
    expect(await tenant.count()).toBe(1);
    expect(await tenant.forgetUser('nobody')).toEqual({ deleted: 0, complete: true });
    expect(await tenant.clear()).toBe(1);
    await withClient(url, async (client) => {
      for (const appKey of appKeys) expect(await client.exists(appKey), appKey).toBe(1);
    });
  });

  it('two embedders of one dimension on one prefix never compare their vectors', async () => {
    const { url, prefix, indexName } = namespace(kind);
    const first = dejaOn(url, prefix, indexName, embedder('model-a'));
    const second = dejaOn(url, prefix, indexName, embedder('model-b'));
    await first.ready();
    await second.ready();
    await first.tenant('acme').put({ key: 'q', value: 'from model a', text: QUESTION });
    expect(await second.tenant('acme').knn(QUESTION)).toEqual([]);
    const [nearest] = await first.tenant('acme').knn(PARAPHRASE);
    expect(nearest?.value).toBe('from model a');
  });
});

describe('plain Redis: instances of another dimension on one prefix', () => {
  it('a lookup by a 1536-d instance leaves a 384-d instance’s semantic tier alone', async () => {
    const { url, prefix, indexName } = namespace('redis-plain');
    const small = dejaOn(url, prefix, indexName, embedder('minilm', 384));
    const large = dejaOn(url, prefix, indexName, embedder('minilm', 1536));
    await small.ready();
    await large.ready();
    await small.tenant('acme').put({ key: 'q', value: 'small answer', text: QUESTION });
    for (let i = 0; i < 3; i++) expect(await large.tenant('acme').knn(PARAPHRASE)).toEqual([]);
    const [nearest] = await small.tenant('acme').knn(PARAPHRASE);
    expect(nearest?.value).toBe('small answer');
  });

  it('a vector of the wrong size in a scope is skipped and reported, never pruned', async () => {
    const { url, prefix, indexName } = namespace('redis-plain');
    const errors: DejaErrorEvent[] = [];
    const deja = dejaOn(url, prefix, indexName, embedder(), errors);
    await deja.ready();
    const tenant = deja.tenant('acme');
    const { id: key } = await tenant.put({ key: 'q', value: 'answer', text: QUESTION });
    const entryKey = `${prefix}{${tenant.digest}}:${key}`;
    await withClient(url, async (client) => {
      await client.hSet(entryKey, 'embedding', Buffer.from(new Float32Array([1, 0, 0]).buffer));
    });
    expect(await tenant.knn(PARAPHRASE)).toEqual([]);
    expect(errors.map((event) => String(event.error))).toContainEqual(expect.stringMatching(/size|length/));
    await withClient(url, async (client) => {
      await client.hSet(entryKey, 'embedding', Buffer.from(new Float32Array([1, 0, 0, 0]).buffer));
    });
    // Still in its scope: the repaired vector is found again.
    expect((await tenant.knn(PARAPHRASE))[0]?.value).toBe('answer');
  });
});
