import { defineConfig } from 'vitest/config';

const sourceConditions = { resolve: { conditions: ['@deja/source'] } };

export default defineConfig({
  test: {
    globalSetup: ['./test/harness/global-setup.ts'],
    projects: [
      { ...sourceConditions, test: { name: 'core', include: ['packages/core/src/**/*.test.ts'] } },
      { ...sourceConditions, test: { name: 'integration', include: ['test/**/*.test.ts'], testTimeout: 30_000 } },
    ],
  },
});
