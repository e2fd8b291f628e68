import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources in tests (no build needed).
const resolve = { conditions: ['@deja/source'] };
const packageProject = (name: string) => ({
  resolve,
  test: { name, include: [`packages/${name}/{src,test}/**/*.test.ts`], testTimeout: 30_000 },
});

export default defineConfig({
  test: {
    globalSetup: ['./test/harness/global-setup.ts'],
    projects: [
      packageProject('core'),
      packageProject('ai-sdk'),
      packageProject('langchain'),
      packageProject('cli'),
      { resolve, test: { name: 'integration', include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } },
    ],
  },
});
