// The scratch app's CommonJS side: `require` each package (it must resolve to the CJS build) and
// run the scenarios named on the command line (see exercise.cjs).
'use strict';
const exercise = require('./exercise.cjs');

const entryOf = {
  '@deja/core': 'dist/cjs/index.js',
  '@deja/ai-sdk': 'dist/cjs/index.js',
  '@deja/langchain': 'dist/cjs/index.js',
  '@deja/cli': 'dist/cjs/index.js',
};
function load(name) {
  const expected = entryOf[name];
  const resolved = require.resolve(name);
  if (expected && !resolved.endsWith(`/node_modules/${name}/${expected}`))
    throw new Error(`require of ${name} resolved to ${resolved}, expected its ${expected}`);
  return require(name);
}

const scenarios = {
  core: () => exercise.core(load('@deja/core')),
  coreOnRedis: () => exercise.coreOnRedis(load('@deja/core')),
  coreWithoutRedis: () => exercise.coreWithoutRedis(load('@deja/core'), require),
  aiSdk: () => exercise.aiSdk(load('@deja/ai-sdk'), load('@deja/core'), load('ai'), load('ai/test')),
  langchain: () => exercise.langchain(load('@deja/langchain'), load('@deja/core')),
  cli: () => exercise.cli(load('@deja/cli')),
};

(async () => {
  for (const name of process.argv.slice(2)) {
    const done = await scenarios[name]();
    console.log(`   ok  node ${process.version}  require  ${name}: ${done}`);
  }
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
