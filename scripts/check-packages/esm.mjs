// The scratch app's ESM side: `import` each package (it must resolve to the ESM build) and run
// the scenarios named on the command line (see exercise.cjs).
import { createRequire } from 'node:module';
import exercise from './exercise.cjs';

const entryOf = {
  '@deja/core': 'dist/index.js',
  '@deja/ai-sdk': 'dist/index.js',
  '@deja/langchain': 'dist/index.js',
  '@deja/cli': 'dist/index.js',
};
async function load(name) {
  const expected = entryOf[name];
  const resolved = import.meta.resolve(name);
  if (expected && !resolved.endsWith(`/node_modules/${name}/${expected}`))
    throw new Error(`import of ${name} resolved to ${resolved}, expected its ${expected}`);
  return import(name);
}

const scenarios = {
  core: async () => exercise.core(await load('@deja/core')),
  coreOnRedis: async () => exercise.coreOnRedis(await load('@deja/core')),
  coreWithoutRedis: async () =>
    exercise.coreWithoutRedis(await load('@deja/core'), createRequire(import.meta.url)),
  aiSdk: async () =>
    exercise.aiSdk(
      await load('@deja/ai-sdk'),
      await load('@deja/core'),
      await load('ai'),
      await load('ai/test'),
    ),
  langchain: async () => exercise.langchain(await load('@deja/langchain'), await load('@deja/core')),
  cli: async () => exercise.cli(await load('@deja/cli')),
};

for (const name of process.argv.slice(2)) {
  const done = await scenarios[name]();
  console.log(`   ok  node ${process.version}  import   ${name}: ${done}`);
}
