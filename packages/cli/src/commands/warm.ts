// deja warm: embeds the rows of a SQLite table into a tenant's cache, resumably.
import { resolve } from 'node:path';
import { integerFlag, ttlFlag } from '../args.js';
import { defineCommand } from '../command.js';
import { resolveEmbedder } from '../embedder/resolve-embedder.js';
import { DejaCliError } from '../errors.js';
import { openRedisSession, redisConfig } from '../redis/redis-session.js';
import { TableSource } from '../sqlite/table-source.js';
import { warmRows } from '../warm/warm-run.js';

const DEFAULT_TTL_MS = 30 * 86_400_000;

const flags = {
  sqlite: {
    type: 'string',
    value: 'FILE',
    required: true,
    description: 'the SQLite database (opened read-only)',
  },
  table: { type: 'string', value: 'T', required: true, description: 'table (or view) to read' },
  'id-column': { type: 'string', value: 'C', required: true, description: 'column that identifies a row' },
  'text-column': { type: 'string', value: 'C', required: true, description: 'column whose text is embedded' },
  tenant: { type: 'string', value: 'T', required: true, description: 'tenant whose cache receives the rows' },
  where: { type: 'string', value: 'SQL', description: 'only rows matching this SQL condition' },
  limit: { type: 'string', value: 'N', description: 'at most N rows' },
  'rows-per-batch': {
    type: 'string',
    value: 'N',
    description: 'rows per batch: one read, one embed call, one write (default 500)',
  },
  ttl: {
    type: 'string',
    value: 'DURATION',
    description: 'how long warmed rows stay cached, with a unit: 90s, 15m, 12h, 30d (default 30d)',
  },
  embedder: {
    type: 'string',
    value: 'MODULE',
    description: 'ES module exporting the Embedder to use (default: LEXICAL)',
  },
  redis: { type: 'string', value: 'URL', description: 'Redis URL (default: DEJA_REDIS_URL)' },
} as const;

export const warmCommand = defineCommand({
  name: 'warm',
  summary: 'embed the rows of a SQLite table into a tenant cache (resumable: re-runs skip cached rows)',
  details:
    'Rows already cached with the same text and embedder are skipped, so a run stopped by Ctrl-C or a crash\n' +
    'is resumed by running the same command again. Ctrl-C once: the batch in flight is saved, then it stops;\n' +
    'twice: it stops at once. Exit code 130 (SIGINT) or 143 (SIGTERM) when stopped, 1 when rows failed.\n' +
    'Environment: DEJA_REDIS_URL, DEJA_KEY_PREFIX, DEJA_INDEX_NAME, DEJA_EMBEDDING_DIMENSIONS (see @deja/core loadConfig).\n' +
    'Test hooks: DEJA_EMBEDDER_LOG=FILE appends every text sent to the embedder (one JSON string a line);\n' +
    'DEJA_EMBEDDER_DELAY_MS=N waits N ms per embed call.',
  flags,
  async run(values, io) {
    const rowsPerBatch = integerFlag('warm', 'rows-per-batch', values['rows-per-batch'], 500, {
      min: 1,
      max: 10_000,
    });
    const limit =
      values.limit === undefined
        ? undefined
        : integerFlag('warm', 'limit', values.limit, 0, { min: 1, max: Number.MAX_SAFE_INTEGER });
    const ttlMs = ttlFlag('warm', 'ttl', values.ttl, DEFAULT_TTL_MS);
    const config = redisConfig('warm', values.redis, io.env);

    // Everything about the input is checked before Redis is touched: a mistake writes nothing.
    const source = TableSource.open({
      file: resolve(io.cwd, values.sqlite as string),
      table: values.table as string,
      idColumn: values['id-column'] as string,
      textColumn: values['text-column'] as string,
      where: values.where,
      limit,
    });
    try {
      const total = source.count();
      if (total === 0) {
        throw new DejaCliError(
          values.where === undefined
            ? `table ${JSON.stringify(source.table)} has no rows: nothing to warm`
            : `no rows of ${JSON.stringify(source.table)} match --where ${JSON.stringify(values.where)}: nothing to warm`,
        );
      }
      const { embedder, label } = await resolveEmbedder({
        module: values.embedder,
        dimensions: config.options.dimensions,
        env: io.env,
        cwd: io.cwd,
      });
      const session = await openRedisSession(config, { embedder });
      try {
        return await warmRows({
          io,
          session,
          source,
          total,
          rowsPerBatch,
          ttlMs,
          tenant: values.tenant as string,
          embedderLabel: label,
        });
      } finally {
        await session.close();
      }
    } finally {
      source.close();
    }
  },
});
