// Latency sampling: one operation at a time (latency, not throughput), contenders interleaved in
// rounds so drift of the machine (other processes, CPU frequency) hits every contender alike.

export interface LatencySummary {
  count: number;
  p50Us: number;
  p99Us: number;
  meanUs: number;
}

/** Nearest-rank percentile of samples in microseconds. */
export function percentile(samples: number[], fraction: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] as number;
}

export function summarize(samplesUs: number[]): LatencySummary {
  const total = samplesUs.reduce((sum, sample) => sum + sample, 0);
  return {
    count: samplesUs.length,
    p50Us: percentile(samplesUs, 0.5),
    p99Us: percentile(samplesUs, 0.99),
    meanUs: samplesUs.length ? total / samplesUs.length : Number.NaN,
  };
}

/** Runs `operation(i)` `count` times in sequence; returns each call's duration in microseconds. */
export async function sampleLatency(
  count: number,
  operation: (i: number) => Promise<unknown>,
): Promise<number[]> {
  const samples: number[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await operation(i);
    samples[i] = (performance.now() - started) * 1000;
  }
  return samples;
}

export interface InterleaveOptions {
  /** Untimed calls of each contender first (JIT, connection, server caches). */
  warmup: number;
  rounds: number;
  perRound: number;
}

/**
 * Samples every contender in alternating rounds (a, b, c, a, b, c...). A contender is called with a
 * running index so it can walk through its own query set.
 */
export async function interleave(
  contenders: Record<string, (i: number) => Promise<unknown>>,
  options: InterleaveOptions,
): Promise<Record<string, number[]>> {
  const names = Object.keys(contenders);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (const name of names)
    await sampleLatency(options.warmup, contenders[name] as (i: number) => Promise<unknown>);
  for (let round = 0; round < options.rounds; round++) {
    for (const name of names) {
      const offset = round * options.perRound;
      const operation = contenders[name] as (i: number) => Promise<unknown>;
      const taken = await sampleLatency(options.perRound, (i) => operation(offset + i));
      (samples[name] as number[]).push(...taken);
    }
  }
  return samples;
}

export function ratio(numerator: number, denominator: number): number {
  return round(numerator / denominator, 3);
}

export function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
