// The threshold curve as a hand-written SVG: precision (with its 95 % lower bound), recall and
// hit rate against minSimilarity, optionally the precision measured on held-out pairs, with the
// target precision and the recommended threshold marked.
import type { PrecisionPoint } from '@deja/core/evaluation';

export interface CurveSvgOptions {
  /** The curve a threshold is chosen on. */
  curve: readonly PrecisionPoint[];
  /** The same thresholds measured on pairs the choice did not see. */
  heldOut?: readonly PrecisionPoint[];
  targetPrecision?: number;
  recommended?: number;
  title: string;
  subtitle?: string;
}

interface Series {
  name: string;
  color: string;
  dash?: string;
  width: number;
  of: 'curve' | 'heldOut';
  value: (point: PrecisionPoint) => number | null;
}

const WIDTH = 760;
const HEIGHT = 520;
const PLOT = { left: 70, right: 730, top: 70, bottom: 400 } as const;
const X_DOMAIN = [0.5, 1] as const;
const SERIES: readonly Series[] = [
  { name: 'precision', color: '#1f6fb4', width: 2.5, of: 'curve', value: (point) => point.precision },
  {
    name: 'precision, 95 % lower bound',
    color: '#1f6fb4',
    dash: '5 4',
    width: 1.5,
    of: 'curve',
    // No hits: no bound to draw (the bound is 0 there, which would read as a measurement).
    value: (point) => (point.hits === 0 ? null : point.precisionLowerBound),
  },
  { name: 'recall', color: '#e0701b', width: 2.5, of: 'curve', value: (point) => point.recall },
  { name: 'hit rate', color: '#2a9a3a', width: 2.5, of: 'curve', value: (point) => point.hitRate },
  {
    name: 'precision, held out',
    color: '#7b3fa0',
    dash: '2 3',
    width: 2,
    of: 'heldOut',
    value: (point) => point.precision,
  },
];

export function renderCurveSvg(options: CurveSvgOptions): string {
  const x = (threshold: number) =>
    PLOT.left + ((threshold - X_DOMAIN[0]) / (X_DOMAIN[1] - X_DOMAIN[0])) * (PLOT.right - PLOT.left);
  const y = (rate: number) => PLOT.bottom - rate * (PLOT.bottom - PLOT.top);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${PLOT.left}" y="28" font-size="16" font-weight="bold">${escapeXml(options.title)}</text>`,
  ];
  if (options.subtitle)
    parts.push(`<text x="${PLOT.left}" y="48" fill="#555">${escapeXml(options.subtitle)}</text>`);

  // Grid and tick labels.
  for (let tick = 0; tick <= 10; tick++) {
    const rate = tick / 10;
    parts.push(
      `<line x1="${PLOT.left}" y1="${fixed(y(rate))}" x2="${PLOT.right}" y2="${fixed(y(rate))}" stroke="#e6e6e6"/>`,
      `<text x="${PLOT.left - 8}" y="${fixed(y(rate) + 4)}" text-anchor="end">${rate.toFixed(1)}</text>`,
    );
  }
  for (let tick = 0; tick <= 10; tick++) {
    const threshold = 0.5 + tick * 0.05;
    parts.push(
      `<line x1="${fixed(x(threshold))}" y1="${PLOT.top}" x2="${fixed(x(threshold))}" y2="${PLOT.bottom}" stroke="#e6e6e6"/>`,
      `<text x="${fixed(x(threshold))}" y="${PLOT.bottom + 18}" text-anchor="middle">${threshold.toFixed(2)}</text>`,
    );
  }
  // Axes and their titles.
  parts.push(
    `<line x1="${PLOT.left}" y1="${PLOT.bottom}" x2="${PLOT.right}" y2="${PLOT.bottom}" stroke="#333"/>`,
    `<line x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.left}" y2="${PLOT.bottom}" stroke="#333"/>`,
    `<text x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.bottom + 40}" text-anchor="middle" font-size="13">minSimilarity (cosine similarity threshold)</text>`,
    `<text x="20" y="${(PLOT.top + PLOT.bottom) / 2}" text-anchor="middle" font-size="13" transform="rotate(-90 20 ${(PLOT.top + PLOT.bottom) / 2})">rate</text>`,
  );

  // Target precision (horizontal) and recommended threshold (vertical).
  if (options.targetPrecision !== undefined) {
    const target = fixed(y(options.targetPrecision));
    parts.push(
      `<line x1="${PLOT.left}" y1="${target}" x2="${PLOT.right}" y2="${target}" stroke="#888" stroke-dasharray="6 4"/>`,
      `<text x="${PLOT.right - 4}" y="${fixed(y(options.targetPrecision) + 14)}" text-anchor="end" fill="#555">target precision ${options.targetPrecision}</text>`,
    );
  }
  if (options.recommended !== undefined) {
    const at = fixed(x(options.recommended));
    parts.push(
      `<line x1="${at}" y1="${PLOT.top}" x2="${at}" y2="${PLOT.bottom}" stroke="#c0392b" stroke-width="1.5" stroke-dasharray="4 3"/>`,
      `<text x="${at}" y="${PLOT.top - 6}" text-anchor="middle" fill="#c0392b">recommended ${options.recommended.toFixed(2)}</text>`,
    );
  }

  // The series; a missing value (no hits at that threshold) breaks the line.
  const shown = SERIES.filter((series) => series.of === 'curve' || options.heldOut);
  for (const series of shown) {
    let path = '';
    let drawing = false;
    for (const point of (series.of === 'curve' ? options.curve : options.heldOut) ?? []) {
      const value = series.value(point);
      if (value === null) {
        drawing = false;
        continue;
      }
      path += `${drawing ? 'L' : 'M'}${fixed(x(point.threshold))} ${fixed(y(value))} `;
      drawing = true;
    }
    const dash = series.dash ? ` stroke-dasharray="${series.dash}"` : '';
    parts.push(
      `<path d="${path.trim()}" fill="none" stroke="${series.color}" stroke-width="${series.width}"${dash}/>`,
    );
  }

  // Legend under the x axis title, three to a row.
  shown.forEach((series, i) => {
    const left = PLOT.left + (i % 3) * 220;
    const top = PLOT.bottom + 62 + Math.floor(i / 3) * 20;
    const dash = series.dash ? ` stroke-dasharray="${series.dash}"` : '';
    parts.push(
      `<line x1="${left}" y1="${top}" x2="${left + 28}" y2="${top}" stroke="${series.color}" stroke-width="3"${dash}/>`,
      `<text x="${left + 36}" y="${top + 4}">${escapeXml(series.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function fixed(value: number): string {
  return value.toFixed(1);
}

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[char] as string,
  );
}
