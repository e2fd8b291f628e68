import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DejaCliError } from '../errors.js';
import { resolveEmbedder } from './resolve-embedder.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures');

describe('resolveEmbedder', () => {
  it('is the LEXICAL embedder by default, at DEJA_EMBEDDING_DIMENSIONS when set', async () => {
    const resolved = await resolveEmbedder({
      module: undefined,
      dimensions: undefined,
      env: {},
      cwd: fixtures,
    });
    expect(resolved.embedder.modelId).toBe('deja-lexical-3gram-256');
    expect(resolved.lexical).toBe(true);
    expect(resolved.label).toContain('LEXICAL');
    const smaller = await resolveEmbedder({ module: undefined, dimensions: 64, env: {}, cwd: fixtures });
    expect(smaller.embedder.dimensions).toBe(64);
  });

  it('loads an embedder module relative to the working directory (a factory is called)', async () => {
    const resolved = await resolveEmbedder({
      module: './letters-embedder.mjs',
      dimensions: undefined,
      env: {},
      cwd: fixtures,
    });
    expect(resolved.embedder.modelId).toBe('fixture-letters-26');
    expect(resolved.lexical).toBe(false);
    const [vector] = await resolved.embedder.embed(['abc']);
    expect(Array.from(vector ?? []).slice(0, 4)).toEqual([1, 1, 1, 0]);
  });

  it('says what is wrong with a module that cannot serve', async () => {
    const attempt = (module: string, dimensions?: number) =>
      resolveEmbedder({ module, dimensions, env: {}, cwd: fixtures });
    await expect(attempt('./missing.mjs')).rejects.toThrow(DejaCliError);
    await expect(attempt('./missing.mjs')).rejects.toThrow(/cannot load --embedder .*missing\.mjs/);
    await expect(attempt('./not-an-embedder.mjs')).rejects.toThrow(
      /must export \(default\) a deja Embedder .*: embedder\.dimensions must be a positive whole number/,
    );
    await expect(attempt('./letters-embedder.mjs', 128)).rejects.toThrow(
      'DEJA_EMBEDDING_DIMENSIONS is 128 but embedder fixture-letters-26 gives 26',
    );
  });
});
