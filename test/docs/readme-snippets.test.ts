// Docs that run: every TypeScript block of every README, of docs/ and of ARCHITECTURE.md is
// type-checked as a user's strict app would compile it, and every block not marked `no-run` is
// run with node, once on the in-process memory store and once on the harness's Redis Stack (the
// DEJA_REDIS_URL a sample reads through loadConfig), and must exit 0 on its own: a sample that
// leaves a deja or a client open never exits and fails here.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/redis-server.ts';
import { redisStackUrl } from '../harness/servers.ts';
import { projectSnippets, type Snippet, snippetFileName } from './markdown-snippets.ts';
import { createSnippetWorkspace, type SnippetWorkspace } from './snippet-workspace.ts';

/** A hang detector, not a performance check: a sample that runs this long did not exit on its own. */
const EXIT_DEADLINE_MS = 120_000;

const snippets = projectSnippets(REPO_ROOT);
const runnable = snippets.filter((snippet) => snippet.run);
let workspace: SnippetWorkspace;

beforeAll(() => {
  workspace = createSnippetWorkspace(REPO_ROOT, snippets);
});

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  timedOut: boolean;
}

function runProcess(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, EXIT_DEADLINE_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output, timedOut });
    });
  });
}

/** The environment a sample runs in: none of the caller's deja settings, plus the ones given. */
function sampleEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!/^(DEJA_|CACHE_)/.test(name) && !name.startsWith('VITEST')) env[name] = value;
  return { ...env, NO_COLOR: '1', ...extra };
}

async function runSnippet(snippet: Snippet, extra: Record<string, string>): Promise<void> {
  const file = workspace.files.get(snippet) as string;
  const result = await runProcess(process.execPath, [file], sampleEnv(extra), workspace.folder);
  const where = `${snippet.file}:${snippet.line} (${file})`;
  if (result.timedOut)
    expect.fail(
      `${where} did not exit on its own within ${EXIT_DEADLINE_MS / 1000} s (a deja or client left open?)\n${result.output}`,
    );
  expect(result.code, `${where} failed:\n${result.output}`).toBe(0);
}

describe('documentation samples', () => {
  it('finds the samples of every README and doc', () => {
    const files = new Set(snippets.map((snippet) => snippet.file));
    for (const file of [
      'packages/core/README.md',
      'packages/ai-sdk/README.md',
      'packages/langchain/README.md',
      'docs/semantic-hits.md',
    ])
      expect(files, `no TypeScript sample found in ${file}`).toContain(file);
    expect(runnable.length).toBeGreaterThanOrEqual(5);
  });

  it('type-check as a strict app (every block, no-run ones too)', async () => {
    const tsc = join(REPO_ROOT, 'node_modules', '.bin', 'tsc');
    const result = await runProcess(
      tsc,
      ['-p', join(workspace.folder, 'tsconfig.json')],
      process.env,
      workspace.folder,
    );
    expect(
      result.code,
      `tsc found errors in the doc samples (files are named after README and line):\n${result.output}`,
    ).toBe(0);
  });

  describe.each(runnable.map((snippet) => [snippetFileName(snippet), snippet] as const))(
    '%s',
    (_name, snippet) => {
      it('runs on the memory store and exits on its own', async () => {
        await runSnippet(snippet, {});
      });

      it('runs on Redis Stack (DEJA_REDIS_URL) and exits on its own', async () => {
        // Each sample keeps to its own keys and index on the shared server.
        const name = snippetFileName(snippet).replace(/\.ts$/, '').toLowerCase();
        await runSnippet(snippet, {
          DEJA_REDIS_URL: redisStackUrl(),
          DEJA_KEY_PREFIX: `docs-${name}:`,
          DEJA_INDEX_NAME: `docs-${name}-idx`,
          DEJA_EMBEDDING_KEY_PREFIX: `docs-${name}-embedding:`,
        });
      });
    },
  );
});
