import { prometheusText } from '@deja/core/telemetry';
import { defineCommand } from '../command.js';
import { DejaUsageError, EXIT_CODES } from '../errors.js';
import { formatBytes, formatInteger, formatShare, formatUsd } from '../format/numbers.js';
import { renderTable } from '../format/table.js';
import { openRedisSession, redisConfig } from '../redis/redis-session.js';

const flags = {
  tenant: { type: 'string', value: 'T', description: 'only this tenant' },
  json: { type: 'boolean', description: 'print JSON' },
  prometheus: { type: 'boolean', description: 'print the Prometheus text exposition format' },
  redis: { type: 'string', value: 'URL', description: 'Redis URL (default: DEJA_REDIS_URL)' },
} as const;

export interface TenantStats {
  exactHits: number;
  semanticHits: number;
  misses: number;
  hitRate: number;
  writes: number;
  droppedWrites: number;
  tokensSaved: number;
  costSaved: number;
}

export const statsCommand = defineCommand({
  name: 'stats',
  summary: 'hits, misses, tokens and cost saved per tenant, entries and Redis memory',
  details:
    'Tenants are stored as digests: ids reach Redis only when the apps set storeTenantLabels\n' +
    '(DEJA_STORE_TENANT_LABELS=true), and then appear by name. Otherwise pass --tenant NAME to see one.',
  flags,
  async run(values, io) {
    if (values.json && values.prometheus)
      throw new DejaUsageError('--json and --prometheus are two output formats: pass one');
    const config = redisConfig('stats', values.redis, io.env);
    const session = await openRedisSession(config);
    try {
      const { deja } = session;
      const health = await deja.health();
      const digest = values.tenant === undefined ? undefined : deja.tenant(values.tenant).digest;
      const entries = (await deja.count(values.tenant).catch(() => undefined)) ?? null;
      const stored = await deja.storedStats(values.tenant);
      // Names the apps stored (storeTenantLabels), else the one --tenant gave, else the digest.
      const labels =
        digest && values.tenant !== undefined
          ? { [digest]: values.tenant }
          : await deja.tenantLabels(Object.keys(stored));
      if (values.prometheus) {
        // Tenants by digest (ids never reach Redis in clear), or by the name --tenant gave. No
        // breaker: the one in this process says nothing about the apps' (they serve their own).
        const tenantLabels = labels;
        const { connected, memoryBytes } = health;
        const snapshot = { stored, tenantLabels, health: { connected, memoryBytes } };
        io.stdout.write(prometheusText(entries === null ? snapshot : { ...snapshot, entries }));
        return EXIT_CODES.ok;
      }
      const tenants = Object.fromEntries(
        Object.entries(stored).map(([tenantDigest, counters]) => [
          values.tenant ?? tenantDigest,
          tenantStats(counters),
        ]),
      );
      const nameOf = (key: string) =>
        labels[key] ?? (values.tenant === undefined ? `${key.slice(0, 12)}…` : key);
      if (values.json) {
        const json = {
          redis: session.label,
          backend: health.backend,
          queryEngine: health.queryEngine,
          index: health.index ?? null,
          memoryBytes: health.memoryBytes ?? null,
          entries,
          tenants,
          // Tenant ids by digest, where the apps stored them (storeTenantLabels).
          labels: values.tenant === undefined ? labels : {},
        };
        io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
        return EXIT_CODES.ok;
      }
      const index = health.index
        ? `; index ${health.index.name}: ${health.index.state}${health.index.documents === undefined ? '' : `, ${formatInteger(health.index.documents)} documents`}`
        : '';
      const lines = [
        `Redis    ${session.label} (${health.queryEngine ? 'Query Engine' : 'no Query Engine: client-side KNN'}${index})`,
        `memory   ${health.memoryBytes === undefined ? 'unknown' : `${formatBytes(health.memoryBytes)} used`}`,
        `entries  ${entries === null ? 'unknown (no index yet)' : formatInteger(entries)}${values.tenant === undefined ? '' : ` (tenant ${JSON.stringify(values.tenant)})`}`,
        '',
      ];
      const names = Object.keys(tenants);
      if (names.length === 0) {
        lines.push(
          values.tenant === undefined
            ? 'No counters yet: apps using deja write them every few seconds.'
            : `No counters for tenant ${JSON.stringify(values.tenant)} yet.`,
        );
      } else {
        lines.push(
          renderTable(
            [
              { header: 'tenant' },
              { header: 'exact', align: 'right' },
              { header: 'semantic', align: 'right' },
              { header: 'misses', align: 'right' },
              { header: 'hit rate', align: 'right' },
              { header: 'writes', align: 'right' },
              { header: 'tokens saved', align: 'right' },
              { header: 'cost saved', align: 'right' },
            ],
            names.map((name) => {
              const tenant = tenants[name] as TenantStats;
              return [
                nameOf(name),
                formatInteger(tenant.exactHits),
                formatInteger(tenant.semanticHits),
                formatInteger(tenant.misses),
                formatShare(
                  tenant.exactHits + tenant.semanticHits,
                  tenant.exactHits + tenant.semanticHits + tenant.misses,
                ),
                formatInteger(tenant.writes),
                formatInteger(tenant.tokensSaved),
                formatUsd(tenant.costSaved),
              ];
            }),
          ),
        );
      }
      io.stdout.write(`${lines.join('\n')}\n`);
      return EXIT_CODES.ok;
    } finally {
      await session.close();
    }
  },
});

export function tenantStats(counters: Record<string, number>): TenantStats {
  const count = (name: string) => counters[name] ?? 0;
  const lookups = count('exactHits') + count('semanticHits') + count('misses');
  return {
    exactHits: count('exactHits'),
    semanticHits: count('semanticHits'),
    misses: count('misses'),
    hitRate: lookups === 0 ? 0 : (count('exactHits') + count('semanticHits')) / lookups,
    writes: count('writes'),
    droppedWrites: count('droppedWrites'),
    tokensSaved: count('tokensSaved'),
    costSaved: count('costSaved'),
  };
}
