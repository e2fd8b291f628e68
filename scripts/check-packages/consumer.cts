// The CommonJS side of consumer.mts: `import x = require()` resolves the packages' require types.
import core = require('@deja/core');
import langchain = require('@deja/langchain');

const deja = core.createDeja({ store: core.memoryStore() });
export const cache: InstanceType<typeof langchain.DejaCache> = new langchain.DejaCache({
  deja,
  tenant: 'acme',
});
