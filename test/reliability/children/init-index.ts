// One process initialising deja against a shared Redis Stack index at the same moment as others,
// then trying to write one entry. Reports what happened.
import { createDeja, DejaError, lexicalEmbedder, redisStore } from '@deja/core';
import { send, settings, waitForGo } from './protocol.ts';

const { url, prefix, indexName, embeddingKeyPrefix, dimensions, tenant } = settings<{
  url: string;
  prefix: string;
  indexName: string;
  embeddingKeyPrefix: string;
  dimensions: number;
  tenant: string;
}>();

const deja = createDeja({
  store: redisStore({ url, prefix, indexName }),
  embedder: lexicalEmbedder({ dimensions }),
  embeddingKeyPrefix,
  statsFlushMs: 0,
  // This test is about what several processes end up with, not about deadlines: on a busy
  // machine five processes starting at once must not turn a slow answer into a failure.
  timeoutMs: 30_000,
  initTimeoutMs: 60_000,
});
const errorName = (error: unknown) => (DejaError.isInstance(error) ? error.name : String(error));

send('ready');
await waitForGo();
try {
  await deja.ready();
  send('initialised');
} catch (error) {
  send('init-failed', { error: errorName(error), message: String(error) });
}
try {
  const result = await deja
    .tenant(tenant)
    .responses.store({ key: `written by ${process.pid}`, semanticText: 'the shared question' }, 'answer');
  send('stored', { stored: result.stored });
} catch (error) {
  send('store-failed', { error: errorName(error) });
}
await deja.close();
