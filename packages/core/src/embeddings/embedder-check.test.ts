import { describe, expect, it } from 'vitest';
import { DejaConfigError } from '../errors.js';
import { checkEmbedder, embedderProblem } from './embedder-check.js';

const embed = async (texts: string[]) => texts.map(() => [1, 0]);

describe('embedderProblem', () => {
  it('accepts an embedder with or without a dimension and a limit, a promised limit too', () => {
    expect(embedderProblem({ modelId: 'm', embed })).toBeUndefined();
    expect(embedderProblem({ modelId: 'a {b}: c', dimensions: 2, maxBatchSize: 8, embed })).toBeUndefined();
    expect(embedderProblem({ modelId: 'm', maxBatchSize: Promise.resolve(8), embed })).toBeUndefined();
  });

  it.each([
    [null, 'embedder must be an object'],
    [{ modelId: 'm' }, 'embedder.embed(texts) must be a function'],
    [{ embed }, 'embedder.modelId must be a string of 1 to 1024 characters'],
    [{ modelId: '', embed }, 'embedder.modelId must be a string'],
    [{ modelId: 'x'.repeat(1_025), embed }, 'embedder.modelId must be a string'],
    [{ modelId: 'bad\ud800', embed }, 'embedder.modelId must be well-formed Unicode'],
    [{ modelId: 'm', dimensions: 0, embed }, 'embedder.dimensions must be a positive whole number'],
    [{ modelId: 'm', dimensions: 1.5, embed }, 'embedder.dimensions must be a positive whole number'],
    [{ modelId: 'm', maxBatchSize: 0, embed }, 'embedder.maxBatchSize must be a positive number'],
    [{ modelId: 'm', maxBatchSize: '8', embed }, 'embedder.maxBatchSize must be a positive number'],
  ])('names what is wrong with %j', (value, message) => {
    expect(embedderProblem(value)).toContain(message);
    expect(() => checkEmbedder(value, 'cachedEmbedder')).toThrow(DejaConfigError);
    expect(() => checkEmbedder(value, 'cachedEmbedder')).toThrow(`cachedEmbedder: ${message}`);
  });
});
