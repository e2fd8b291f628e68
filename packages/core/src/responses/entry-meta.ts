// The metadata stored beside an answer: model, usage (the provider's, or an estimate when it gave
// none, so a hit can still say what it saved) and the caller's custom fields.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { EntryMeta } from '../entry-codec.js';
import { canonicalSample } from '../keys/canonical-async.js';
import { countTokens, estimateTokens, SCAN_LIMIT } from '../tokens.js';

/** An answer this long is estimated after a turn of the event loop. */
const LONG_ANSWER = 64 * 1024;

export interface MetaInput {
  model?: string;
  usage?: { inputTokens?: number; outputTokens?: number };
  custom?: Record<string, unknown>;
}

/** The metadata of an entry and the labels of its tags (kept for listings). */
export function withTagLabels(meta: EntryMeta, labels: string[] | undefined): EntryMeta {
  return labels ? { ...meta, tags: labels } : meta;
}

/**
 * `answerText`: the answer, as text (for the estimate). Each estimate reads at most SCAN_LIMIT
 * characters (a few ms); the loop is free between the question's and a long answer's.
 */
export async function entryMeta(
  input: MetaInput,
  request: QuestionRequest,
  answerText: string,
): Promise<EntryMeta> {
  const meta: EntryMeta = {};
  if (input.model !== undefined) meta.model = input.model;
  if (input.custom !== undefined) meta.custom = input.custom;
  const { inputTokens, outputTokens } = input.usage ?? {};
  if (Number.isFinite(inputTokens) && Number.isFinite(outputTokens)) {
    meta.usage = { inputTokens: inputTokens as number, outputTokens: outputTokens as number };
  } else {
    const questionTokens = await estimateQuestionTokens(request);
    // Two long texts are two stretches of work, not one; a short answer costs no turn of the loop
    // (a turn here would also hold the miss's flight open a little longer).
    if (answerText.length >= LONG_ANSWER) await yieldToLoop();
    meta.usage = { inputTokens: questionTokens, outputTokens: countTokens(answerText) };
    meta.usageEstimated = true;
  }
  return meta;
}

export interface QuestionRequest {
  key: unknown;
  semanticText?: string;
}

/**
 * Tokens of the question: its semantic text when there is one, else its canonical key, of which
 * only the head is written out (a key holding a 5 MB prompt is never built as one string).
 */
export async function estimateQuestionTokens(request: QuestionRequest): Promise<number> {
  if (request.semanticText !== undefined) return countTokens(request.semanticText);
  const { head, length } = await canonicalSample(request.key, SCAN_LIMIT);
  return estimateTokens(head, length);
}
