// Numbers as people read them in a terminal.

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatInteger(value: number): string {
  return integerFormat.format(value);
}

/** 0.4567 -> "45.7 %": every share the CLI prints (hit rates, progress, savings) has this one form. */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

/** What was hit of what was tried, as formatPercent; "–" when nothing was tried (not "0.0 %"). */
export function formatShare(part: number, whole: number): string {
  return whole > 0 ? formatPercent(part / whole) : NOTHING;
}

/** A value that does not exist (no lookups, no cost), as opposed to zero. */
export const NOTHING = '–';

/** Milliseconds: "0.4 ms", "712 ms", "4.3 s", "2:05" (minutes past a minute). */
export function formatDuration(ms: number): string {
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1_000);
  const hours = Math.floor(seconds / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  const rest = String(seconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1_024 && unit < units.length - 1) {
    value /= 1_024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * US dollars, always to a hundredth of a cent ("$0.0017", "$12.3456"): one precision in every
 * column, fine enough for the cost of one LLM call, so amounts line up and compare by eye.
 */
export function formatUsd(value: number): string {
  return `$${integerFormatWithCents.format(value)}`;
}

const integerFormatWithCents = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 4,
  maximumFractionDigits: 4,
});

/** Cuts `text` to `width` characters, ending with an ellipsis when cut; newlines become spaces. */
export function truncate(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ');
  if (flat.length <= width) return flat;
  return width <= 1 ? flat.slice(0, width) : `${flat.slice(0, width - 1)}…`;
}
