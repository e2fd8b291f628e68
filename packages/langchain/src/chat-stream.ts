// The streamed side of withDeja: a hit replays its stored chunks; a miss relays the model's chunks
// as they come, records them, and is stored only when the stream ran to its end (a consumer that
// stops early, an abort or a model error leaves nothing behind). Either way the first chunk carries
// `response_metadata.deja` and the `deja` callback event is sent before it.
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { AIMessageChunk } from '@langchain/core/messages';
import { ChatGenerationChunk } from '@langchain/core/outputs';
import {
  DEJA_EVENT,
  type DejaChatHit,
  type DejaChatMetadata,
  markMessage,
  markOf,
  markReplay,
} from './chat-metadata.js';
import { reviveChunks, type StoredChat, type StoredChunk, storeChunk } from './stored-chat.js';

export async function emit(
  runManager: CallbackManagerForLLMRun | undefined,
  metadata: DejaChatMetadata,
): Promise<void> {
  await runManager?.handleCustomEvent(DEJA_EVENT, metadata);
}

export async function* replayChunks(
  stored: StoredChat,
  hit: DejaChatHit,
  runManager: CallbackManagerForLLMRun | undefined,
): AsyncGenerator<ChatGenerationChunk> {
  const chunks = reviveChunks(stored);
  markReplay(
    chunks.map((chunk) => chunk.message),
    hit,
  );
  await emit(runManager, markOf(chunks[0]?.message) ?? hit);
  for (const chunk of chunks) {
    // Streaming callbacks see a replay's tokens as they see a provider's.
    await runManager?.handleLLMNewToken(chunk.text, undefined, undefined, undefined, undefined, { chunk });
    yield chunk;
  }
}

/** A copy of the chunk with `response_metadata.deja` set; the model's own chunk stays as recorded. */
function markedCopy(chunk: ChatGenerationChunk, metadata: DejaChatMetadata): ChatGenerationChunk {
  const { message, generationInfo } = storeChunk(chunk);
  const copy = new AIMessageChunk({
    ...(message as ConstructorParameters<typeof AIMessageChunk>[0] & object),
    id: chunk.message.id,
  });
  markMessage(copy, metadata);
  return new ChatGenerationChunk({
    text: chunk.text,
    message: copy,
    ...(generationInfo ? { generationInfo } : {}),
  });
}

/** The model's chunks, the first marked; each recorded into `recorded` when given. */
export async function* relayChunks(
  source: AsyncIterable<ChatGenerationChunk>,
  metadata: DejaChatMetadata,
  runManager: CallbackManagerForLLMRun | undefined,
  recorded?: StoredChunk[],
): AsyncGenerator<ChatGenerationChunk> {
  await emit(runManager, metadata);
  let first = true;
  for await (const chunk of source) {
    recorded?.push(storeChunk(chunk));
    yield first ? markedCopy(chunk, metadata) : chunk;
    first = false;
  }
}

/** One generation of an invoke result as a single chunk (a model that cannot stream, streamed). */
export function chunkOf(generation: {
  text: string;
  message: AIMessageChunk | { toDict(): unknown; id?: string };
  generationInfo?: Record<string, unknown>;
}): ChatGenerationChunk {
  const { message, generationInfo } = storeChunk(generation as Parameters<typeof storeChunk>[0]);
  const chunk = new AIMessageChunk(message as ConstructorParameters<typeof AIMessageChunk>[0] & object);
  return new ChatGenerationChunk({
    text: generation.text,
    message: chunk,
    ...(generationInfo ? { generationInfo } : {}),
  });
}
