// A stable name for the model behind a LangChain Embeddings, so two models never share vectors.

/**
 * `ClassName:model` (plus `:dimensions` when the embeddings has that field), from the `model` or
 * `modelName` field most LangChain embeddings carry; undefined when there is no such field, since
 * the class name alone cannot tell two configurations apart.
 */
export function modelIdOf(embeddings: object): string | undefined {
  const fields = embeddings as { model?: unknown; modelName?: unknown };
  const model = [fields.model, fields.modelName].find(
    (value) => typeof value === 'string' && value.length > 0,
  );
  const className = embeddings.constructor?.name;
  if (typeof model !== 'string' || !className || className === 'Object') return undefined;
  const dimensions = positiveIntegerField(embeddings, 'dimensions');
  const suffix = dimensions === undefined ? '' : `:${dimensions}`;
  // Any characters: deja escapes the id where it goes into a key.
  return `${className}:${model}${suffix}`;
}

/** A positive whole number found in a field of the embeddings (dimensions, batchSize). */
export function positiveIntegerField(embeddings: object, field: string): number | undefined {
  const value = (embeddings as Record<string, unknown>)[field];
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
