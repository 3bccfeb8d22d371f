import { describe, expect, it } from 'vitest';
import {
  type NewOrderSingleRequest,
  type ValidationErrorCode,
  defineInstrument,
  instrumentFromListEntry,
  validateNewOrderSingle,
  validateOrderCancel,
  validateOrderCancelReplace,
  validateOrderMassCancel,
  validateOrderStatus,
} from '../../src/kraken/index.js';
import { NOW_MS, ctx, drvLimit, makeTable, spotId, spotLimit } from './helpers.js';

function codeOf(r: { ok: boolean; error?: { code: string } } | { ok: true; value: unknown }): string {
  return r.ok ? 'OK' : (r as { error: { code: string } }).error.code;
}

function nos(req: NewOrderSingleRequest, c = ctx(req.symbol.startsWith('PF_') ? 'derivatives' : 'spot')): string {
  return codeOf(validateNewOrderSingle(req, c));
}

describe('instrument table', () => {
  it('keeps exact decimals and scaled integers', () => {
    const t = makeTable();
    const btc = t.get('BTC/USD')!;
    expect(btc.tickUnits).toBe(1n);
    expect(btc.lotUnits).toBe(1n);
    expect(btc.tickSize).toEqual({ m: 1n, s: 1 });
    expect(btc.status).toBe('online');
    expect(t.size).toBe(3);
  });

  it('parses an InstrumentList entry (spec example) including status 5032', () => {
    const r = instrumentFromListEntry(
      [[55, 'BTC/USD'], [562, '0.00000001'], [5010, '8'], [5011, '0.0001'], [2349, '1'], [5022, '0.1'], [5032, '3'], [9999, 'x']],
      'spot',
    );
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.status).toBe('cancel_only');
      expect(r.value.qtyMax).toBeNull();
      expect(r.value.priceDecimals).toBe(1);
    }
    expect(codeOf(instrumentFromListEntry([[55, 'X/Y'], [562, '0.1'], [5010, '1'], [2349, '1']], 'spot'))).toBe('INSTRUMENT_INVALID');
    expect(codeOf(instrumentFromListEntry([[55, 'X/Y'], [562, '0.1'], [5010, '1'], [2349, '1'], [5022, '0.1'], [5032, '42']], 'spot'))).toBe('INSTRUMENT_INVALID');
  });

  it('rejects inconsistent definitions', () => {
    const base = { symbol: 'A/B', venue: 'spot' as const, tickSize: '0.1', priceDecimals: 1, qtyIncrement: '0.01', qtyDecimals: 2, qtyMin: '0.01' };
    expect(defineInstrument(base).ok).toBe(true);
    expect(codeOf(defineInstrument({ ...base, tickSize: '0.05' }))).toBe('INSTRUMENT_INVALID');
    expect(codeOf(defineInstrument({ ...base, tickSize: '0' }))).toBe('INSTRUMENT_INVALID');
    expect(codeOf(defineInstrument({ ...base, qtyIncrement: '1e-3' }))).toBe('INSTRUMENT_INVALID');
    expect(codeOf(defineInstrument({ ...base, qtyMax: '0.001' }))).toBe('INSTRUMENT_INVALID');
  });
});

