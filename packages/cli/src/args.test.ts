import { describe, expect, it } from 'vitest';
import { closest, fractionFlag, integerFlag, parseFlags, ttlFlag } from './args.js';
import { DejaUsageError } from './errors.js';

const specs = {
  table: { type: 'string', value: 'T', required: true, description: 'table' },
  limit: { type: 'string', value: 'N', description: 'limit' },
  yes: { type: 'boolean', description: 'no questions' },
} as const;

const usageMessage = (argv: string[]) => {
  try {
    parseFlags('warm', specs, argv);
  } catch (error) {
    expect(error).toBeInstanceOf(DejaUsageError);
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
};

describe('parseFlags', () => {
  it('returns typed values: strings or undefined, booleans always set', () => {
    const parsed = parseFlags('warm', specs, ['--table', 'docs', '--yes']);
    expect(parsed).toEqual({ help: false, values: { table: 'docs', limit: undefined, yes: true } });
    expect(parseFlags('warm', specs, ['--table=docs']).values.yes).toBe(false);
  });

  it('lets --help through without the required flags', () => {
    expect(parseFlags('warm', specs, ['--help']).help).toBe(true);
    expect(parseFlags('warm', specs, ['-h']).help).toBe(true);
  });

  it('names a missing required flag', () => {
    expect(usageMessage([])).toBe('warm: --table T is required (see deja warm --help)');
  });

  it('suggests the flag a typo meant', () => {
    expect(usageMessage(['--tabel', 'docs'])).toBe(
      'warm: unknown option --tabel (did you mean --table?) (see deja warm --help)',
    );
    expect(usageMessage(['--frobnicate'])).toBe('warm: unknown option --frobnicate (see deja warm --help)');
  });

  it('says when a flag lacks its value, or has one it does not take', () => {
    expect(usageMessage(['--table'])).toContain('--table needs a value');
    expect(usageMessage(['--table', 'x', '--yes=1'])).toContain('--yes takes no value');
  });

  it('refuses stray words and empty values', () => {
    expect(usageMessage(['docs'])).toContain('unexpected argument docs');
    expect(usageMessage(['--table', ''])).toContain('--table T is required');
    expect(usageMessage(['--table', 'x', '--limit='])).toBe('warm: --limit is empty');
  });
});

describe('number flags', () => {
  it('parses whole numbers within range, with a fallback when absent', () => {
    expect(integerFlag('warm', 'limit', undefined, 5, { min: 1, max: 10 })).toBe(5);
    expect(integerFlag('warm', 'limit', '10', 5, { min: 1, max: 10 })).toBe(10);
    for (const bad of ['0', '11', '1.5', 'x', '-1', '', '0x5', '1e1']) {
      expect(() => integerFlag('warm', 'limit', bad, 5, { min: 1, max: 10 })).toThrow(
        /--limit must be a whole number from 1 to 10/,
      );
    }
  });

  it('parses fractions in [0, 1]', () => {
    expect(fractionFlag('tune', 'target-precision', undefined, 0.95)).toBe(0.95);
    expect(fractionFlag('tune', 'target-precision', '0.9', 0.95)).toBe(0.9);
    for (const bad of ['1.1', '-0.1', 'x', ' ']) {
      expect(() => fractionFlag('tune', 'target-precision', bad, 0.95)).toThrow(DejaUsageError);
    }
  });
});

describe('ttl flag', () => {
  it('takes a duration with its unit, as milliseconds', () => {
    expect(ttlFlag('warm', 'ttl', undefined, 42)).toBe(42);
    expect(ttlFlag('warm', 'ttl', '500ms', 42)).toBe(500);
    expect(ttlFlag('warm', 'ttl', '90s', 42)).toBe(90_000);
    expect(ttlFlag('warm', 'ttl', '15m', 42)).toBe(900_000);
    expect(ttlFlag('warm', 'ttl', '12h', 42)).toBe(43_200_000);
    expect(ttlFlag('warm', 'ttl', '30d', 42)).toBe(2_592_000_000);
  });

  it('refuses a bare number (seconds or milliseconds?) and what ttlMs refuses', () => {
    for (const bad of ['3600', '0s', '1.5h', '3651d', 'soon', '']) {
      expect(() => ttlFlag('warm', 'ttl', bad, 42)).toThrow(
        /warm: --ttl must be a whole number with a unit .* from 1ms to 3650d/,
      );
    }
    expect(ttlFlag('warm', 'ttl', '3650d', 42)).toBe(3_650 * 86_400_000);
  });
});

describe('closest', () => {
  it('finds the nearest known name within two edits', () => {
    expect(closest('--rowsperbatch', ['--rows-per-batch', '--table'])).toBe('--rows-per-batch');
    expect(closest('--tenant', ['--table', '--tenant'])).toBe('--tenant');
    expect(closest('--zzzzzz', ['--table'])).toBeUndefined();
  });
});
