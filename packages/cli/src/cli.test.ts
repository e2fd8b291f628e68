import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { DejaConfigError, DejaTimeoutError } from '@deja/core';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS, errorLine, runCli } from './cli.js';
import type { Io } from './command.js';

const directory = mkdtempSync(join(tmpdir(), 'deja-cli-run-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const run = async (argv: string[], env: Record<string, string> = {}) => {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: new PassThrough(),
    env,
    cwd: directory,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
};

describe('runCli', () => {
  it('lists every command in --help, and shows flags in <command> --help', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const command of COMMANDS) expect(help.stdout).toContain(`  ${command.name}`);
    const warm = await run(['warm', '--help']);
    expect(warm.code).toBe(0);
    expect(warm.stdout).toContain('--text-column C');
    expect(warm.stdout).toContain('DEJA_EMBEDDER_LOG');
    expect((await run(['help', 'tune'])).stdout).toContain('--target-precision P');
    expect((await run([])).stdout).toContain('Usage: deja <command>');
  });

  it('refuses help on a command that does not exist: exit 2, no help text', async () => {
    const result = await run(['help', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'deja help: no command "nope". Commands: demo, warm, search, stats, clear, inspect, tune\n',
    );
  });

  it('blames a bad --redis on the flag: exit 2, one line', async () => {
    const result = await run(['stats', '--redis', 'localhost:6395'], { DEJA_REDIS_URL: 'redis://env:6379' });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'deja stats: --redis "localhost:6395" is not a redis:// or rediss:// URL (for example --redis redis://localhost:6395)\n',
    );
  });

  it('rejects an unknown command or flag with exit code 2 and one line', async () => {
    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      'deja: unknown command "frobnicate". Commands: demo, warm, search, stats, clear, inspect, tune (deja --help)\n',
    );
    const flag = await run(['stats', '--tenat', 'x']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe(
      'deja stats: unknown option --tenat (did you mean --tenant?) (see deja stats --help)\n',
    );
    expect(flag.stdout).toBe('');
  });

  it('reports a bad environment variable as one line, exit 1', async () => {
    const result = await run(['stats'], { DEJA_REDIS_URL: 'localhost:6379' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'deja stats: DEJA_REDIS_URL="localhost:6379" is invalid: redis.url must be a redis:// or rediss:// URL\n',
    );
  });

  it('runs tune in process: table, an honest "no threshold" on four pairs, and an SVG file', async () => {
    const pairs = join(directory, 'pairs.json');
    writeFileSync(
      pairs,
      JSON.stringify([
        { a: 'How do I reset my password?', b: 'How can I reset my password?', same: true },
        { a: 'Do you ship to Canada?', b: 'Can you ship to Canada?', same: true },
        { a: 'How do I reset my password?', b: 'Do you ship to Mexico?', same: false },
        { a: 'Do you ship to Canada?', b: 'Do you ship to Mexico?', same: false },
      ]),
    );
    const result = await run(['tune', '--pairs', 'pairs.json', '--out', 'curve.svg']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // Four pairs cannot show precision 0.95 with 95 % confidence: tune says so instead of guessing.
    expect(result.stdout).toContain('No threshold reaches precision 0.95');
    expect(result.stdout).toMatch(/a bound of 0\.95 needs 73: more labelled pairs would help/);
    expect(readFileSync(join(directory, 'curve.svg'), 'utf8')).toContain('<svg');
  });
});

describe('errorLine', () => {
  it('prints deja errors as their message and anything else as unexpected', () => {
    expect(errorLine('warm', new DejaConfigError('bad'), {})).toBe('deja warm: bad');
    expect(errorLine('warm', new DejaConfigError('warm: bad'), {})).toBe('deja warm: bad');
    expect(errorLine('warm', new DejaTimeoutError('put took longer than 500 ms'), {})).toBe(
      'deja warm: Redis trouble: put took longer than 500 ms',
    );
    expect(errorLine('warm', new Error('boom'), {})).toBe(
      'deja warm: unexpected error: boom (DEJA_DEBUG=1 shows the stack)',
    );
    expect(errorLine('warm', new Error('boom'), { DEJA_DEBUG: '1' })).toMatch(
      /^deja warm: unexpected error: boom\nError: boom\n {4}at /,
    );
  });
});
