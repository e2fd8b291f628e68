// The scripted chat of `deja demo`. Each step says what deja should do and why; a unit test
// checks every expectation against the real caches, so the demo never claims what it does not do.
// The questions are chosen for the LEXICAL embedder at DEMO_MIN_SIMILARITY: rewordings that share
// most letters hit; different questions with similar words stay below the threshold.
import type { PriceTable } from '@deja/core';

export type HitKind = 'exact' | 'semantic' | 'miss';

export interface DemoStep {
  tenant: string;
  model: string;
  question: string;
  expected: HitKind;
  /** Shown beside the result (DEMO_WHY_LEGEND explains the terse ones). */
  why: string;
}

/**
 * Candidates start here. Low on purpose: near misses ("reset my username") become candidates and
 * the judge (mock-judge.ts) turns them down, which is what deja's default rule is for.
 */
export const DEMO_MIN_SIMILARITY = 0.6;

/** Questions of the script that ask the same thing: what the demo's judge knows. */
export const DEMO_SAME_MEANING: readonly (readonly string[])[] = [
  ['How do I reset my password?', 'How can I reset my password?', 'I forgot my login, what now?'],
  ['Do you ship to Canada?', 'Can you ship to Canada?'],
];

export const DEMO_MODELS = { small: 'mock-mini', large: 'mock-max' } as const;

/** EXAMPLE prices (USD per 1M tokens), for illustration only; deja's `prices` option. */
export const DEMO_PRICES: PriceTable = {
  [DEMO_MODELS.small]: { input: 0.5, output: 2 },
  [DEMO_MODELS.large]: { input: 5, output: 15 },
};

export const DEMO_SYSTEM_PROMPT =
  'You are the support assistant of a software-as-a-service company. Answer in two or three short, ' +
  'friendly sentences. Use only the policies below; if a question is not covered, say that a person ' +
  'from the support team will follow up by email within one business day. Policies: passwords are ' +
  'reset from the sign-in page with the "Forgot password?" link, which sends a link valid for one ' +
  'hour; usernames cannot be changed, but display names can be edited under Settings > Profile; we ' +
  'ship hardware to the United States and Canada only, with free shipping on orders over $50; ' +
  'subscriptions can be cancelled at any time under Settings > Billing and stay active until the end ' +
  'of the paid period. Never ask for a password or a full card number.';

const { small, large } = DEMO_MODELS;

export const DEMO_STEPS: readonly DemoStep[] = [
  {
    tenant: 'acme',
    model: small,
    question: 'How do I reset my password?',
    expected: 'miss',
    why: 'first ask',
  },
  {
    tenant: 'acme',
    model: small,
    question: 'How do I reset my password?',
    expected: 'exact',
    why: 'asked again',
  },
  {
    tenant: 'acme',
    model: small,
    question: 'How can I reset my password?',
    expected: 'semantic',
    why: 'reworded',
  },
  {
    tenant: 'acme',
    model: small,
    question: 'How do I reset my username?',
    expected: 'miss',
    why: 'other question',
  },
  { tenant: 'acme', model: small, question: 'Do you ship to Canada?', expected: 'miss', why: 'first ask' },
  {
    tenant: 'acme',
    model: small,
    question: 'Can you ship to Canada?',
    expected: 'semantic',
    why: 'reworded',
  },
  {
    tenant: 'acme',
    model: small,
    question: 'Do you ship to Mexico?',
    expected: 'miss',
    why: 'other question',
  },
  {
    tenant: 'acme',
    model: small,
    question: 'I forgot my login, what now?',
    expected: 'miss',
    why: 'other words*',
  },
  {
    tenant: 'globex',
    model: small,
    question: 'How do I reset my password?',
    expected: 'miss',
    why: 'other tenant',
  },
  {
    tenant: 'globex',
    model: small,
    question: 'How can I reset my password?',
    expected: 'semantic',
    why: 'reworded',
  },
  {
    tenant: 'acme',
    model: large,
    question: 'How do I reset my password?',
    expected: 'miss',
    why: 'other model',
  },
  {
    tenant: 'acme',
    model: large,
    question: 'How do I reset my password?',
    expected: 'exact',
    why: 'asked again',
  },
  { tenant: 'acme', model: small, question: 'Do you ship to Canada?', expected: 'exact', why: 'asked again' },
];

export const DEMO_WHY_LEGEND = [
  "other tenant, other model: never answered from another tenant's or another model's entries",
  'other words*: same meaning in other words; a semantic embedding model would match, LEXICAL cannot',
] as const;

/** What the mock model knows: the first topic whose words all appear in the question answers it. */
export const DEMO_ANSWERS: readonly { words: string[]; answer: string }[] = [
  {
    words: ['password'],
    answer:
      'Go to the sign-in page and click "Forgot password?". We will email you a reset link that stays valid for one hour; ' +
      'open it, choose a new password, and you are signed in again.',
  },
  {
    words: ['username'],
    answer:
      'Usernames cannot be changed, but you can edit your display name at any time under Settings > Profile.',
  },
  {
    words: ['login'],
    answer:
      'No problem: use the "Forgot password?" link on the sign-in page and we will email you a reset link.',
  },
  {
    words: ['canada'],
    answer: 'Yes, we ship to Canada as well as the United States, and shipping is free on orders over $50.',
  },
  {
    words: ['ship'],
    answer:
      'We currently ship to the United States and Canada only. A person from our team can suggest options for other countries.',
  },
];
