import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DejaCliError } from '../errors.js';
import { rowIdKey, TableSource } from './table-source.js';

let directory: string;
let file: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'deja-cli-sqlite-'));
  file = join(directory, 'notes.db');
  const database = new DatabaseSync(file);
  database.exec(`
    CREATE TABLE Notes (id INTEGER PRIMARY KEY, body TEXT, kind TEXT);
    CREATE TABLE "odd ""name""" (key TEXT PRIMARY KEY, "the text" TEXT);
    CREATE TABLE big (id INTEGER, body TEXT);
  `);
  const insert = database.prepare('INSERT INTO Notes (id, body, kind) VALUES (?, ?, ?)');
  for (let id = 1; id <= 25; id++) insert.run(id, id === 7 ? null : `note ${id}`, id % 2 ? 'odd' : 'even');
  database.prepare('INSERT INTO "odd ""name""" VALUES (?, ?)').run('k1', 'quoted');
  database.prepare('INSERT INTO big VALUES (?, ?)').run(9_007_199_254_740_993n, 'beyond 2^53');
  database.close();
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

const openError = (options: Partial<Parameters<typeof TableSource.open>[0]>) => {
  try {
    TableSource.open({ file, table: 'notes', idColumn: 'id', textColumn: 'body', ...options }).close();
  } catch (error) {
    expect(error).toBeInstanceOf(DejaCliError);
    return (error as Error).message;
  }
  throw new Error('expected an error');
};

describe('TableSource.open', () => {
  it('names what is missing, and what there is instead', () => {
    expect(openError({ file: join(directory, 'missing.db') })).toBe(
      `no SQLite file at ${join(directory, 'missing.db')}`,
    );
    expect(openError({ table: 'nope' })).toBe(
      'table "nope" not found in notes.db (tables: Notes, big, odd "name")',
    );
    expect(openError({ idColumn: 'ident' })).toBe(
      'column "ident" (--id-column) not found in table "Notes" (columns: id, body, kind)',
    );
    expect(openError({ textColumn: 'text' })).toContain('column "text" (--text-column) not found');
    expect(openError({ where: 'missing_column = 1' })).toContain(
      '--where "missing_column = 1" is not valid here: no such column',
    );
  });

  it('says when a file is not a SQLite database', () => {
    const bogus = join(directory, 'bogus.db');
    writeFileSync(bogus, 'this is not a database '.repeat(50));
    expect(openError({ file: bogus })).toMatch(/is not a readable SQLite database: file is not a database/);
  });

  it('matches table and column names without regard to case, like SQLite', () => {
    const source = TableSource.open({ file, table: 'NOTES', idColumn: 'ID', textColumn: 'Body' });
    expect([source.table, source.idColumn, source.textColumn]).toEqual(['Notes', 'id', 'body']);
    source.close();
  });
});

describe('TableSource rows', () => {
  it('counts the selection: --where and --limit apply', () => {
    const all = TableSource.open({ file, table: 'notes', idColumn: 'id', textColumn: 'body' });
    const even = TableSource.open({
      file,
      table: 'notes',
      idColumn: 'id',
      textColumn: 'body',
      where: "kind = 'even'",
    });
    const limited = TableSource.open({
      file,
      table: 'notes',
      idColumn: 'id',
      textColumn: 'body',
      where: "kind = 'even'",
      limit: 5,
    });
    expect([all.count(), even.count(), limited.count()]).toEqual([25, 12, 5]);
    expect([...limited.batches(2)].flat().map((row) => row.id)).toEqual([2, 4, 6, 8, 10]);
    for (const source of [all, even, limited]) source.close();
  });

  it('streams batches of the requested size; NULL texts arrive as undefined', () => {
    const source = TableSource.open({ file, table: 'notes', idColumn: 'id', textColumn: 'body' });
    const batches = [...source.batches(10)];
    expect(batches.map((batch) => batch.length)).toEqual([10, 10, 5]);
    expect(batches[0]?.[0]).toEqual({ id: 1, text: 'note 1' });
    expect(batches[0]?.[6]).toEqual({ id: 7, text: undefined });
    source.close();
  });

  it('quotes any table or column name', () => {
    const source = TableSource.open({ file, table: 'odd "name"', idColumn: 'key', textColumn: 'the text' });
    expect([...source.batches(5)]).toEqual([[{ id: 'k1', text: 'quoted' }]]);
    expect(source.rowsByIds(['k1']).get(rowIdKey('k1'))).toEqual({ key: 'k1', 'the text': 'quoted' });
    source.close();
  });

  it('keeps integer ids beyond 2^53 exact, as strings', () => {
    const source = TableSource.open({ file, table: 'big', idColumn: 'id', textColumn: 'body' });
    const [[row]] = [...source.batches(5)] as unknown as [[{ id: string }]];
    expect(row.id).toBe('9007199254740993');
    expect(source.rowsByIds([row.id]).get(rowIdKey(row.id))?.body).toBe('beyond 2^53');
    source.close();
  });

  it('fetches full rows by id in table column order, skipping ids that are gone', () => {
    const source = TableSource.open({ file, table: 'notes', idColumn: 'id' });
    const rows = source.rowsByIds([3, 4, 999]);
    expect([...rows.keys()].sort()).toEqual([rowIdKey(3), rowIdKey(4)]);
    expect(rows.get(rowIdKey(3))).toEqual({ id: 3n, body: 'note 3', kind: 'odd' });
    expect(source.columns()).toEqual(['id', 'body', 'kind']);
    source.close();
  });

  it('fetches many ids in several queries', () => {
    const source = TableSource.open({ file, table: 'notes', idColumn: 'id' });
    const ids = Array.from({ length: 1_200 }, (_, i) => i + 1);
    expect(source.rowsByIds(ids).size).toBe(25);
    source.close();
  });
});
