import { describe, expect, it } from 'vitest';
import {
  prepareNewOrderSingle,
  prepareOrderCancel,
  prepareOrderCancelReplace,
  prepareOrderMassCancel,
  prepareOrderStatus,
} from '../../src/kraken/index.js';
import { NOW_MS, ctx, drvLimit, spotLimit } from './helpers.js';

const TS = '20250303-14:09:32.902';

describe('FIX field lists', () => {
  it('spot limit NewOrderSingle (doc example shape)', () => {
    const r = prepareNewOrderSingle(spotLimit({ clOrdID: '1688738168', orderQty: '0.0100', price: '84000.0' }), ctx());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.msgType).toBe('D');
    expect(r.value.header).toEqual([]);
    expect(r.value.body).toEqual([
      [11, '1688738168'], [40, '2'], [44, '84000'], [38, '0.01'], [54, '1'], [55, 'BTC/USD'], [59, '1'], [60, TS],
    ]);
  });

  it('derivatives order gets 18=s automatically (and keeps P first)', () => {
    const req = drvLimit({ postOnly: true });
    const r = prepareNewOrderSingle(req, ctx('derivatives'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.body).toContainEqual([18, 'P s']);
    expect(r.value.body[0]).toEqual([11, req.clOrdID]);
    const plain = prepareNewOrderSingle(drvLimit(), ctx('derivatives'));
    expect(plain.ok && plain.value.body).toContainEqual([18, 's']);
  });

  it('spot order with every optional field, in order', () => {
    const r = prepareNewOrderSingle(
      spotLimit({
        clOrdID: '1741010972902001', ordType: 'stop-loss-limit', price: '80000', stopPx: '80500', triggerReference: 'index',
        timeInForce: 'GTD', expireTime: NOW_MS + 86_400_000, effectiveTime: NOW_MS + 60_000, validUntilTime: NOW_MS + 5_000,
        reduceOnly: true, postOnly: true, feeCurrency: 'quote', leverage: true, selfTradePrevention: 'cancel-both',
        allocAccount: 'SUB-7', senderSubID: 'desk1',
      }),
      ctx(),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.header).toEqual([[50, 'desk1']]);
    expect(r.value.body).toEqual([
      [11, '1741010972902001'], [40, '4'], [44, '80000'], [38, '0.01'], [54, '1'], [55, 'BTC/USD'], [59, '6'], [60, TS],
      [126, '20250304-14:09:32'], [168, '20250303-14:10:32.902'], [18, 'E P q'], [99, '80500'], [388, '1'], [5001, '1'],
      [7928, '0'], [62, '20250303-14:09:37.902'], [78, '1'], [79, 'SUB-7'],
    ]);
  });

  it('iceberg and quote-qty flags', () => {
    const ice = prepareNewOrderSingle(spotLimit({ orderQty: '1.5', displayQty: '0.1' }), ctx());
    expect(ice.ok && ice.value.body).toContainEqual([1138, '0.1']);
    const q = prepareNewOrderSingle(spotLimit({ ordType: 'market', price: undefined, qtyInQuote: true, orderQty: '250', feeCurrency: 'base' }), ctx());
    expect(q.ok && q.value.body).toContainEqual([18, 'v f']);
    expect(q.ok && q.value.body.some(([t]) => t === 44)).toBe(false);
    const ord = ['market', 'limit', 'stop-loss', 'stop-loss-limit', 'take-profit', 'take-profit-limit', 'trailing-stop', 'trailing-stop-limit'] as const;
    const codes = ['1', '2', '3', '4', 'R', 'T', 'U', 'V'];
    ord.forEach((ot, i) => {
      const needsPrice = ['limit', 'stop-loss-limit', 'take-profit-limit', 'trailing-stop-limit'].includes(ot);
      const r = prepareNewOrderSingle(spotLimit({ ordType: ot, price: needsPrice ? '100' : undefined, stopPx: ot === 'market' || ot === 'limit' ? undefined : '200' }), ctx());
      expect(r.ok && r.value.body[1]).toEqual([40, codes[i]]);
    });
  });

  it('cancel, amend, status and mass cancel', () => {
    const c = prepareOrderCancel({ clOrdID: '1741010972902100', orderID: 'OKWUQF-YPJM2-DTAJHH', origClOrdID: '1688738168', side: 'sell', symbol: 'BTC/USD', transactTime: NOW_MS }, ctx());
    expect(c.ok && c.value).toEqual({ msgType: 'F', header: [], body: [[11, '1741010972902100'], [37, 'OKWUQF-YPJM2-DTAJHH'], [41, '1688738168'], [54, '2'], [55, 'BTC/USD'], [60, TS]] });
    const g = prepareOrderCancelReplace({
      clOrdID: '1741010972902101', orderID: 'OKWUQF-YPJM2-DTAJHH', origClOrdID: '1688738168', side: 'buy', symbol: 'BTC/USD', transactTime: NOW_MS,
      orderQty: '0.5', ordType: 'limit', timeInForce: 'GTC', price: '84000.1', postOnly: true, displayQty: '0.05', validUntilTime: NOW_MS + 3_000,
    }, ctx());
    expect(g.ok && g.value.body).toEqual([
      [11, '1741010972902101'], [37, 'OKWUQF-YPJM2-DTAJHH'], [41, '1688738168'], [54, '1'], [55, 'BTC/USD'], [60, TS], [38, '0.5'], [40, '2'], [59, '1'],
      [44, '84000.1'], [1138, '0.05'], [18, 'P'], [62, '20250303-14:09:35.902'],
    ]);
    const h = prepareOrderStatus({ clOrdID: '1741010972902102', orderID: 'OKWUQF-YPJM2-DTAJHH', symbol: 'BTC/USD', side: 'buy', transactTime: NOW_MS }, ctx());
    expect(h.ok && h.value).toEqual({ msgType: 'H', header: [], body: [[11, '1741010972902102'], [37, 'OKWUQF-YPJM2-DTAJHH'], [55, 'BTC/USD'], [54, '1'], [60, TS]] });
    const q1 = prepareOrderMassCancel({ clOrdID: '1741010972902103', transactTime: NOW_MS, scope: 'symbol', symbol: 'BTC/USD' }, ctx());
    expect(q1.ok && q1.value.body).toEqual([[11, '1741010972902103'], [530, '1'], [55, 'BTC/USD'], [60, TS]]);
    const q7 = prepareOrderMassCancel({ clOrdID: '1741010972902104', transactTime: NOW_MS, scope: 'sender' }, ctx());
    expect(q7.ok && q7.value.body).toEqual([[11, '1741010972902104'], [530, '7'], [60, TS]]);
    const bad = prepareOrderCancel({ clOrdID: '1741010972902105', side: 'sell', symbol: 'BTC/USD', transactTime: NOW_MS }, ctx());
    expect(!bad.ok && bad.error.code).toBe('MISSING_ORDER_REF');
  });
});