describe('NewOrderSingle validation: every order type', () => {
  const cases: Array<[string, Partial<NewOrderSingleRequest>]> = [
    ['market', { ordType: 'market', price: undefined }],
    ['limit', {}],
    ['stop-loss', { ordType: 'stop-loss', price: undefined, stopPx: '80000', triggerReference: 'index' }],
    ['stop-loss-limit', { ordType: 'stop-loss-limit', stopPx: '80000' }],
    ['take-profit', { ordType: 'take-profit', price: undefined, stopPx: '90000' }],
    ['take-profit-limit', { ordType: 'take-profit-limit', stopPx: '90000', triggerReference: 'last' }],
    ['trailing-stop', { ordType: 'trailing-stop', price: undefined, stopPx: '500' }],
    ['trailing-stop-limit', { ordType: 'trailing-stop-limit', stopPx: '500', price: '100' }],
    ['iceberg', { displayQty: '0.001', orderQty: '0.015' }],
    ['GTD', { timeInForce: 'GTD', expireTime: NOW_MS + 3_600_000 }],
    ['scheduled', { effectiveTime: NOW_MS + 60_000 }],
    ['latency guard', { validUntilTime: NOW_MS + 10_000 }],
    ['post-only reduce-only', { postOnly: true, reduceOnly: true }],
    ['quote qty', { ordType: 'market', price: undefined, qtyInQuote: true, orderQty: '100' }],
    ['fee in base', { feeCurrency: 'base' }],
    ['STP', { selfTradePrevention: 'cancel-oldest' }],
    ['broker + subid + leverage', { allocAccount: 'SUB1', senderSubID: 'desk1', leverage: true }],
    ['IOC / FOK', { timeInForce: 'FOK' }],
  ];
  for (const [name, over] of cases) {
    it(`accepts ${name} on Spot`, () => expect(nos(spotLimit(over))).toBe('OK'));
  }

  it('accepts Derivatives order types except trailing-stop-limit', () => {
    expect(nos(drvLimit())).toBe('OK');
    expect(nos(drvLimit({ ordType: 'market', price: undefined }))).toBe('OK');
    expect(nos(drvLimit({ ordType: 'trailing-stop', price: undefined, stopPx: '10' }))).toBe('OK');
    expect(nos(drvLimit({ ordType: 'take-profit-limit', stopPx: '2100', reduceOnly: true }))).toBe('OK');
    expect(nos(drvLimit({ timeInForce: 'IOC', validUntilTime: NOW_MS + 5_000 }))).toBe('OK');
  });
});

