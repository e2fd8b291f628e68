#!/usr/bin/env node
// `pnpm lint`: no source file of a package (packages/*/src, tests excluded) is longer than
// MAX_LINES unless it says why in its first lines, with a comment `// size: <reason>`. A long file
// is usually two jobs in one room; when it is not (one table, one generated schema), the reason
// is written where the next reader sees it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const MAX_LINES = 250;
const REASON_WITHIN_LINES = 5;
const REASON = /^\s*\/\/\s*size:\s*\S/;

/** Every .ts source file under `directory`, tests and declaration files left out. */
function sourceFiles(directory) {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx|mts|cts)$/.test(entry.name))
    .filter((entry) => !/\.test\.|\.d\.[mc]?ts$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

const packages = readdirSync('packages', { withFileTypes: true }).filter((entry) => entry.isDirectory());
const files = packages.flatMap((entry) => {
  const source = join('packages', entry.name, 'src');
  try {
    return sourceFiles(source);
  } catch {
    return []; // a package without src/ has nothing to check
  }
});

const tooLong = [];
for (const file of files.sort()) {
  const lines = readFileSync(file, 'utf8').split('\n');
  // A trailing newline is not a line of its own.
  const count = lines.at(-1) === '' ? lines.length - 1 : lines.length;
  if (count <= MAX_LINES) continue;
  const reason = lines.slice(0, REASON_WITHIN_LINES).find((line) => REASON.test(line));
  if (!reason) tooLong.push(`${file}: ${count} lines`);
}

if (files.length === 0) {
  console.error('check-file-size: no source file found under packages/*/src (run from the repository root)');
  process.exit(1);
}
if (tooLong.length > 0) {
  console.error(
    `check-file-size: over ${MAX_LINES} lines without a \`// size: <reason>\` comment in the first ` +
      `${REASON_WITHIN_LINES} lines (split the file, or state the reason):`,
  );
  for (const line of tooLong) console.error(`  ${line}`);
  process.exit(1);
}
console.log(`check-file-size: ${files.length} source files, none over ${MAX_LINES} lines without a reason`);
