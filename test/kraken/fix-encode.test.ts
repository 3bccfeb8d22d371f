// Encoding of every Kraken request into a session-begun FixEncoder: the body must be exactly the expected
// field list (written out literally here, independent of the builders), the typed writers must produce the
// same bytes as the plan path, and the frame must parse back (BodyLength, CheckSum).

import { describe, expect, it } from 'vitest';
import { FixEncoder, FixFramer, getDictionary, type MessageView } from '../../src/codec/index.js';
import {
  type NewOrderSingleRequest,
  type OrderCancelReplaceRequest,
  type OrderCancelRequest,
  type OrderMassCancelRequest,
  type OrderStatusRequest,
  type ValidationContext,
  newOrderSingleFields,
  orderCancelFields,
  orderCancelReplaceFields,
  orderMassCancelFields,
  orderStatusFields,
  validateNewOrderSingle,
  validateOrderCancel,
  validateOrderCancelReplace,
  validateOrderMassCancel,
  validateOrderStatus,
} from '../../src/kraken/index.js';
import {
  MSG_TYPE_CODE,
  marketDataRequestPlan,
  securityListRequestPlan,
  tradingSessionStatusRequestPlan,
  writeDecimal,
  writeNewOrderSingle,
  writeOrderCancel,
  writeOrderCancelReplace,
  writeOrderMassCancel,
  writeOrderStatus,
  writePlan,
} from '../../src/kraken/fix/index.js';
import type { FixMessagePlan } from '../../src/kraken/types.js';
import { NOW_MS, ctx as makeCtx } from './helpers.js';

const SEND_US = NOW_MS * 1000;
const HEADER_END = '56=KRAKEN-TRD|';
const T = '20250303-14:09:32.902'; // NOW_MS

function encoder(): FixEncoder {
  return new FixEncoder({ senderCompID: 'CLIENT', targetCompID: 'KRAKEN-TRD' });
}

/** Full message text ('|' for SOH) after writing the body with `write` into a begun encoder. */
function encode(msgType: string, write: (enc: FixEncoder) => void): string {
  const enc = encoder();
  enc.begin(msgType.charCodeAt(0), 7, SEND_US);
  write(enc);
  enc.finish();
  return Buffer.from(enc.message()).toString('latin1').replace(/\x01/g, '|');
}

/** The part between the standard header and the CheckSum. */
function bodyOf(text: string): string {
  const from = text.indexOf(HEADER_END) + HEADER_END.length;
  const to = text.lastIndexOf('10=');
  return text.slice(from, to);
}

/** Parses with the Kraken dictionary; returns [tag, value] pairs or throws on a framing error. */
function parse(text: string): [number, string][] {
  const framer = new FixFramer(getDictionary({ kraken: true }));
  let fields: [number, string][] | null = null;
  framer.push(Buffer.from(text.replace(/\|/g, '\x01'), 'latin1'), {
    onMessage: (v: MessageView) => void (fields = v.toFields()),
    onError: (e) => {
      throw new Error(`framing error ${e.code}: ${e.detail}`);
    },
  });
  if (fields === null) throw new Error('no message');
  return fields;
}

function both(msgType: string, plan: FixMessagePlan, typed: (enc: FixEncoder) => void): string {
  const viaPlan = encode(msgType, (enc) => writePlan(enc, plan));
  const viaTyped = encode(msgType, typed);
  expect(viaTyped).toBe(viaPlan);
  expect(parse(viaPlan).length).toBeGreaterThan(6);
  return bodyOf(viaPlan);
}

const spot = (): ValidationContext => makeCtx('spot');

function nos(over: Partial<NewOrderSingleRequest>, c: ValidationContext = spot()): string {
  const req: NewOrderSingleRequest = {
    clOrdID: '1001', symbol: 'BTC/USD', side: 'buy', ordType: 'limit', orderQty: '0.0100', price: '84000.50',
    timeInForce: 'GTC', transactTime: NOW_MS, ...over,
  };
  const v = validateNewOrderSingle(req, c);
  if (!v.ok) throw new Error(v.error.message);
  return both('D', newOrderSingleFields(v.value), (enc) => writeNewOrderSingle(enc, v.value));
}