describe('each validation error code', () => {
  const table: Array<[ValidationErrorCode, () => string]> = [
    ['UNKNOWN_SYMBOL', () => nos(spotLimit({ symbol: 'DOGE/EUR' }))],
    ['CLORDID_INVALID', () => nos(spotLimit({ clOrdID: 'abc' }))],
    ['CLORDID_INVALID', () => nos(drvLimit({ clOrdID: spotId() }))],
    ['CLORDID_REUSED', () => {
      const used = new Set(['1741010972902999']);
      return nos(spotLimit({ clOrdID: '1741010972902999' }), ctx('spot', used));
    }],
    ['UNSUPPORTED_ON_VENUE', () => nos(drvLimit({ ordType: 'trailing-stop-limit', stopPx: '1', price: '1' }))],
    ['UNSUPPORTED_ON_VENUE', () => nos(drvLimit({ timeInForce: 'GTD', expireTime: NOW_MS + 60_000 }))],
    ['UNSUPPORTED_ON_VENUE', () => nos(drvLimit({ displayQty: '0.5' }))],
    ['UNSUPPORTED_ON_VENUE', () => nos(drvLimit({ selfTradePrevention: 'cancel-both' }))],
    ['UNSUPPORTED_ON_VENUE', () => nos(drvLimit({ qtyInQuote: true }))],
    ['UNSUPPORTED_ON_VENUE', () => nos(drvLimit({ leverage: true }))],
    ['UNSUPPORTED_ON_VENUE', () => nos(drvLimit({ effectiveTime: NOW_MS + 60_000 }))],
    ['UNSUPPORTED_ON_VENUE', () => nos(drvLimit({ feeCurrency: 'quote' }))],
    ['UNSUPPORTED_ON_VENUE', () => nos(spotLimit({ singleFee: true }))],
    ['UNSUPPORTED_ON_VENUE', () => nos(drvLimit(), ctx('spot'))],
    ['MISSING_PRICE', () => nos(spotLimit({ price: undefined }))],
    ['MISSING_PRICE', () => nos(spotLimit({ ordType: 'take-profit-limit', stopPx: '90000', price: undefined }))],
    ['MISSING_STOP_PX', () => nos(spotLimit({ ordType: 'stop-loss', price: undefined }))],
    ['MISSING_STOP_PX', () => nos(spotLimit({ ordType: 'trailing-stop-limit' }))],
    ['FIELD_NOT_ALLOWED', () => nos(spotLimit({ ordType: 'market' }))],
    ['FIELD_NOT_ALLOWED', () => nos(spotLimit({ stopPx: '1' }))],
    ['FIELD_NOT_ALLOWED', () => nos(spotLimit({ triggerReference: 'index' }))],
    ['FIELD_NOT_ALLOWED', () => nos(spotLimit({ ordType: 'market', price: undefined, postOnly: true }))],
    ['FIELD_NOT_ALLOWED', () => nos(spotLimit({ expireTime: NOW_MS + 60_000 }))],
    ['INVALID_FIELD', () => nos(spotLimit({ orderQty: '1e-3' }))],
    ['INVALID_FIELD', () => nos(spotLimit({ orderQty: '0' }))],
    ['INVALID_FIELD', () => nos(spotLimit({ price: '-5' }))],
    ['INVALID_FIELD', () => nos(spotLimit({ side: 'short' as never }))],
    ['INVALID_FIELD', () => nos(spotLimit({ allocAccount: 'a\x01b' }))],
    ['PRICE_NOT_ON_TICK', () => nos(spotLimit({ price: '84000.55' }))],
    ['PRICE_NOT_ON_TICK', () => nos(drvLimit({ price: '2000.3' }))],
    ['PRICE_NOT_ON_TICK', () => nos(spotLimit({ ordType: 'stop-loss', price: undefined, stopPx: '80000.01' }))],
    ['QTY_BELOW_MIN', () => nos(spotLimit({ orderQty: '0.00009' }))],
    ['QTY_ABOVE_MAX', () => nos(spotLimit({ orderQty: '1000.1' }))],
    ['QTY_NOT_ON_LOT', () => nos(spotLimit({ orderQty: '0.000000001' }))],
    ['QTY_NOT_ON_LOT', () => nos(drvLimit({ orderQty: '1.505' }))],
    ['COST_BELOW_MIN', () => nos(spotLimit({ symbol: 'ETH/USD', orderQty: '0.002', price: '2000.01' }))],
    ['COST_BELOW_MIN', () => nos(spotLimit({ ordType: 'market', price: undefined, qtyInQuote: true, orderQty: '0.4' }))],
    ['DISPLAY_QTY_INVALID', () => nos(spotLimit({ displayQty: '0.0009', orderQty: '0.015' }))],
    ['DISPLAY_QTY_INVALID', () => nos(spotLimit({ displayQty: '0.02', orderQty: '0.015' }))],
    ['DISPLAY_QTY_INVALID', () => nos(spotLimit({ ordType: 'stop-loss-limit', stopPx: '1', displayQty: '0.01' }))],
    ['MISSING_EXPIRE_TIME', () => nos(spotLimit({ timeInForce: 'GTD' }))],
    ['EXPIRE_TIME_INVALID', () => nos(spotLimit({ timeInForce: 'GTD', expireTime: NOW_MS + 32 * 86_400_000 }))],
    ['EXPIRE_TIME_INVALID', () => nos(spotLimit({ timeInForce: 'GTD', expireTime: NOW_MS - 1 }))],
    ['EFFECTIVE_TIME_INVALID', () => nos(spotLimit({ effectiveTime: NOW_MS - 1_000 }))],
    ['VALID_UNTIL_OUT_OF_RANGE', () => nos(spotLimit({ validUntilTime: NOW_MS + 1_000 }))],
    ['VALID_UNTIL_OUT_OF_RANGE', () => nos(spotLimit({ validUntilTime: NOW_MS + 61_000 }))],
    ['CONFLICTING_INSTRUCTIONS', () => nos(spotLimit({ postOnly: true, timeInForce: 'IOC' }))],
  ];
  for (const [code, run] of table) {
    it(`${code}: ${run.toString().slice(6, 90)}`, () => expect(run()).toBe(code));
  }

  it('iceberg boundary: displayQty exactly qty/15 is accepted', () => {
    expect(nos(spotLimit({ displayQty: '0.001', orderQty: '0.015' }))).toBe('OK');
    expect(nos(spotLimit({ displayQty: '0.00099999', orderQty: '0.015' }))).toBe('DISPLAY_QTY_INVALID');
  });

  it('errors carry a human message and the faulty field', () => {
    const r = validateNewOrderSingle(spotLimit({ price: '84000.55' }), ctx());
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.field).toBe('price');
      expect(r.error.message).toMatch(/84000\.55.*tick size 0\.1.*BTC\/USD/);
    }
  });

  it('never throws on garbage input', () => {
    const garbage = [{}, { symbol: 42 }, { symbol: 'BTC/USD', clOrdID: null }, { symbol: 'BTC/USD', clOrdID: '1', side: 'buy', ordType: 'limit', timeInForce: 'GTC', transactTime: 'x' }];
    for (const g of garbage) expect(() => validateNewOrderSingle(g as never, ctx())).not.toThrow();
    for (const g of garbage) expect(validateNewOrderSingle(g as never, ctx()).ok).toBe(false);
  });
});

