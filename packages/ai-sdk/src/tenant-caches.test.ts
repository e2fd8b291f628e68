import { createDeja, DejaInputError } from '@deja/core';
import { describe, expect, it } from 'vitest';
import { tenantOf } from './tenant-caches.js';

describe('tenantOf', () => {
  it('makes the tenant cache of a string or number id once, and it is the tenant deja.tenant gives', async () => {
    const deja = createDeja({ statsFlushMs: 0 });
    const first = tenantOf(deja, 'acme');
    expect(tenantOf(deja, 'acme')).toBe(first);
    expect(first.digest).toBe(deja.tenant('acme').digest);
    expect(tenantOf(deja, 42)).toBe(tenantOf(deja, 42));
    expect(tenantOf(deja, 42).digest).toBe(deja.tenant('42').digest);
    // Another deja has tenants of its own.
    const other = createDeja({ statsFlushMs: 0 });
    expect(tenantOf(other, 'acme')).not.toBe(first);
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
    expect(tenantOf(deja, id).digest).toBe(deja.tenant('tenant-a').digest);
    id.value = 'tenant-b';
    expect(tenantOf(deja, id).digest).toBe(deja.tenant('tenant-b').digest);
    await deja.close();
  });

  it('refuses a bad id every time (nothing is remembered for it)', async () => {
    const deja = createDeja({ statsFlushMs: 0 });
    expect(() => tenantOf(deja, '')).toThrow(DejaInputError);
    expect(() => tenantOf(deja, '')).toThrow(DejaInputError);
    expect(() => tenantOf(deja, Number.NaN)).toThrow(DejaInputError);
    await deja.close();
  });
});
