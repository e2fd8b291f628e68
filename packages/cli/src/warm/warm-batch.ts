// One batch of `deja warm`: find which rows are already cached (one pipelined round trip),
// embed the others in one call, write them. A row is cached when its entry holds the same text
// embedded by the same embedder, so a re-run skips it and a changed row is embedded again.
import { DejaInputError, type Embedder, type TenantCache } from '@deja/core';
import type { RowId } from '../sqlite/sql-values.js';
import type { SourceRow } from '../sqlite/table-source.js';

export interface WarmTarget {
  tenant: TenantCache;
  /** deja.embeddings: batches by the model's limit and embeds each distinct text once. */
  embeddings: Embedder;
  embedderModelId: string;
  table: string;
  idColumn: string;
  /** Entry time to live, ms. */
  ttlMs: number;
}

export interface BatchOutcome {
  cached: number;
  skipped: number;
  failed: number;
  /** Why rows failed, e.g. "id 17: text is NULL". */
  failures: string[];
}

/** What a warmed entry is keyed by: the table and the row id (so 7 and "7" stay distinct). */
export function rowKey(table: string, id: RowId): { table: string; id: RowId } {
  return { table: tableScope(table), id };
}

/** The search scope of a warmed table. SQLite table names ignore case, and so does this. */
export function tableScope(table: string): string {
  return table.toLowerCase();
}

/** What a warmed entry holds: enough to fetch the full row back from SQLite. */
export interface WarmedRow {
  table: string;
  idColumn: string;
  id: RowId;
}

export async function warmBatch(target: WarmTarget, rows: readonly SourceRow[]): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { cached: 0, skipped: 0, failed: 0, failures: [] };
  const fail = (reason: string) => {
    outcome.failed++;
    outcome.failures.push(reason);
  };
  const valid: { id: RowId; text: string }[] = [];
  for (const row of rows) {
    if (row.id === undefined) fail('a row has a NULL or BLOB id');
    else if (row.text === undefined) fail(`id ${row.id}: text is NULL or a BLOB`);
    else if (!target.tenant.embeddable(row.text))
      fail(`id ${row.id}: text is empty or longer than maxTextTokens`);
    else valid.push({ id: row.id, text: row.text });
  }

  // Issued together: node-redis pipelines them into one round trip.
  const existing = await Promise.all(valid.map((row) => target.tenant.get(rowKey(target.table, row.id))));
  const missing = valid.filter((row, i) => {
    const item = existing[i];
    const cached =
      item !== undefined && item.text === row.text && item.meta.custom?.embedder === target.embedderModelId;
    if (cached) outcome.skipped++;
    return !cached;
  });
  if (missing.length === 0) return outcome;

  const vectors = await target.embeddings.embed(missing.map((row) => row.text));
  const results = await Promise.all(
    missing.map(async (row, i) => {
      const value: WarmedRow = { table: target.table, idColumn: target.idColumn, id: row.id };
      try {
        const result = await target.tenant.put({
          key: rowKey(target.table, row.id),
          value,
          text: row.text,
          vector: vectors[i],
          scope: tableScope(target.table),
          ttlMs: target.ttlMs,
          meta: { custom: { embedder: target.embedderModelId, source: 'deja warm' } },
        });
        return result.stored ? undefined : `id ${row.id}: not stored (${result.reason})`;
      } catch (error) {
        // A vector the model got wrong (NaN, zero, wrong length) fails its row, not the run.
        if (error instanceof DejaInputError) return `id ${row.id}: ${error.message}`;
        throw error;
      }
    }),
  );
  for (const failure of results) {
    if (failure === undefined) outcome.cached++;
    else fail(failure);
  }
  return outcome;
}
