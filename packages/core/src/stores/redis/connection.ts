// One small surface over a node-redis client or cluster, so the store is written once.
// Commands go out as raw argument arrays (built by pure, tested functions).
import { createClient, RESP_TYPES, type RedisArgument } from 'redis';

type Args = RedisArgument[];
const BINARY = { [RESP_TYPES.BLOB_STRING]: Buffer } as const;

/** A node-redis client (`createClient`) or cluster (`createCluster`) the user already has. */
// biome-ignore lint/suspicious/noExplicitAny: node-redis client generics vary by modules and RESP version.
export type NodeRedisClient = any;

export interface RedisConnection {
  readonly cluster: boolean;
  /** Runs one command routed by `key` (any node when undefined). Binary replies stay Buffers. */
  send(key: string | undefined, args: Args, binary?: boolean): Promise<unknown>;
  /** MULTI/EXEC of commands that all touch `key`'s slot. */
  transaction(key: string, commands: Args[]): Promise<unknown[]>;
  /** Keys matching `pattern` on every master. */
  scan(pattern: string, type?: string): AsyncIterable<string[]>;
  connect(): Promise<void>;
  close(): Promise<void>;
}

export interface ConnectionOptions {
  url?: string;
  client?: NodeRedisClient;
  connectTimeoutMs: number;
  onError: (error: unknown) => void;
}

export function redisConnection(options: ConnectionOptions): RedisConnection {
  const owned = !options.client;
  const client: NodeRedisClient =
    options.client ??
    createClient({
      url: options.url,
      // Fail fast while disconnected instead of queueing: an outage must cost a miss, not a hang.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: options.connectTimeoutMs,
        reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1_000),
      },
    });
  // Without a listener node-redis turns connection errors into an uncaught 'error' event.
  client.on('error', options.onError);
  const cluster = typeof client.nodeClient === 'function' && 'masters' in client;

  const send = (key: string | undefined, args: Args, binary = false) => {
    const commandOptions = binary ? { typeMapping: BINARY } : undefined;
    return cluster
      ? client.sendCommand(key, false, args, commandOptions)
      : client.sendCommand(args, commandOptions);
  };

  return {
    cluster,
    send,
    async transaction(key, commands) {
      const multi = cluster ? client.multi(key) : client.multi();
      for (const command of commands) multi.addCommand(...(cluster ? [key, false, command] : [command]));
      return multi.exec();
    },
    async *scan(pattern, type) {
      const nodes = cluster ? client.masters.map((master: unknown) => client.nodeClient(master)) : [client];
      for (const node of nodes) {
        let cursor = '0';
        do {
          const args = ['SCAN', cursor, 'MATCH', pattern, 'COUNT', '1000', ...(type ? ['TYPE', type] : [])];
          const [next, keys] = (await (await node).sendCommand(args)) as [string, string[]];
          cursor = String(next);
          if (keys.length > 0) yield keys;
        } while (cursor !== '0');
      }
    },
    async connect() {
      if (!client.isOpen) await client.connect();
    },
    async close() {
      client.off?.('error', options.onError);
      if (owned && client.isOpen) client.destroy();
    },
  };
}
