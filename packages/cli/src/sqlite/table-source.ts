// One table of a SQLite file, opened read-only: checked up front (file, table, columns, --where)
// so a mistake is one clear line before anything is written, then streamed in batches.
import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { DatabaseSync, type SQLOutputValue, type StatementSync } from 'node:sqlite';
import { DejaCliError } from '../errors.js';
import { messageOf } from '../files.js';
import { quoteIdentifier, type RowId, toRowId, toText } from './sql-values.js';

export interface TableSourceOptions {
  file: string;
  table: string;
  idColumn: string;
  /** Needed to read texts (warm); search only fetches rows by id. */
  textColumn?: string;
  /** A SQL condition on the table's rows. */
  where?: string;
  limit?: number;
}

export interface SourceRow {
  /** undefined when the id is NULL or a BLOB. */
  id: RowId | undefined;
  /** undefined when the text is NULL or a BLOB. */
  text: string | undefined;
}

const LIST_LIMIT = 12;
const IDS_PER_QUERY = 500;

export class TableSource {
  readonly table: string;
  readonly idColumn: string;
  readonly textColumn: string | undefined;
  private readonly from: string;
  private closed = false;

  private constructor(
    private readonly database: DatabaseSync,
    private readonly options: TableSourceOptions,
    names: { table: string; idColumn: string; textColumn: string | undefined },
  ) {
    this.table = names.table;
    this.idColumn = names.idColumn;
    this.textColumn = names.textColumn;
    const where = options.where === undefined ? '' : ` WHERE (${options.where})`;
    this.from = `FROM ${quoteIdentifier(this.table)}${where}`;
  }

  /** Opens `file` read-only and checks the table, the columns and --where. */
  static open(options: TableSourceOptions): TableSource {
    const label = basename(options.file);
    if (!existsSync(options.file)) throw new DejaCliError(`no SQLite file at ${options.file}`);
    if (!statSync(options.file).isFile()) throw new DejaCliError(`${options.file} is not a file`);
    let database: DatabaseSync;
    try {
      database = new DatabaseSync(options.file, { readOnly: true, timeout: 5_000 });
    } catch (error) {
      throw new DejaCliError(`cannot open ${options.file}: ${messageOf(error)}`);
    }
    try {
      const tables = listTables(database, options.file);
      const table = tables.find((name) => name.toLowerCase() === options.table.toLowerCase());
      if (!table) {
        throw new DejaCliError(
          `table ${JSON.stringify(options.table)} not found in ${label} (tables: ${listed(tables)})`,
        );
      }
      const columns = (
        database.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]
      ).map((row) => row.name);
      const column = (wanted: string, flag: string) => {
        const found = columns.find((name) => name.toLowerCase() === wanted.toLowerCase());
        if (!found) {
          throw new DejaCliError(
            `column ${JSON.stringify(wanted)} (${flag}) not found in table ${JSON.stringify(table)} (columns: ${listed(columns)})`,
          );
        }
        return found;
      };
      const names = {
        table,
        idColumn: column(options.idColumn, '--id-column'),
        textColumn:
          options.textColumn === undefined ? undefined : column(options.textColumn, '--text-column'),
      };
      const source = new TableSource(database, options, names);
      source.checkWhere();
      return source;
    } catch (error) {
      database.close();
      throw error;
    }
  }

  /** Rows selected (the table, or the rows matching --where), capped by --limit. */
  count(): number {
    const row = this.database.prepare(`SELECT COUNT(*) AS total ${this.from}`).get() as { total: number };
    return this.options.limit === undefined ? row.total : Math.min(row.total, this.options.limit);
  }

  /**
   * The selected rows, `size` at a time, read lazily with StatementSync.iterate(): memory stays
   * at one batch whatever the table size.
   */
  *batches(size: number): Generator<SourceRow[]> {
    if (!this.textColumn) throw new DejaCliError('reading texts needs --text-column');
    const limit = this.options.limit === undefined ? '' : ` LIMIT ${this.options.limit}`;
    const statement = this.database.prepare(
      `SELECT ${quoteIdentifier(this.idColumn)} AS id, ${quoteIdentifier(this.textColumn)} AS text ${this.from}${limit}`,
    );
    statement.setReadBigInts(true);
    let batch: SourceRow[] = [];
    for (const row of statement.iterate() as Iterable<{ id: SQLOutputValue; text: SQLOutputValue }>) {
      batch.push({ id: toRowId(row.id), text: toText(row.text) });
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  /** Full rows by id (every column), keyed by `rowIdKey(id)`. */
  rowsByIds(ids: RowId[]): Map<string, Record<string, SQLOutputValue>> {
    const rows = new Map<string, Record<string, SQLOutputValue>>();
    for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
      const chunk = ids.slice(start, start + IDS_PER_QUERY);
      const statement: StatementSync = this.database.prepare(
        `SELECT * FROM ${quoteIdentifier(this.table)} WHERE ${quoteIdentifier(this.idColumn)} IN (${chunk.map(() => '?').join(', ')})`,
      );
      statement.setReadBigInts(true);
      for (const row of statement.all(...chunk) as Record<string, SQLOutputValue>[]) {
        const id = toRowId(row[this.idColumn] as SQLOutputValue);
        if (id !== undefined) rows.set(rowIdKey(id), row);
      }
    }
    return rows;
  }

  /** Column names in table order. */
  columns(): string[] {
    return (
      this.database.prepare('SELECT name FROM pragma_table_info(?)').all(this.table) as { name: string }[]
    ).map((row) => row.name);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.database.close();
  }

  private checkWhere(): void {
    if (this.options.where === undefined) return;
    try {
      this.database.prepare(`SELECT COUNT(*) ${this.from}`);
    } catch (error) {
      throw new DejaCliError(
        `--where ${JSON.stringify(this.options.where)} is not valid here: ${messageOf(error)}`,
      );
    }
  }
}

/** One key per id value, so 7 and "7" stay apart as they do in deja's keys. */
export function rowIdKey(id: RowId): string {
  return `${typeof id}:${id}`;
}

function listTables(database: DatabaseSync, file: string): string[] {
  try {
    const rows = database
      .prepare(
        "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as { name: string }[];
    return rows.map((row) => row.name);
  } catch (error) {
    throw new DejaCliError(`${file} is not a readable SQLite database: ${messageOf(error)}`);
  }
}

function listed(names: string[]): string {
  if (names.length === 0) return 'none';
  const shown = names.slice(0, LIST_LIMIT).join(', ');
  return names.length > LIST_LIMIT ? `${shown}, … ${names.length - LIST_LIMIT} more` : shown;
}
