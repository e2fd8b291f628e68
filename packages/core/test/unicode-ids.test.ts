// Ids are normalised to NFC before hashing (issue 13, finding 4): "José" typed with a precomposed
// é or with e + a combining accent is one tenant and one user, for reads, writes and erasure.
import { describe, expect, it, onTestFinished } from 'vitest';
import { createDeja, memoryStore } from '../src/index.ts';

const NFC = 'Jos\u00e9';
const NFD = 'Jose\u0301';
const ask = { key: { model: 'model-a', text: 'Where is my order?' } };
const soon = { timeout: 5_000, interval: 10 };

function memoryDeja() {
  const deja = createDeja({ store: memoryStore() });
  onTestFinished(() => deja.close());
  return deja;
}

describe('Unicode ids', () => {
  it('a tenant and a user spelled in NFD find what was stored under NFC', async () => {
    const deja = memoryDeja();
    expect(NFC).not.toBe(NFD);
    await deja.tenant(NFC).responses.store(ask, 'shipped', { user: NFC });
    await expect
      .poll(async () => (await deja.tenant(NFD).responses.lookup(ask, { user: NFD }))?.value, soon)
      .toBe('shipped');
    expect(deja.tenant(NFD).digest).toBe(deja.tenant(NFC).digest);
  });

  it('forgetUser in one spelling erases the entries stored under the other', async () => {
    const deja = memoryDeja();
    const tenant = deja.tenant('acme');
    await tenant.responses.store(ask, 'shipped', { user: NFD });
    await expect
      .poll(async () => (await tenant.responses.lookup(ask, { user: NFD }))?.value, soon)
      .toBe('shipped');
    await tenant.forgetUser(NFC);
    expect(await tenant.responses.lookup(ask, { user: NFD })).toBeUndefined();
  });

  it('keeps other users apart: case and compatibility forms are not folded', async () => {
    const deja = memoryDeja();
    const tenant = deja.tenant('acme');
    await tenant.responses.store(ask, 'for josé', { user: NFC });
    await expect
      .poll(async () => (await tenant.responses.lookup(ask, { user: NFC }))?.value, soon)
      .toBe('for josé');
    expect(await tenant.responses.lookup(ask, { user: 'JOS\u00c9' })).toBeUndefined();
    expect(await tenant.responses.lookup(ask, { user: 'Jose' })).toBeUndefined();
  });
});
