import { countTokens } from '@deja/core';
import { describe, expect, it } from 'vitest';
import { mockChatModel } from './mock-model.js';
import { DEMO_STEPS, DEMO_SYSTEM_PROMPT } from './script.js';

describe('mockChatModel', () => {
  it('takes a fixed 400-900 ms per model and question, and waits that long', async () => {
    const waited: number[] = [];
    const model = mockChatModel(async (ms) => {
      waited.push(ms);
    });
    const latencies = DEMO_STEPS.map((step) =>
      model.latencyMs({ model: step.model, system: DEMO_SYSTEM_PROMPT, question: step.question }),
    );
    for (const latency of latencies) {
      expect(latency).toBeGreaterThanOrEqual(400);
      expect(latency).toBeLessThanOrEqual(900);
    }
    expect(new Set(latencies).size).toBeGreaterThan(3);
    const request = {
      model: 'mock-mini',
      system: DEMO_SYSTEM_PROMPT,
      question: 'How do I reset my password?',
    };
    await model.generate(request);
    expect(waited).toEqual([model.latencyMs(request)]);
    expect(model.calls).toBe(1);
  });

  it('answers from its topics and reports real token counts', async () => {
    const model = mockChatModel(async () => undefined);
    const result = await model.generate({
      model: 'mock-mini',
      system: DEMO_SYSTEM_PROMPT,
      question: 'Do you ship to Canada?',
    });
    expect(result.text).toContain('we ship to Canada');
    expect(result.usage).toEqual({
      inputTokens: countTokens(DEMO_SYSTEM_PROMPT) + countTokens('Do you ship to Canada?'),
      outputTokens: countTokens(result.text),
    });
    const larger = await model.generate({
      model: 'mock-max',
      system: DEMO_SYSTEM_PROMPT,
      question: 'Do you ship to Canada?',
    });
    expect(larger.usage.outputTokens).toBeGreaterThan(result.usage.outputTokens);
    const unknown = await model.generate({
      model: 'mock-mini',
      system: DEMO_SYSTEM_PROMPT,
      question: 'What is the meaning of life?',
    });
    expect(unknown.text).toContain('will follow up');
  });
});