describe('NewOrderSingle D: every order type and option, byte for byte', () => {
  const cases: Array<[string, Partial<NewOrderSingleRequest>, string]> = [
    ['market', { ordType: 'market', price: undefined }, `11=1001|40=1|38=0.01|54=1|55=BTC/USD|59=1|60=${T}|`],
    ['limit', {}, `11=1001|40=2|44=84000.5|38=0.01|54=1|55=BTC/USD|59=1|60=${T}|`],
    ['stop-loss + index trigger', { ordType: 'stop-loss', price: undefined, stopPx: '80000', triggerReference: 'index', side: 'sell' },
      `11=1001|40=3|38=0.01|54=2|55=BTC/USD|59=1|60=${T}|99=80000|388=1|`],
    ['stop-loss-limit', { ordType: 'stop-loss-limit', price: '79000', stopPx: '80000', side: 'sell' },
      `11=1001|40=4|44=79000|38=0.01|54=2|55=BTC/USD|59=1|60=${T}|99=80000|`],
    ['take-profit + last trigger', { ordType: 'take-profit', price: undefined, stopPx: '90000.1', triggerReference: 'last', side: 'sell' },
      `11=1001|40=R|38=0.01|54=2|55=BTC/USD|59=1|60=${T}|99=90000.1|388=5|`],
    ['take-profit-limit', { ordType: 'take-profit-limit', price: '90100', stopPx: '90000', side: 'sell' },
      `11=1001|40=T|44=90100|38=0.01|54=2|55=BTC/USD|59=1|60=${T}|99=90000|`],
    ['trailing-stop', { ordType: 'trailing-stop', price: undefined, stopPx: '250', side: 'sell' },
      `11=1001|40=U|38=0.01|54=2|55=BTC/USD|59=1|60=${T}|99=250|`],
    ['trailing-stop-limit', { ordType: 'trailing-stop-limit', price: '100', stopPx: '250', side: 'sell' },
      `11=1001|40=V|44=100|38=0.01|54=2|55=BTC/USD|59=1|60=${T}|99=250|`],
    ['iceberg', { orderQty: '0.15', displayQty: '0.01' }, `11=1001|40=2|44=84000.5|38=0.15|1138=0.01|54=1|55=BTC/USD|59=1|60=${T}|`],
    ['IOC', { timeInForce: 'IOC' }, `11=1001|40=2|44=84000.5|38=0.01|54=1|55=BTC/USD|59=3|60=${T}|`],
    ['FOK', { timeInForce: 'FOK' }, `11=1001|40=2|44=84000.5|38=0.01|54=1|55=BTC/USD|59=4|60=${T}|`],
    ['GTD + ExpireTime (no ms)', { timeInForce: 'GTD', expireTime: NOW_MS + 86_400_000 },
      `11=1001|40=2|44=84000.5|38=0.01|54=1|55=BTC/USD|59=6|60=${T}|126=20250304-14:09:32|`],
    ['EffectiveTime', { effectiveTime: NOW_MS + 60_000 }, `11=1001|40=2|44=84000.5|38=0.01|54=1|55=BTC/USD|59=1|60=${T}|168=20250303-14:10:32.902|`],
    ['ValidUntilTime', { validUntilTime: NOW_MS + 30_000 }, `11=1001|40=2|44=84000.5|38=0.01|54=1|55=BTC/USD|59=1|60=${T}|62=20250303-14:10:02.902|`],
    ['post-only + reduce-only', { postOnly: true, reduceOnly: true }, `11=1001|40=2|44=84000.5|38=0.01|54=1|55=BTC/USD|59=1|60=${T}|18=E P|`],
    ['quote qty + fee in quote', { ordType: 'market', price: undefined, orderQty: '100', qtyInQuote: true, feeCurrency: 'quote' },
      `11=1001|40=1|38=100|54=1|55=BTC/USD|59=1|60=${T}|18=v q|`],
    ['STP cancel-both', { selfTradePrevention: 'cancel-both' }, `11=1001|40=2|44=84000.5|38=0.01|54=1|55=BTC/USD|59=1|60=${T}|7928=0|`],
    ['STP cancel-newest', { selfTradePrevention: 'cancel-newest' }, `11=1001|40=2|44=84000.5|38=0.01|54=1|55=BTC/USD|59=1|60=${T}|7928=1|`],
    ['STP cancel-oldest', { selfTradePrevention: 'cancel-oldest' }, `11=1001|40=2|44=84000.5|38=0.01|54=1|55=BTC/USD|59=1|60=${T}|7928=2|`],
    ['SenderSubID in the header', { senderSubID: 'desk-7' }, `50=desk-7|11=1001|40=2|44=84000.5|38=0.01|54=1|55=BTC/USD|59=1|60=${T}|`],
    ['broker allocation', { allocAccount: 'sub-42' }, `11=1001|40=2|44=84000.5|38=0.01|54=1|55=BTC/USD|59=1|60=${T}|78=1|79=sub-42|`],
    ['leverage', { leverage: true }, `11=1001|40=2|44=84000.5|38=0.01|54=1|55=BTC/USD|59=1|60=${T}|5001=1|`],
  ];
  for (const [name, over, expected] of cases) {
    it(name, () => expect(nos(over)).toBe(expected));
  }

  it('Derivatives limit gets the mandatory single-fee flag', () => {
    const id = '0182e6b1-9a4c-4def-8abc-0123456789ab';
    const c: ValidationContext = { ...makeCtx('derivatives'), checkClOrdIdTimestamp: false };
    expect(nos({ clOrdID: id, symbol: 'PF_ETHUSD', side: 'sell', orderQty: '1.50', price: '2000.5', postOnly: true }, c)).toBe(
      `11=${id}|40=2|44=2000.5|38=1.5|54=2|55=PF_ETHUSD|59=1|60=${T}|18=P s|`,
    );
  });

  it('ExecInst flags in a non-canonical order are written as given, like the plan path', () => {
    const v = validateNewOrderSingle({ clOrdID: '1001', symbol: 'BTC/USD', side: 'buy', ordType: 'limit', orderQty: '0.01', price: '84000.5', timeInForce: 'GTC', transactTime: NOW_MS }, spot());
    if (!v.ok) throw new Error(v.error.message);
    for (const flags of [['P', 'E'], ['E', 'x'], ['q']]) {
      const odd = { ...v.value, execInst: flags };
      expect(both('D', newOrderSingleFields(odd), (enc) => writeNewOrderSingle(enc, odd))).toContain(`|18=${flags.join(' ')}|`);
    }
  });

  it('the whole frame has the session header first and a correct trailer', () => {
    const fields = parse(encode('D', (enc) => writePlan(enc, { msgType: 'D', header: [[50, 'x']], body: [[11, '1']] })));
    expect(fields.map(([t]) => t)).toEqual([8, 9, 35, 34, 49, 52, 56, 50, 11, 10]);
    expect(fields[2]).toEqual([35, 'D']);
    expect(fields[3]).toEqual([34, '7']);
  });
});

