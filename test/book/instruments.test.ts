import { describe, expect, it } from 'vitest';
import {
  InstrumentStatus,
  MdInstrumentTable,
  TradSesStatus,
  acceptsNewOrders,
  isMatching,
  mdInstrumentFromFields,
} from '../../src/book/index.js';

describe('market-data instrument view', () => {
  it("parses the spec's InstrumentList example entry", () => {
    // 55=BTC/USD|562=0.00000001|5010=8|5011=0.0001|2349=1|5022=0.1|5032=1
    const r = mdInstrumentFromFields({
      symbol: 'BTC/USD',
      minQtyIncrement: '0.00000001',
      qtyDecimals: '8',
      qtyMin: '0.0001',
      priceDecimals: '1',
      tickSize: '0.1',
      status: '1',
    });
    expect(r).toEqual({
      ok: true,
      instrument: {
        symbol: 'BTC/USD',
        priceDecimals: 1,
        qtyDecimals: 8,
        minQtyIncrement: 1,
        qtyMin: 10000,
        qtyMax: 0,
        minimumCost: '',
        tickSize: 1,
        status: InstrumentStatus.Online,
      },
    });
  });

  it('reports bad fields with a clear message instead of throwing', () => {
    const base = { symbol: 'X/Y', qtyDecimals: '8', priceDecimals: '1' };
    expect(mdInstrumentFromFields({ ...base, priceDecimals: 'a' })).toMatchObject({ ok: false });
    expect(mdInstrumentFromFields({ ...base, qtyDecimals: '16' })).toMatchObject({ ok: false });
    expect(mdInstrumentFromFields({ ...base, tickSize: '0.05' })).toEqual({
      ok: false,
      error: "X/Y: bad 5022 TickSize '0.05' (TooManyDecimals)",
    });
    expect(mdInstrumentFromFields({ ...base, status: '9' })).toMatchObject({ ok: false });
    expect(mdInstrumentFromFields({ ...base, symbol: '' })).toMatchObject({ ok: false });
  });

  it('table upserts by symbol and tracks 340 per market incl. Kraken 101/102', () => {
    const t = new MdInstrumentTable();
    expect(t.upsertFields({ symbol: 'ETH/USD', qtyDecimals: '8', priceDecimals: '2', status: '4' })).toBeUndefined();
    expect(t.upsertFields({ symbol: 'ETH/USD', qtyDecimals: '8', priceDecimals: '2', status: '1' })).toBeUndefined();
    expect(t.size()).toBe(1);
    expect(t.get('ETH/USD')?.status).toBe(InstrumentStatus.Online);
    expect(t.upsertFields({ symbol: 'BAD', qtyDecimals: 'x', priceDecimals: '2' })).toMatch(/5010/);

    expect(t.tradingSessionStatus('SESSION')).toBe(TradSesStatus.Unknown);
    expect(t.setTradingSessionStatus('SESSION', 101)).toBe(true);
    expect(t.tradingSessionStatus('SESSION')).toBe(TradSesStatus.CancelOnly);
    expect(t.setTradingSessionStatus('SESSION', 3)).toBe(false);
    expect(t.tradingSessionStatus('SESSION')).toBe(TradSesStatus.CancelOnly);
    expect(isMatching(TradSesStatus.CancelOnly)).toBe(false);
    expect(acceptsNewOrders(TradSesStatus.PostOnly, true)).toBe(true);
    expect(acceptsNewOrders(TradSesStatus.PostOnly, false)).toBe(false);
    expect(acceptsNewOrders(TradSesStatus.Online, false)).toBe(true);
    expect(acceptsNewOrders(TradSesStatus.Maintenance, true)).toBe(false);
  });
});
