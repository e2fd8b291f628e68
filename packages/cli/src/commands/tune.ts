// deja tune: which minSimilarity to use with the embedder in use, measured on the user's
// labelled pairs with @deja/core/evaluation: chosen on one half, checked on the other.
import { basename, resolve } from 'node:path';
import { loadConfig } from '@deja/core';
import { fractionFlag, integerFlag } from '../args.js';
import { defineCommand } from '../command.js';
import { resolveEmbedder } from '../embedder/resolve-embedder.js';
import { EXIT_CODES } from '../errors.js';
import { readJsonFile, writeFileAtomically } from '../files.js';
import { formatInteger } from '../format/numbers.js';
import { styleFor } from '../format/style.js';
import { renderCurveSvg } from '../tune/curve-svg.js';
import { parsePairs } from '../tune/pairs.js';
import { curveTable, recommendationLines } from '../tune/tune-report.js';
import { type MeasuredHalf, tuneThreshold } from '../tune/tune-threshold.js';

const flags = {
  pairs: {
    type: 'string',
    value: 'FILE',
    required: true,
    description: 'labelled pairs: [{a, b, same}] or paraphrases [{origin, similar}] (see the README)',
  },
  'target-precision': {
    type: 'string',
    value: 'P',
    description: 'precision the recommendation must reach, as a 95 % lower bound (default 0.95)',
  },
  seed: { type: 'string', value: 'N', description: 'seed of the tuning / held-out split (default 1)' },
  out: { type: 'string', value: 'FILE', description: 'where to write the curve (default deja-tune.svg)' },
  embedder: {
    type: 'string',
    value: 'MODULE',
    description: 'ES module exporting the Embedder to measure (default: LEXICAL)',
  },
  json: { type: 'boolean', description: 'print the curves and the recommendation as JSON' },
} as const;

export const tuneCommand = defineCommand({
  name: 'tune',
  summary: 'precision, recall and hit rate per threshold on labelled pairs; recommends minSimilarity',
  details:
    'Every stored-side text is stored in an in-memory deja and every query looked up against all of them.\n' +
    'The pairs are split in two: the threshold is chosen on one half (lowest whose 95 % lower bound of\n' +
    'precision meets the target) and its precision, recall and hit rate are measured on the other.',
  flags,
  async run(values, io) {
    const targetPrecision = fractionFlag('tune', 'target-precision', values['target-precision'], 0.95);
    const seed = integerFlag('tune', 'seed', values.seed, 1, { min: 0, max: 2 ** 32 - 1 });
    const pairsFile = resolve(io.cwd, values.pairs as string);
    const outFile = resolve(io.cwd, values.out ?? 'deja-tune.svg');
    const pairs = parsePairs(readJsonFile(pairsFile, 'pairs file'), basename(pairsFile));
    const { embedder, label } = await resolveEmbedder({
      module: values.embedder,
      dimensions: loadConfig(io.env).dimensions,
      env: io.env,
      cwd: io.cwd,
    });
    const result = await tuneThreshold({ pairs, embedder, targetPrecision, seed });
    const description = `${formatInteger(pairs.length)} labelled pairs from ${basename(pairsFile)}`;
    writeFileAtomically(
      outFile,
      renderCurveSvg({
        curve: result.tuning.curve,
        heldOut: result.heldOut.curve,
        targetPrecision,
        recommended: result.recommended?.threshold,
        title: `deja tune: minSimilarity for ${embedder.modelId}`,
        subtitle: `${description}; lines: tuning half, dotted purple: held-out half (seed ${seed})`,
      }),
    );

    if (values.json) {
      const json = {
        embedder: embedder.modelId,
        pairs: pairs.length,
        seed,
        targetPrecision,
        recommended: result.recommended ?? null,
        closest: result.closest ?? null,
        tuning: result.tuning,
        heldOut: result.heldOut,
        svg: outFile,
      };
      io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      return EXIT_CODES.ok;
    }
    const style = styleFor(io.stdout, io.env);
    const lines = [
      `deja tune: ${description}`,
      `embedder: ${label}`,
      `tuning half:   ${halfLine(result.tuning)}`,
      `held-out half: ${halfLine(result.heldOut)}`,
      '',
      'On the tuning half (a hit is right only on an entry labelled the same):',
      curveTable(result, style),
      '',
      ...recommendationLines(result, targetPrecision, style),
      `curve: ${outFile}`,
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
    return EXIT_CODES.ok;
  },
});

function halfLine(half: MeasuredHalf): string {
  return (
    `${formatInteger(half.pairs)} pairs, ${formatInteger(half.stored)} texts stored, ` +
    `${formatInteger(half.queries)} looked up (${formatInteger(half.answerable)} with a right answer stored)`
  );
}
