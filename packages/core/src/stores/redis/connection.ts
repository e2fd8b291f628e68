// One small surface over a node-redis client or cluster, so the store is written once.
// Commands go out as raw argument arrays (built by pure, tested functions).
import { type ClusterShards, clusterShards } from './cluster-shards.js';
import { addressOf, classOf, explainConnectionError } from './connection-errors.js';
import { loadNodeRedis } from './load-node-redis.js';
import { scanArgs } from './server-commands.js';

// node-redis's RedisArgument, written out: this file's declarations then compile for a user who
// has not installed the optional `redis` peer.
type Args = Array<string | Buffer>;
// node-redis's RESP_TYPES.BLOB_STRING: the RESP wire byte '$', written out so this module loads
// without `redis` installed (it is an optional peer, imported only when deja creates a client).
const BLOB_STRING = 36;
const BINARY = { [BLOB_STRING]: Buffer } as const;

import type { NodeRedisClient } from './node-redis-client.js';

export type { NodeRedisClient } from './node-redis-client.js';

/**
 * What `redisStore({ client })` takes: a node-redis client (`createClient()`) or cluster
 * (`createCluster()`), v5 or v6, any modules or RESP version. Written structurally, not imported from
 * `redis`, so core's types still compile for an app without the optional `redis` peer; a string,
 * a URL or an ioredis client does not fit it.
 */
export interface RedisClientLike {
  readonly isOpen: boolean;
  connect(): Promise<unknown>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  sendCommand(...args: never[]): Promise<unknown>;
}

/**
 * Socket settings of the connection deja opens (node-redis's `socket` options, the commonly
 * needed part): TLS for `rediss://` or `tls: true`, with its certificates, and TCP tuning.
 */
export type RedisSocketOptions = RedisTcpSettings | (Omit<RedisTcpSettings, 'tls'> & RedisTlsSettings);

export interface RedisTcpSettings {
  /** TLS off (a rediss:// URL turns it on). */
  tls?: false;
  /** Deadline of the TCP (and TLS) connect, ms. Default: the store's connectTimeoutMs (2 000). */
  connectTimeout?: number;
  keepAlive?: boolean;
  noDelay?: boolean;
}

/** TLS (node's tls.connect options, the commonly needed part). */
export interface RedisTlsSettings {
  tls: true;
  /** Trusted CA certificates (PEM). */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Client certificate and key (PEM), for mutual TLS. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Server name (SNI) when it differs from the host. */
  servername?: string;
  /** Refuse a server whose certificate does not verify. Default true. */
  rejectUnauthorized?: boolean;
}

export interface RedisConnection {
  readonly cluster: boolean;
  /** Per-master access on a cluster (the Query Engine's keyless FT.* commands); undefined otherwise. */
  readonly shards?: ClusterShards;
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
  socket?: RedisSocketOptions;
  username?: string;
  password?: string;
  connectTimeoutMs: number;
  onError: (error: unknown) => void;
}

export function redisConnection(options: ConnectionOptions): RedisConnection {
  const owned = !options.client;
  // An owned client is created on connect(), where `redis` is first loaded.
  let client: NodeRedisClient = options.client;
  let creating: Promise<NodeRedisClient> | undefined;
  const address = addressOf(options.url);
  // The client's last connection error: the cause a command refused while offline is given.
  let lastError: unknown;
  const onError = (error: unknown) => {
    lastError = error;
    options.onError(error);
  };
  const createOwnedClient = async () => {
    const { createClient } = await loadNodeRedis();
    const created = createClient({
      url: options.url,
      username: options.username,
      password: options.password,
      // Fail fast while disconnected instead of queueing: an outage must cost a miss, not a hang.
      disableOfflineQueue: true,
      socket: {
        ...options.socket,
        connectTimeout: options.socket?.connectTimeout ?? options.connectTimeoutMs,
        reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1_000),
      },
    });
    // Without a listener node-redis turns connection errors into an uncaught 'error' event.
    created.on('error', onError);
    return created;
  };
  if (client) client.on('error', onError);
  const cluster = Boolean(client) && typeof client.nodeClient === 'function' && 'masters' in client;
  const notConnected = () => new Error('redis: the client is not connected yet (store.init() connects it)');

  /** "The client is offline" says nothing: a command refused while disconnected carries the cause. */
  const withCause = (error: unknown): never => {
    const offline = error instanceof Error && /^Client(Offline|Closed)Error$/.test(classOf(error));
    throw offline && lastError !== undefined ? explainConnectionError(lastError, address) : error;
  };

  const send = (key: string | undefined, args: Args, binary = false): Promise<unknown> => {
    if (!client) return Promise.reject(notConnected());
    const commandOptions = binary ? { typeMapping: BINARY } : undefined;
    const reply: Promise<unknown> = cluster
      ? client.sendCommand(key, false, args, commandOptions)
      : client.sendCommand(args, commandOptions);
    return reply.catch(withCause);
  };

  /**
   * Resolves when the client is ready; rejects with the cause at the FIRST failed attempt (a wrong
   * password, nothing listening, not a Redis...) instead of waiting out a deadline while node-redis
   * retries in the background (it keeps retrying: a later init() waits for its next attempt).
   */
  const readyOrFirstError = (node: NodeRedisClient): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const settle = (error?: unknown) => {
        node.off('ready', onReady);
        node.off('error', onFailure);
        if (error === undefined) resolve();
        else reject(explainConnectionError(error, address));
      };
      const onReady = () => settle();
      const onFailure = (error: unknown) => settle(error ?? new Error('connection failed'));
      node.on('ready', onReady);
      node.on('error', onFailure);
      if (!node.isOpen) node.connect().catch(onFailure);
      else if (node.isReady) settle();
    });

  return {
    cluster,
    shards: cluster ? clusterShards(() => client) : undefined,
    send,
    async transaction(key, commands) {
      if (!client) throw notConnected();
      const multi = cluster ? client.multi(key) : client.multi();
      for (const command of commands) multi.addCommand(...(cluster ? [key, false, command] : [command]));
      return multi.exec().catch(withCause);
    },
    async *scan(pattern, type) {
      if (!client) throw notConnected();
      const nodes = cluster ? client.masters.map((master: unknown) => client.nodeClient(master)) : [client];
      for (const node of nodes) {
        let cursor = '0';
        do {
          const [next, keys] = (await (await node).sendCommand(scanArgs(cursor, pattern, type))) as [
            string,
            string[],
          ];
          cursor = String(next);
          if (keys.length > 0) yield keys;
        } while (cursor !== '0');
      }
    },
    async connect() {
      if (!client) {
        creating ??= createOwnedClient();
        client = await creating;
      }
      // A cluster (or a client without readiness events) connects as before: its connect() rejects.
      if (cluster || typeof client.isReady !== 'boolean') {
        if (!client.isOpen) await client.connect();
        return;
      }
      if (!client.isReady) await readyOrFirstError(client);
    },
    async close() {
      client?.off?.('error', onError);
      if (owned && client?.isOpen) client.destroy();
    },
  };
}
