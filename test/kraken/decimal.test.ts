import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimal } from '../../src/kraken/index.js';

const { parseDecimal, formatDecimal, formatDecimalTrimmed, isMultipleOf, cmp, add, sub, mul, divTrunc, toScaled, dec } = decimal;

describe('exact decimals', () => {
  it('parses and formats', () => {
    expect(parseDecimal('0.00000001')).toEqual({ m: 1n, s: 8 });
    expect(parseDecimal('-3.50')).toEqual({ m: -350n, s: 2 });
    for (const bad of ['', '1e5', '+1', '1.', '.5', ' 1', 'NaN', '0x10', '1,5']) expect(parseDecimal(bad)).toBeNull();
    expect(formatDecimal(dec('0.050'))).toBe('0.050');
    expect(formatDecimalTrimmed(dec('84000.0'))).toBe('84000');
    expect(formatDecimalTrimmed(dec('-0.10'))).toBe('-0.1');
  });

  it('tick/lot checks are exact where floats fail', () => {
    expect(isMultipleOf(add(dec('0.1'), dec('0.2')), dec('0.3'))).toBe(true);
    expect(isMultipleOf(dec('84000.5'), dec('0.1'))).toBe(true);
    expect(isMultipleOf(dec('84000.55'), dec('0.1'))).toBe(false);
    expect(isMultipleOf(dec('1'), dec('0'))).toBe(false);
    expect(toScaled(dec('1.230'), 2)).toBe(123n);
    expect(toScaled(dec('1.235'), 2)).toBeNull();
    expect(formatDecimal(divTrunc(dec('10'), dec('3'), 4)!)).toBe('3.3333');
    expect(divTrunc(dec('1'), dec('0'), 2)).toBeNull();
  });

  it('arithmetic agrees with bigint over random inputs', () => {
    const arb = fc.tuple(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: 10 }));
    fc.assert(
      fc.property(arb, arb, ([am, as], [bm, bs]) => {
        const a = { m: am, s: as };
        const b = { m: bm, s: bs };
        const back = parseDecimal(formatDecimal(a))!;
        expect(cmp(back, a)).toBe(0);
        expect(cmp(sub(add(a, b), b), a)).toBe(0);
        expect(cmp(mul(a, b), mul(b, a))).toBe(0);
        // Antisymmetric (written as a sum: -0 and 0 are different to toBe).
        expect(cmp(a, b) + cmp(b, a)).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
