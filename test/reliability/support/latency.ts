// Latency samples -> the figures the reliability notes report (never asserted as speed targets).
export interface Percentiles {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

export function formatPercentiles(label: string, figures: Percentiles): string {
  const ms = (value: number) => `${value < 1 ? value.toFixed(3) : value.toFixed(1)} ms`;
  return `${label}: n=${figures.count} p50=${ms(figures.p50)} p99=${ms(figures.p99)} max=${ms(figures.max)}`;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
