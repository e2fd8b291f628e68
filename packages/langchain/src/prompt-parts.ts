// Splits the prompt LangChain hands a cache into what deja compares by meaning and what must match
// exactly. A chat model's prompt is getBufferString(messages): one `Role: content` line per message.
import type { ModelKind } from './llm-key.js';

export interface PromptParts {
  /** Compared by meaning; undefined = exact lookups only. */
  semanticText: string | undefined;
  /** Everything before the semantic text (system prompt, earlier turns): part of the scope. */
  context: string;
}

const HUMAN_PREFIX = 'Human: ';
/** Prefixes getBufferString gives the messages that may follow a human turn. */
const LATER_MESSAGE = /\n(AI|System|Tool): /;
/**
 * Placeholders getBufferString writes for non-text content: two prompts with different images
 * read the same, so such a prompt does not identify its request.
 */
const CONTENT_PLACEHOLDER = /\[(image|audio|video|file|text-plain file)\]/;

/** True when LangChain flattened non-text content into a placeholder (the prompt is ambiguous). */
export function hasContentPlaceholder(prompt: string): boolean {
  return CONTENT_PLACEHOLDER.test(prompt);
}

/**
 * Chat prompts: the last human message is the semantic text when it is the last message;
 * anything else (an agent turn ending in a tool result, a human message that itself holds a line
 * like "AI: ...") is exact-only, which costs hits, never correctness. Completion prompts: the
 * whole prompt.
 */
export function splitPrompt(prompt: string, kind: ModelKind): PromptParts {
  if (kind !== 'chat') return { semanticText: prompt, context: '' };
  const start = lastHumanTurn(prompt);
  if (start === undefined) return { semanticText: undefined, context: prompt };
  const semanticText = prompt.slice(start + HUMAN_PREFIX.length);
  if (LATER_MESSAGE.test(semanticText)) return { semanticText: undefined, context: prompt };
  return { semanticText, context: prompt.slice(0, start) };
}

function lastHumanTurn(prompt: string): number | undefined {
  const index = prompt.lastIndexOf(`\n${HUMAN_PREFIX}`);
  if (index >= 0) return index + 1;
  return prompt.startsWith(HUMAN_PREFIX) ? 0 : undefined;
}
