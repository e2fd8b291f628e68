// deja tune: which minSimilarity to use with the embedder in use, measured on labelled pairs.
import { basename, resolve } from 'node:path';
import { loadConfig } from '@deja/core';
import { fractionFlag } from '../args.js';
import { defineCommand } from '../command.js';
import { resolveEmbedder } from '../embedder/resolve-embedder.js';
import { EXIT_CODES } from '../errors.js';
import { readJsonFile, writeFileAtomically } from '../files.js';
import { formatInteger } from '../format/numbers.js';
import { styleFor } from '../format/style.js';
import { renderTable } from '../format/table.js';
import { renderCurveSvg } from '../tune/curve-svg.js';
import { parsePairs } from '../tune/pairs.js';
import { scorePairs } from '../tune/score-pairs.js';
import {
  bestPrecision,
  type CurvePoint,
  recommendThreshold,
  thresholdCurve,
} from '../tune/threshold-curve.js';

const flags = {
  pairs: {
    type: 'string',
    value: 'FILE',
    required: true,
    description: 'labelled pairs: [{a, b, same}] or GPTCache [{origin, similar}]',
  },
  'target-precision': {
    type: 'string',
    value: 'P',
    description: 'precision the recommendation must keep (default 0.95)',
  },
  out: { type: 'string', value: 'FILE', description: 'where to write the curve (default deja-tune.svg)' },
  embedder: {
    type: 'string',
    value: 'MODULE',
    description: 'ES module exporting the Embedder to measure (default: LEXICAL)',
  },
  json: { type: 'boolean', description: 'print the curve and recommendation as JSON' },
} as const;

export const tuneCommand = defineCommand({
  name: 'tune',
  summary: 'precision, recall and hit rate per threshold on labelled pairs; recommends minSimilarity',
  details:
    'Precision: hits that are right. Recall: right answers found. Hit rate: lookups the cache answers.\n' +
    'The recommendation is the lowest threshold from which precision stays at or above the target.',
  flags,
  async run(values, io) {
    const targetPrecision = fractionFlag('tune', 'target-precision', values['target-precision'], 0.95);
    const pairsFile = resolve(io.cwd, values.pairs as string);
    const outFile = resolve(io.cwd, values.out ?? 'deja-tune.svg');
    const pairs = parsePairs(readJsonFile(pairsFile, 'pairs file'), basename(pairsFile));
    const { embedder, label } = await resolveEmbedder({
      module: values.embedder,
      dimensions: loadConfig(io.env).dimensions,
      env: io.env,
      cwd: io.cwd,
    });
    const curve = thresholdCurve(await scorePairs(pairs, embedder));
    const recommended = recommendThreshold(curve, targetPrecision);
    const same = pairs.filter((pair) => pair.same).length;
    const description = `${formatInteger(pairs.length)} pairs from ${basename(pairsFile)} (${formatInteger(same)} same meaning, ${formatInteger(pairs.length - same)} different)`;
    writeFileAtomically(
      outFile,
      renderCurveSvg({
        curve,
        targetPrecision,
        recommended,
        title: `deja tune: minSimilarity for ${embedder.modelId}`,
        subtitle: description,
      }),
    );

    if (values.json) {
      const json = {
        embedder: embedder.modelId,
        pairs: { total: pairs.length, same },
        targetPrecision,
        recommended: recommended ?? null,
        curve,
        svg: outFile,
      };
      io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      return EXIT_CODES.ok;
    }
    const style = styleFor(io.stdout, io.env);
    const shown = curve.filter(
      (point) => Math.round(point.threshold * 100) % 5 === 0 || point === recommended,
    );
    const rows = shown.map((point) => [
      point.threshold.toFixed(2),
      point.precision === null ? '—' : point.precision.toFixed(3),
      point.recall.toFixed(3),
      point.hitRate.toFixed(3),
      point === recommended ? style.green('<- recommended') : '',
    ]);
    const lines = [
      `deja tune: ${description}`,
      `embedder: ${label}`,
      '',
      renderTable(
        [
          { header: 'minSimilarity', align: 'right' },
          { header: 'precision', align: 'right' },
          { header: 'recall', align: 'right' },
          { header: 'hit rate', align: 'right' },
          { header: '' },
        ],
        rows,
      ),
      '',
      recommendationLine(recommended, curve, targetPrecision, style.bold),
      `curve: ${outFile}`,
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
    return EXIT_CODES.ok;
  },
});

function recommendationLine(
  recommended: CurvePoint | undefined,
  curve: CurvePoint[],
  targetPrecision: number,
  bold: (text: string) => string,
): string {
  if (recommended) {
    return (
      `${bold(`Recommended minSimilarity: ${recommended.threshold.toFixed(2)}`)} for precision >= ${targetPrecision}: ` +
      `precision ${(recommended.precision as number).toFixed(3)}, recall ${recommended.recall.toFixed(3)}, hit rate ${recommended.hitRate.toFixed(3)}`
    );
  }
  const best = bestPrecision(curve);
  const bestText = best
    ? `; the best is precision ${(best.precision as number).toFixed(3)} at ${best.threshold.toFixed(2)} (recall ${best.recall.toFixed(3)})`
    : '';
  return `${bold('No recommendation:')} no threshold from 0.50 to 0.99 keeps precision >= ${targetPrecision} with this embedder${bestText}`;
}
