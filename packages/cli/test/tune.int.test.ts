// deja tune: precision, recall and hit rate per threshold on labelled pairs, a recommendation,
// and an SVG curve, from both pair formats.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/harness/redis-server.ts';
import { assertBuilt, cliEnv, runCli } from './support/run-cli.ts';

// The dev set is part of the repository (data/README.md has its origin and licence).
const PARAPHRASES = join(REPO_ROOT, 'data', 'paraphrase-pairs.json');
let directory: string;

beforeAll(() => {
  assertBuilt();
  directory = mkdtempSync(join(tmpdir(), 'deja-cli-tune-'));
  writeFileSync(
    join(directory, 'pairs.json'),
    JSON.stringify([
      { a: 'How do I reset my password?', b: 'How can I reset my password?', same: true },
      { a: 'Do you ship to Canada?', b: 'Can you ship to Canada?', same: true },
      { a: 'Cancel my subscription', b: 'How can I cancel my subscription?', same: true },
      { a: 'What are your opening hours?', b: 'When are you open?', same: true },
      { a: 'How do I reset my password?', b: 'How do I reset my username?', same: false },
      { a: 'Do you ship to Canada?', b: 'Do you ship to Mexico?', same: false },
      { a: 'How do I cancel my subscription?', b: 'How do I upgrade my subscription?', same: false },
      { a: 'What are your opening hours?', b: 'Do you ship to Canada?', same: false },
    ]),
  );
  // The first 40 GPTCache pairs: 40 positives, 40 derived negatives.
  const paraphrases = JSON.parse(readFileSync(PARAPHRASES, 'utf8')) as unknown[];
  writeFileSync(join(directory, 'gptcache.json'), JSON.stringify(paraphrases.slice(0, 40)));
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

const tune = (...args: string[]) => runCli(['tune', ...args], { env: cliEnv(), cwd: directory });

describe('deja tune', () => {
  it('prints the curve, recommends a threshold for the target precision, and writes the SVG', async () => {
    const result = await tune('--pairs', 'pairs.json', '--out', 'curve.svg');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('deja tune: 8 pairs from pairs.json (4 same meaning, 4 different)');
    expect(result.stdout).toMatch(/^minSimilarity\s+precision\s+recall\s+hit rate$/m);
    expect(result.stdout).toMatch(/^\s+0\.50\s+\d\.\d{3}\s+\d\.\d{3}\s+\d\.\d{3}$/m);
    const recommendation =
      /Recommended minSimilarity: (0\.\d\d) for precision >= 0\.95: precision (\d\.\d+), recall (\d\.\d+)/.exec(
        result.stdout,
      );
    expect(recommendation).not.toBeNull();
    // The rewordings are at 0.84-0.87 and the different questions at most 0.71 under LEXICAL.
    expect(Number(recommendation?.[1])).toBeGreaterThan(0.71);
    expect(Number(recommendation?.[1])).toBeLessThanOrEqual(0.84);
    expect(Number(recommendation?.[2])).toBe(1);
    expect(Number(recommendation?.[3])).toBe(0.75);
    expect(result.stdout).toContain(`curve: ${join(directory, 'curve.svg')}`);
    const svg = readFileSync(join(directory, 'curve.svg'), 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain(`recommended ${recommendation?.[1]}`);
  });

  it('reads GPTCache {origin, similar} pairs, with negatives from other pairs, as JSON', async () => {
    const result = await tune(
      '--pairs',
      'gptcache.json',
      '--out',
      'gptcache.svg',
      '--json',
      '--target-precision',
      '0.9',
    );
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.embedder).toBe('deja-lexical-3gram-256');
    expect(json.pairs).toEqual({ total: 80, same: 40 });
    expect(json.curve).toHaveLength(50);
    expect(json.targetPrecision).toBe(0.9);
    expect(json.recommended.precision).toBeGreaterThanOrEqual(0.9);
    expect(existsSync(join(directory, 'gptcache.svg'))).toBe(true);
  });

  it('measures the embedder a module exports', async () => {
    const fixture = join(import.meta.dirname, 'fixtures', 'letters-embedder.mjs');
    const result = await tune('--pairs', 'pairs.json', '--out', 'letters.svg', '--embedder', fixture);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('embedder: fixture-letters-26');
  });

  it('says so when no threshold reaches the target', async () => {
    writeFileSync(
      join(directory, 'impossible.json'),
      JSON.stringify([
        { a: 'same words', b: 'same words', same: false },
        { a: 'alpha', b: 'alpha!', same: true },
      ]),
    );
    const result = await tune('--pairs', 'impossible.json', '--out', 'impossible.svg');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /No recommendation: no threshold from 0\.50 to 0\.99 keeps precision >= 0\.95 with this embedder; the best is precision 0\.500/,
    );
    expect(readFileSync(join(directory, 'impossible.svg'), 'utf8')).not.toContain('recommended');
  });

  it('a bad pairs file is one line, and no SVG is written', async () => {
    writeFileSync(join(directory, 'broken.json'), '[{"a": "x"');
    const result = await tune('--pairs', 'broken.json', '--out', 'broken.svg');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^deja tune: .*broken\.json is not valid JSON: .*\n$/);
    expect(existsSync(join(directory, 'broken.svg'))).toBe(false);
  });
});
