// docs/options.md is kept in step with the schemas: every option of createDeja, of the adapters
// and every flag of the CLI has a row, there is no row for an option that does not exist, and a
// default written in the schema is the default the page shows. Adding, removing or re-defaulting
// an option without the page fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aiSdkEmbedderOptionsSchema } from '../../packages/ai-sdk/src/ai-sdk-embedder.ts';
import {
  callOptionsSchema,
  embeddingMiddlewareOptionsSchema,
  middlewareOptionsSchema,
} from '../../packages/ai-sdk/src/options.ts';
import { COMMANDS } from '../../packages/cli/src/cli.ts';
import { dejaOptionsSchema } from '../../packages/core/src/options.ts';
import {
  dejaCacheOptionsSchema,
  dejaEmbeddingsOptionsSchema,
  langchainEmbedderOptionsSchema,
} from '../../packages/langchain/src/options.ts';
import { REPO_ROOT } from '../harness/redis-server.ts';

interface DocTable {
  /** The line before the table (its caption) and the section heading it is under. */
  caption: string;
  heading: string;
  /** First cell (backticks removed) -> second cell. */
  rows: Map<string, string>;
}

function docTables(markdown: string): DocTable[] {
  const tables: DocTable[] = [];
  let heading = '';
  let caption = '';
  let current: DocTable | undefined;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('## ')) heading = line.slice(3);
    if (!line.startsWith('|')) {
      current = undefined;
      if (line.trim() !== '') caption = line.trim();
      continue;
    }
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    if (!current) {
      current = { caption, heading, rows: new Map() };
      tables.push(current);
      continue; // the header row
    }
    if (/^-+$/.test(cells[0] ?? '')) continue;
    current.rows.set((cells[0] ?? '').replaceAll('`', ''), cells[1] ?? '');
  }
  return tables;
}

/** The part of a zod schema this test reads (zod itself is not a dependency of test/). */
type Schema = { _zod: { def: unknown } };
type Def = {
  type: string;
  innerType?: Schema;
  defaultValue?: unknown;
  shape?: Record<string, Schema>;
  options?: Schema[];
};
const defOf = (schema: Schema) => schema._zod.def as unknown as Def;

/** Every option path of an object schema (nested objects too) with its schema default, if any. */
function optionDefaults(schema: Schema, prefix = ''): Map<string, unknown> {
  const paths = new Map<string, unknown>();
  for (const [key, field] of Object.entries(defOf(schema).shape ?? {})) {
    const path = `${prefix}${key}`;
    let inner = field;
    let fallback: unknown;
    for (let def = defOf(inner); def.innerType; def = defOf(inner)) {
      if (def.type === 'default') fallback = def.defaultValue;
      inner = def.innerType;
    }
    paths.set(path, fallback);
    const nested = defOf(inner).type === 'union' ? (defOf(inner).options ?? []) : [inner];
    for (const member of nested)
      if (defOf(member).type === 'object')
        for (const [child, value] of optionDefaults(member, `${path}.`)) paths.set(child, value);
  }
  return paths;
}

/** A default as the page writes it: `1_000`, `'semantic'`, `false`, `{}`. */
function written(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number')
    return Number.isInteger(value) && Math.abs(value) >= 1_000
      ? String(value).replace(/\B(?=(\d{3})+(?!\d))/g, '_')
      : String(value);
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'object' && value !== null && Object.keys(value).length > 0) return undefined;
  return JSON.stringify(value);
}

const tables = docTables(readFileSync(join(REPO_ROOT, 'docs', 'options.md'), 'utf8'));
const table = (caption: RegExp) => {
  const found = tables.find(
    (candidate) => caption.test(candidate.caption) || caption.test(candidate.heading),
  );
  if (!found) throw new Error(`docs/options.md has no table for ${caption}`);
  return found;
};

describe('docs/options.md', () => {
  it.each([
    ['createDeja', /^createDeja/, dejaOptionsSchema],
    ['dejaMiddleware', /^`dejaMiddleware\(options\)`/, middlewareOptionsSchema],
    ['providerOptions.deja', /^Per call, `providerOptions/, callOptionsSchema],
    ['dejaEmbeddingMiddleware', /^`dejaEmbeddingMiddleware\(options\)`/, embeddingMiddlewareOptionsSchema],
    ['aiSdkEmbedder', /^`aiSdkEmbedder\(/, aiSdkEmbedderOptionsSchema],
    ['DejaCache', /^`new DejaCache\(/, dejaCacheOptionsSchema],
    ['DejaEmbeddings', /^`new DejaEmbeddings\(/, dejaEmbeddingsOptionsSchema],
    ['langchainEmbedder', /^`langchainEmbedder\(/, langchainEmbedderOptionsSchema],
  ] as const)('lists every option of %s with its schema default', (_name, caption, schema) => {
    const doc = table(caption).rows;
    const options = optionDefaults(schema as Schema);
    expect([...doc.keys()].sort()).toEqual([...options.keys()].sort());
    for (const [path, value] of options) {
      const cell = doc.get(path) as string;
      const expected = written(value);
      if (expected !== undefined)
        expect(cell.startsWith(`\`${expected}\``), `${path}: page says ${cell}, schema ${expected}`).toBe(
          true,
        );
      else if (value === undefined) expect(cell, `${path} has no default in the schema`).toBe('none');
    }
  });

  it('lists every flag of every deja command, with the default its help states', () => {
    const doc = table(/^The `deja` command/).rows;
    const flags = new Map<string, { description: string; required?: boolean }>();
    for (const command of COMMANDS)
      for (const [name, spec] of Object.entries(command.flags))
        flags.set(`${command.name} --${name}${spec.value ? ` ${spec.value}` : ''}`, spec);
    expect([...doc.keys()].sort()).toEqual([...flags.keys()].sort());
    for (const [flag, spec] of flags) {
      const cell = (doc.get(flag) as string).replaceAll('`', '');
      if (spec.required) expect(cell, flag).toBe('required');
      const stated = /\(default:? ([^)]*)\)/.exec(spec.description)?.[1];
      // The help's default (e.g. "500", "30d", "DEJA_MIN_SIMILARITY, else 0.5") holds the page's.
      if (stated !== undefined)
        expect(
          stated.includes(cell.split(' ')[0] as string) || cell.includes(stated),
          `${flag}: page ${cell}, help ${stated}`,
        ).toBe(true);
    }
  });
});
