// A page of a tenant's entries on Redis: SCAN over the tenant's entry keys on the node that holds
// its slot (the cursor is SCAN's own, so a listing survives writes and restarts of this process),
// then one HMGET per entry. Entries present for the whole listing are listed at least once.
import type { ListOptions, ListPage, StoredEntry } from '../types.js';
import type { RedisConnection } from './connection.js';
import { getEntryArgs } from './entry-commands.js';
import { decodeEntryFields, FOREIGN } from './entry-schema.js';
import type { KeyLayout } from './keys.js';

const SCAN_CURSOR = /^[0-9]{1,20}$/;

export function listScanArgs(cursor: string, pattern: string, count: number): string[] {
  return ['SCAN', cursor, 'MATCH', pattern, 'COUNT', String(count), 'TYPE', 'hash'];
}

export function redisList(redis: RedisConnection, keys: () => KeyLayout, ns: string) {
  return async (tenant: string, { cursor, limit }: ListOptions): Promise<ListPage> => {
    if (cursor !== undefined && !SCAN_CURSOR.test(cursor))
      throw new Error(`redis list: ${JSON.stringify(cursor)} is not a cursor this store made`);
    const layout = keys();
    const [pattern] = layout.tenantPatterns(tenant);
    // A key of the tenant's slot routes the keyless SCAN to the node that holds the tenant.
    const route = layout.entry(tenant, '0');
    let next = cursor ?? '0';
    const found: string[] = [];
    do {
      const [after, batch] = (await redis.send(route, listScanArgs(next, pattern, limit))) as [
        string,
        string[],
      ];
      next = String(after);
      found.push(...batch.map(String));
    } while (next !== '0' && found.length < limit);
    const read = await Promise.all(
      found.map(async (key) => {
        const id = layout.idOf(key, tenant);
        if (id === undefined) return undefined;
        const entry = decodeEntryFields(id, (await redis.send(key, getEntryArgs(key))) as string[], ns);
        return entry === FOREIGN ? undefined : entry;
      }),
    );
    const entries = read.filter((entry): entry is StoredEntry => entry !== undefined);
    return next === '0' ? { entries } : { entries, cursor: next };
  };
}
