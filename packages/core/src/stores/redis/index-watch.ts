// The index this process uses, watched at run time. An operator may drop it (FT.DROPINDEX, a
// flushed or restarted server) or re-create it with another schema (another dimension). Dropped:
// it is created again at once. Another schema: the semantic tier turns itself off (queries that
// need the index are not sent), ONE event says why, health reports 'mismatched', and the index is
// checked again at most every RECHECK_MS; once it is deja's again (or gone, and re-created), the
// tier is back.
import { DejaSchemaMismatchError } from '../../errors.js';
import type { StoreProblem } from '../types.js';
import type { RedisConnection } from './connection.js';
import type { IndexSpec } from './create-index.js';
import { indexDifferences } from './index-info.js';
import { ensureIndex, readIndexInfo } from './index-manager.js';

export const RECHECK_MS = 1_000;

export interface IndexWatch {
  /** Sets the index in use (at init); undefined: no index (client-side KNN). */
  use(spec: IndexSpec | undefined): void;
  /** The index in use, whether or not it is usable now. */
  spec(): IndexSpec | undefined;
  /** The index to query now; undefined when there is none or it is not deja's right now. */
  usable(): Promise<IndexSpec | undefined>;
  /** The index when it is deja's and has indexed every entry (a re-created one is still indexing). */
  settled(): Promise<IndexSpec | undefined>;
  /**
   * A query on the index failed: true when the index was missing and has been created again (try
   * once more); false when it has another schema now (the tier is off, reported once); otherwise
   * the error is thrown on.
   */
  failed(error: unknown): Promise<boolean>;
  /** Why the index is not usable, when it is not. */
  mismatch(): string | undefined;
}

const MISSING = /no such index|unknown index/i;

export function indexWatch(
  redis: RedisConnection,
  report: () => (problem: StoreProblem) => void,
): IndexWatch {
  let current: IndexSpec | undefined;
  let mismatch: { reason: string } | undefined;
  let checkedAt = 0;

  const markMismatch = (spec: IndexSpec, reason: string) => {
    const first = mismatch === undefined;
    mismatch = { reason };
    if (first)
      report()({
        kind: 'store',
        operation: 'index',
        error: new DejaSchemaMismatchError(
          `Index "${spec.indexName}" changed under this process: ${reason}. Semantic lookups are off ` +
            'until it is deja’s again (drop it and deja creates its own, or restore it); exact lookups go on.',
        ),
      });
  };

  /** Creates the index when missing; marks a mismatch when it has another schema. */
  const check = async (spec: IndexSpec): Promise<boolean> => {
    const info = await readIndexInfo(redis, spec.indexName);
    const differences = info ? indexDifferences(info, spec) : [];
    if (differences.length > 0) {
      markMismatch(spec, differences.join('; '));
      return false;
    }
    if (!info) {
      try {
        await ensureIndex(redis, spec);
      } catch (error) {
        if (!(error instanceof DejaSchemaMismatchError)) throw error;
        markMismatch(spec, error.message);
        return false;
      }
    }
    mismatch = undefined;
    return true;
  };

  return {
    use(spec) {
      current = spec;
      mismatch = undefined;
      checkedAt = Date.now();
    },
    spec: () => current,
    async usable() {
      // A query on an index of another schema may fail, or just find nothing: so the index is
      // looked at (one FT.INFO) at most every RECHECK_MS, whether or not a query failed.
      if (!current || redis.shards) return current;
      if (Date.now() - checkedAt < RECHECK_MS) return mismatch ? undefined : current;
      checkedAt = Date.now();
      return (await check(current)) ? current : undefined;
    },
    async settled() {
      if (!current || redis.shards) return current;
      const info = await readIndexInfo(redis, current.indexName);
      return info && !info.indexing && indexDifferences(info, current).length === 0 ? current : undefined;
    },
    async failed(error) {
      // A cluster's per-tenant indexes are created where they are needed (index-search.ts).
      if (!current || redis.shards) throw error;
      checkedAt = Date.now();
      const usable = await check(current);
      // Missing and created again: worth one more try. Present and right: the error was another one.
      if (usable && MISSING.test(String(error))) return true;
      if (usable) throw error;
      return false;
    },
    mismatch: () => mismatch?.reason,
  };
}
