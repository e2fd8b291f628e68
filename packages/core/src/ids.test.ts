import { describe, expect, it } from 'vitest';
import { DejaInputError } from './errors.js';
import { entryId, idDigest, idText, userDigest } from './ids.js';
import { digest, NO_USER } from './keys/digest.js';

class Uuid {
  constructor(private readonly value: string) {}
  toString() {
    return this.value;
  }
}

const NFC = 'Jos\u00e9';
const NFD = 'Jose\u0301';

describe('ids', () => {
  it('normalises to NFC before hashing: "José" in NFC and NFD is one user and one tenant', () => {
    expect(NFC).not.toBe(NFD);
    expect(userDigest(NFD)).toBe(userDigest(NFC));
    expect(idDigest(NFD, 'tenant')).toBe(idDigest(NFC, 'tenant'));
    expect(idDigest(new Uuid(NFD), 'user')).toBe(idDigest(NFC, 'user'));
    expect(idText(NFD, 'user')).toBe(NFC);
  });

  it('does not fold compatibility characters or case (NFC, not NFKC)', () => {
    expect(userDigest('\uFB01le')).not.toBe(userDigest('file'));
    expect(userDigest('Alice')).not.toBe(userDigest('alice'));
  });

  it('keeps the promised equalities: 42 is "42", a UUID object is its string', () => {
    expect(idDigest(42, 'tenant')).toBe(idDigest('42', 'tenant'));
    expect(idDigest(42, 'tenant')).not.toBe(idDigest('42.0', 'tenant'));
    const id = '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
    expect(idDigest(new Uuid(id), 'user')).toBe(idDigest(id, 'user'));
    expect(idDigest('tenant 5', 'tenant')).toBe(digest('tenant 5'));
  });

  it('refuses ids without a faithful string form, empty ids and overlong ids', () => {
    const bad: unknown[] = [
      '',
      null,
      undefined,
      Number.NaN,
      { tenant: 'a' },
      new (class Opaque {})(),
      new Date(0),
      'x'.repeat(1_025),
      Symbol('x'),
    ];
    for (const id of bad) expect(() => idDigest(id as string, 'tenant'), String(id)).toThrow(DejaInputError);
  });

  it('gives entries without a user the NO_USER tag, and entry ids per user', () => {
    expect(userDigest(undefined)).toBe(NO_USER);
    expect(entryId({ q: 1 }, NO_USER)).not.toBe(entryId({ q: 1 }, userDigest('alice')));
    expect(entryId({ q: 1 }, NO_USER)).toBe(entryId({ q: 1 }, NO_USER));
  });
});
