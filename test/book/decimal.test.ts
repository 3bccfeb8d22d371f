import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ScaledStatus, formatScaled, parseScaled, parseScaledString } from '../../src/book/index.js';

const enc = new TextEncoder();

function parseBytes(s: string, scale: number): number {
  // Embed in a larger buffer to prove only [off, off+len) is read.
  const buf = enc.encode(`|=${s}|9`);
  return parseScaled(buf, 2, buf.length - 4, scale);
}

describe('parseScaled', () => {
  it('parses exact decimals at the instrument scale', () => {
    expect(parseBytes('30300.7', 1)).toBe(303007);
    expect(parseBytes('0.0031746', 8)).toBe(317460);
    expect(parseBytes('0.00000001', 8)).toBe(1);
    expect(parseBytes('42', 2)).toBe(4200);
    expect(parseBytes('42.', 2)).toBe(4200);
    expect(parseBytes('.5', 1)).toBe(5);
    expect(parseBytes('0', 8)).toBe(0);
    expect(parseBytes('0.0', 8)).toBe(0);
    expect(parseBytes('007.10', 2)).toBe(710);
  });

  it('accepts trailing zeros beyond the scale (value stays exact)', () => {
    expect(parseBytes('30300.70000', 1)).toBe(303007);
    expect(parseBytes('1.000000000000', 0)).toBe(1);
  });

  it('rejects non-zero digits beyond the scale', () => {
    expect(parseBytes('30300.75', 1)).toBe(ScaledStatus.TooManyDecimals);
    expect(parseBytes('0.000000001', 8)).toBe(ScaledStatus.TooManyDecimals);
  });

  it('rejects invalid characters, empties, negatives, bad scales, overflow', () => {
    expect(parseBytes('1e5', 0)).toBe(ScaledStatus.InvalidChar);
    expect(parseBytes('1.2.3', 2)).toBe(ScaledStatus.InvalidChar);
    expect(parseBytes('+1', 2)).toBe(ScaledStatus.InvalidChar);
    expect(parseBytes(' 1', 2)).toBe(ScaledStatus.InvalidChar);
    expect(parseBytes('1,5', 2)).toBe(ScaledStatus.InvalidChar);
    expect(parseBytes('.', 2)).toBe(ScaledStatus.Empty);
    expect(parseBytes('', 2)).toBe(ScaledStatus.Empty);
    expect(parseBytes('-1', 2)).toBe(ScaledStatus.Negative);
    expect(parseBytes('1', -1)).toBe(ScaledStatus.BadScale);
    expect(parseBytes('1', 16)).toBe(ScaledStatus.BadScale);
    expect(parseBytes('1', 1.5)).toBe(ScaledStatus.BadScale);
    expect(parseBytes('9007199254740991', 0)).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseBytes('9007199254740992', 0)).toBe(ScaledStatus.Overflow);
    expect(parseBytes('90071992547409.92', 2)).toBe(ScaledStatus.Overflow);
    expect(parseBytes('99999999999999999999999', 0)).toBe(ScaledStatus.Overflow);
    expect(parseBytes('100000000', 8)).toBe(ScaledStatus.Overflow);
  });

  it('never reads outside the given range', () => {
    const buf = enc.encode('12345');
    expect(parseScaled(buf, 1, 2, 0)).toBe(23);
    expect(parseScaled(buf, 4, 5, 0)).toBe(ScaledStatus.Empty);
    expect(parseScaled(buf, 0, 0, 0)).toBe(ScaledStatus.Empty);
  });

  it('string and byte versions agree, and format round-trips (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 40 }), fc.integer({ min: 0, max: 10 }), (v, scale) => {
        const s = formatScaled(v, scale);
        expect(parseScaledString(s, scale)).toBe(v);
        expect(parseBytes(s, scale)).toBe(v);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.integer({ min: 0, max: 8 }), (s, scale) => {
        const viaBytes = /^[\x00-\x7f]*$/.test(s) ? parseBytes(s, scale) : parseScaledString(s, scale);
        expect(parseScaledString(s, scale)).toBe(viaBytes);
      }),
      { numRuns: 500 },
    );
  });

  it('formatScaled pads small values', () => {
    expect(formatScaled(5, 3)).toBe('0.005');
    expect(formatScaled(303007, 1)).toBe('30300.7');
    expect(formatScaled(12, 0)).toBe('12');
  });
});
