// Listing a tenant's entries (Store.list): checked when the store has it.
import type { Store } from '../stores/types.js';
import { type ConformanceTestApi, entryMaker, HOUR, type RunDigests } from './conformance-support.js';

export function listConformance(api: ConformanceTestApi, store: () => Store, digests: RunDigests): void {
  const { it, expect } = api;
  const entry = entryMaker(digests);

  it('list: pages through every entry of one tenant, without vectors, and ends', async () => {
    if (!store().list) return expect(store().list).toBeUndefined();
    const list = (store().list as NonNullable<Store['list']>).bind(store());
    const tenant = digests.of('list-tenant');
    const written = Array.from({ length: 7 }, (_, i) =>
      entry({ tenant, tags: i === 0 ? [digests.of('doc')] : undefined }),
    );
    for (const item of written) await store().put(item, HOUR);
    await store().put(entry({ tenant: digests.of('list-other') }), HOUR);

    const seen = new Map<string, unknown>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await list(tenant, { limit: 2, ...(cursor ? { cursor } : {}) });
      for (const listed of page.entries) seen.set(listed.id, listed);
      if (page.cursor !== undefined) expect(page.cursor).toMatch(/^[A-Za-z0-9_-]{1,200}$/);
      cursor = page.cursor;
      pages++;
    } while (cursor !== undefined && pages < 100);
    expect(cursor).toBeUndefined();
    expect([...seen.keys()].sort()).toEqual(written.map((item) => item.id).sort());
    const { embedding: _, ...first } = written[0] as (typeof written)[number];
    expect(seen.get(first.id)).toEqual(first);
    expect(await list(digests.of('list-nobody'), { limit: 10 })).toEqual({ entries: [] });
  });
}
