import { precisionCurve } from '@deja/core/evaluation';
import { describe, expect, it } from 'vitest';
import { renderCurveSvg } from './curve-svg.js';

const outcome = (bestSimilarity: number, right: boolean) => ({ bestSimilarity, right, answerable: true });
const curve = precisionCurve([
  outcome(0.9, true),
  outcome(0.7, true),
  outcome(0.6, false),
  outcome(0.52, false),
]);
const heldOut = precisionCurve([outcome(0.8, true), outcome(0.55, false)]);

describe('renderCurveSvg', () => {
  it('draws axes, labels, precision with its bound, recall, hit rate, held-out precision, target and recommendation', () => {
    const svg = renderCurveSvg({
      curve,
      heldOut,
      targetPrecision: 0.95,
      recommended: 0.71,
      title: 'deja tune <lexical> & co',
      subtitle: '4 pairs',
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('minSimilarity (cosine similarity threshold)');
    expect(svg).toContain('>0.50</text>');
    expect(svg).toContain('>1.00</text>');
    for (const series of [
      'precision',
      'precision, 95 % lower bound',
      'recall',
      'hit rate',
      'precision, held out',
    ])
      expect(svg).toContain(`>${series}</text>`);
    expect(svg.match(/<path d="M/g)).toHaveLength(5);
    expect(svg).toContain('target precision 0.95');
    expect(svg).toContain('recommended 0.71');
    expect(svg).toContain('deja tune &lt;lexical&gt; &amp; co');
  });

  it('breaks precision and its bound where nothing is served, and leaves out what was not given', () => {
    const svg = renderCurveSvg({ curve, title: 't' });
    expect(svg).not.toContain('recommended');
    expect(svg).not.toContain('target precision');
    expect(svg).not.toContain('held out');
    const precisionPath =
      svg.match(/<path d="([^"]+)" fill="none" stroke="#1f6fb4" stroke-width="2.5"\/>/)?.[1] ?? '';
    const boundPath =
      svg.match(/<path d="([^"]+)" fill="none" stroke="#1f6fb4" stroke-width="1.5"/)?.[1] ?? '';
    // Hits exist from 0.50 to 0.90 only: one move, then lines, 41 points, for both.
    for (const path of [precisionPath, boundPath]) {
      expect(path.match(/M/g)).toHaveLength(1);
      expect(path.split(/[ML]/).filter(Boolean)).toHaveLength(41);
    }
  });
});