describe('order management requests, byte for byte', () => {
  it('OrderCancelRequest F with OrderID and OrigClOrdID', () => {
    const req: OrderCancelRequest = { clOrdID: '1002', orderID: 'OKWUQF-YPJM2-DTAJHH', origClOrdID: '1001', side: 'buy', symbol: 'BTC/USD', transactTime: NOW_MS };
    const v = validateOrderCancel(req, spot());
    if (!v.ok) throw new Error(v.error.message);
    expect(both('F', orderCancelFields(v.value), (enc) => writeOrderCancel(enc, v.value))).toBe(
      `11=1002|37=OKWUQF-YPJM2-DTAJHH|41=1001|54=1|55=BTC/USD|60=${T}|`,
    );
  });

  it('OrderCancelReplaceRequest G', () => {
    const req: OrderCancelReplaceRequest = {
      clOrdID: '1003', orderID: 'OKWUQF-YPJM2-DTAJHH', origClOrdID: '1001', side: 'buy', symbol: 'BTC/USD', transactTime: NOW_MS,
      orderQty: '0.15', ordType: 'limit', timeInForce: 'GTC', price: '84001.0', displayQty: '0.01', postOnly: true,
      validUntilTime: NOW_MS + 10_000, senderSubID: 'desk-7',
    };
    const v = validateOrderCancelReplace(req, spot());
    if (!v.ok) throw new Error(v.error.message);
    expect(both('G', orderCancelReplaceFields(v.value), (enc) => writeOrderCancelReplace(enc, v.value))).toBe(
      `50=desk-7|11=1003|37=OKWUQF-YPJM2-DTAJHH|41=1001|54=1|55=BTC/USD|60=${T}|38=0.15|40=2|59=1|44=84001|1138=0.01|18=P|62=20250303-14:09:42.902|`,
    );
  });

  it('OrderStatusRequest H', () => {
    const req: OrderStatusRequest = { clOrdID: '1004', orderID: 'OKWUQF-YPJM2-DTAJHH', symbol: 'BTC/USD', side: 'sell', transactTime: NOW_MS };
    const v = validateOrderStatus(req, spot());
    if (!v.ok) throw new Error(v.error.message);
    expect(both('H', orderStatusFields(v.value), (enc) => writeOrderStatus(enc, v.value))).toBe(
      `11=1004|37=OKWUQF-YPJM2-DTAJHH|55=BTC/USD|54=2|60=${T}|`,
    );
  });

  for (const [scope, symbol, expected] of [
    ['symbol', 'BTC/USD', `11=1005|530=1|55=BTC/USD|60=${T}|`],
    ['session', undefined, `11=1005|530=6|60=${T}|`],
    ['sender', undefined, `11=1005|530=7|60=${T}|`],
  ] as const) {
    it(`OrderMassCancelRequest q scope ${scope}`, () => {
      const req: OrderMassCancelRequest = { clOrdID: '1005', scope, transactTime: NOW_MS, ...(symbol ? { symbol } : {}) };
      const v = validateOrderMassCancel(req, spot());
      if (!v.ok) throw new Error(v.error.message);
      expect(both('q', orderMassCancelFields(v.value), (enc) => writeOrderMassCancel(enc, v.value))).toBe(expected);
    });
  }
});

