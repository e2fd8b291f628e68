// A chat call through withDeja -> deja's request. The key: the model's llmKey (identifying params
// and call options, as LangChain's own caches key them) and every message as LangChain serialises
// it, minus what differs between two identical requests: message ids (LangGraph gives each
// message a fresh one) and the response and usage metadata of earlier AI turns. Unlike the
// BaseCache path, the messages are whole, so images and tool calls key the request exactly.
// The semantic text: the text of the last message when it is a human one; the scope: the same
// key with only that text taken out (its images and files stay, so "what is in this picture?"
// about another picture is a miss).
import type { ResponseRequest } from '@deja/core';
import type { BaseMessage } from '@langchain/core/messages';
import { parseLlmKey } from './llm-key.js';

/** Bumped whenever the key material changes shape, so entries of an older layout are never read. */
const KEY_VERSION = 1;

/** Call options that reach `_generate` but say nothing about the answer. */
const VOLATILE_CALL_OPTIONS = ['signal', 'promptIndex', 'deja', 'timeout'] as const;

/** streamEvents' own options, which LangChain passes on to the model as call options. */
const STREAM_EVENTS_VERSIONS = new Set(['v1', 'v2']);

export function withoutVolatileOptions<T extends object>(options: T): T {
  const kept = { ...options } as Record<string, unknown>;
  for (const name of VOLATILE_CALL_OPTIONS) delete kept[name];
  if (STREAM_EVENTS_VERSIONS.has(kept.version as string)) delete kept.version;
  if (kept.encoding === 'text/event-stream') delete kept.encoding;
  return kept as T;
}

type KeyedMessage = { type: string; data: Record<string, unknown> };

function keyedMessage(message: BaseMessage): KeyedMessage {
  const { type, data } = message.toDict() as unknown as { type: string; data: Record<string, unknown> };
  const { id: _id, response_metadata: _response, usage_metadata: _usage, ...rest } = data;
  return { type, data: rest };
}

const SEMANTIC_SLOT = { semanticSlot: true } as const;

/** The text of a message's content, and the content with that text taken out. */
function splitText(content: unknown): { text: string; rest: unknown } {
  if (typeof content === 'string') return { text: content, rest: SEMANTIC_SLOT };
  if (!Array.isArray(content)) return { text: '', rest: content };
  const texts: string[] = [];
  const rest = content.map((block) => {
    if (block?.type !== 'text' || typeof block.text !== 'string') return block;
    const { text, ...others } = block as { text: string };
    texts.push(text);
    return { ...others, ...SEMANTIC_SLOT };
  });
  return { text: texts.join('\n'), rest };
}

export function chatRequest(messages: readonly BaseMessage[], llmKey: string): ResponseRequest {
  const normalized = parseLlmKey(llmKey).normalized;
  const keyed = messages.map(keyedMessage);
  const key = { v: KEY_VERSION, llmKey: normalized, messages: keyed };
  const last = keyed.at(-1);
  if (last?.type !== 'human') return { key };
  const { text, rest } = splitText(last.data.content);
  if (text.trim().length === 0) return { key };
  const scopeLast = { ...last, data: { ...last.data, content: rest } };
  return {
    key,
    semanticText: text,
    scope: { v: KEY_VERSION, llmKey: normalized, messages: [...keyed.slice(0, -1), scopeLast] },
  };
}
