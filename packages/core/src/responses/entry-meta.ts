// The metadata stored beside an answer: model, usage (the provider's, or an estimate when it gave
// none, so a hit can still say what it saved) and the caller's custom fields.
import type { EntryMeta } from '../entry-codec.js';
import { canonicalJson } from '../keys/canonical.js';
import { countTokens } from '../tokens.js';

export interface MetaInput {
  model?: string;
  usage?: { inputTokens?: number; outputTokens?: number };
  custom?: Record<string, unknown>;
}

/** The metadata of an entry and the labels of its tags (kept for listings). */
export function withTagLabels(meta: EntryMeta, labels: string[] | undefined): EntryMeta {
  return labels ? { ...meta, tags: labels } : meta;
}

/** `questionText`: what was asked, as text; `answerText`: the answer, as text (for the estimate). */
export function entryMeta(input: MetaInput, questionText: () => string, answerText: string): EntryMeta {
  const meta: EntryMeta = {};
  if (input.model !== undefined) meta.model = input.model;
  if (input.custom !== undefined) meta.custom = input.custom;
  const { inputTokens, outputTokens } = input.usage ?? {};
  if (Number.isFinite(inputTokens) && Number.isFinite(outputTokens)) {
    meta.usage = { inputTokens: inputTokens as number, outputTokens: outputTokens as number };
  } else {
    meta.usage = { inputTokens: countTokens(questionText()), outputTokens: countTokens(answerText) };
    meta.usageEstimated = true;
  }
  return meta;
}

/** The question as text: the semantic text when there is one, else the canonical key. */
export function questionTextOf(request: { key: unknown; semanticText?: string }): string {
  return request.semanticText ?? canonicalJson(request.key);
}
