// An ai@6 app, type-checked by tsconfig.ai6.json (where `ai` is ai@6): a LanguageModelV3 and an
// EmbeddingModelV3 wrapped with deja's middlewares must compile as they are, without casts.
import { createDeja } from '@deja/core';
import { embed, generateText, streamText, wrapEmbeddingModel, wrapLanguageModel } from 'ai';
import { MockEmbeddingModelV3, MockLanguageModelV3 } from 'ai/test';
import {
  aiSdkEmbedder,
  aiSdkVerifier,
  cachedEmbeddingModel,
  dejaEmbeddingMiddleware,
  dejaHitOf,
  dejaMetadataOf,
  dejaMiddleware,
} from '../../src/index.ts';

const deja = createDeja({});
const model = new MockLanguageModelV3();
const cached = wrapLanguageModel({ model, middleware: dejaMiddleware({ deja, tenant: 'acme' }) });
const embeddingModel = new MockEmbeddingModelV3();

export async function app(): Promise<void> {
  const result = await generateText({ model: cached, prompt: 'Hi' });
  const hit = dejaHitOf(result.providerMetadata);
  if (hit?.reference) await deja.tenant('acme').responses.reportWrongHit(hit.reference);
  const why = dejaMetadataOf(result.providerMetadata);
  if (why?.hit === 'miss') console.log(why.reason, why.similarity);
  const stream = streamText({ model: cached, prompt: 'Hi' });
  for await (const text of stream.textStream) console.log(text);
  const embeddings = wrapEmbeddingModel({
    model: embeddingModel,
    middleware: dejaEmbeddingMiddleware({ deja }),
  });
  await embed({ model: embeddings, value: 'x' });
  await embed({ model: cachedEmbeddingModel(embeddingModel, { deja }), value: 'y' });
  aiSdkEmbedder(embeddingModel, { dimensions: 8 });
  aiSdkVerifier(model);
}
