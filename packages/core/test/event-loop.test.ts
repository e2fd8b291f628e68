// A 5 MB prompt through responses.wrap never holds the event loop for the whole call: its key and
// scope are hashed in slices with a turn of the loop between them (keys/deferred-output.ts), the
// token estimates read a bounded head, and an answer certainly over maxResponseBytes is refused
// before it is encoded. Asserted by counting turns of the loop, never by a clock; the measured
// longest stall is printed for the record.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/keys/canonical.ts';
import { YIELD_EVERY } from '../src/keys/deferred-output.ts';
import { countTokens } from '../src/tokens.ts';
import { loopTurns, memoryDeja } from './support.ts';

const FIVE_MB = 5 * 1024 * 1024;
const words = 'the quick brown fox jumps over a lazy dog ';
const bigText = (seed: string) => (seed + words.repeat(Math.ceil(FIVE_MB / words.length))).slice(0, FIVE_MB);

describe('a 5 MB prompt through wrap', () => {
  it('lets the event loop turn about once per slice of its key and scope, and is cached right', async () => {
    const tenant = memoryDeja().deja.tenant('acme');
    const prompt = bigText('question ');
    const history = bigText('earlier turns ');
    const big = {
      key: { model: 'm', prompt, history },
      semanticText: prompt,
      scope: { model: 'm', history },
    };
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    // Main-thread CPU between two timer ticks: the stall without what the OS gave other processes.
    let maxCpuMs = 0;
    let lastCpu = process.threadCpuUsage();
    const cpu = setInterval(() => {
      const used = process.threadCpuUsage(lastCpu);
      maxCpuMs = Math.max(maxCpuMs, (used.user + used.system) / 1_000);
      lastCpu = process.threadCpuUsage();
    }, 1);
    const turns = loopTurns();
    const first = await tenant.responses.wrap(big, async () => 'an answer');
    turns.stop();
    clearInterval(cpu);
    delay.disable();
    expect(first).toMatchObject({ hit: 'miss', stored: true });
    // Key (prompt + history) and scope (history) are escaped and hashed a slice at a time, each
    // slice followed by a turn of the loop: at least this many turns, however slow the machine.
    // (Before: none at all; the whole call was one synchronous stretch.)
    expect(turns.count()).toBeGreaterThanOrEqual(Math.floor((3 * FIVE_MB) / YIELD_EVERY));
    console.log(
      `5 MB prompt + 5 MB history through wrap: ${turns.count()} turns of the event loop, ` +
        `longest stall ${(delay.max / 1e6).toFixed(1)} ms (monitorEventLoopDelay, wall clock), ` +
        `${maxCpuMs.toFixed(1)} ms of main-thread CPU (threadCpuUsage)`,
    );
    const again = await tenant.responses.wrap(big, async () => 'computed twice');
    expect(again).toMatchObject({ hit: 'exact', value: 'an answer', key: first.key });
  });

  it('estimates the question from the head of a key it never writes out whole', async () => {
    const tenant = memoryDeja().deja.tenant('acme');
    const key = { prompt: bigText('no semantic text ') };
    await tenant.responses.wrap({ key }, async () => 'an answer');
    const hit = await tenant.responses.lookup({ key });
    // The canonical text has no escapes here, so the sample gives the full text's estimate.
    expect(hit?.meta.usage?.inputTokens).toBe(countTokens(canonicalJson(key)));
    expect(hit?.meta.usageEstimated).toBe(true);
  });
});

describe('maxResponseBytes', () => {
  it('refuses an answer certainly over the limit before encoding it', async () => {
    const { deja, errors } = memoryDeja({ maxResponseBytes: 1_000 });
    const tenant = deja.tenant('acme');
    // Encoding would refuse the function (not-cacheable); the size check never gets that far.
    const value = { text: 'x'.repeat(2_000), format: () => 'never encoded' };
    const result = await tenant.responses.store({ key: 'q' }, value);
    expect(result).toMatchObject({ stored: false, reason: 'too-large' });
    expect(errors).toEqual([]);
    // Under the limit, the encoder still has its say.
    const small = await tenant.responses.store({ key: 'q2' }, { format: () => 'not data' });
    expect(small).toMatchObject({ stored: false, reason: 'not-cacheable' });
  });
});
