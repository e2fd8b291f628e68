// The threshold curve as a hand-written SVG: precision, recall and hit rate against
// minSimilarity, with the target precision and the recommended threshold marked.
import type { CurvePoint } from './threshold-curve.js';

export interface CurveSvgOptions {
  curve: readonly CurvePoint[];
  targetPrecision: number;
  recommended?: CurvePoint;
  title: string;
  subtitle?: string;
}

const WIDTH = 760;
const HEIGHT = 500;
const PLOT = { left: 70, right: 730, top: 70, bottom: 400 } as const;
const X_DOMAIN = [0.5, 1] as const;
const SERIES = [
  { name: 'precision', color: '#1f6fb4', value: (point: CurvePoint) => point.precision },
  { name: 'recall', color: '#e0701b', value: (point: CurvePoint) => point.recall },
  { name: 'hit rate', color: '#2a9a3a', value: (point: CurvePoint) => point.hitRate },
] as const;

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
  const target = fixed(y(options.targetPrecision));
  parts.push(
    `<line x1="${PLOT.left}" y1="${target}" x2="${PLOT.right}" y2="${target}" stroke="#888" stroke-dasharray="6 4"/>`,
    `<text x="${PLOT.right - 4}" y="${fixed(y(options.targetPrecision) + 14)}" text-anchor="end" fill="#555">target precision ${options.targetPrecision}</text>`,
  );
  if (options.recommended) {
    const at = fixed(x(options.recommended.threshold));
    parts.push(
      `<line x1="${at}" y1="${PLOT.top}" x2="${at}" y2="${PLOT.bottom}" stroke="#c0392b" stroke-width="1.5" stroke-dasharray="4 3"/>`,
      `<text x="${at}" y="${PLOT.top - 6}" text-anchor="middle" fill="#c0392b">recommended ${options.recommended.threshold.toFixed(2)}</text>`,
    );
  }

  // The three series; a missing precision (no hits at that threshold) breaks the line.
  for (const series of SERIES) {
    let path = '';
    let drawing = false;
    for (const point of options.curve) {
      const value = series.value(point);
      if (value === null) {
        drawing = false;
        continue;
      }
      path += `${drawing ? 'L' : 'M'}${fixed(x(point.threshold))} ${fixed(y(value))} `;
      drawing = true;
    }
    parts.push(`<path d="${path.trim()}" fill="none" stroke="${series.color}" stroke-width="2.5"/>`);
  }

  // Legend under the x axis title.
  SERIES.forEach((series, i) => {
    const left = PLOT.left + i * 150;
    const top = PLOT.bottom + 70;
    parts.push(
      `<line x1="${left}" y1="${top}" x2="${left + 28}" y2="${top}" stroke="${series.color}" stroke-width="3"/>`,
      `<text x="${left + 36}" y="${top + 4}">${series.name}</text>`,
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
