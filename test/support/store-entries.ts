// Store entries built directly (below the caches), for tests that drive a Store themselves: a
// deterministic spread of unit vectors and an entry of given (tenant, scope, user, model).
import type { StoreEntry } from '@deja/core';
import { digest } from '@deja/core/adapter';

export const ENTRY_DIMENSIONS = 8;

/** A deterministic unit vector per seed (distinct seeds, distinct directions). */
export function vectorOf(seed: number): Float32Array {
  const values = Array.from(
    { length: ENTRY_DIMENSIONS },
    (_, j) => Math.sin(seed * 12.9898 + j * 78.233) + 1e-3,
  );
  const norm = Math.sqrt(values.reduce((sum, value) => sum + value * value, 0));
  return Float32Array.from(values, (value) => value / norm);
}

/** Entry `i` of these parts (digests), its vector vectorOf(i). */
export function entryOf(
  parts: { tenant: string; scope: string; user: string; model?: string },
  i: number,
): StoreEntry {
  return {
    ...parts,
    id: digest(`entry ${JSON.stringify(parts)} ${i}`),
    text: `text ${i}`,
    response: `response ${i}`,
    meta: '{}',
    createdAt: Date.now(),
    embedding: vectorOf(i),
  };
}
