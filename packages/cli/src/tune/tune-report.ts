// What `deja tune` prints: the tuning half's curve, then the recommendation with the figures
// measured on the held-out half, or a plain statement that no threshold reaches the target.
import type { PrecisionPoint } from '@deja/core/evaluation';
import { Z_95 } from '@deja/core/evaluation';
import { renderTable } from '../format/table.js';
import type { ThresholdFigures, TuneResult } from './tune-threshold.js';

export interface ReportStyle {
  bold(text: string): string;
  green(text: string): string;
}

const rate = (value: number | null) => (value === null ? '—' : value.toFixed(3));

export function curveTable(result: TuneResult, style: ReportStyle): string {
  const marked = result.recommended?.threshold ?? result.closest?.threshold;
  const shown = result.tuning.curve.filter(
    (point) => Math.round(point.threshold * 100) % 5 === 0 || point.threshold === marked,
  );
  const rows = shown.map((point) => [
    point.threshold.toFixed(2),
    String(point.hits),
    rate(point.precision),
    point.hits === 0 ? '—' : point.precisionLowerBound.toFixed(3),
    point.recall.toFixed(3),
    point.hitRate.toFixed(3),
    point.threshold !== marked ? '' : result.recommended ? style.green('<- recommended') : '<- closest',
  ]);
  return renderTable(
    [
      { header: 'minSimilarity', align: 'right' },
      { header: 'hits', align: 'right' },
      { header: 'precision', align: 'right' },
      { header: '95% low', align: 'right' },
      { header: 'recall', align: 'right' },
      { header: 'hit rate', align: 'right' },
      { header: '' },
    ],
    rows,
  );
}

export function recommendationLines(
  result: TuneResult,
  targetPrecision: number,
  style: ReportStyle,
): string[] {
  if (result.recommended) {
    const { threshold, heldOut } = result.recommended;
    return [
      `${style.bold(`Recommended minSimilarity: ${threshold.toFixed(2)}`)} — the lowest threshold whose 95 % lower bound of precision is >= ${targetPrecision} on the tuning half.`,
      `What to expect, measured on the held-out half (pairs it did not tune on): ${heldOutFigures(heldOut)}.`,
    ];
  }
  const lines = [
    `${style.bold(`No threshold reaches precision ${targetPrecision}`)}: on the tuning half, no minSimilarity from 0.50 to 0.99 has a 95 % lower bound of precision >= ${targetPrecision} with this embedder.`,
  ];
  if (result.closest) lines.push(closestLine(result.closest));
  const needed = rightHitsNeeded(targetPrecision);
  const mostHits = Math.max(0, ...result.tuning.curve.map((point) => point.rightHits));
  if (mostHits < needed) {
    lines.push(
      `The tuning half has at most ${mostHits} right hits; even all right, a bound of ${targetPrecision} needs ${needed}: more labelled pairs would help.`,
    );
  }
  lines.push(
    'A similarity threshold alone does not give this precision here; verification is what can: a `verifier` judges uncertain matches, ' +
      'and `maxErrorRate` bounds the error rate of served hits (misses where the evidence is not there yet).',
  );
  return lines;
}

function closestLine(closest: ThresholdFigures): string {
  const { tuning } = closest;
  return (
    `The closest is ${closest.threshold.toFixed(2)}: lower bound ${tuning.precisionLowerBound.toFixed(3)} ` +
    `(precision ${rate(tuning.precision)}) on the tuning half; held out: ${heldOutFigures(closest.heldOut)}.`
  );
}

function heldOutFigures(point: PrecisionPoint): string {
  if (point.hits === 0) return 'no hits at all';
  return (
    `precision ${rate(point.precision)} (95 % lower bound ${point.precisionLowerBound.toFixed(3)}, ` +
    `${point.rightHits} of ${point.hits} hits right), recall ${point.recall.toFixed(3)}, hit rate ${point.hitRate.toFixed(3)}`
  );
}

/** Right hits a bound of `target` needs even when every hit is right: n / (n + z^2) >= target. */
export function rightHitsNeeded(target: number): number {
  return target >= 1 ? Number.POSITIVE_INFINITY : Math.ceil((target * Z_95 ** 2) / (1 - target));
}
