// The RAG app's own parts, offline: a handful of documents, a retriever that picks the best two by
// shared words, a mock chat model with a real API's latency and usage, and a mock judge for
// deja's verifier. Nothing here knows about deja.
import type { Verifier } from '@deja/core';

export const DOCUMENTS: Record<string, string> = {
  'doc:refunds': 'Refunds are accepted within 30 days of delivery; the money is back within 5 business days.',
  'doc:shipping': 'Orders ship within 2 business days; express delivery takes one day in the EU.',
  'doc:passwords': 'To reset a password open Settings, then Security, then Reset password.',
};

const words = (text: string) => new Set(text.toLowerCase().match(/[a-z]+/g) ?? []);

/** The ids of the two documents sharing the most words with the question. */
export function retrieve(question: string): string[] {
  const asked = words(question);
  const overlap = (id: string) =>
    [...words(DOCUMENTS[id] as string)].filter((word) => asked.has(word)).length;
  return Object.keys(DOCUMENTS)
    .sort((a, b) => overlap(b) - overlap(a))
    .slice(0, 2)
    .sort();
}

export interface ChatAnswer {
  text: string;
  usage: { inputTokens: number; outputTokens: number };
}

export const CHAT_MODEL = 'mock-chat-1';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A chat model answering from the retrieved context, at ~400 ms a call. */
export async function chat(question: string, context: string[]): Promise<ChatAnswer> {
  await sleep(400);
  const source = context.map((id) => DOCUMENTS[id]).find((text) => text && /\d/.test(text)) ?? '';
  const text = `${source.split(';')[0]}. (answer to: ${question})`;
  return { text, usage: { inputTokens: 60 + question.length, outputTokens: text.split(' ').length } };
}

/**
 * The verifier's judging model: says two questions ask the same when they are about the same
 * topic word and neither asks "express". A real app passes aiSdkVerifier(model) from @deja/ai-sdk.
 */
export const judge: Verifier = {
  modelId: 'mock-judge-1',
  async verify({ query, candidate }) {
    await sleep(150);
    const topic = (text: string) => /refund|ship|password/i.exec(text)?.[0].toLowerCase();
    const same =
      topic(query) === topic(candidate.text) && /express/i.test(query) === /express/i.test(candidate.text);
    return { verdict: same ? 'same' : 'different', inputTokens: 80, outputTokens: 1 };
  },
};
