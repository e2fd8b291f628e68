#!/usr/bin/env node
// `pnpm lint`: no import cycle among the source files of any package (packages/*/src). A cycle
// means two files cannot be understood, tested or moved one without the other; the layers in
// ARCHITECTURE.md only point one way. Type-only imports count too: they tie the files together
// just the same for a reader.
//
// dependency-cruiser does the work. It parses TypeScript with swc (@swc/core) because it needs
// TypeScript's JavaScript API, which TypeScript 7 (this repo's compiler) no longer ships.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cruise } from 'dependency-cruiser';

const sourceDirectories = readdirSync('packages', { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => join('packages', entry.name, 'src'));

const result = await cruise(
  sourceDirectories,
  {
    parser: 'swc',
    validate: true,
    ruleSet: {
      forbidden: [
        {
          name: 'no-import-cycle',
          severity: 'error',
          comment: 'Files of a package import each other in one direction only.',
          from: {},
          to: { circular: true },
        },
      ],
    },
    // Tests may import anything; only what ships must be acyclic. Outside src is not followed.
    exclude: { path: ['\\.test\\.ts$', 'node_modules'] },
    doNotFollow: { path: ['node_modules'] },
  },
  {
    // Sources import each other as './file.js' (what they compile to): resolve that to file.ts.
    extensionAlias: { '.js': ['.ts', '.js'] },
    // '@deja/core' resolves to core's TypeScript sources (as in the tests), so a cycle between
    // packages is found like one inside a package.
    exportsFields: ['exports'],
    conditionNames: ['@deja/source', 'import', 'node'],
  },
);

const { summary, modules } = result.output;
const cycles = summary.violations.filter((violation) => violation.rule.name === 'no-import-cycle');
const unresolved = modules
  .flatMap((module) => module.dependencies.map((dependency) => ({ from: module.source, dependency })))
  .filter(
    ({ dependency }) =>
      dependency.couldNotResolve &&
      (dependency.module.startsWith('.') || dependency.module.startsWith('@deja/')),
  );

if (summary.totalCruised === 0) {
  console.error('check-import-cycles: no source file was read; is @swc/core installed?');
  process.exit(1);
}
if (unresolved.length > 0) {
  // An import the check cannot follow would hide any cycle through it.
  for (const { from, dependency } of unresolved)
    console.error(`check-import-cycles: cannot resolve ${dependency.module} from ${from}`);
  process.exit(1);
}
if (cycles.length > 0) {
  console.error(`check-import-cycles: ${cycles.length} import(s) close a cycle:`);
  for (const violation of cycles) {
    const path = violation.cycle?.map((step) => step.name) ?? [violation.to];
    console.error(`  ${violation.from} -> ${path.join(' -> ')}`);
  }
  process.exit(1);
}
console.log(`check-import-cycles: no import cycle among ${summary.totalCruised} source files`);
