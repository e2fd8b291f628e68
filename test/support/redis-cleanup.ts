// Removes what a test wrote under its own prefix and index (tests share one server per run).
import { createClient } from 'redis';

export async function dropTestData(url: string, patterns: string[], indexName?: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  try {
    if (indexName) await client.sendCommand(['FT.DROPINDEX', indexName]).catch(() => undefined);
    for (const pattern of patterns) {
      for await (const keys of client.scanIterator({ MATCH: pattern, COUNT: 1000 })) {
        if (keys.length > 0) await client.del(keys);
      }
    }
  } finally {
    client.destroy();
  }
}
