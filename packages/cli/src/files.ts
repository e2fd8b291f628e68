// Reading inputs and writing outputs with errors a person can act on; outputs are written to a
// temporary file and renamed, so an interrupted command never leaves half a file.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { DejaCliError } from './errors.js';

export function readJsonFile(path: string, what: string): unknown {
  if (!existsSync(path)) throw new DejaCliError(`no ${what} at ${path}`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new DejaCliError(`cannot read ${path}: ${messageOf(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DejaCliError(`${path} is not valid JSON: ${messageOf(error)}`);
  }
}

export function writeFileAtomically(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new DejaCliError(`cannot write ${path}: ${messageOf(error)}`);
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
