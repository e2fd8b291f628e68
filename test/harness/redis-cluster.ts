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
