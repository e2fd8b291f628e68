// deja inspect: an operator's view of one tenant's entries. Lists them a page at a time (the
// cursor of the next page is printed), shows one entry in full, or deletes one by its id.
import type { CachedItem, ListedEntry, TenantCache } from '@deja/core';
import { integerFlag } from '../args.js';
import { defineCommand, type Io } from '../command.js';
import { DejaCliError, DejaUsageError, EXIT_CODES } from '../errors.js';
import { formatDuration, NOTHING, truncate } from '../format/numbers.js';
import { renderTable } from '../format/table.js';
import { openRedisSession, redisConfig } from '../redis/redis-session.js';

const flags = {
  tenant: { type: 'string', value: 'T', required: true, description: 'tenant whose entries are inspected' },
  show: { type: 'string', value: 'ID', description: 'show one entry in full (its value and metadata)' },
  delete: { type: 'string', value: 'ID', description: 'delete one entry' },
  limit: { type: 'string', value: 'N', description: 'entries per page when listing, 1 to 1000 (default 20)' },
  cursor: { type: 'string', value: 'C', description: 'the page after the one that printed this cursor' },
  json: { type: 'boolean', description: 'print JSON' },
  redis: { type: 'string', value: 'URL', description: 'Redis URL (default: DEJA_REDIS_URL)' },
} as const;

export const inspectCommand = defineCommand({
  name: 'inspect',
  summary: "list a tenant's entries, show one in full, or delete one",
  details:
    'Entries are listed by id (as `deja inspect --show ID` and `--delete ID` take it), with their\n' +
    'age, model, tags and text. Users appear as digests: their ids never reach Redis.',
  flags,
  async run(values, io) {
    if (values.show !== undefined && values.delete !== undefined)
      throw new DejaUsageError('inspect: --show and --delete are two actions: pass one');
    const listing = values.show === undefined && values.delete === undefined;
    if (!listing && (values.limit !== undefined || values.cursor !== undefined))
      throw new DejaUsageError('inspect: --limit and --cursor page a listing: not with --show or --delete');
    const limit = integerFlag('inspect', 'limit', values.limit, 20, { min: 1, max: 1_000 });
    const config = redisConfig('inspect', values.redis, io.env);
    const session = await openRedisSession(config);
    try {
      const tenant = session.deja.tenant(values.tenant as string);
      const name = JSON.stringify(values.tenant);
      if (values.delete !== undefined) {
        if (!(await tenant.deleteById(values.delete)))
          throw new DejaCliError(`inspect: no entry ${values.delete} in tenant ${name}`);
        io.stdout.write(`Deleted entry ${values.delete} of tenant ${name}.\n`);
        return EXIT_CODES.ok;
      }
      if (values.show !== undefined) return await show(tenant, values.show, name, values.json === true, io);
      const page = await tenant.list({ limit, ...(values.cursor ? { cursor: values.cursor } : {}) });
      if (!page) throw new DejaCliError(`inspect: Redis could not list the entries of tenant ${name}`);
      if (values.json) {
        io.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
        return EXIT_CODES.ok;
      }
      io.stdout.write(listingText(page.entries, page.cursor, values.tenant as string));
      return EXIT_CODES.ok;
    } finally {
      await session.close();
    }
  },
});

async function show(tenant: TenantCache, id: string, name: string, json: boolean, io: Io) {
  const item = await tenant.getById(id);
  if (!item) throw new DejaCliError(`inspect: no entry ${id} in tenant ${name}`);
  io.stdout.write(json ? `${JSON.stringify(item, null, 2)}\n` : entryText(item));
  return EXIT_CODES.ok;
}

export function listingText(entries: ListedEntry[], cursor: string | undefined, tenant: string): string {
  if (entries.length === 0 && cursor === undefined)
    return `No entries in tenant ${JSON.stringify(tenant)}.\n`;
  const table = renderTable(
    [
      { header: 'id' },
      { header: 'age', align: 'right' },
      { header: 'model' },
      { header: 'tags' },
      { header: 'text' },
    ],
    entries.map((entry) => [
      entry.id,
      formatDuration(entry.ageMs),
      entry.model ?? NOTHING,
      entry.tags?.join(', ') ?? NOTHING,
      entry.text === '' ? '(exact only)' : truncate(entry.text, 60),
    ]),
  );
  const next =
    cursor === undefined ? '' : `\nMore: deja inspect --tenant ${shellQuote(tenant)} --cursor ${cursor}\n`;
  return `${table}\n${next}`;
}

export function entryText(item: CachedItem<unknown>): string {
  const { meta } = item;
  const lines = [
    `id        ${item.id}`,
    `created   ${new Date(item.createdAt).toISOString()} (${formatDuration(item.ageMs)} ago)`,
    `model     ${meta.model ?? NOTHING}`,
    `tags      ${meta.tags?.join(', ') ?? NOTHING}`,
    `usage     ${meta.usage ? `${meta.usage.inputTokens} in, ${meta.usage.outputTokens} out${meta.usageEstimated ? ' (estimated)' : ''}` : NOTHING}`,
    `text      ${item.text === '' ? '(exact only)' : item.text}`,
    'value',
    JSON.stringify(item.value, null, 2),
  ];
  if (meta.custom) lines.push('custom', JSON.stringify(meta.custom, null, 2));
  return `${lines.join('\n')}\n`;
}

function shellQuote(text: string): string {
  return /^[\w.:@/-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}
