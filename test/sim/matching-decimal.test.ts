import { describe, expect, it } from 'vitest';
import {
  DecimalError,
  formatRatio,
  formatScaled,
  formatScaledTrim,
  parseScaled,
  parseScaledBigInt,
  parseScaledBytes,
} from '../../src/sim/matching/decimal.js';
import { MatchingEngine } from '../../src/sim/matching/engine.js';
import { ScaleError } from '../../src/sim/matching/instrument.js';
import { OrderIdCodec } from '../../src/sim/matching/orderid.js';
import { REASON_380, REASON_CLASS, REASON_TEXT, Reason, ReasonClass } from '../../src/sim/matching/constants.js';
import { cmpWide, divFloorClamp, mulAdd, wideToBigInt, W } from '../../src/sim/matching/wide.js';
import { formatAvgPx } from '../../src/sim/matching/format.js';
import { makeFixture } from '../../src/sim/matching/testkit.js';

const enc = new TextEncoder();

describe('decimal strings <-> scaled integers', () => {
  it('parses exactly, accepting trailing zeros', () => {
    expect(parseScaled('0.1', 8)).toBe(10_000_000);
    expect(parseScaled('12', 2)).toBe(1200);
    expect(parseScaled('12.50', 1)).toBe(125);
    expect(parseScaled('0.00000001', 8)).toBe(1);
    expect(parseScaled('30300.7', 1)).toBe(303007);
  });
  it('rejects extra precision, malformed text and unsafe magnitudes with a reason', () => {
    expect(parseScaled('0.123', 2)).toBe(DecimalError.TooPrecise);
    expect(parseScaled('0.1201', 2)).toBe(DecimalError.TooPrecise);
    expect(parseScaled('1.2x', 4)).toBe(DecimalError.Malformed);
    expect(parseScaled('.5', 1)).toBe(DecimalError.Malformed);
    expect(parseScaled('5.', 1)).toBe(DecimalError.Malformed);
    expect(parseScaled('-1', 1)).toBe(DecimalError.Malformed);
    expect(parseScaled('', 1)).toBe(DecimalError.Malformed);
    expect(parseScaled('1e5', 1)).toBe(DecimalError.Malformed);
    expect(parseScaled('90071992547409.92', 2)).toBe(DecimalError.TooLarge);
    expect(parseScaled('9007199254740991', 0)).toBe(9007199254740991);
    expect(parseScaled('9007199254740992', 0)).toBe(DecimalError.TooLarge);
  });
  it('parses bytes in place identically', () => {
    for (const [s, d] of [['0.1', 8], ['12.50', 1], ['0.123', 2], ['1.2x', 4], ['5.', 1], ['100', 0]] as const) {
      const b = enc.encode(`xx${s}yy`);
      expect(parseScaledBytes(b, 2, 2 + s.length, d)).toBe(parseScaled(s, d));
    }
  });
  it('formats back exactly', () => {
    expect(formatScaled(10_000_000, 8)).toBe('0.10000000');
    expect(formatScaled(303007, 1)).toBe('30300.7');
    expect(formatScaled(5, 0)).toBe('5');
    expect(formatScaled(-15, 1)).toBe('-1.5');
    expect(formatScaled(123456789012345678901234567890n, 10)).toBe('12345678901234567890.1234567890');
    expect(formatScaledTrim(10_000_000, 8)).toBe('0.1');
    expect(formatScaledTrim(300, 2)).toBe('3');
    expect(() => formatScaled(0.5, 1)).toThrow(RangeError);
  });
  it('parses big values for configuration', () => {
    expect(parseScaledBigInt('-1.50', 2)).toBe(-150n);
    expect(parseScaledBigInt('123456789012345678901234', 0)).toBe(123456789012345678901234n);
    expect(parseScaledBigInt('1.001', 2)).toBe(DecimalError.TooPrecise);
  });
  it('divides exactly with half-up rounding', () => {
    expect(formatRatio(1n, 3n, 4)).toBe('0.3333');
    expect(formatRatio(2n, 3n, 4)).toBe('0.6667');
    expect(formatRatio(5n, 2n, 0)).toBe('3');
    expect(formatRatio(25075n, 250n, 2)).toBe('100.30');
  });
});

describe('instrument scaling', () => {
  const fx = makeFixture(1);
  it('converts to ticks and lots and reports the failure kind', () => {
    expect(fx.spot.priceToTicks('50000.1')).toBe(500001);
    expect(fx.spot.priceToTicks('50000.15')).toBe(ScaleError.TooPrecise);
    expect(fx.perp.priceToTicks('100.5')).toBe(201);
    expect(fx.perp.priceToTicks('100.3')).toBe(ScaleError.NotOnTick);
    expect(fx.perp.qtyToLots('0.00015')).toBe(ScaleError.TooPrecise);
    expect(fx.spot.qtyToLots('1.5')).toBe(150_000_000);
    expect(fx.spot.formatPrice(500001)).toBe('50000.1');
    expect(fx.perp.formatPrice(201)).toBe('100.5');
    expect(fx.spot.formatQty(1)).toBe('0.00000001');
  });
  it('derives exact unit factors and minimums', () => {
    expect(fx.spot.quoteUnitsPerNotional).toBe(1);
    expect(fx.spot.baseUnitsPerLot).toBe(1);
    expect(fx.spot.minQtyLots).toBe(10_000);
    // 0.5 USD / (0.1 * 1e-8) = 5e8 ticks*lots
    expect(fx.spot.minCostNotional).toBe(500_000_000);
  });
  it('refuses asset precisions that would make amounts inexact', () => {
    const e = new MatchingEngine();
    const usd = e.addAsset('USD', 4);
    const btc = e.addAsset('BTC', 8);
    expect(() =>
      e.addInstrument({ symbol: 'X', kind: 'spot', baseAsset: btc, quoteAsset: usd, tickSize: '0.1', lotSize: '0.00000001', priceDecimals: 1, qtyDecimals: 8, minQty: '0', minCost: '0' }),
    ).toThrow(/decimals for exact cost/);
    expect(() =>
      e.addInstrument({ symbol: 'Y', kind: 'spot', baseAsset: btc, quoteAsset: usd, tickSize: '0.05', lotSize: '1', priceDecimals: 1, qtyDecimals: 0, minQty: '0', minCost: '0' }),
    ).toThrow(/tickSize/);
  });
});

