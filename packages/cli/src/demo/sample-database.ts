// `deja demo --sqlite FILE`: a small support FAQ as a SQLite database, so a new user can try
// `deja warm` and `deja search` without a database of their own.
import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { DejaUsageError } from '../errors.js';

export const SAMPLE_TABLE = 'faq';

/** [question, answer, topic]: short enough to read in a terminal, close enough to search. */
export const SAMPLE_ROWS: readonly (readonly [string, string, string])[] = [
  [
    'How do I reset my password?',
    'Use "Forgot password?" on the sign-in page; the link is valid for one hour.',
    'account',
  ],
  [
    'Can I change my username?',
    'Usernames cannot be changed; edit your display name under Settings > Profile.',
    'account',
  ],
  [
    'How do I turn on two-factor authentication?',
    'Settings > Security > Two-factor, then scan the code with an authenticator app.',
    'account',
  ],
  [
    'How do I delete my account?',
    'Settings > Account > Delete account; data is erased within 30 days.',
    'account',
  ],
  ['Why was I signed out?', 'Sessions end after 30 days, or at once when your password changes.', 'account'],
  [
    'How do I change my email address?',
    'Settings > Profile > Email; we send a confirmation link to the new address.',
    'account',
  ],
  ['Do you ship to Canada?', 'Yes: we ship hardware to the United States and Canada.', 'shipping'],
  ['Do you ship to Mexico?', 'Not yet: we ship to the United States and Canada only.', 'shipping'],
  ['How much does shipping cost?', 'Shipping is free on orders over $50, otherwise $7.', 'shipping'],
  [
    'How long does delivery take?',
    'Three to five business days in the United States, five to eight in Canada.',
    'shipping',
  ],
  [
    'How do I track my order?',
    'The shipping email has a tracking link; it also shows under Orders.',
    'shipping',
  ],
  [
    'Can I change my delivery address?',
    'Until the order ships: Orders > the order > Change address.',
    'shipping',
  ],
  [
    'How do I cancel my subscription?',
    'Settings > Billing > Cancel; it stays active until the end of the paid period.',
    'billing',
  ],
  ['Can I get a refund?', 'Within 14 days of purchase, from Orders > Request a refund.', 'billing'],
  ['Which payment methods do you accept?', 'Visa, Mastercard, American Express and PayPal.', 'billing'],
  ['How do I update my credit card?', 'Settings > Billing > Payment method > Replace card.', 'billing'],
  ['Where can I download my invoices?', 'Settings > Billing > Invoices, as PDF.', 'billing'],
  [
    'Do you offer a discount for nonprofits?',
    'Yes, 30 % off: write to support with proof of status.',
    'billing',
  ],
  ['How do I upgrade my plan?', 'Settings > Billing > Change plan; the difference is prorated.', 'billing'],
  ['How do I invite a teammate?', 'Settings > Team > Invite, then enter their email address.', 'team'],
  ['How do I remove someone from my team?', 'Settings > Team, then Remove next to their name.', 'team'],
  [
    'Can I have more than one admin?',
    'Yes: any admin can make another member an admin under Settings > Team.',
    'team',
  ],
  ['Is my data encrypted?', 'Yes, in transit (TLS 1.2+) and at rest (AES-256).', 'security'],
  [
    'Where is my data stored?',
    'In data centres in the United States; EU hosting is on the Enterprise plan.',
    'security',
  ],
  ['How do I export my data?', 'Settings > Account > Export; you get a ZIP file by email.', 'security'],
  ['Do you have an API?', 'Yes: create a key under Settings > API and see the developer docs.', 'developers'],
  [
    'What are the API rate limits?',
    '600 requests a minute per key; the response headers show what is left.',
    'developers',
  ],
  [
    'How do I contact support?',
    'Write to support from the Help menu; we answer within one business day.',
    'support',
  ],
  ['What are your support hours?', 'Monday to Friday, 8:00 to 18:00 Eastern time.', 'support'],
  ['Is there a mobile app?', 'Yes, for iOS and Android: search for us in the app stores.', 'product'],
];

/** Writes the sample database; refuses to overwrite a file that exists. */
export function writeSampleDatabase(path: string): number {
  if (existsSync(path))
    throw new DejaUsageError(`demo: ${path} exists; pass a new file name for the sample database`);
  const database = new DatabaseSync(path);
  try {
    database.exec(
      `CREATE TABLE ${SAMPLE_TABLE} (id INTEGER PRIMARY KEY, question TEXT NOT NULL, answer TEXT NOT NULL, topic TEXT NOT NULL)`,
    );
    const insert = database.prepare(`INSERT INTO ${SAMPLE_TABLE} (question, answer, topic) VALUES (?, ?, ?)`);
    database.exec('BEGIN');
    for (const [question, answer, topic] of SAMPLE_ROWS) insert.run(question, answer, topic);
    database.exec('COMMIT');
  } finally {
    database.close();
  }
  return SAMPLE_ROWS.length;
}

/** What to run next, with the file name the user gave. */
export function sampleDatabaseNextSteps(file: string): string {
  const quoted = /^[\w./-]+$/.test(file) ? file : JSON.stringify(file);
  return [
    `wrote ${quoted}: table ${SAMPLE_TABLE} (id, question, answer, topic), ${SAMPLE_ROWS.length} rows of a support FAQ`,
    '',
    'Try (needs Redis: DEJA_REDIS_URL=redis://localhost:6379 or --redis URL):',
    `  deja warm --sqlite ${quoted} --table ${SAMPLE_TABLE} --id-column id --text-column question --tenant acme`,
    `  deja search --sqlite ${quoted} --table ${SAMPLE_TABLE} --id-column id --tenant acme --query "I lost my password"`,
    '',
  ].join('\n');
}
