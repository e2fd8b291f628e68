// Sliding TTLs (Store.touch): checked when the store has it.
import type { Store } from '../stores/types.js';
import { type ConformanceTestApi, entryMaker, HOUR, type RunDigests, sleep } from './conformance-support.js';

export function touchConformance(api: ConformanceTestApi, store: () => Store, digests: RunDigests): void {
  const { it, expect } = api;
  const entry = entryMaker(digests);

  it('touch: extends an entry’s TTL, never shortens it, never brings back a deleted one', async () => {
    if (!store().touch) return expect(store().touch).toBeUndefined();
    const touch = (store().touch as NonNullable<Store['touch']>).bind(store());
    const tenant = digests.of('touch-tenant');
    const extended = entry({ tenant });
    const kept = entry({ tenant });
    const deleted = entry({ tenant });
    await store().put(extended, 300);
    await store().put(kept, HOUR);
    await store().put(deleted, HOUR);
    const read = async (id: string) => store().get(tenant, id);
    await touch((await read(extended.id)) ?? extended, HOUR);
    await touch((await read(kept.id)) ?? kept, 100);
    const gone = await read(deleted.id);
    await store().delete(tenant, deleted.id);
    await touch(gone ?? deleted, HOUR);
    await sleep(700);
    expect(await read(extended.id)).toEqual(expect.objectContaining({ id: extended.id }));
    expect(await read(kept.id)).toEqual(expect.objectContaining({ id: kept.id }));
    expect(await read(deleted.id)).toBeUndefined();
  });
}
