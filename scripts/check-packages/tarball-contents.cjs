// Checks one unpacked tarball (`package/` of `pnpm pack`) for what publint and attw do not look
// at: every source map points at files that ship, no test file ships, the licence ships, no
// workspace: range leaks, sibling packages are depended on by a caret range, engines are stated.
'use strict';
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { dirname, join, relative, resolve } = require('node:path');

const root = resolve(process.argv[2]);
const problems = [];
const files = readdirSync(root, { recursive: true }).filter((file) => !file.endsWith('/'));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

if (!existsSync(join(root, 'LICENSE'))) problems.push('no LICENSE file');
if (!manifest.engines?.node) problems.push('no engines.node');
for (const file of files) if (/\.test\.[cm]?[jt]s$/.test(file)) problems.push(`ships a test file: ${file}`);

let maps = 0;
for (const file of files.filter((name) => name.endsWith('.map'))) {
  maps += 1;
  const map = JSON.parse(readFileSync(join(root, file), 'utf8'));
  for (const source of map.sources ?? []) {
    const target = resolve(dirname(join(root, file)), map.sourceRoot ?? '', source);
    if (!existsSync(target))
      problems.push(`${file} points at ${relative(root, target)}, which is not in the package`);
  }
}

for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
  for (const [name, range] of Object.entries(manifest[field] ?? {})) {
    if (String(range).startsWith('workspace:')) problems.push(`${field}.${name} is ${range}`);
    if (name.startsWith('@deja/') && !String(range).startsWith('^'))
      problems.push(`${field}.${name} is ${range}, not a caret range a user can satisfy`);
  }
}

if (problems.length > 0) {
  console.error(`${manifest.name}: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(
  `   ok  ${manifest.name}: ${files.length} files, ${maps} source maps all resolving, LICENSE, engines ${manifest.engines.node}, no test files, no workspace: ranges`,
);