describe('market data and reference data requests', () => {
  it('MarketDataRequest V (the doc example fields)', () => {
    const p = marketDataRequestPlan({ mdReqID: '1', symbols: ['BTC/USD'], subscribe: true, depth: 0, trades: true });
    if (!p.ok) throw new Error(p.error.message);
    expect(bodyOf(encode('V', (enc) => writePlan(enc, p.value)))).toBe('262=1|263=1|264=0|265=1|267=3|269=0|269=1|269=2|146=1|55=BTC/USD|');
  });

  it('MarketDataRequest V: L3, two symbols, unsubscribe', () => {
    const p = marketDataRequestPlan({ mdReqID: 'md-2', symbols: ['BTC/USD', 'ETH/USD'], subscribe: false, depth: 10, level: 'L3' });
    if (!p.ok) throw new Error(p.error.message);
    expect(bodyOf(encode('V', (enc) => writePlan(enc, p.value)))).toBe('262=md-2|263=2|264=10|265=1|266=N|267=2|269=0|269=1|146=2|55=BTC/USD|55=ETH/USD|');
  });

  it('MarketDataRequest refuses what Kraken rejects', () => {
    const l3trades = marketDataRequestPlan({ mdReqID: '1', symbols: ['BTC/USD'], subscribe: true, depth: 0, level: 'L3', trades: true });
    expect(l3trades.ok ? null : l3trades.error.code).toBe('CONFLICTING_INSTRUCTIONS');
    const depth = marketDataRequestPlan({ mdReqID: '1', symbols: ['BTC/USD'], subscribe: true, depth: 7 as never });
    expect(depth.ok ? null : depth.error.field).toBe('depth');
    const none = marketDataRequestPlan({ mdReqID: '1', symbols: [], subscribe: true, depth: 0 });
    expect(none.ok).toBe(false);
  });

  it('SecurityListRequest x: all, one symbol, by type', () => {
    const all = securityListRequestPlan({ securityReqID: 'il-1', scope: 'all', subscription: 'snapshot+updates' });
    const one = securityListRequestPlan({ securityReqID: 'il-2', scope: 'symbol', symbol: 'BTC/USD' });
    const byType = securityListRequestPlan({ securityReqID: 'il-3', scope: 'security-type', securityType: 'CASH' });
    if (!all.ok || !one.ok || !byType.ok) throw new Error('plans');
    expect(bodyOf(encode('x', (enc) => writePlan(enc, all.value)))).toBe('320=il-1|559=4|263=1|');
    expect(bodyOf(encode('x', (enc) => writePlan(enc, one.value)))).toBe('320=il-2|559=0|55=BTC/USD|');
    expect(bodyOf(encode('x', (enc) => writePlan(enc, byType.value)))).toBe('320=il-3|559=1|167=CASH|');
    const missing = securityListRequestPlan({ securityReqID: 'il-4', scope: 'symbol' });
    expect(missing.ok ? null : missing.error.code).toBe('MISSING_FIELD');
  });

  it('TradingSessionStatusRequest g', () => {
    const p = tradingSessionStatusRequestPlan({ tradSesReqID: 'ts-1', subscription: 'snapshot+updates' });
    if (!p.ok) throw new Error(p.error.message);
    expect(bodyOf(encode('g', (enc) => writePlan(enc, p.value)))).toBe('335=ts-1|336=SESSION|263=1|');
  });

  it('MSG_TYPE_CODE packs MsgTypes as the encoder and view do', () => {
    expect(MSG_TYPE_CODE.NewOrderSingle).toBe(0x44);
    expect(MSG_TYPE_CODE.SecurityList).toBe('y'.charCodeAt(0));
  });
});

describe('writeDecimal', () => {
  const w = (m: bigint, s: number) => bodyOf(encode('D', (enc) => writeDecimal(enc, 44, { m, s })));
  it('matches formatDecimalTrimmed: trailing zeros dropped, zero, negatives, tiny and huge values', () => {
    expect(w(8400050n, 2)).toBe('44=84000.5|');
    expect(w(0n, 5)).toBe('44=0|');
    expect(w(-120n, 3)).toBe('44=-0.12|');
    expect(w(1n, 8)).toBe('44=0.00000001|');
    expect(w(500n, 0)).toBe('44=500|');
    // Beyond 2^53: falls back to exact text.
    expect(w(123456789012345678901n, 4)).toBe('44=12345678901234567.8901|');
  });
});
