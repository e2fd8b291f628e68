// Writes as fast as it can, in every way deja writes (entries with and without vectors, users,
// embeddings, locks, counters), until the parent kills it at a random moment.
import { createDeja, lexicalEmbedder, redisStore } from '@deja/core';
import { send, settings } from './protocol.ts';

const { url, prefix, indexName, embeddingKeyPrefix } = settings<{
  url: string;
  prefix: string;
  indexName: string;
  embeddingKeyPrefix: string;
}>();

const deja = createDeja({
  store: redisStore({ url, prefix, indexName }),
  embedder: lexicalEmbedder({ dimensions: 16 }),
  embeddingKeyPrefix,
  lock: { ttlMs: 5_000, pollMs: 20 },
  statsFlushMs: 5,
  // The test kills this process mid-write; a busy machine must not turn its writes into dropped
  // ones (a deadline missed) before then.
  timeoutMs: 30_000,
  ttlMs: 3_600_000,
});
await deja.ready();

let written = 0;
async function writeForever(worker: number): Promise<never> {
  for (let i = 0; ; i++) {
    const tenant = deja.tenant(`tenant-${(worker + i) % 3}`);
    const text = `worker ${worker} question ${i} ${Math.random()}`;
    switch (i % 5) {
      case 0:
        await tenant.responses.store({ key: text, semanticText: text, scope: worker }, { i, text });
        break;
      case 1:
        await tenant.responses.store({ key: text }, 'exact only', { user: `user-${i % 4}`, ttlMs: 60_000 });
        break;
      case 2:
        await tenant.put({ key: text, value: i, text, user: `user-${i % 4}` });
        break;
      case 3:
        await tenant.responses.wrap({ key: text, semanticText: text }, async () => `computed ${i}`);
        break;
      default:
        await deja.embeddings.embed([text, `${text} again`]);
    }
    if (++written === 20) send('writing');
  }
}

await Promise.all(Array.from({ length: 8 }, (_, worker) => writeForever(worker)));
