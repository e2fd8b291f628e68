// How many entries a bucket and its index hold, known in process so a lookup can pick its HNSW
// hybrid policy (hybrid-policy.ts) without a round trip of its own. A lookup reads what is known
// and, when that is missing or older than FRESH_MS, starts a refresh behind it (never awaited): one
// FT.SEARCH … LIMIT 0 0 for the bucket, one FT.INFO for the index. A count older than STALE_MS is
// not used (RediSearch then chooses, as it does for an unknown bucket). A failed refresh is
// reported (onError) and leaves the size unknown; it is tried again after FRESH_MS, never at once,
// so a Redis in trouble gets one report per bucket per FRESH_MS, not one per lookup.
//
// The refresh's commands are sent when the lookup asks, before its KNN: on the same connection
// their replies come back first, so a store closed once its lookups are done has no count left
// on the wire.
import type { BucketSize } from './hybrid-policy.js';

/** A size this old is refreshed behind the next lookup that reads it. */
export const FRESH_MS = 30_000;
/** A size this old is no longer used. */
export const STALE_MS = 60_000;
/** Buckets (and indexes) remembered; the least recently refreshed go first. */
export const MAX_REMEMBERED = 10_000;
/** Refreshes in flight at once; a lookup that finds them all busy leaves its bucket for later. */
export const MAX_REFRESHES = 4;

export interface SizeSources {
  /** Entries in `bucket` (a bucket of `tenant`). */
  bucketEntries(tenant: string, bucket: string): Promise<number>;
  /** Entries in the index a KNN of `tenant` searches. */
  indexEntries(tenant: string): Promise<number>;
  /** Names that index: one name for every tenant of one Redis, each tenant's own on a cluster. */
  indexKey(tenant: string): string;
  report(error: unknown): void;
  now?(): number;
}

export interface BucketSizes {
  /** The sizes when both are known and not stale; starts a refresh of whichever is missing or old. */
  sizeOf(tenant: string, bucket: string): BucketSize | undefined;
  /** Resolves when the refreshes in flight have settled. */
  idle(): Promise<void>;
}

interface Known {
  entries: number | undefined;
  at: number;
}

export function bucketSizes(sources: SizeSources): BucketSizes {
  const now = sources.now ?? Date.now;
  const buckets = new Map<string, Known>();
  const indexes = new Map<string, Known>();
  const inFlight = new Map<string, Promise<void>>();

  const remember = (known: Map<string, Known>, key: string, entries: number | undefined) => {
    known.delete(key); // re-inserted last: Map order is refresh order
    known.set(key, { entries, at: now() });
    if (known.size > MAX_REMEMBERED) known.delete(known.keys().next().value as string);
  };

  const refresh = (known: Map<string, Known>, key: string, load: () => Promise<number>) => {
    const job = `${known === buckets ? 'bucket' : 'index'}:${key}`;
    if (inFlight.has(job) || inFlight.size >= MAX_REFRESHES) return;
    // load() runs now, inside this call: its command leaves before the lookup's KNN.
    let settled = false;
    const loading = (async () => {
      try {
        remember(known, key, await load());
      } catch (error) {
        remember(known, key, undefined);
        sources.report(error);
      } finally {
        settled = true;
        inFlight.delete(job);
      }
    })();
    // A load that failed at once has settled already: nothing to wait for.
    if (!settled) inFlight.set(job, loading);
  };

  const read = (known: Map<string, Known>, key: string, load: () => Promise<number>) => {
    const found = known.get(key);
    const age = found ? now() - found.at : Number.POSITIVE_INFINITY;
    if (age >= FRESH_MS) refresh(known, key, load);
    return age < STALE_MS ? found?.entries : undefined;
  };

  return {
    sizeOf(tenant, bucket) {
      const bucketEntries = read(buckets, bucket, () => sources.bucketEntries(tenant, bucket));
      const indexEntries = read(indexes, sources.indexKey(tenant), () => sources.indexEntries(tenant));
      return bucketEntries === undefined || indexEntries === undefined
        ? undefined
        : { bucketEntries, indexEntries };
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all(inFlight.values());
    },
  };
}
