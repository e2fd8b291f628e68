import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lexicalEmbedder } from '@deja/core';
import { afterAll, describe, expect, it } from 'vitest';
import { hooksFromEnv, instrumentedEmbedder } from './instrumented-embedder.js';

const directory = mkdtempSync(join(tmpdir(), 'deja-cli-embedder-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('instrumentedEmbedder', () => {
  it('is the embedder itself when no hook is set', () => {
    const inner = lexicalEmbedder();
    expect(instrumentedEmbedder(inner, hooksFromEnv({}))).toBe(inner);
    expect(hooksFromEnv({ DEJA_EMBEDDER_DELAY_MS: 'x', DEJA_EMBEDDER_LOG: '' })).toEqual({
      logFile: undefined,
      delayMs: undefined,
    });
  });

  it('appends every embedded text to DEJA_EMBEDDER_LOG, one JSON string a line', async () => {
    const logFile = join(directory, 'embedded.log');
    const embedder = instrumentedEmbedder(
      lexicalEmbedder({ dimensions: 8 }),
      hooksFromEnv({ DEJA_EMBEDDER_LOG: logFile }),
    );
    await embedder.embed(['first', 'with\nnewline']);
    await embedder.embed(['third']);
    const lines = readFileSync(logFile, 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual(['first', 'with\nnewline', 'third']);
    expect(embedder.modelId).toBe('deja-lexical-3gram-8');
  });

  it('waits DEJA_EMBEDDER_DELAY_MS per call', async () => {
    const embedder = instrumentedEmbedder(lexicalEmbedder(), hooksFromEnv({ DEJA_EMBEDDER_DELAY_MS: '30' }));
    const started = performance.now();
    await embedder.embed(['x']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });
});
