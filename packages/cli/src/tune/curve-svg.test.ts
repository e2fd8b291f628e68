import { describe, expect, it } from 'vitest';
import { renderCurveSvg } from './curve-svg.js';
import { recommendThreshold, thresholdCurve } from './threshold-curve.js';

const curve = thresholdCurve([
  { similarity: 0.9, same: true },
  { similarity: 0.7, same: true },
  { similarity: 0.6, same: false },
  { similarity: 0.52, same: false },
]);

describe('renderCurveSvg', () => {
  it('draws axes, labels, three series, the target and the recommendation', () => {
    const recommended = recommendThreshold(curve, 0.95);
    const svg = renderCurveSvg({
      curve,
      targetPrecision: 0.95,
      recommended,
      title: 'deja tune <lexical> & co',
      subtitle: '4 pairs',
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('minSimilarity (cosine similarity threshold)');
    expect(svg).toContain('>rate</text>');
    expect(svg).toContain('>0.50</text>');
    expect(svg).toContain('>1.00</text>');
    for (const series of ['precision', 'recall', 'hit rate']) expect(svg).toContain(`>${series}</text>`);
    expect(svg.match(/<path d="M/g)).toHaveLength(3);
    expect(svg).toContain('target precision 0.95');
    expect(svg).toContain(`recommended ${recommended?.threshold.toFixed(2)}`);
    expect(svg).toContain('deja tune &lt;lexical&gt; &amp; co');
  });

  it('breaks the precision line where no pair reaches the threshold, and omits a missing recommendation', () => {
    const svg = renderCurveSvg({ curve, targetPrecision: 0.99, title: 't' });
    expect(svg).not.toContain('recommended');
    const precisionPath = svg.match(/<path d="([^"]+)" fill="none" stroke="#1f6fb4"/)?.[1] ?? '';
    // Defined from 0.50 to 0.90 only: one move, then lines, and no point past 0.90.
    expect(precisionPath.match(/M/g)).toHaveLength(1);
    expect(precisionPath.split(/[ML]/).filter(Boolean)).toHaveLength(41);
  });
});
