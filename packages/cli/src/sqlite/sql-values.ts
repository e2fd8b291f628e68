// SQLite values -> what deja keys on and what a table shows.
import type { SQLOutputValue } from 'node:sqlite';

/** A row id as deja keys it: integers stay numbers while exact, bigger ones become strings. */
export type RowId = number | string;

/** undefined for ids that cannot key an entry (NULL, BLOB). */
export function toRowId(value: SQLOutputValue): RowId | undefined {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : String(value);
  if (typeof value === 'number' || typeof value === 'string') return value;
  return undefined;
}

/** undefined for texts that cannot be embedded (NULL, BLOB). */
export function toText(value: SQLOutputValue): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}

export function displayValue(value: SQLOutputValue | undefined): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Uint8Array) return `<blob ${value.byteLength} bytes>`;
  return String(value);
}

/** Double-quoted SQL identifier: any table or column name, never a way out of the statement. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
