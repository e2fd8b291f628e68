// Listing a tenant's entries for admin screens and `deja inspect`: a page at a time, with an opaque
// cursor, each entry as an operator needs to see it (never its vector). Entries that fail
// validation are reported and deleted on the way, as on any read.
import { DejaConfigError, DejaInputError } from './errors.js';
import { NO_USER } from './keys/digest.js';
import type { TenantScope } from './tenancy/tenant-scope.js';

export interface ListInput {
  /** The `cursor` of the previous page; absent: the first page. */
  cursor?: string;
  /** Entries per page, 1..1000 (default 50); a page may hold somewhat more or fewer. */
  limit?: number;
}

export interface ListedEntry {
  /** The entry id (sha256 hex): what getById / deleteById and `deja inspect --show` take. */
  id: string;
  /** The text that was embedded ('' for exact-only entries). */
  text: string;
  /** The model the answer came from, when the writer said (metadata). */
  model?: string;
  createdAt: number;
  ageMs: number;
  /** The user's digest, for entries of one user (user ids are never stored). */
  user?: string;
  /** The tags as given at store time (kept in the metadata; the store has only their digests). */
  tags?: string[];
}

export interface ListResult {
  entries: ListedEntry[];
  /** Pass to the next list() call; absent when there is nothing more. */
  cursor?: string;
}

const CURSOR = /^[A-Za-z0-9_-]{1,200}$/;
const ENTRY_ID = /^[0-9a-f]{64}$/;

/** A page of the tenant's entries; undefined when the store cannot tell now. */
export async function listEntries(
  scope: TenantScope,
  input: ListInput = {},
): Promise<ListResult | undefined> {
  const { store } = scope.context;
  const limit = input.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1_000)
    throw new DejaInputError('limit must be a whole number from 1 to 1000');
  if (input.cursor !== undefined && (typeof input.cursor !== 'string' || !CURSOR.test(input.cursor)))
    throw new DejaInputError('cursor must be the cursor of a previous list() page');
  if (!store.listing) throw new DejaConfigError(`The store "${store.name}" cannot list entries (no list)`);
  const page = await store.list(scope.digest, { limit, ...(input.cursor ? { cursor: input.cursor } : {}) });
  if (!page) return undefined;
  const entries: ListedEntry[] = [];
  for (const stored of page.entries) {
    const item = scope.decode(stored);
    if (!item) continue;
    entries.push({
      id: item.id,
      text: item.text,
      ...(item.meta.model === undefined ? {} : { model: item.meta.model }),
      createdAt: item.createdAt,
      ageMs: item.ageMs,
      ...(stored.user === NO_USER ? {} : { user: stored.user }),
      ...(item.meta.tags ? { tags: item.meta.tags } : {}),
    });
  }
  return page.cursor === undefined ? { entries } : { entries, cursor: page.cursor };
}

/** An entry id as list() gives it; DejaInputError otherwise. */
export function checkEntryId(id: unknown): string {
  if (typeof id !== 'string' || !ENTRY_ID.test(id))
    throw new DejaInputError('An entry id is the 64-character hex id list() gives');
  return id;
}
