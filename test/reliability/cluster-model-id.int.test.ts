// Model ids holding key characters on a three-master Redis Cluster. deja puts the model id in the
// hash tag of its embedding keys, escaped: an id with `{`, `}` or `:` must neither split one
// model's keys over several slots (one MGET per batch would fail with CROSSSLOT, and every text
// would go to the provider again) nor let two models share keys.
import { createDeja, type Deja, type DejaErrorEvent, type Embedder, redisStore } from '@deja/core';
import { createCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCluster, startRedisCluster } from '../harness/redis-cluster.ts';

const MODEL_IDS = ['a}{b', 'x:{y}', '{', 'p q:r}', '}:{'];
const TEXTS = Array.from({ length: 24 }, (_, i) => `text number ${i}`);

/** A provider double whose vectors depend on the model, so two models' vectors differ. */
function provider(modelId: string) {
  const calls: string[][] = [];
  const embedder: Embedder = {
    modelId,
    maxBatchSize: 10,
    async embed(texts) {
      calls.push([...texts]);
      return texts.map((text) => [text.length, modelId.length, 1]);
    },
  };
  return { embedder, calls };
}

describe('model ids with key characters on a Redis Cluster', () => {
  let cluster: RunningCluster;
  let client: ReturnType<typeof createCluster>;
  let deja: Deja;
  const errors: DejaErrorEvent[] = [];
  beforeAll(async () => {
    cluster = await startRedisCluster();
    client = createCluster({ rootNodes: cluster.rootNodes });
    client.on('error', () => undefined);
    await client.connect();
    deja = createDeja({
      store: redisStore({ client }),
      embeddingReadBatchSize: 50,
      statsFlushMs: 0,
      onError: (event) => errors.push(event),
    });
    await deja.ready();
  });
  afterAll(async () => {
    await deja?.close();
    client?.destroy();
    await cluster?.stop();
  });

  it('reads and writes each model in one slot and serves its texts from the cache, ids kept apart', async () => {
    const first = new Map(MODEL_IDS.map((modelId) => [modelId, provider(modelId)]));
    for (const { embedder } of first.values()) await deja.cachedEmbedder(embedder).embed(TEXTS);
    for (const [modelId, { calls }] of first) expect(calls.flat(), modelId).toEqual(TEXTS);

    for (const modelId of MODEL_IDS) {
      const again = provider(modelId);
      const vectors = await deja.cachedEmbedder(again.embedder).embed(TEXTS);
      expect(again.calls, modelId).toEqual([]);
      expect(vectors[0], modelId).toEqual(Float32Array.from([TEXTS[0]?.length ?? 0, modelId.length, 1]));
    }
    // A CROSSSLOT reply would have been reported (and turned into a miss).
    expect(errors).toEqual([]);
  });
});
