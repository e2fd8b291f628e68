import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources in tests (no build needed). Tests run
// in Vite's SSR environment, whose conditions are set apart from the browser's.
const conditions = ['@deja/source', 'module', 'node', 'development|production'];
const sourceResolution = { resolve: { conditions }, ssr: { resolve: { conditions } } };
const packageProject = (name: string) => ({
  ...sourceResolution,
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
      {
        ...sourceResolution,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
