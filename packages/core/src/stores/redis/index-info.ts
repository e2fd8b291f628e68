// Reads FT.INFO and tells how an existing index differs from the one this process needs: the
// fields of the entry schema with their attributes, the prefix, and the vector's parameters.
import type { IndexSpec } from './create-index.js';
import { ENTRY_SCHEMA, type EntryField } from './entry-schema.js';

export interface IndexDescription {
  prefixes: string[];
  /** Indexed field name -> its attribute (TEXT, TAG, NUMERIC, VECTOR). */
  fields: Record<string, string>;
  vector?: { algorithm: string; type: string; dimensions: number; metric: string };
  documents: number;
  indexing: boolean;
}

/** FT.INFO reply (RESP2 flat key/value arrays or RESP3 maps) -> the parts deja checks. */
export function parseIndexInfo(reply: unknown): IndexDescription {
  const info = pairs(reply);
  const definition = pairs(info.index_definition);
  const prefixes = Array.isArray(definition.prefixes) ? definition.prefixes.map(String) : [];
  const attributes = Array.isArray(info.attributes) ? info.attributes.map(pairs) : [];
  const vectorField = attributes.find((attribute) => String(attribute.type).toUpperCase() === 'VECTOR');
  const upper = (value: unknown) => String(value ?? '').toUpperCase();
  const fields = Object.fromEntries(
    attributes.map((attribute) => [
      String(attribute.identifier ?? attribute.attribute),
      upper(attribute.type),
    ]),
  );
  return {
    prefixes,
    fields,
    vector: vectorField && {
      algorithm: upper(vectorField.algorithm),
      type: upper(vectorField.data_type),
      dimensions: Number(vectorField.dim),
      metric: upper(vectorField.distance_metric),
    },
    documents: Number(info.num_docs ?? 0),
    indexing: Number(info.indexing ?? 0) === 1,
  };
}

/** Human-readable differences; empty when the index is the one `spec` would create. */
export function indexDifferences(actual: IndexDescription, spec: IndexSpec): string[] {
  const differences: string[] = [];
  if (actual.prefixes.length !== 1 || actual.prefixes[0] !== spec.prefix) {
    differences.push(`prefix is ${JSON.stringify(actual.prefixes)}, expected ["${spec.prefix}"]`);
  }
  for (const [name, field] of Object.entries(ENTRY_SCHEMA) as [EntryField, { attribute: string }][]) {
    if (field.attribute === 'NONE') continue;
    if (actual.fields[name] !== field.attribute)
      differences.push(`field ${name} is ${actual.fields[name] ?? 'missing'}, expected ${field.attribute}`);
  }
  if (!actual.vector) return [...differences, 'it has no vector field'];
  const expected = {
    algorithm: spec.algorithm,
    type: 'FLOAT32',
    dimensions: spec.dimensions,
    metric: 'COSINE',
  };
  for (const name of ['dimensions', 'metric', 'type', 'algorithm'] as const) {
    if (actual.vector[name] !== expected[name]) {
      differences.push(`vector ${name} is ${actual.vector[name]}, expected ${expected[name]}`);
    }
  }
  return differences;
}

function pairs(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (value instanceof Map) return Object.fromEntries(value);
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    return value as Record<string, unknown>;
  if (!Array.isArray(value)) return out;
  for (let i = 0; i + 1 < value.length; i += 2) out[String(value[i])] = value[i + 1];
  return out;
}
