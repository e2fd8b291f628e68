// A scratch folder (under the git-ignored .deja/) where the docs' samples are written as files,
// type-checked with the repository's TypeScript and run with node. Its node_modules links to the
// copies the workspace already installed, so a sample imports exactly what the packages are
// built and tested with (the built dist of @deja/*: run `pnpm turbo run build` first).
import { existsSync, mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Snippet, snippetFileName } from './markdown-snippets.ts';

/** What a sample may import, and the installed copy it resolves to (relative to the repo root). */
const LINKED_PACKAGES: Record<string, string> = {
  '@deja/core': 'packages/core',
  '@deja/ai-sdk': 'packages/ai-sdk',
  '@deja/langchain': 'packages/langchain',
  ai: 'packages/ai-sdk/node_modules/ai',
  '@ai-sdk/provider': 'packages/ai-sdk/node_modules/@ai-sdk/provider',
  '@langchain/core': 'packages/langchain/node_modules/@langchain/core',
  redis: 'packages/core/node_modules/redis',
  zod: 'packages/core/node_modules/zod',
  vitest: 'node_modules/vitest',
  '@types/node': 'node_modules/@types/node',
};

/** The builds a sample runs against: missing, the test says how to make them. */
const REQUIRED_BUILDS = [
  'packages/core/dist/index.js',
  'packages/ai-sdk/dist/index.js',
  'packages/langchain/dist/index.js',
];

export interface SnippetWorkspace {
  folder: string;
  /** The file each snippet was written to, by snippet. */
  files: Map<Snippet, string>;
}

export function createSnippetWorkspace(root: string, snippets: readonly Snippet[]): SnippetWorkspace {
  const missing = REQUIRED_BUILDS.filter((path) => !existsSync(join(root, path)));
  if (missing.length > 0)
    throw new Error(
      `The doc samples run against the built packages; missing ${missing.join(', ')}: run pnpm turbo run build`,
    );
  const folder = join(root, '.deja', 'doc-snippets');
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (const [name, target] of Object.entries(LINKED_PACKAGES)) {
    const link = join(folder, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(realpathSync(join(root, target)), link, 'dir');
  }
  writeFileSync(join(folder, 'package.json'), `${JSON.stringify({ private: true, type: 'module' })}\n`);
  // What a user's app would have: strict, Node's own module rules, each sample its own module.
  const tsconfig = {
    compilerOptions: {
      target: 'es2023',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      moduleDetection: 'force',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      allowImportingTsExtensions: true,
      verbatimModuleSyntax: true,
      types: ['node'],
    },
    include: ['*.ts'],
  };
  writeFileSync(join(folder, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  const files = new Map<Snippet, string>();
  for (const snippet of snippets) {
    const path = join(folder, snippetFileName(snippet));
    writeFileSync(path, snippet.code);
    files.set(snippet, path);
  }
  return { folder, files };
}
