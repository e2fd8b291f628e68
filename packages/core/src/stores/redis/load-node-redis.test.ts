import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DejaConfigError } from '../../errors.js';
import { loadNodeRedis, type NodeRedisModule } from './load-node-redis.js';

const notFound = (code: string) => Object.assign(new Error("Cannot find package 'redis'"), { code });

describe('loadNodeRedis', () => {
  it('returns the module when redis is installed', async () => {
    const redis = await loadNodeRedis();
    expect(typeof redis.createClient).toBe('function');
  });

  for (const code of ['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND']) {
    it(`turns a missing package (${code}) into a DejaConfigError that says what to install`, async () => {
      const cause = notFound(code);
      const failure = loadNodeRedis(() => Promise.reject(cause));
      await expect(failure).rejects.toBeInstanceOf(DejaConfigError);
      await expect(failure).rejects.toThrow(/npm install redis/);
      await expect(failure).rejects.toMatchObject({ cause });
    });
  }

  it('leaves any other load failure as it is', async () => {
    const broken = new SyntaxError('Unexpected token');
    const failure = loadNodeRedis(() => Promise.reject(broken) as Promise<NodeRedisModule>);
    await expect(failure).rejects.toBe(broken);
  });
});

// redis is an optional peer: no module of @deja/core may import it at load time. (The packed
// package is also imported without redis installed by scripts/check-packages.sh.)
describe('@deja/core without redis', () => {
  const sourceRoot = join(import.meta.dirname, '../..');
  const sources = (readdirSync(sourceRoot, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => ({ file, text: readFileSync(join(sourceRoot, file), 'utf8') }));

  it('finds the sources it checks', () => {
    expect(sources.map((source) => source.file)).toContain(join('stores', 'redis', 'connection.ts'));
  });

  it('has no value import of redis outside the lazy loader', () => {
    const valueImport = /^\s*(import|export)\s+(?!type\s)[^;]*?from\s+['"](redis|@redis\/[^'"]+)['"]/m;
    const offenders = sources.filter((source) => valueImport.test(source.text)).map((source) => source.file);
    expect(offenders).toEqual([]);
  });
});
