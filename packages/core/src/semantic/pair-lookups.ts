// Labelled lookups from a set of paraphrase pairs and their vectors (the dev set,
// data/paraphrase-pairs.json + data/paraphrase-minilm-384.f32), for the simulation of the error
// bound in the tests and the bench. Every origin is "cached"; every similar is a query:
// - positive lookup: its nearest origin over all origins (plain cosine on L2-normalised rows);
//   right when that origin's text is its own origin's text (the set repeats some origins);
// - negative lookup: its nearest origin among those with another text, i.e. the same question
//   asked when its answer is not cached; any hit there is wrong. These are the look-alike
//   negatives a real cache meets every time a new question resembles an old one.
import type { LabelledLookup } from './bound-simulation.js';

export interface PairVectors {
  origins: readonly string[];
  /** Rows 0..n-1 the origins, rows n..2n-1 the similars, L2-normalised, `dimensions` floats each. */
  vectors: Float32Array;
  dimensions: number;
}

function dot(vectors: Float32Array, a: number, b: number, dimensions: number): number {
  let sum = 0;
  const offsetA = a * dimensions;
  const offsetB = b * dimensions;
  for (let k = 0; k < dimensions; k++)
    sum += (vectors[offsetA + k] as number) * (vectors[offsetB + k] as number);
  return sum;
}

export function pairLookups(data: PairVectors): { positive: LabelledLookup[]; negative: LabelledLookup[] } {
  const count = data.origins.length;
  if (data.vectors.length !== 2 * count * data.dimensions)
    throw new Error(
      `expected ${2 * count} rows of ${data.dimensions} floats, got ${data.vectors.length} floats`,
    );
  const positive: LabelledLookup[] = [];
  const negative: LabelledLookup[] = [];
  for (let i = 0; i < count; i++) {
    let best = Number.NEGATIVE_INFINITY;
    let bestRight = false;
    let bestOther = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < count; j++) {
      const similarity = dot(data.vectors, count + i, j, data.dimensions);
      const sameText = data.origins[j] === data.origins[i];
      if (similarity > best) {
        best = similarity;
        bestRight = sameText;
      }
      if (!sameText && similarity > bestOther) bestOther = similarity;
    }
    positive.push({ similarity: best, right: bestRight });
    negative.push({ similarity: bestOther, right: false });
  }
  return { positive, negative };
}
