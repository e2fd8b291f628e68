// Reads a Redis keyspace the way an auditor would: every key under some patterns, its TTL, and the
// fields of entry hashes, to check what deja left behind.
import { createClient } from 'redis';

const clientFor = (url: string) => createClient({ url });
export type Client = ReturnType<typeof clientFor>;

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = clientFor(url);
  await client.connect();
  try {
    return await work(client);
  } finally {
    client.destroy();
  }
}

export async function keysMatching(client: Client, patterns: string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns)
    for await (const keys of client.scanIterator({ MATCH: pattern, COUNT: 1000 }))
      for (const key of keys) found.add(key);
  return [...found];
}

/** Keys among `keys` that exist and have no TTL (PTTL -1). */
export async function keysWithoutTtl(client: Client, keys: string[]): Promise<string[]> {
  const ttls = await Promise.all(keys.map((key) => client.pTTL(key)));
  return keys.filter((_, i) => ttls[i] === -1);
}
