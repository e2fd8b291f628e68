// deja under LangChain, offline: a fake chat model with DejaCache (exact + semantic) and fake
// embeddings behind DejaEmbeddings. Memory store by default; DEJA_REDIS_URL switches to Redis.
import {
  createDeja,
  type Deja,
  lexicalEmbedder,
  loadConfig,
  type TierCounters,
  type Verifier,
} from '@deja/core';
import { DejaCache, DejaEmbeddings } from '@deja/langchain';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { SyntheticEmbeddings } from '@langchain/core/utils/testing';
import { FakeChatProvider } from './fake-provider.ts';

/** A stand-in judge: the same question when it asks about the same country. */
const sameCountryJudge: Verifier = {
  async verify({ query, candidate }) {
    const country = (text: string) => /france|spain/i.exec(text)?.[0].toLowerCase();
    return country(query) !== undefined && country(query) === country(candidate.text) ? 'same' : 'different';
  },
};

const deja = createDeja({
  ...loadConfig(),
  // Offline and LEXICAL (letter trigrams), standing in for a real embedding model such as
  // langchainEmbedder(new OpenAIEmbeddings({ model: 'text-embedding-3-small' }), { dimensions: 1536 }).
  embedder: lexicalEmbedder(),
  prices: { 'fake-gpt': { input: 2.5, output: 10 } },
  // A look-alike question is served only when a judge says it asks the same thing (deja's default
  // error bound serves no unverified semantic hit on a new cache). In an app:
  // langchainVerifier(new ChatOpenAI({ model: 'gpt-4o-mini' })) from @deja/langchain.
  verifier: sameCountryJudge,
});
await deja.ready();
const health = await deja.health();
console.log(`deja on ${health.backend}${health.queryEngine ? ' with the Query Engine' : ''}\n`);

const SYSTEM = new SystemMessage('Answer in one word.');
/** A fake model answers its misses in order from `responses`. */
const model = (tenant: string, responses: string[], temperature = 0) =>
  new FakeChatProvider({ model: 'fake-gpt', temperature, responses, cache: new DejaCache({ deja, tenant }) });

const acme = model('acme', ['Paris', 'Madrid']);
const acmeWarm = model('acme', ['Paris, probably'], 0.9);
const globex = model('globex', ['Paris.']);

console.log('chat (DejaCache)');
await ask(acme, 'acme', 'What is the capital of France?');
await ask(acme, 'acme', 'What is the capital of France?');
await ask(acme, 'acme', "what's the capital of France?");
await ask(acme, 'acme', 'What is the capital of Spain?');
await ask(acmeWarm, 'acme', 'What is the capital of France?');
await ask(globex, 'globex', 'What is the capital of France?');
console.log(`  provider calls: ${acme.calls + acmeWarm.calls + globex.calls} for 6 questions\n`);

console.log('embeddings (DejaEmbeddings over LangChain SyntheticEmbeddings)');
const embeddings = new DejaEmbeddings({
  deja,
  embeddings: new SyntheticEmbeddings({ vectorSize: 16 }),
  modelId: 'synthetic-16',
});
await embed(deja, 'embedDocuments(3 texts)', () =>
  embeddings.embedDocuments(['red apples', 'green pears', 'blue plums']),
);
await embed(deja, 'embedDocuments(4 texts, 3 seen)', () =>
  embeddings.embedDocuments(['red apples', 'green pears', 'blue plums', 'ripe figs']),
);
await embed(deja, 'embedQuery(new)', () => embeddings.embedQuery('which fruit is red?'));
await embed(deja, 'embedQuery(same)', () => embeddings.embedQuery('which fruit is red?'));

const stats = deja.stats();
console.log('\nstats');
console.log(
  `  exact hits ${stats.exactHits}, semantic hits ${stats.semanticHits}, misses ${stats.misses}, hit rate ${(stats.hitRate * 100).toFixed(0)}%`,
);
console.log(
  `  embedding cache (prompts and documents): ${stats.embeddingHits} hits, ${stats.embeddingMisses} misses`,
);
console.log(
  `  tokens saved ${stats.tokensSaved}, cost saved $${stats.costSaved.toFixed(6)}, lookup p50 ${stats.lookupLatencyMs.p50.toFixed(2)} ms`,
);
await deja.close();

async function ask(chat: FakeChatProvider, tenant: string, question: string): Promise<void> {
  const before = tierOf(deja, tenant);
  const answer = await chat.invoke([SYSTEM, new HumanMessage(question)]);
  const after = tierOf(deja, tenant);
  const how =
    after.exactHits > before.exactHits
      ? 'exact hit'
      : after.semanticHits > before.semanticHits
        ? 'semantic hit'
        : 'miss → model';
  const settings = `${tenant}, t=${chat.temperature}`;
  console.log(
    `  ${how.padEnd(13)} [${settings.padEnd(13)}] ${JSON.stringify(question).padEnd(34)} → ${answer.content}`,
  );
}

async function embed(cache: Deja, label: string, run: () => Promise<unknown>): Promise<void> {
  const before = cache.stats();
  await run();
  const after = cache.stats();
  const hits = after.embeddingHits - before.embeddingHits;
  const misses = after.embeddingMisses - before.embeddingMisses;
  console.log(`  ${label.padEnd(32)} ${hits} cached, ${misses} sent to the model`);
}

function tierOf(cache: Deja, tenant: string): Pick<TierCounters, 'exactHits' | 'semanticHits'> {
  return cache.stats().byTenant[tenant] ?? { exactHits: 0, semanticHits: 0 };
}