describe('MARKET_STATE', () => {
  function withStatus(status: Parameters<ReturnType<typeof makeTable>['setStatus']>[1]) {
    const t = makeTable();
    t.setStatus('BTC/USD', status);
    t.setStatus('PF_ETHUSD', status);
    return t;
  }
  it('cancel_only blocks new and amend, allows cancel', () => {
    const t = withStatus('cancel_only');
    const r = validateNewOrderSingle(spotLimit(), ctx('spot', new Set(), t));
    expect(!r.ok && r.error.code).toBe('MARKET_STATE');
    if (!r.ok && r.error.code === 'MARKET_STATE') {
      expect(r.error.state).toBe('cancel_only');
      expect(r.error.source).toBe('instrument');
    }
    const cancel = validateOrderCancel({ clOrdID: spotId(), origClOrdID: '1', side: 'buy', symbol: 'BTC/USD', transactTime: NOW_MS }, ctx('spot', new Set(), t));
    expect(cancel.ok).toBe(true);
  });
  it('post_only requires post-only limit', () => {
    const t = withStatus('post_only');
    expect(codeOf(validateNewOrderSingle(spotLimit(), ctx('spot', new Set(), t)))).toBe('MARKET_STATE');
    expect(codeOf(validateNewOrderSingle(spotLimit({ postOnly: true }), ctx('spot', new Set(), t)))).toBe('OK');
    expect(codeOf(validateNewOrderSingle(spotLimit({ ordType: 'stop-loss-limit', stopPx: '1', postOnly: true }), ctx('spot', new Set(), t)))).toBe('MARKET_STATE');
  });
  it('maintenance blocks even cancels; limit_only and reduce_only gate types/flags', () => {
    const m = withStatus('maintenance');
    expect(codeOf(validateOrderCancel({ clOrdID: spotId(), orderID: 'O1', side: 'buy', symbol: 'BTC/USD', transactTime: NOW_MS }, ctx('spot', new Set(), m)))).toBe('MARKET_STATE');
    const l = withStatus('limit_only');
    expect(codeOf(validateNewOrderSingle(spotLimit({ ordType: 'market', price: undefined }), ctx('spot', new Set(), l)))).toBe('MARKET_STATE');
    expect(codeOf(validateNewOrderSingle(spotLimit(), ctx('spot', new Set(), l)))).toBe('OK');
    const ro = withStatus('reduce_only');
    expect(codeOf(validateNewOrderSingle(drvLimit(), ctx('derivatives', new Set(), ro)))).toBe('MARKET_STATE');
    expect(codeOf(validateNewOrderSingle(drvLimit({ reduceOnly: true }), ctx('derivatives', new Set(), ro)))).toBe('OK');
    const d = withStatus('delisted');
    expect(codeOf(validateNewOrderSingle(spotLimit(), ctx('spot', new Set(), d)))).toBe('MARKET_STATE');
  });
  it('Spot-wide TradingSessionStatus (340) applies to Spot only', () => {
    const t = makeTable();
    t.spotSessionState = 'cancel_only';
    const r = validateNewOrderSingle(spotLimit(), ctx('spot', new Set(), t));
    expect(!r.ok && r.error.code === 'MARKET_STATE' && r.error.source).toBe('session');
    expect(codeOf(validateNewOrderSingle(drvLimit(), ctx('derivatives', new Set(), t)))).toBe('OK');
    t.spotSessionState = 'maintenance';
    expect(codeOf(validateOrderMassCancel({ clOrdID: spotId(), transactTime: NOW_MS, scope: 'sender' }, ctx('spot', new Set(), t)))).toBe('MARKET_STATE');
  });
});

