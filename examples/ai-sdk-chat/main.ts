// deja under the Vercel AI SDK, offline. A mock chat model with real-world latency answers a few
// questions; deja serves repeats exactly and paraphrases semantically, streams replay at once, and
// embedMany only pays for values it has not seen. Memory store by default; DEJA_REDIS_URL (and the
// other DEJA_* variables) switch to Redis.
import { aiSdkVerifier, cachedEmbeddingModel, dejaHitOf, dejaMiddleware } from '@deja/ai-sdk';
import { createDeja, lexicalEmbedder, loadConfig } from '@deja/core';
import { embedMany, generateText, streamText, wrapLanguageModel } from 'ai';
import { mockChatModel, mockEmbeddingModel, mockJudgeModel } from './mock-models.ts';

const TENANT = 'example-ai-sdk-chat';
const config = loadConfig(process.env);
const deja = createDeja({
  ...config,
  // Offline and free: hashed character trigrams. It is lexical, not semantic — a real app passes
  // aiSdkEmbedder(openai.embedding('text-embedding-3-small'), { dimensions: 1536 }) here.
  embedder: lexicalEmbedder({ dimensions: 256 }),
  minSimilarity: config.minSimilarity ?? 0.88,
  // A look-alike question is served only when a judge says it asks the same thing (deja's default
  // error bound serves no unverified semantic hit on a new cache). In an app: a small real model.
  verifier: aiSdkVerifier(mockJudgeModel()),
});
const where = config.redis ? `Redis at ${config.redis.url}` : 'the in-process memory store';
console.log(`deja on ${where}; tenant "${TENANT}" is cleared first (embeddings stay cached across runs)\n`);
await deja.tenant(TENANT).clear();

const model = mockChatModel();
const chat = wrapLanguageModel({ model, middleware: dejaMiddleware({ deja, tenant: TENANT }) });

async function ask(question: string): Promise<void> {
  const started = performance.now();
  const { text, providerMetadata } = await generateText({
    model: chat,
    system: 'Answer in one sentence.',
    prompt: question,
  });
  report(question, started, dejaHitOf(providerMetadata));
  console.log(`    ${text}`);
}

function report(question: string, started: number, hit: ReturnType<typeof dejaHitOf>, extra = ''): void {
  const ms = (performance.now() - started).toFixed(1).padStart(7);
  const verified = hit?.verified ? ', verified' : '';
  const label = hit ? `${hit.hit} hit (similarity ${hit.similarity.toFixed(3)}${verified})` : 'miss -> model';
  console.log(`${ms} ms  ${label.padEnd(34)} ${question}${extra}`);
}

console.log('generateText');
await ask('What is the capital of France?');
await ask('What is the capital of France?');
await ask("What's the capital of France?");
await ask('What is the capital of Spain?');

console.log('\nstreamText (time to first text, then the whole answer)');
for (let round = 0; round < 2; round++) {
  const question = 'How do I reset my password?';
  const started = performance.now();
  const result = streamText({ model: chat, system: 'Answer in one sentence.', prompt: question });
  let firstText: number | undefined;
  for await (const delta of result.textStream) {
    if (delta.length > 0) firstText ??= performance.now() - started;
  }
  report(
    question,
    started,
    dejaHitOf(await result.providerMetadata),
    `  (first text after ${firstText?.toFixed(1)} ms)`,
  );
}

console.log('\nembedMany through cachedEmbeddingModel');
const embeddings = mockEmbeddingModel();
// Known dimensions let even a fresh process's first call read the cache; without them, the first
// call per model goes to the provider and teaches deja the vector length.
const cachedEmbeddings = cachedEmbeddingModel(embeddings, { deja, dimensions: 64 });
for (const values of [
  ['red', 'green', 'blue'],
  ['cyan', 'red', 'magenta', 'green', 'yellow', 'blue'],
]) {
  const started = performance.now();
  const before = embeddings.doEmbedCalls.flatMap((call) => call.values).length;
  await embedMany({ model: cachedEmbeddings, values });
  const sent = embeddings.doEmbedCalls.flatMap((call) => call.values).slice(before);
  const ms = (performance.now() - started).toFixed(1).padStart(7);
  console.log(`${ms} ms  ${values.length} values, ${sent.length} sent to the provider: ${sent.join(', ')}`);
}

const stats = deja.stats();
console.log('\nstats');
console.log(
  `  model calls:   ${model.doGenerateCalls.length} generate, ${model.doStreamCalls.length} stream`,
);
console.log(
  `  hits:          ${stats.exactHits} exact, ${stats.semanticHits} semantic, ${stats.misses} misses`,
);
console.log(`  hit rate:      ${(stats.hitRate * 100).toFixed(0)}%`);
console.log(`  tokens saved:  ${stats.tokensSaved}`);
console.log(
  `  embedding cache: ${stats.embeddingHits} hits, ${stats.embeddingMisses} misses (lookup texts and embedMany values)`,
);
console.log(`  lookup p50:    ${stats.lookupLatencyMs.p50.toFixed(2)} ms`);
await deja.close();
