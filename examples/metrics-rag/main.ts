// deja's metrics and traces in a small RAG flow, offline: questions are answered from retrieved
// documents by a mock chat model, through deja (memory store, lexical embedder, a mock judge as
// verifier). Every lookup, store and verification is a span (printed by the console exporter as it
// ends); then the metrics are printed once, and the Prometheus text an endpoint would serve.
import { createDeja, lexicalEmbedder } from '@deja/core';
import { dejaTelemetry, prometheusText } from '@deja/core/telemetry';
import { CHAT_MODEL, chat, judge, retrieve } from './rag.ts';
import { consoleTelemetry } from './telemetry-setup.ts';

const otel = consoleTelemetry();
const deja = createDeja({
  // Offline and free: hashed letter trigrams (lexical, not semantic). A real app passes a model.
  embedder: lexicalEmbedder({ dimensions: 256 }),
  minSimilarity: 0.6,
  // Below 0.97 a candidate is served only if the judge says it answers the question.
  acceptSimilarity: 0.97,
  maxErrorRate: false,
  verifier: judge,
  writeBehind: false,
  prices: { [CHAT_MODEL]: { input: 3, output: 15 }, [judge.modelId as string]: { input: 1, output: 4 } },
  telemetry: dejaTelemetry({ tracer: otel.tracer, meter: otel.meter }),
});
const support = deja.tenant('support-bot');

/** One question in the app's own span: deja's spans nest under it, as in a real trace. */
const ask = (question: string) =>
  otel.tracer.startActiveSpan('rag.answer', (span) => answer(question).finally(() => span.end()));

async function answer(question: string): Promise<void> {
  const context = retrieve(question);
  const started = performance.now();
  const result = await support.responses.wrap(
    // The answer depends on the model, the question and the documents it was given.
    { key: { model: CHAT_MODEL, question, context }, semanticText: question, scope: context },
    () => chat(question, context),
    // Tagged with the documents it was built from: when one changes, its answers go (below).
    { describe: (answer) => ({ model: CHAT_MODEL, usage: answer.usage }), tags: context },
  );
  const ms = (performance.now() - started).toFixed(0).padStart(4);
  const how =
    result.hit === 'miss'
      ? `miss (${result.reason}${result.similarity === undefined ? '' : ` at ${result.similarity.toFixed(2)}`})`
      : `${result.hit} hit${result.hit === 'semantic' ? ` at ${result.similarity.toFixed(2)}, verified ${result.verified}` : ''}`;
  console.log(`\n>>> ${ms} ms  ${how.padEnd(44)} ${question}\n`);
}

await ask('How long is the refund window?');
await ask('How long is the refund window?');
await ask('How long is the refund window, please?');
await ask('How long does shipping take?');
await ask('How long does express shipping take?');
await ask('How do I reset my password?');

// The shipping document changes: every cached answer built from it goes, and nothing else (the
// password answer was built from doc:passwords and doc:refunds).
const { deleted } = await support.invalidateTag('doc:shipping');
console.log(`\n>>> doc:shipping changed: invalidateTag dropped ${deleted} cached answers\n`);
await ask('How long is the refund window?');
await ask('How do I reset my password?');
await otel.flushSpans();

console.log('\n=== OpenTelemetry metrics (console exporter) ===\n');
await otel.flushMetrics();

console.log('\n=== Prometheus text (prometheusText({ stats: deja.stats(), health })) ===\n');
console.log(prometheusText({ stats: deja.stats(), health: await deja.health() }));

await deja.close();
await otel.shutdown();
