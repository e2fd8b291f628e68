// What DejaCache stores: LangChain's own StoredGeneration form (serializeGeneration, i.e.
// message.toDict()), plus generationInfo, which that form leaves out.
import { deserializeStoredGeneration, serializeGeneration } from '@langchain/core/caches';
import type { AIMessage, BaseMessage, StoredGeneration } from '@langchain/core/messages';
import type { Generation } from '@langchain/core/outputs';
import { z } from 'zod';

const storedGenerationSchema = z.object({
  text: z.string(),
  message: z.object({ type: z.string(), data: z.record(z.string(), z.unknown()) }).optional(),
  generationInfo: z.record(z.string(), z.unknown()).optional(),
});

const storedGenerationsSchema = z.object({ generations: z.array(storedGenerationSchema).min(1) });

export interface StoredGenerations {
  generations: (StoredGeneration & { generationInfo?: Record<string, unknown> })[];
}

export function storeGenerations(generations: Generation[]): StoredGenerations {
  return {
    generations: generations.map((generation) => {
      const stored: StoredGenerations['generations'][number] = serializeGeneration(generation);
      if (generation.generationInfo !== undefined) stored.generationInfo = generation.generationInfo;
      return stored;
    }),
  };
}

/** Fresh objects every call (LangChain mutates what a cache returns); undefined when the value is not ours. */
export function reviveGenerations(value: unknown): Generation[] | undefined {
  const parsed = storedGenerationsSchema.safeParse(value);
  if (!parsed.success) return undefined;
  try {
    return parsed.data.generations.map(({ generationInfo, ...stored }) => {
      const generation: Generation = deserializeStoredGeneration(stored as StoredGeneration);
      if (generationInfo !== undefined) generation.generationInfo = generationInfo;
      return generation;
    });
  } catch {
    // deserializeStoredGeneration throws on a message type or shape it does not know.
    return undefined;
  }
}

/**
 * A hit's metadata (kind, similarity, age; for semantic hits `reference`, for reportWrongHit) in a
 * chat answer's `response_metadata.deja`, and in each generation's info (completion models).
 */
export function markHit(generations: Generation[], deja: Record<string, unknown>): Generation[] {
  for (const generation of generations) {
    generation.generationInfo = { ...generation.generationInfo, deja };
    const message = (generation as { message?: BaseMessage }).message;
    if (message) message.response_metadata = { ...message.response_metadata, deja };
  }
  return generations;
}

/** Token counts the provider reported for these generations, for deja's cost-saved figure. */
export function usageOf(
  generations: Generation[],
): { inputTokens: number; outputTokens: number } | undefined {
  let inputTokens = 0;
  let outputTokens = 0;
  let found = false;
  for (const generation of generations) {
    const usage = (generation as { message?: Partial<AIMessage> }).message?.usage_metadata;
    if (!usage) continue;
    found = true;
    // Several generations of one prompt share its input.
    inputTokens = Math.max(inputTokens, usage.input_tokens ?? 0);
    outputTokens += usage.output_tokens ?? 0;
  }
  return found ? { inputTokens, outputTokens } : undefined;
}
