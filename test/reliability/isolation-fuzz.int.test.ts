// Tenant isolation fuzz on real Redis Stack: two generated identities (tenant id, user id) cache
// an answer to the same question in the same scope; each one's exact lookup, semantic lookup and
// KNN return only its own answers. Ids are arbitrary Unicode, RediSearch query syntax, whitespace,
// numbers, and case variants of each other: whatever they are, nothing crosses.
import { lexicalEmbedder } from '@deja/core';
import { digest } from '@deja/core/adapter';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeEachStore, REDIS_KINDS, useDeja } from '../support/deja-fixture.ts';

/** Generated identity pairs per backend: Redis Stack is what the issue asks for; plain Redis
 * (client-side KNN over key-scoped member sets) and Redis 8 (a vector set per place) get shorter runs. */
const RUNS = { 'redis-stack': 2_000, 'redis-plain': 500, 'redis-8': 500 } as const;
const SYNTAX = [
  '|',
  '*',
  '@',
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  '-',
  '~',
  '\\',
  '"',
  ':',
  ',',
  "'",
  '$',
  '%',
  '.',
];
const WHITESPACE = [' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '\u200b'];

const syntaxId = fc
  .array(fc.oneof(fc.constantFrom(...SYNTAX), fc.constantFrom(...WHITESPACE), fc.string({ maxLength: 3 })), {
    minLength: 1,
    maxLength: 12,
  })
  .map((parts) => parts.join(''))
  .filter((id) => id.length > 0);
const textId = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
  syntaxId,
  fc.constantFrom(...WHITESPACE),
  fc.constantFrom('acme', 'Acme', 'ACME', 'a', 'A', '0', '-1', '*', '@tenant:{x}', 'x|victim', 't}', '{t'),
);
const anyId = fc.oneof({ weight: 5, arbitrary: textId }, { weight: 1, arbitrary: fc.integer() });
const caseVariant = (id: string | number) =>
  fc
    .constantFrom(
      (text: string) => text.toUpperCase(),
      (text: string) => text.toLowerCase(),
      (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1).toLowerCase()}`,
      (text: string) => ` ${text}`,
      (text: string) => `${text} `,
      (text: string) => text.normalize('NFD'),
    )
    .map((change) => (typeof id === 'number' ? String(id) : change(id)));

interface Identity {
  tenant: string | number;
  user: string | number | undefined;
}
const identity = fc.record({ tenant: anyId, user: fc.option(anyId, { nil: undefined }) });
/** A pair: unrelated, same tenant and another user, or a case (or spacing) variant of the tenant. */
const identityPair = fc.oneof(
  fc.tuple(identity, identity),
  fc
    .tuple(identity, fc.option(anyId, { nil: undefined }))
    .map(([a, otherUser]): [Identity, Identity] => [a, { tenant: a.tenant, user: otherUser }]),
  identity.chain((a) =>
    caseVariant(a.tenant).map((variant): [Identity, Identity] => [a, { tenant: variant, user: a.user }]),
  ),
  identity.chain((a) =>
    caseVariant(a.user ?? 'user').map((variant): [Identity, Identity] => [
      a,
      { tenant: a.tenant, user: variant },
    ]),
  ),
);

/**
 * Who an answer belongs to, as deja sees ids: by their NFC string form (42 and '42' are one
 * tenant, and so are two Unicode spellings of one text).
 */
const idOf = (id: string | number) => digest(String(id).normalize('NFC'));
const owner = (who: Identity) => `${idOf(who.tenant)}/${who.user === undefined ? '-' : idOf(who.user)}`;

describeEachStore('tenant and user isolation fuzz', REDIS_KINDS, (kind) => {
  const fixture = useDeja(kind, { embedder: lexicalEmbedder({ dimensions: 32 }), statsFlushMs: 0 });

  it(`no answer ever crosses tenants or users (${RUNS[kind]} generated pairs)`, async () => {
    let run = 0;
    let checked = 0;
    /** Pairs that really pitted two owners against each other, by how they differ. */
    const contested = { otherTenant: 0, sameTenantOtherUser: 0 };
    await fc.assert(
      fc.asyncProperty(identityPair, async (pair) => {
        run++;
        const [first, second] = pair;
        if (owner(first) !== owner(second)) {
          if (idOf(first.tenant) === idOf(second.tenant)) contested.sameTenantOtherUser++;
          else contested.otherTenant++;
        }
        const question = {
          key: { run, q: 'shared' },
          semanticText: `what is the plan for quarter ${run}`,
          scope: run,
        };
        for (const who of pair) {
          const result = await fixture.deja
            .tenant(who.tenant)
            .responses.store(question, { owner: owner(who) }, { user: who.user });
          expect(result.stored).toBe(true);
        }
        for (const who of pair) {
          const tenant = fixture.deja.tenant(who.tenant);
          const exact = await tenant.responses.lookup(question, { user: who.user, mode: 'exact' });
          const semantic = await tenant.responses.lookup(
            { ...question, key: 'paraphrase' },
            { user: who.user },
          );
          const neighbours = await tenant.knn(question.semanticText, { k: 10, scope: run, user: who.user });
          // Its own answer is found (two equal identities share one entry)...
          expect(exact?.value).toEqual({ owner: owner(who) });
          expect(semantic).toMatchObject({ hit: 'semantic', value: { owner: owner(who) } });
          // ...and nothing of anybody else, ever.
          expect(neighbours.map((item) => item.value)).toEqual([{ owner: owner(who) }]);
          checked += 3;
        }
      }),
      { numRuns: RUNS[kind] },
    );
    console.info(
      `isolation fuzz (${kind}): ${run} generated identity pairs (${contested.otherTenant} across ` +
        `tenants, ${contested.sameTenantOtherUser} across users of one tenant), ${checked} lookups checked`,
    );
    // The fuzz proves isolation only if its pairs were mostly different owners: a generator that
    // drifted to equal identities would pass the property without testing anything.
    expect(contested.otherTenant).toBeGreaterThan(RUNS[kind] / 5);
    expect(contested.sameTenantOtherUser).toBeGreaterThan(RUNS[kind] / 20);
  });
});
