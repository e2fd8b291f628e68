// Per-shard access to a node-redis cluster, for the Query Engine. FT.* commands carry no key, so
// the cluster client sends them to a random node; but on an OSS cluster each master indexes only
// its own keys. These helpers reach the master that owns a key's slot, every master, or the master
// at an address (the target named by an ASK redirect while a slot migrates).
import type { NodeRedisClient } from './node-redis-client.js';

type Args = Array<string | Buffer>;
const BLOB_STRING = 36;
const BINARY = { [BLOB_STRING]: Buffer } as const;

/** One master of the cluster. */
export interface ShardNode {
  /** host:port, as the cluster names the node (and as MOVED/ASK replies name it). */
  readonly address: string;
  send(args: Args, binary?: boolean): Promise<unknown>;
}

export interface ClusterShards {
  /** Every master the client currently knows (the slot map is refreshed on MOVED). */
  masters(): Promise<ShardNode[]>;
  /** The master that owns `key`'s slot, by the client's current slot map. */
  ownerOf(key: string): Promise<ShardNode>;
  /** The master at `address`, or undefined when the client does not know it. */
  byAddress(address: string): Promise<ShardNode | undefined>;
  /**
   * Sends a read-only keyed command through the cluster client, which follows MOVED by
   * rediscovering the slot map: afterwards ownerOf(key) names the new owner.
   */
  refresh(key: string): Promise<void>;
}

interface MasterNode {
  address?: string;
  host?: string;
  port?: number;
}

const addressOf = (node: MasterNode) => node.address ?? `${node.host}:${node.port}`;

export function clusterShards(cluster: () => NodeRedisClient): ClusterShards {
  const wrap = (address: string, client: NodeRedisClient): ShardNode => ({
    address,
    send: (args, binary = false) => client.sendCommand(args, binary ? { typeMapping: BINARY } : undefined),
  });
  const nodeOf = async (node: MasterNode) => wrap(addressOf(node), await cluster().nodeClient(node));
  return {
    masters: () => Promise.all((cluster().masters as MasterNode[]).map(nodeOf)),
    async ownerOf(key) {
      const client = cluster();
      const slot = calculateSlot(key);
      const master = client.slots[slot]?.master as MasterNode | undefined;
      if (!master) throw new Error(`redis cluster: no master serves slot ${slot}`);
      return nodeOf(master);
    },
    async byAddress(address) {
      const master = (cluster().masters as MasterNode[]).find((node) => addressOf(node) === address);
      return master ? nodeOf(master) : undefined;
    },
    async refresh(key) {
      await cluster().sendCommand(key, true, ['EXISTS', key]);
    },
  };
}

/** The cluster hash slot of a key: CRC16 (XMODEM) of its hash tag, or of the key, mod 16384. */
export function calculateSlot(key: string): number {
  const bytes = Buffer.from(key);
  let start = 0;
  let end = bytes.length;
  const open = bytes.indexOf(0x7b); // '{'
  if (open !== -1) {
    const close = bytes.indexOf(0x7d, open + 1); // '}'
    // An empty tag ('{}') does not count: the whole key is hashed.
    if (close > open + 1) {
      start = open + 1;
      end = close;
    }
  }
  let crc = 0;
  for (let i = start; i < end; i++) {
    crc ^= (bytes[i] as number) << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16_384;
}
