// deja.tenant(id) makes a tenant's caches once per string or number id (every adapter call asks
// for its tenant), reads an id object afresh, and never remembers a bad id.
import { describe, expect, it } from 'vitest';
import { createDeja, DejaInputError } from '../src/index.ts';

describe('deja.tenant', () => {
  it('gives the same tenant cache for a string or number id, and another deja its own', async () => {
    const deja = createDeja({ statsFlushMs: 0 });
    const first = deja.tenant('acme');
    expect(deja.tenant('acme')).toBe(first);
    expect(deja.tenant(42)).toBe(deja.tenant(42));
    expect(deja.tenant(42).digest).toBe(deja.tenant('42').digest);
    const other = createDeja({ statsFlushMs: 0 });
    expect(other.tenant('acme')).not.toBe(first);
    await Promise.all([deja.close(), other.close()]);
  });

  it('reads an id object afresh each call: one that prints differently is another tenant', async () => {
    const deja = createDeja({ statsFlushMs: 0 });
    class MutableId {
      constructor(public value: string) {}
      toString() {
        return this.value;
      }
    }
    const id = new MutableId('tenant-a');
    expect(deja.tenant(id).digest).toBe(deja.tenant('tenant-a').digest);
    id.value = 'tenant-b';
    expect(deja.tenant(id).digest).toBe(deja.tenant('tenant-b').digest);
    await deja.close();
  });

  it('refuses a bad id every time (nothing is remembered for it)', async () => {
    const deja = createDeja({ statsFlushMs: 0 });
    expect(() => deja.tenant('')).toThrow(DejaInputError);
    expect(() => deja.tenant('')).toThrow(DejaInputError);
    expect(() => deja.tenant(Number.NaN)).toThrow(DejaInputError);
    await deja.close();
  });
});
