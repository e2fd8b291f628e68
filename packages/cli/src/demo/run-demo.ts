// Plays the demo script through a real deja (memory or Redis store): each step is one
// `tenant.responses.wrap` call around the mock model, exactly as an app would make it.
import type { Deja } from '@deja/core';
import type { MockJudge } from './mock-judge.js';
import type { ChatRequest, ChatResult, MockChatModel } from './mock-model.js';
import { DEMO_PRICES, DEMO_STEPS, DEMO_SYSTEM_PROMPT, type DemoStep, type HitKind } from './script.js';

export interface DemoCall {
  index: number;
  step: DemoStep;
  hit: HitKind;
  /** Of the entry that answered (1 for exact hits). */
  similarity?: number;
  /** For misses: the closest other entry in the same tenant and scope, if any. */
  nearest?: number;
  /** What the judge said of the best candidate, when it was asked (a semantic hit or a turned-down one). */
  verdict?: 'same' | 'different';
  elapsedMs: number;
  /** What the model call takes for this question: the time a hit avoids. */
  modelLatencyMs: number;
  tokensSaved: number;
  costSaved: number;
  /** What a miss paid the model, plus what the judge's verdicts of this call cost. */
  costSpent: number;
}

export interface RunDemoOptions {
  deja: Deja;
  model: MockChatModel;
  /** The deja's verifier, to tell which calls it judged and what that cost. */
  judge?: MockJudge;
  steps?: readonly DemoStep[];
  onCall?: (call: DemoCall) => void;
}

export async function runDemo(options: RunDemoOptions): Promise<DemoCall[]> {
  const calls: DemoCall[] = [];
  for (const [index, step] of (options.steps ?? DEMO_STEPS).entries()) {
    const tenant = options.deja.tenant(step.tenant);
    const chat: ChatRequest = { model: step.model, system: DEMO_SYSTEM_PROMPT, question: step.question };
    const request = {
      key: {
        model: step.model,
        system: DEMO_SYSTEM_PROMPT,
        messages: [{ role: 'user', content: step.question }],
      },
      semanticText: step.question,
      // A semantic match needs everything but the question to be the same.
      scope: { model: step.model, system: DEMO_SYSTEM_PROMPT },
    };
    const judged = options.judge?.usage();
    const started = performance.now();
    const result = await tenant.responses.wrap<ChatResult>(request, () => options.model.generate(chat), {
      describe: (answer) => ({ model: answer.model, usage: answer.usage }),
      // The next step may ask a rewording of this one: its entry must be there (apps keep the
      // default, writing behind the answer).
      awaitWrite: true,
    });
    const elapsedMs = performance.now() - started;
    const judge = options.judge && judged ? options.judge.usage(judged) : undefined;
    // For the printout of a miss (not timed): how close the nearest other entry was.
    const nearest =
      result.hit === 'miss'
        ? (await tenant.knn(step.question, { k: 2, scope: request.scope })).find(
            (match) => match.id !== result.key,
          )
        : undefined;
    const usage =
      result.hit === 'miss' ? result.value.usage : (result.meta.usage ?? { inputTokens: 0, outputTokens: 0 });
    const cost = costOf(step.model, usage);
    const verdict =
      judge && judge.calls > 0
        ? result.hit === 'semantic'
          ? ('same' as const)
          : result.hit === 'miss' && result.reason === 'verifier-rejected'
            ? ('different' as const)
            : undefined
        : undefined;
    const call: DemoCall = {
      index: index + 1,
      step,
      hit: result.hit,
      similarity: result.hit === 'miss' ? undefined : result.similarity,
      // A candidate the judge turned down is the nearest entry; otherwise ask the index.
      nearest: result.hit !== 'miss' ? undefined : verdict ? result.similarity : nearest?.similarity,
      verdict,
      elapsedMs,
      modelLatencyMs: options.model.latencyMs(chat),
      tokensSaved: result.hit === 'miss' ? 0 : usage.inputTokens + usage.outputTokens,
      costSaved: result.hit === 'miss' ? 0 : cost,
      costSpent: (result.hit === 'miss' ? cost : 0) + (judge ? costOf(judge.modelId, judge) : 0),
    };
    calls.push(call);
    options.onCall?.(call);
  }
  return calls;
}

export function costOf(model: string, usage: { inputTokens: number; outputTokens: number }): number {
  const price = DEMO_PRICES[model];
  return price ? (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000 : 0;
}
