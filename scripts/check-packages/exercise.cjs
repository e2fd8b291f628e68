// One real call per package, as a user's app makes it, on the modules it is handed. The ESM entry
// (esm.mjs) hands it what `import` gives, the CJS entry (cjs.cjs) what `require` gives, so both
// module systems run the same calls. Each call checks its result: a broken package fails here.
'use strict';
const assert = require('node:assert/strict');
const { randomUUID } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

/** The version of a package the scratch app (the working directory) installed. */
const installedVersion = (name) =>
  JSON.parse(readFileSync(join(process.cwd(), 'node_modules', name, 'package.json'), 'utf8')).version;

/** Whether a miss's answer was stored, waiting for a write that runs behind the app (`written`). */
const writtenOf = (miss) => (miss.written ? miss.written : miss.stored);

/** createDeja on the memory store: a miss computes, the same request then hits exactly. */
async function core({ createDeja, memoryStore }) {
  const deja = createDeja({ store: memoryStore() });
  let computed = 0;
  const compute = async () => {
    computed += 1;
    return { answer: 'Paris' };
  };
  const request = { key: { model: 'scratch-model', prompt: 'Capital of France?' } };
  const first = await deja.tenant('acme').responses.wrap(request, compute);
  assert.equal(await writtenOf(first), true);
  const second = await deja.tenant('acme').responses.wrap(request, compute);
  assert.equal(first.hit, 'miss');
  assert.equal(second.hit, 'exact');
  assert.deepEqual(second.value, { answer: 'Paris' });
  assert.equal(computed, 1);
  await deja.close();
  return 'createDeja(memoryStore): miss, then exact hit';
}

/**
 * createDeja on a real Redis Stack (the harness's, started by check-packages.sh) through the `redis`
 * the app installed: exact hit, then a semantic hit through the vector index. Deadlines are generous
 * (a loaded machine) and strict mode turns any Redis trouble into a failure instead of a miss.
 */
async function coreOnRedis({ createDeja, lexicalEmbedder }) {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: set by check-packages.sh, which turbo does not run.
  const url = process.env.DEJA_SCRATCH_REDIS_URL;
  assert.ok(url, 'DEJA_SCRATCH_REDIS_URL is set by check-packages.sh');
  const deja = createDeja({
    redis: { url },
    embedder: lexicalEmbedder({ dimensions: 64 }),
    // Without a calibrated error bound deja serves no unverified semantic hit; this check is about
    // the packaged Redis path (vector index, binary replies), so it takes the static rule.
    maxErrorRate: false,
    strict: true,
    timeoutMs: 10_000,
    initTimeoutMs: 10_000,
  });
  const tenant = deja.tenant(`scratch-${randomUUID()}`);
  const question = 'What is the capital of France?';
  const request = {
    key: { model: 'scratch-model', prompt: question },
    semanticText: question,
    scope: 'scratch',
  };
  let computed = 0;
  const compute = async () => {
    computed += 1;
    return 'Paris';
  };
  const first = await tenant.responses.wrap(request, compute);
  assert.equal(await writtenOf(first), true);
  const second = await tenant.responses.wrap(request, compute);
  const reworded = { ...request, key: { model: 'scratch-model', prompt: `${question} ` } };
  const third = await tenant.responses.lookup(reworded);
  assert.equal(first.hit, 'miss');
  assert.equal(second.hit, 'exact');
  assert.equal(third?.hit, 'semantic');
  assert.equal(third?.value, 'Paris');
  assert.equal(computed, 1);
  await tenant.clear();
  await deja.close();
  return `createDeja({ redis }) on Redis Stack with redis@${installedVersion('redis')}: miss, exact hit, semantic hit`;
}

/** Without the optional `redis` peer: the package loaded (we are here), and a Redis store says what to install. */
async function coreWithoutRedis({ redisStore }, requireFromApp) {
  assert.throws(
    () => requireFromApp.resolve('redis'),
    /Cannot find module/,
    'redis must not be installed here',
  );
  const store = redisStore({ url: 'redis://127.0.0.1:1' });
  await assert.rejects(store.init({ dimensions: 0 }), (error) => {
    assert.equal(error.name, 'DejaConfigError');
    assert.match(error.message, /npm install redis/);
    return true;
  });
  return "redisStore({ url }) without redis: DejaConfigError 'npm install redis'";
}

/**
 * dejaMiddleware under wrapLanguageModel/generateText with the AI SDK's own mock model: V4 on ai@7,
 * V3 on ai@6 (the same generate result shape), whichever the installed `ai` ships.
 */
async function aiSdk(
  { dejaMiddleware },
  { createDeja, memoryStore },
  { generateText, wrapLanguageModel },
  aiTest,
) {
  const MockLanguageModel = aiTest.MockLanguageModelV4 ?? aiTest.MockLanguageModelV3;
  const deja = createDeja({ store: memoryStore() });
  let generated = 0;
  const model = new MockLanguageModel({
    doGenerate: async () => {
      generated += 1;
      return {
        content: [{ type: 'text', text: 'Paris.' }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: {
          inputTokens: { total: 5, noCache: 5, cacheRead: undefined, cacheWrite: undefined },
          outputTokens: { total: 2, text: 2, reasoning: undefined },
        },
        warnings: [],
      };
    },
  });
  const cached = wrapLanguageModel({ model, middleware: dejaMiddleware({ deja, tenant: 'acme' }) });
  const first = await generateText({ model: cached, prompt: 'Capital of France?' });
  const second = await generateText({ model: cached, prompt: 'Capital of France?' });
  assert.equal(first.text, 'Paris.');
  assert.equal(second.text, 'Paris.');
  assert.equal(generated, 1, 'the second generateText is served by deja');
  await deja.close();
  return `dejaMiddleware + generateText on ai@${installedVersion('ai')} (${MockLanguageModel.name}): second call served from the cache`;
}

/** DejaCache as LangChain calls a BaseCache: update, then lookup of the same prompt and llm key. */
async function langchain({ DejaCache }, { createDeja, memoryStore }) {
  const deja = createDeja({ store: memoryStore() });
  const cache = new DejaCache({ deja, tenant: 'acme' });
  const llmKey = '_model:"base_llm",_type:"scratch",model:"scratch-model"';
  assert.equal(await cache.lookup('Translate: cat', llmKey), null);
  await cache.update('Translate: cat', llmKey, [{ text: 'chat' }]);
  const hit = await cache.lookup('Translate: cat', llmKey);
  assert.equal(hit?.[0]?.text, 'chat');
  await deja.close();
  return 'DejaCache: update, then lookup hits';
}

/** The CLI's programmatic surface is there (its bin is run by the shell script). */
async function cli({ runCli, COMMANDS }) {
  assert.equal(typeof runCli, 'function');
  const names = COMMANDS.map((command) => command.name);
  assert.ok(names.includes('demo'), 'COMMANDS lists demo');
  return `runCli and COMMANDS (${names.join(', ')})`;
}

module.exports = { core, coreOnRedis, coreWithoutRedis, aiSdk, langchain, cli };
