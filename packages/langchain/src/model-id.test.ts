import { FakeEmbeddings } from '@langchain/core/utils/testing';
import { describe, expect, it } from 'vitest';
import { modelIdOf, positiveIntegerField } from './model-id.js';

class OpenAIEmbeddings extends FakeEmbeddings {
  model = 'text-embedding-3-small';
  dimensions?: number;
}
class OllamaEmbeddings extends FakeEmbeddings {
  modelName = 'nomic {embed} text';
}

describe('modelIdOf', () => {
  it('names the class and its model field, and the dimensions when set', () => {
    expect(modelIdOf(new OpenAIEmbeddings())).toBe('OpenAIEmbeddings:text-embedding-3-small');
    const shortened = new OpenAIEmbeddings();
    shortened.dimensions = 256;
    expect(modelIdOf(shortened)).toBe('OpenAIEmbeddings:text-embedding-3-small:256');
  });

  it('reads modelName and keeps its spelling (deja escapes the id in keys)', () => {
    expect(modelIdOf(new OllamaEmbeddings())).toBe('OllamaEmbeddings:nomic {embed} text');
  });

  it('gives up when nothing names the model', () => {
    expect(modelIdOf(new FakeEmbeddings())).toBeUndefined();
    expect(modelIdOf({ model: 'x' })).toBeUndefined();
    expect(modelIdOf(Object.assign(new FakeEmbeddings(), { model: '' }))).toBeUndefined();
  });
});

describe('positiveIntegerField', () => {
  it('accepts positive whole numbers only', () => {
    expect(positiveIntegerField({ batchSize: 512 }, 'batchSize')).toBe(512);
    for (const value of [0, -1, 1.5, '512', undefined, Number.NaN])
      expect(positiveIntegerField({ batchSize: value }, 'batchSize')).toBeUndefined();
  });
});
