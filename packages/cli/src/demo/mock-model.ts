// The demo's stand-in for an LLM: canned answers, real token counts (tiktoken), and a
// deterministic 400-900 ms latency per question so every run prints the same story.
import { countTokens } from '@deja/core';
import { sha256 } from '@deja/core/adapter';
import { DEMO_ANSWERS } from './script.js';

export interface ChatRequest {
  model: string;
  system: string;
  question: string;
}

export interface ChatResult {
  text: string;
  model: string;
  usage: { inputTokens: number; outputTokens: number };
}

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface MockChatModel {
  /** What a call for this request takes, ms (400-900, fixed per model and question). */
  latencyMs(request: ChatRequest): number;
  generate(request: ChatRequest): Promise<ChatResult>;
  readonly calls: number;
}

export function mockChatModel(sleep: Sleep = realSleep): MockChatModel {
  let calls = 0;
  const latencyMs = (request: ChatRequest) =>
    400 + (Number.parseInt(sha256(`${request.model}\n${request.question}`).slice(0, 8), 16) % 501);
  return {
    latencyMs,
    get calls() {
      return calls;
    },
    async generate(request) {
      calls++;
      await sleep(latencyMs(request));
      const text = answerFor(request.question, request.model);
      return {
        text,
        model: request.model,
        usage: {
          inputTokens: countTokens(request.system) + countTokens(request.question),
          outputTokens: countTokens(text),
        },
      };
    },
  };
}

function answerFor(question: string, model: string): string {
  const words = question.toLowerCase();
  const known = DEMO_ANSWERS.find((topic) => topic.words.every((word) => words.includes(word)));
  const answer =
    known?.answer ??
    'Thanks for asking! A person from our support team will follow up by email within one business day.';
  // The larger model is wordier, as larger models tend to be.
  return model.endsWith('max') ? `${answer} Is there anything else I can help you with today?` : answer;
}
