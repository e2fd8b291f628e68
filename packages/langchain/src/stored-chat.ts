// What withDeja stores: the answer as chunks, each its message's own serialised fields (toDict,
// which LangChain revives with the message constructor), its text and generation info. A streamed
// answer keeps every chunk, so a replay streams the same chunks in the same order; an invoked
// answer is one chunk. Either serves both: chunks joined for invoke, one chunk streamed. Message
// ids are left out: a replay is a new message (LangGraph replaces a message whose id it knows).
import { AIMessage, AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import { z } from 'zod';

export interface StoredChunk {
  text: string;
  message: Record<string, unknown>;
  generationInfo?: Record<string, unknown>;
}

export interface StoredChat {
  chunks: StoredChunk[];
}

function messageFields(message: BaseMessage): Record<string, unknown> {
  const { id: _id, ...fields } = (message.toDict() as unknown as { data: Record<string, unknown> }).data;
  return { ...fields };
}

export function storeChunk(chunk: {
  text: string;
  message: BaseMessage;
  generationInfo?: object;
}): StoredChunk {
  const stored: StoredChunk = { text: chunk.text, message: messageFields(chunk.message) };
  if (chunk.generationInfo !== undefined) stored.generationInfo = { ...chunk.generationInfo };
  return stored;
}

/** One generation of an invoke as the stored form; undefined when it is not one AI message. */
export function storeResult(result: ChatResult): StoredChat | undefined {
  const [generation, ...others] = result.generations;
  // n > 1 (several answers to one prompt) is returned to its caller but not replayed.
  if (!generation || others.length > 0 || generation.message.getType() !== 'ai') return undefined;
  return { chunks: [storeChunk(generation)] };
}

export function reviveChunks(stored: StoredChat): ChatGenerationChunk[] {
  return stored.chunks.map(
    (chunk) =>
      new ChatGenerationChunk({
        text: chunk.text,
        message: new AIMessageChunk(
          structuredClone(chunk.message) as ConstructorParameters<typeof AIMessageChunk>[0],
        ),
        ...(chunk.generationInfo ? { generationInfo: structuredClone(chunk.generationInfo) } : {}),
      }),
  );
}

/** The stored answer as an invoke result: its chunks joined into one AI message. */
export function reviveResult(stored: StoredChat): ChatResult {
  const chunks = reviveChunks(stored);
  let joined = chunks[0] as ChatGenerationChunk;
  for (const chunk of chunks.slice(1)) joined = joined.concat(chunk);
  const { tool_call_chunks: _chunks, ...fields } = messageFields(joined.message);
  const message = new AIMessage(fields as ConstructorParameters<typeof AIMessage>[0]);
  return {
    generations: [
      {
        text: joined.text,
        message,
        ...(joined.generationInfo ? { generationInfo: joined.generationInfo } : {}),
      },
    ],
  };
}

const storedChatSchema = z.object({
  chunks: z
    .array(
      z.object({
        text: z.string(),
        message: z.looseObject({ content: z.union([z.string(), z.array(z.unknown())]) }),
        generationInfo: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .min(1),
});

/** A cached value this adapter wrote (another writer's or a tampered one is not replayed). */
export function isStoredChat(value: unknown): value is StoredChat {
  if (!storedChatSchema.safeParse(value).success) return false;
  try {
    reviveChunks(value as StoredChat);
    return true;
  } catch {
    // The message constructor refused the fields.
    return false;
  }
}
