// OrderGate (integer checks used by ctx.place and the hot path) against src/kraken's validation of the
// same orders: they must accept and refuse the same requests, and a refusal must carry the profile's code.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InstrumentTable, defineInstrument, validateNewOrderSingle, type InstrumentSpec } from '../../src/kraken/index.js';
import { OrderFlag } from '../../src/ipc/index.js';
import { LocalRejectCode, localRejectName } from '../../src/strategy/protocol.js';
import { OrderGate, toUnits, unitsText } from '../../src/strategy/gate.js';

const SPEC: InstrumentSpec = {
  symbol: 'XBT/USD',
  venue: 'spot',
  tickSize: '0.5',
  priceDecimals: 1,
  qtyIncrement: '0.001',
  qtyDecimals: 4,
  qtyMin: '0.002',
  qtyMax: '10',
  minCost: '5',
};

const SIDES = [0x31, 0x32];
const ORD_TYPES = [0x31, 0x32, 0x33, 0x34, 0x52, 0x54];
const TIFS = [0x31, 0x33, 0x34];

describe('OrderGate', () => {
  it('accepts and refuses exactly what src/kraken validateNewOrderSingle does', () => {
    const gate = new OrderGate([SPEC]);
    const table = new InstrumentTable();
    const inst = defineInstrument(SPEC);
    if (!inst.ok) throw new Error('bad spec');
    table.add(inst.value);
    const names: Record<number, string> = { 0x31: 'market', 0x32: 'limit', 0x33: 'stop-loss', 0x34: 'stop-loss-limit', 0x52: 'take-profit', 0x54: 'take-profit-limit' };
    fc.assert(
      fc.property(
        fc.constantFrom(...SIDES),
        fc.constantFrom(...ORD_TYPES),
        fc.constantFrom(...TIFS),
        fc.integer({ min: 0, max: 2_000 }),
        fc.integer({ min: 0, max: 2_000 }),
        fc.integer({ min: 1, max: 120_000 }),
        fc.integer({ min: 0, max: 3 }),
        (side, ordType, tif, price, stopPx, qty, flags) => {
          const nowMs = Date.now();
          const code = gate.checkPlace(0, side, ordType, tif, price, stopPx, qty, flags, 0, nowMs);
          const r = validateNewOrderSingle(
            {
              clOrdID: '1',
              symbol: 'XBT/USD',
              side: side === 0x31 ? 'buy' : 'sell',
              ordType: names[ordType] as 'limit',
              timeInForce: tif === 0x31 ? 'GTC' : tif === 0x33 ? 'IOC' : 'FOK',
              orderQty: unitsText(qty, 4),
              ...(price > 0 ? { price: unitsText(price, 1) } : {}),
              ...(stopPx > 0 ? { stopPx: unitsText(stopPx, 1) } : {}),
              ...((flags & OrderFlag.PostOnly) !== 0 ? { postOnly: true } : {}),
              ...((flags & OrderFlag.ReduceOnly) !== 0 ? { reduceOnly: true } : {}),
              transactTime: nowMs,
            },
            { instruments: table, venue: 'spot', nowMs, checkClOrdIdTimestamp: false },
          );
          expect(code === 0).toBe(r.ok);
          if (!r.ok) expect(localRejectName(code)).toBe(r.error.code);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('explains a refusal with the profile message', () => {
    const gate = new OrderGate([SPEC]);
    const code = gate.checkPlace(0, 0x31, 0x32, 0x31, 601, 0, 100, 0, 0, Date.now());
    expect(code).toBe(LocalRejectCode.PRICE_NOT_ON_TICK);
    const e = gate.explainPlace(code, 0, 0x31, 0x32, 0x31, 601, 0, 100, 0, 0, Date.now());
    expect(e.code).toBe('PRICE_NOT_ON_TICK');
    expect(e.message).toMatch(/60\.1 is not a multiple of tick size 0\.5/);
  });

  it('refuses an unknown instrument, and non-Spot instruments at construction', () => {
    const gate = new OrderGate([SPEC]);
    expect(gate.checkPlace(3, 0x31, 0x32, 0x31, 600, 0, 100, 0, 0, Date.now())).toBe(LocalRejectCode.UNKNOWN_SYMBOL);
    expect(() => new OrderGate([{ ...SPEC, venue: 'derivatives' }])).toThrow(/Spot only/);
    expect(() => new OrderGate([{ ...SPEC, tickSize: 'x' }])).toThrow(/instrument #0/);
  });

  it('finds instruments by symbol bytes without allocating strings', () => {
    const gate = new OrderGate([SPEC, { ...SPEC, symbol: 'ETH/USD' }]);
    const bytes = new TextEncoder().encode('..ETH/USD..');
    expect(gate.idOfBytes(bytes, 2, 7)).toBe(1);
    expect(gate.idOfBytes(bytes, 2, 6)).toBe(-1);
  });

  it('converts decimals between scales exactly or not at all', () => {
    expect(toUnits(15, 1, 3)).toBe(1500);
    expect(toUnits(1500, 3, 1)).toBe(15);
    expect(toUnits(1501, 3, 1)).toBeNaN();
    expect(unitsText(5, 3)).toBe('0.005');
    expect(unitsText(12345, 2)).toBe('123.45');
  });
});
