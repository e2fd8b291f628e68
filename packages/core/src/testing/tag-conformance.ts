// Invalidation by tag (Store.deleteTagged): checked when the store has it.
import type { Store, StoreEntry } from '../stores/types.js';
import { type ConformanceTestApi, entryMaker, HOUR, type RunDigests } from './conformance-support.js';

export function tagConformance(api: ConformanceTestApi, store: () => Store, digests: RunDigests): void {
  const { it, expect } = api;
  const entry = entryMaker(digests);
  const { tenantB } = digests;
  const present = async (item: StoreEntry) => (await store().get(item.tenant, item.id)) !== undefined;
  const deleteTagged = (tenant: string, tag: string) =>
    (store().deleteTagged as NonNullable<Store['deleteTagged']>).call(store(), tenant, tag);

  it('tags: deleteTagged drops the entries of a tenant carrying a tag, and only those', async () => {
    if (!store().deleteTagged) return expect(store().deleteTagged).toBeUndefined();
    const tenant = digests.of('tag-tenant');
    const [doc42, doc7] = [digests.of('doc:42'), digests.of('doc:7')];
    const tagged = [
      entry({ tenant, tags: [doc42] }),
      entry({ tenant, tags: [doc7, doc42], user: digests.userX }),
      entry({ tenant, tags: [doc42], embedding: undefined }),
    ];
    const kept = [
      entry({ tenant, tags: [doc7] }),
      entry({ tenant }),
      entry({ tenant: tenantB, tags: [doc42] }),
    ];
    for (const item of [...tagged, ...kept]) await store().put(item, HOUR);
    expect((await store().get(tenant, kept[0]?.id as string))?.tags).toEqual([doc7]);
    expect((await store().get(tenant, tagged[1]?.id as string))?.tags).toEqual([doc7, doc42]);
    expect((await store().get(tenant, kept[1]?.id as string))?.tags).toBeUndefined();

    expect(await deleteTagged(tenant, doc42)).toBe(3);
    for (const item of tagged) expect([item.id, await present(item)]).toEqual([item.id, false]);
    for (const item of kept) expect([item.id, await present(item)]).toEqual([item.id, true]);
    expect(await deleteTagged(tenant, doc42)).toBe(0);
  });

  it('tags: an entry replaced without the tag survives its invalidation', async () => {
    if (!store().deleteTagged) return expect(store().deleteTagged).toBeUndefined();
    const tenant = digests.of('tag-replaced');
    const tag = digests.of('doc:replaced');
    const first = entry({ tenant, tags: [tag], createdAt: Date.now() - 10 });
    await store().put(first, HOUR);
    await store().put({ ...first, tags: undefined, response: 'untagged now' }, HOUR);
    expect(await deleteTagged(tenant, tag)).toBe(0);
    expect((await store().get(tenant, first.id))?.response).toBe('untagged now');
  });

  it('tags: a write carrying the tag that began before deleteTagged never lands after it', async () => {
    if (!store().deleteTagged) return expect(store().deleteTagged).toBeUndefined();
    const tenant = digests.of('tag-fence');
    const tag = digests.of('doc:fenced');
    const began = Date.now() - 1_000;
    await deleteTagged(tenant, tag);
    const late = entry({ tenant, tags: [tag, digests.of('doc:other')], createdAt: began });
    expect(await store().put(late, HOUR)).toBe(false);
    expect(await present(late)).toBe(false);
    const untagged = entry({ tenant, createdAt: began });
    expect(await store().put(untagged, HOUR)).not.toBe(false);
    const fresh = entry({ tenant, tags: [tag], createdAt: Date.now() + 1 });
    expect(await store().put(fresh, HOUR)).not.toBe(false);
    expect(await present(fresh)).toBe(true);
  });
}