describe('wide integers', () => {
  it('multiplies and accumulates beyond 2^53 exactly', () => {
    const a = new Float64Array(4);
    const x = 536_870_911;
    const y = 281_474_976_710_655;
    mulAdd(a, 0, x, y, 1);
    mulAdd(a, 0, x, y, 1);
    expect(wideToBigInt(a[0], a[1])).toBe(2n * BigInt(x) * BigInt(y));
    mulAdd(a, 0, x, y, -1);
    expect(wideToBigInt(a[0], a[1])).toBe(BigInt(x) * BigInt(y));
    mulAdd(a, 2, 3, 7, -1);
    expect(wideToBigInt(a[2], a[3])).toBe(-21n);
    expect(a[3] >= 0 && a[3] < W).toBe(true);
    expect(cmpWide(a, 0, a, 2)).toBe(1);
    expect(divFloorClamp(a, 0, x, Number.MAX_SAFE_INTEGER)).toBe(y);
    expect(divFloorClamp(a, 2, 5, 100)).toBe(0);
  });
});

describe('OrderID', () => {
  it('has the Kraken Spot shape, is deterministic per seed and decodes back', () => {
    const c = new OrderIdCodec(42);
    const c2 = new OrderIdCodec(42);
    const other = new OrderIdCodec(43);
    const seen = new Set<string>();
    for (const key of [0, 1, 2, 16777216, 2 ** 40 + 5, 2 ** 53 - 1]) {
      const id = c.encode(key);
      expect(id).toMatch(/^[A-Z2-7]{6}-[A-Z2-7]{5}-[A-Z2-7]{6}$/);
      expect(c2.encode(key)).toBe(id);
      expect(c.decode(id)).toBe(key);
      expect(other.decode(id)).toBe(-1);
      seen.add(id);
    }
    expect(seen.size).toBe(6);
    expect(c.decode('OKWUQF-YPJM2-DTAJHH')).toBe(-1);
    expect(c.decode('garbage')).toBe(-1);
    const id = c.encode(7);
    const typo = id.slice(0, 3) + (id[3] === 'A' ? 'B' : 'A') + id.slice(4);
    expect(c.decode(typo)).toBe(-1);
  });
});

describe('reason tables', () => {
  it('cover every reason with a text and a class', () => {
    expect(REASON_TEXT.length).toBe(Reason.Expired + 1);
    expect(REASON_CLASS.length).toBe(Reason.Expired + 1);
    expect(REASON_TEXT[Reason.InsufficientFunds]).toBe('EOrder:Insufficient funds');
    expect(REASON_TEXT[Reason.OrderMinimum]).toBe('EOrder:Order minimum not met');
    expect(REASON_TEXT[Reason.CostMinimum]).toBe('EOrder:Cost minimum not met');
    expect(REASON_TEXT[Reason.TickSize]).toBe('EOrder:Tick size check failed');
    expect(REASON_CLASS[Reason.InsufficientFunds]).toBe(ReasonClass.BusinessReject);
    expect(REASON_CLASS[Reason.PostOnlyWouldTake]).toBe(ReasonClass.UnsolicitedCancel);
    expect(REASON_CLASS[Reason.SelfTradePrevention]).toBe(ReasonClass.UnsolicitedCancel);
    expect(REASON_CLASS[Reason.UserCancel]).toBe(ReasonClass.RequestedCancel);
    expect(REASON_380[Reason.UnknownOrder]).toBe(101);
    expect(REASON_380[Reason.UnknownInstrument]).toBe(2);
    for (let r = 1; r <= Reason.Expired; r++) if (r !== Reason.UserCancel) expect(REASON_TEXT[r]).toMatch(/^E[A-Z][a-z]+:/);
  });
});

describe('AvgPx formatting', () => {
  it('is exact division of the integer notional', () => {
    const fx = makeFixture(1);
    // 1 lot at 100.0 and 2 lots at 100.1: (1000 + 2002) / 3 ticks = 1000.666.. ticks = 100.0666.. USD
    const a = new Float64Array(2);
    mulAdd(a, 0, 1000, 1, 1);
    mulAdd(a, 0, 1001, 2, 1);
    expect(formatAvgPx(fx.spot, a[0], a[1], 3)).toBe('100.06667');
    expect(formatAvgPx(fx.spot, a[0], a[1], 3, 0)).toBe('100.1');
    expect(formatAvgPx(fx.spot, 0, 0, 0)).toBe('0.00000');
  });
});
