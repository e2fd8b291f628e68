// deja search: KNN over a tenant's warmed vectors, then the full rows from SQLite by id.
import { resolve } from 'node:path';
import type { SQLOutputValue } from 'node:sqlite';
import type { KnnResult } from '@deja/core';
import { fractionFlag, integerFlag } from '../args.js';
import { defineCommand } from '../command.js';
import { resolveEmbedder } from '../embedder/resolve-embedder.js';
import { DejaCliError, DejaUsageError, EXIT_CODES } from '../errors.js';
import { truncate } from '../format/numbers.js';
import { renderTable } from '../format/table.js';
import { openRedisSession, redisConfig } from '../redis/redis-session.js';
import { displayValue } from '../sqlite/sql-values.js';
import { rowIdKey, TableSource } from '../sqlite/table-source.js';
import { tableScope, type WarmedRow } from '../warm/warm-batch.js';

/**
 * The default floor when DEJA_MIN_SIMILARITY is not set. Not deja's 0.9 (a cache hit's bar): a
 * search is for looking around, and 0.5 still leaves out what has nothing in common with the query.
 */
export const SEARCH_FLOOR = 0.5;

const flags = {
  query: { type: 'string', value: 'TEXT', required: true, description: 'what to look for' },
  tenant: {
    type: 'string',
    value: 'T',
    required: true,
    description: 'tenant whose warmed rows are searched',
  },
  table: {
    type: 'string',
    value: 'T',
    required: true,
    description: 'the table that was warmed (its rows are one search scope)',
  },
  k: { type: 'string', value: 'N', description: 'how many rows (default 5)' },
  sqlite: { type: 'string', value: 'FILE', description: 'fetch the full rows from this SQLite file' },
  'id-column': { type: 'string', value: 'C', description: 'id column of the table (with --sqlite)' },
  'min-similarity': {
    type: 'string',
    value: 'S',
    description: `drop rows below this cosine similarity (default: DEJA_MIN_SIMILARITY, else ${SEARCH_FLOOR})`,
  },
  json: { type: 'boolean', description: 'print the results as JSON' },
  embedder: {
    type: 'string',
    value: 'MODULE',
    description: 'ES module exporting the Embedder used by warm (default: LEXICAL)',
  },
  redis: { type: 'string', value: 'URL', description: 'Redis URL (default: DEJA_REDIS_URL)' },
} as const;

const CELL_WIDTH = 48;

export const searchCommand = defineCommand({
  name: 'search',
  summary: 'nearest warmed rows to a query (KNN in Redis), full rows from SQLite by id',
  details: 'Use the same embedder (and DEJA_EMBEDDING_DIMENSIONS) as the warm that filled the cache.',
  flags,
  async run(values, io) {
    const k = integerFlag('search', 'k', values.k, 5, { min: 1, max: 1_000 });
    const query = values.query as string;
    if (query.trim() === '') throw new DejaUsageError('search: --query is empty');
    if (values.sqlite !== undefined && values['id-column'] === undefined) {
      throw new DejaUsageError('search: --sqlite needs --id-column (the column warm used as --id-column)');
    }
    const config = redisConfig('search', values.redis, io.env);
    const minSimilarity = fractionFlag(
      'search',
      'min-similarity',
      values['min-similarity'],
      config.options.minSimilarity ?? SEARCH_FLOOR,
    );
    const source =
      values.sqlite === undefined
        ? undefined
        : TableSource.open({
            file: resolve(io.cwd, values.sqlite),
            table: values.table as string,
            idColumn: values['id-column'] as string,
          });
    try {
      const { embedder } = await resolveEmbedder({
        module: values.embedder,
        dimensions: config.options.dimensions,
        env: io.env,
        cwd: io.cwd,
      });
      const session = await openRedisSession(config, { embedder });
      let results: KnnResult<WarmedRow>[];
      try {
        const scope = tableScope(values.table as string);
        results = await session.deja
          .tenant(values.tenant as string)
          .knn<WarmedRow>(query, { k, scope, minSimilarity });
      } finally {
        await session.close();
      }
      if (results.length === 0) {
        throw new DejaCliError(
          `no cached rows of table ${JSON.stringify(values.table)} for tenant ${JSON.stringify(values.tenant)}` +
            (minSimilarity > 0
              ? ` at similarity >= ${minSimilarity} (--min-similarity 0 shows the nearest whatever their similarity; or run deja warm first)`
              : ': run deja warm first'),
        );
      }
      const rows = source?.rowsByIds(results.map((result) => result.value.id));
      if (values.json) {
        const json = results.map((result) => ({
          similarity: result.similarity,
          id: result.value.id,
          text: result.text,
          row: rows ? (rows.get(rowIdKey(result.value.id)) ?? null) : undefined,
        }));
        io.stdout.write(`${JSON.stringify(json, jsonValue, 2)}\n`);
        return EXIT_CODES.ok;
      }
      const columns = source ? source.columns() : ['id', 'text (cached)'];
      const table = results.map((result) => {
        const similarity = result.similarity.toFixed(3);
        if (!rows) return [similarity, String(result.value.id), truncate(result.text, CELL_WIDTH * 2)];
        const row = rows.get(rowIdKey(result.value.id));
        if (!row)
          return [
            similarity,
            ...columns.map((column) =>
              column === source?.idColumn ? String(result.value.id) : '(row no longer in the table)',
            ),
          ];
        return [
          similarity,
          ...columns.map((column) => truncate(displayValue(row[column] as SQLOutputValue), CELL_WIDTH)),
        ];
      });
      io.stdout.write(
        `search: ${JSON.stringify(query)} in tenant ${JSON.stringify(values.tenant)}, table ${values.table} ` +
          `(${results.length} of k=${k} at similarity >= ${minSimilarity.toFixed(2)}; --min-similarity to change)\n\n` +
          `${renderTable([{ header: 'similarity', align: 'right' }, ...columns.map((header) => ({ header }))], table)}\n`,
      );
      return EXIT_CODES.ok;
    } finally {
      source?.close();
    }
  },
});

/** SQLite values in JSON: big integers as numbers when exact (else strings), blobs as base64. */
function jsonValue(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : String(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value;
}