describe('cancel / amend / status / mass-cancel validation', () => {
  const c = ctx();
  it('cancel needs 37 or 41', () => {
    expect(codeOf(validateOrderCancel({ clOrdID: spotId(), side: 'buy', symbol: 'BTC/USD', transactTime: NOW_MS }, c))).toBe('MISSING_ORDER_REF');
    expect(codeOf(validateOrderCancel({ clOrdID: spotId(), orderID: 'OKWUQF-YPJM2-DTAJHH', side: 'buy', symbol: 'BTC/USD', transactTime: NOW_MS }, c))).toBe('OK');
  });
  const amend = () => ({
    clOrdID: spotId(), orderID: 'OKWUQF-YPJM2-DTAJHH', origClOrdID: '1741010972900000', side: 'buy' as const, symbol: 'BTC/USD',
    transactTime: NOW_MS, orderQty: '0.02', ordType: 'limit' as const, timeInForce: 'GTC' as const, price: '84100',
  });
  it('amend is Spot only, checks tick/lot, allows qty below min, refuses non-amendable changes', () => {
    expect(codeOf(validateOrderCancelReplace(amend(), c))).toBe('OK');
    expect(codeOf(validateOrderCancelReplace({ ...amend(), orderQty: '0.00001' }, c))).toBe('OK');
    expect(codeOf(validateOrderCancelReplace({ ...amend(), price: '84100.01' }, c))).toBe('PRICE_NOT_ON_TICK');
    expect(codeOf(validateOrderCancelReplace({ ...amend(), orderQty: '0.000000001' }, c))).toBe('QTY_NOT_ON_LOT');
    expect(codeOf(validateOrderCancelReplace(amend(), c, { ordType: 'limit', timeInForce: 'IOC', side: 'buy', symbol: 'BTC/USD' }))).toBe('NOT_AMENDABLE');
    expect(codeOf(validateOrderCancelReplace(amend(), c, { ordType: 'limit', timeInForce: 'GTC', side: 'buy', symbol: 'BTC/USD' }))).toBe('OK');
    const d = { ...amend(), clOrdID: drvLimit().clOrdID, symbol: 'PF_ETHUSD', price: '2000' };
    expect(codeOf(validateOrderCancelReplace(d, ctx('derivatives')))).toBe('UNSUPPORTED_ON_VENUE');
  });
  it('status is Spot only and needs OrderID', () => {
    expect(codeOf(validateOrderStatus({ clOrdID: spotId(), orderID: 'OKWUQF-YPJM2-DTAJHH', symbol: 'BTC/USD' }, c))).toBe('OK');
    expect(codeOf(validateOrderStatus({ clOrdID: spotId(), orderID: '', symbol: 'BTC/USD' }, c))).toBe('MISSING_ORDER_REF');
    expect(codeOf(validateOrderStatus({ clOrdID: drvLimit().clOrdID, orderID: 'x', symbol: 'PF_ETHUSD' }, ctx('derivatives')))).toBe('UNSUPPORTED_ON_VENUE');
  });
  it('mass cancel scope rules', () => {
    expect(codeOf(validateOrderMassCancel({ clOrdID: spotId(), transactTime: NOW_MS, scope: 'symbol' }, c))).toBe('MISSING_SYMBOL');
    expect(codeOf(validateOrderMassCancel({ clOrdID: spotId(), transactTime: NOW_MS, scope: 'symbol', symbol: 'BTC/USD' }, c))).toBe('OK');
    expect(codeOf(validateOrderMassCancel({ clOrdID: spotId(), transactTime: NOW_MS, scope: 'session', symbol: 'BTC/USD' }, c))).toBe('FIELD_NOT_ALLOWED');
    expect(codeOf(validateOrderMassCancel({ clOrdID: spotId(), transactTime: NOW_MS, scope: 'all' as never }, c))).toBe('INVALID_FIELD');
    expect(codeOf(validateOrderMassCancel({ clOrdID: drvLimit().clOrdID, transactTime: NOW_MS, scope: 'sender' }, ctx('derivatives')))).toBe('OK');
  });
});
