// The machine and software a run was made on, stated next to its figures.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, platform, release, totalmem } from 'node:os';
import { createClient } from 'redis';
import type { BenchContext } from './context.ts';
import { CLIENT_CPU, canPin, SERVER_CPU } from './cpu.ts';

export type Machine = Record<string, string | number>;

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((text) => text.startsWith('model name'));
    return line ? line.slice(line.indexOf(':') + 1).trim() : 'unknown';
  } catch {
    return 'unknown';
  }
}

async function redisVersions(url: string): Promise<{ redis: string; search?: string }> {
  const client = createClient({ url });
  await client.connect();
  try {
    const info = await client.info('server');
    const redis = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
    // node-redis hands MODULE LIST back as objects, or as flat key/value arrays (RESP2 raw).
    const modules = (await client.sendCommand(['MODULE', 'LIST'])) as unknown[];
    const search = modules
      .map((fields) =>
        Array.isArray(fields) ? Object.fromEntries(pairs(fields)) : (fields as Record<string, unknown>),
      )
      .find((module) => module.name === 'search');
    return { redis, search: search ? formatModuleVersion(Number(search.ver)) : undefined };
  } finally {
    client.destroy();
  }
}

function pairs(fields: unknown[]): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) out.push([String(fields[i]), fields[i + 1]]);
  return out;
}

/** 21012 -> 2.10.12 */
function formatModuleVersion(version: number): string {
  return `${Math.floor(version / 10_000)}.${Math.floor(version / 100) % 100}.${version % 100}`;
}

export async function describeMachine(context: BenchContext): Promise<Machine> {
  const [stack, plain] = await Promise.all([
    redisVersions(context.stackUrl),
    redisVersions(context.plainUrl),
  ]);
  const python = await context.redisVl.call<Record<string, string>>('hello');
  const require = createRequire(import.meta.url);
  const nodeRedis = (require('redis/package.json') as { version: string }).version;
  return {
    machine_cpu: cpuModel(),
    machine_cores: cpus().length,
    machine_memory_gib: Math.round(totalmem() / 2 ** 30),
    machine_os: `${platform()} ${release()}`,
    machine_cpu_layout: canPin()
      ? `pinned: Node and the RedisVL worker on CPU ${CLIENT_CPU}, both Redis servers on CPU ${SERVER_CPU}`
      : 'not pinned (taskset or a second CPU missing)',
    node_version: process.version,
    node_redis_version: nodeRedis,
    redis_stack_version: stack.redis,
    redisearch_version: stack.search ?? 'none',
    redis_plain_version: plain.redis,
    python_version: python.python ?? 'unknown',
    redisvl_version: python.redisvl ?? 'unknown',
    redis_py_version: python.redis_py ?? 'unknown',
  };
}
