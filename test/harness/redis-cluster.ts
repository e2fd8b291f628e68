// A Redis Cluster of masters (no replicas) on free loopback ports, built with `redis-cli --cluster
// create`, for tests of deja through a node-redis cluster client. Plain Redis by default; 'stack'
// loads the Query Engine on every node (without its cluster coordinator).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HarnessError, type RedisKind, type RunningRedis, startRedisServer } from './redis-server.ts';
import { redisCli } from './redis-tools.ts';

export interface RunningCluster {
  masters: RunningRedis[];
  /** What `createCluster({ rootNodes })` takes. */
  rootNodes: { url: string }[];
  /** Stops every node and removes the cluster's config files. */
  stop(): Promise<void>;
}

export async function startRedisCluster(
  options: { masters?: number; kind?: RedisKind } = {},
): Promise<RunningCluster> {
  const count = options.masters ?? 3;
  const kind = options.kind ?? 'plain';
  // nodes-<port>.conf files are the cluster's state; they live and die with this cluster.
  const directory = mkdtempSync(join(tmpdir(), 'deja-cluster-'));
  const masters: RunningRedis[] = [];
  const stop = async () => {
    await Promise.all(masters.map((node) => node.stop()));
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < count; i++) {
      const node = await startRedisServer({
        kind,
        args: [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(directory, `nodes-${i}.conf`),
          '--cluster-node-timeout',
          '5000',
          '--dir',
          directory,
        ],
      });
      masters.push(node);
    }
    await redisCli(kind, masters[0]?.port ?? 0, [
      '--cluster',
      'create',
      ...masters.map((node) => `127.0.0.1:${node.port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await Promise.all(masters.map((node) => waitForClusterOk(kind, node.port)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { masters, rootNodes: masters.map((node) => ({ url: node.url })), stop };
}

async function waitForClusterOk(kind: RedisKind, port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let info = '';
  while (Date.now() < deadline) {
    info = await redisCli(kind, port, ['CLUSTER', 'INFO']);
    if (info.includes('cluster_state:ok')) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new HarnessError(`Redis Cluster node ${port} is not ok after ${timeoutMs} ms:\n${info}`);
}

/** Which master serves `slot` (by CLUSTER SHARDS of the first master). */
export async function slotOwner(cluster: RunningCluster, slot: number): Promise<RunningRedis> {
  const nodes = await redisCli(cluster.masters[0]?.kind ?? 'plain', cluster.masters[0]?.port ?? 0, [
    'CLUSTER',
    'NODES',
  ]);
  for (const line of nodes.trim().split('\n')) {
    const [, address, flags, , , , , , ...ranges] = line.split(' ');
    if (!flags?.includes('master')) continue;
    const port = Number(address?.split('@')[0]?.split(':')[1]);
    for (const range of ranges) {
      if (range.startsWith('[')) continue;
      const [from, to = from] = range.split('-').map(Number);
      if (slot >= (from as number) && slot <= (to as number)) {
        const owner = cluster.masters.find((master) => master.port === port);
        if (owner) return owner;
      }
    }
  }
  throw new HarnessError(`No master serves slot ${slot}:\n${nodes}`);
}

/**
 * Moves `slot` from its owner to `target` the way redis-cli --cluster reshard does: IMPORTING on
 * the target, MIGRATING on the source, MIGRATE of its keys `batch` at a time (awaiting `between`
 * after each batch, so traffic runs while the slot is split), then SETSLOT NODE on every master.
 */
export async function migrateSlot(
  cluster: RunningCluster,
  slot: number,
  target: RunningRedis,
  options: { batch?: number; between?: () => Promise<void> } = {},
): Promise<{ movedKeys: number }> {
  const source = await slotOwner(cluster, slot);
  if (source === target) throw new HarnessError(`slot ${slot} is already on ${target.port}`);
  const cli = (node: RunningRedis, args: string[]) => redisCli(node.kind, node.port, args);
  const idOf = async (node: RunningRedis) => (await cli(node, ['CLUSTER', 'MYID'])).trim();
  const [sourceId, targetId] = await Promise.all([idOf(source), idOf(target)]);
  await cli(target, ['CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', sourceId]);
  await cli(source, ['CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', targetId]);
  let movedKeys = 0;
  for (;;) {
    const keys = (await cli(source, ['CLUSTER', 'GETKEYSINSLOT', String(slot), String(options.batch ?? 2)]))
      .split('\n')
      .map((key) => key.trim())
      .filter(Boolean);
    if (keys.length === 0) break;
    const reply = await cli(source, [
      'MIGRATE',
      '127.0.0.1',
      String(target.port),
      '',
      '0',
      '5000',
      'KEYS',
      ...keys,
    ]);
    if (!/OK|NOKEY/.test(reply)) throw new HarnessError(`MIGRATE failed: ${reply}`);
    movedKeys += keys.length;
    await options.between?.();
  }
  // The target first, as redis-cli does: then the source's MOVED points at a node that accepts.
  for (const node of [target, source, ...cluster.masters.filter((m) => m !== target && m !== source)])
    await cli(node, ['CLUSTER', 'SETSLOT', String(slot), 'NODE', targetId]);
  return { movedKeys };
}
