// Several processes initialising the same index at once all succeed and share it; a process
// configured with another dimension gets DejaSchemaMismatchError and writes nothing.
import { digest } from '@deja/core/adapter';
import { afterAll, describe, expect, it } from 'vitest';
import { redisStackUrl } from '../harness/servers.ts';
import { dropTestData } from '../support/redis-cleanup.ts';
import { type RunningChild, startChild } from './support/children.ts';
import { keysMatching, withClient } from './support/keyspace.ts';

const tag = `init${process.pid}x${Date.now().toString(36)}`;
const prefix = `${tag}:`;
const embeddingKeyPrefix = `${tag}-emb:`;
const indexName = `${tag}-idx`;

/** Starts children, waits until each has loaded deja, then lets them all initialise at once. */
async function together(settings: object[]): Promise<RunningChild[]> {
  const children = settings.map((each) => startChild('init-index.ts', each));
  await Promise.all(children.map((child) => child.message('ready')));
  for (const child of children) child.go();
  await Promise.all(children.map((child) => child.exited));
  return children;
}

describe('processes initialising one index at once', () => {
  const base = { url: '', prefix, indexName, embeddingKeyPrefix, dimensions: 32, tenant: 'shared' };
  afterAll(() =>
    dropTestData(redisStackUrl(), [`${prefix}*`, `~${prefix}*`, `${embeddingKeyPrefix}*`], indexName),
  );

  it('all succeed and write to one index', async () => {
    const url = redisStackUrl();
    const children = await together(Array.from({ length: 5 }, () => ({ ...base, url })));
    for (const child of children) {
      expect(child.messages.map((message) => message.type)).toEqual(['ready', 'initialised', 'stored']);
      expect(child.messages.at(-1)).toMatchObject({ stored: true });
    }
    const info = await withClient(url, (client) => client.ft.info(indexName));
    expect(Number(info.num_docs)).toBe(5);
    expect(info.attributes.find((attribute) => attribute.type === 'VECTOR')).toMatchObject({ dim: 32 });
  });

  it('a process with another dimension gets DejaSchemaMismatchError and writes nothing', async () => {
    const url = redisStackUrl();
    const wrong = { ...base, url, dimensions: 48, tenant: 'wrong dimension' };
    const children = await together([wrong, { ...base, url }, { ...base, url }]);
    const [mismatched, ...fine] = children as [RunningChild, ...RunningChild[]];
    expect(mismatched.messages.slice(1)).toEqual([
      {
        type: 'init-failed',
        error: 'DejaSchemaMismatchError',
        message: expect.stringMatching(/dimensions is 32, expected 48/),
      },
      { type: 'store-failed', error: 'DejaSchemaMismatchError' },
    ]);
    for (const child of fine) expect(child.messages.at(-1)).toMatchObject({ type: 'stored', stored: true });
    // Nothing of the mismatched process reached Redis: no entry of its tenant, no vector of its model.
    await withClient(url, async (client) => {
      const tenantKeys = await keysMatching(client, [
        `${prefix}{${digest('wrong dimension')}}*`,
        `~${prefix}{${digest('wrong dimension')}}*`,
      ]);
      expect(tenantKeys).toEqual([]);
      expect(await keysMatching(client, [`${embeddingKeyPrefix}{deja-lexical-3gram-48}*`])).toEqual([]);
      // The fine processes did write: their entries and vectors sit in their tenant's keyspace
      // (vector key names are keyed digests now, so the pattern is the tenant's, not the model's).
      const fineKeys = [`${prefix}{${digest('shared')}}*`, `~${prefix}{${digest('shared')}}:*`];
      expect(await keysMatching(client, fineKeys)).not.toEqual([]);
    });
  });
});
