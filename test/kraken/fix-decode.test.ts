// Decoding Kraken's inbound messages from wire fixtures into the OMS's inputs and the instrument table:
// every documented ExecType through the OMS, both BusinessMessageReject text formats, session Reject and
// OrderCancelReject, SecurityList entries with exact tick/lot, TradingSessionStatus, and bad input.

import { describe, expect, it } from 'vitest';
import { FixFramer, getDictionary, type MessageView } from '../../src/codec/index.js';
import { Oms, OrderState, formatDecimalTrimmed, type OmsEvent } from '../../src/kraken/index.js';
import {
  decodeBusinessReject,
  decodeExecutionReport,
  decodeOrderCancelReject,
  decodeSecurityList,
  decodeSessionReject,
  decodeTradingSessionStatus,
} from '../../src/kraken/fix/index.js';
import { NOW_MS } from './helpers.js';

/** A complete frame from `35=..|...|` body text ('|' = SOH); BodyLength and CheckSum computed. */
function wire(body: string, seq = 5): Buffer {
  const b = `${body.split('|')[0]}|49=KRAKEN-TRD|56=CLIENT|34=${seq}|52=20250303-14:09:33.000|${body.slice(body.indexOf('|') + 1)}|`.replace(/\|/g, '\x01');
  const head = `8=FIX.4.4\x019=${b.length}\x01`;
  let sum = 0;
  for (const c of Buffer.from(head + b, 'latin1')) sum += c;
  return Buffer.from(`${head}${b}10=${String(sum % 256).padStart(3, '0')}\x01`, 'latin1');
}

/** Frames `body` with the Kraken dictionary and runs `fn` on the view (valid only inside the callback). */
function withView<T>(body: string, fn: (v: MessageView) => T, kraken = true): T {
  const framer = new FixFramer(getDictionary({ kraken }));
  let out: { v: T } | null = null;
  framer.push(wire(body), {
    onMessage: (v) => void (out = { v: fn(v) }),
    onError: (e) => {
      throw new Error(`fixture does not frame: ${e.detail}`);
    },
  });
  if (out === null) throw new Error('no message');
  return (out as { v: T }).v;
}

function applyER(oms: Oms, body: string): OmsEvent {
  return withView(body, (v) => {
    const r = decodeExecutionReport(v);
    if (!r.ok) throw new Error(r.error.message);
    return oms.onExecutionReport(r.value);
  });
}

let clock = 1_000_000;
function newOms(): Oms {
  return new Oms({ venue: 'spot', nowUs: () => clock });
}
function place(oms: Oms, clOrdID: string, over: Record<string, unknown> = {}) {
  const r = oms.trackNewOrder({
    clOrdID, symbol: 'BTC/USD', side: 'buy', ordType: 'limit', orderQty: '0.5', price: '84000.5', timeInForce: 'GTC', transactTime: NOW_MS, ...over,
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
const d = formatDecimalTrimmed;
const OID = 'OKWUQF-YPJM2-DTAJHH';
const ER = (rest: string) => `35=8|37=${OID}|${rest}|54=1|55=BTC/USD|40=2|44=84000.5|38=0.5|60=20250303-14:09:33.001`;

describe('ExecutionReport 8 -> OMS, one fixture per ExecType Kraken documents', () => {
  it('A pending new -> 0 new -> F partial -> D restated -> 5 replaced -> I status -> F filled', () => {
    const oms = newOms();
    const o = place(oms, '1001');

    let ev = applyER(oms, ER('11=1001|17=E1|150=A|39=A|14=0|151=0.5|6=0'));
    expect(ev.kind).toBe('execution');
    expect(o.state).toBe(OrderState.PendingNew);
    expect(o.orderID).toBe(OID);

    ev = applyER(oms, ER('11=1001|17=E2|150=0|39=0|14=0|151=0.5|6=0'));
    expect(o.state).toBe(OrderState.New);

    ev = applyER(oms, ER('11=1001|17=E3|527=88812|150=F|39=1|31=84000.5|32=0.2|14=0.2|151=0.3|6=84000.5'));
    expect(ev.kind === 'execution' && ev.fill !== null ? [d(ev.fill.lastQty), d(ev.fill.lastPx)] : null).toEqual(['0.2', '84000.5']);
    expect(o.state).toBe(OrderState.PartiallyFilled);
    expect(d(o.cumQty)).toBe('0.2');
    expect(d(o.leavesQty)).toBe('0.3');

    ev = applyER(oms, ER('11=1001|17=E4|150=D|39=1|14=0.2|151=0.3|6=84000.5'));
    expect(ev.kind === 'execution' ? ev.execType : null).toBe('D');
    expect(o.state).toBe(OrderState.PartiallyFilled);

    // Amend quantity up to 0.6: the replace ER carries the new ClOrdID and the old one in 41.
    const tr = oms.trackReplace({
      clOrdID: '1002', orderID: OID, origClOrdID: '1001', side: 'buy', symbol: 'BTC/USD', transactTime: NOW_MS,
      orderQty: '0.6', ordType: 'limit', timeInForce: 'GTC', price: '84000.5',
    });
    expect(tr.ok).toBe(true);
    ev = applyER(oms, ER('11=1002|41=1001|17=E5|150=5|39=5|14=0.2|151=0.4|6=84000.5').replace('38=0.5', '38=0.6'));
    expect(ev.kind === 'execution' ? ev.anomalies : null).toEqual([]);
    expect(o.clOrdID).toBe('1002');
    expect(d(o.orderQty)).toBe('0.6');
    expect(o.state).toBe(OrderState.PartiallyFilled);

    ev = applyER(oms, ER('11=1002|17=E6|150=I|39=1|14=0.2|151=0.4|6=84000.5'));
    expect(ev.kind === 'execution' ? ev.execType : null).toBe('I');
    expect(o.state).toBe(OrderState.PartiallyFilled);

    ev = applyER(oms, ER('11=1002|17=E7|150=F|39=2|31=84000.4|32=0.4|14=0.6|151=0|6=84000.433333333333'));
    expect(o.state).toBe(OrderState.Filled);
    expect(d(o.cumQty)).toBe('0.6');
    expect(o.fillCount).toBe(2);

    // The same ExecID again (a replay) is recognised, not re-applied.
    expect(applyER(oms, ER('11=1002|17=E7|150=F|39=2|31=84000.4|32=0.4|14=0.6|151=0|6=84000.4')).kind).toBe('duplicate');
  });

  it('4 canceled (requested cancel, with OrigClOrdID)', () => {
    const oms = newOms();
    const o = place(oms, '2001');
    applyER(oms, ER('11=2001|17=C1|150=0|39=0|14=0|151=0.5|6=0'));
    expect(oms.trackCancel({ clOrdID: '2002', origClOrdID: '2001', orderID: OID, side: 'buy', symbol: 'BTC/USD', transactTime: NOW_MS }).ok).toBe(true);
    const ev = applyER(oms, ER('11=2002|41=2001|17=C2|150=4|39=4|14=0|151=0|6=0'));
    expect(ev.kind === 'execution' ? ev.unsolicited : null).toBe(false);
    expect(o.state).toBe(OrderState.Canceled);
    expect(o.pendingCancel).toBeNull();
  });

  it('4 canceled without a request is unsolicited (post-acceptance failure), with the reason text', () => {
    const oms = newOms();
    const o = place(oms, '2101');
    applyER(oms, ER('11=2101|17=U1|150=0|39=0|14=0|151=0.5|6=0'));
    const ev = applyER(oms, ER('11=2101|17=U2|150=4|39=4|14=0|151=0|6=0|58=EOrder:Insufficient funds'));
    expect(ev.kind === 'execution' ? ev.unsolicited : null).toBe(true);
    expect(o.state).toBe(OrderState.Canceled);
    expect(o.lastText).toBe('EOrder:Insufficient funds');
  });

  it('C expired (GTD)', () => {
    const oms = newOms();
    const o = place(oms, '3001', { timeInForce: 'GTD', expireTime: NOW_MS + 60_000 });
    applyER(oms, ER('11=3001|17=X1|150=0|39=0|14=0|151=0.5|6=0'));
    applyER(oms, ER('11=3001|17=X2|150=C|39=C|14=0|151=0|6=0'));
    expect(o.state).toBe(OrderState.Expired);
  });

  it('decodes every §4.6 field (and the third-party ones) of a fill', () => {
    const r = withView(
      `35=8|37=${OID}|527=88812|11=1001|41=1000|17=E9|150=F|39=1|18=P|54=2|55=BTC/USD|38=0.5|40=2|44=84000.5|99=83000|59=6|` +
        `32=0.2|31=84000.5|151=0.3|14=0.2|6=84000.5|60=20250303-14:09:33.001|381=16800.1|58=sell 0.5 BTC/USD @ limit 84000.5|` +
        `136=2|137=0.42|138=USD|139=4|137=0.01|138=BTC|1138=0.1|1003=T-77|5050=M`,
      decodeExecutionReport,
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({
      execID: 'E9', execType: 'F', ordStatus: '1', clOrdID: '1001', origClOrdID: '1000', orderID: OID, symbol: 'BTC/USD',
      orderQty: '0.5', price: '84000.5', stopPx: '83000', cumQty: '0.2', leavesQty: '0.3', avgPx: '84000.5', lastQty: '0.2', lastPx: '84000.5',
      text: 'sell 0.5 BTC/USD @ limit 84000.5', secondaryExecID: '88812', ordType: '2', side: '2', timeInForce: '6', execInst: 'P',
      displayQty: '0.1', grossTradeAmt: '16800.1', tradeID: 'T-77', liquidityIndicator: 'M',
      transactTimeMicros: Date.UTC(2025, 2, 3, 14, 9, 33, 1) * 1000,
    });
    expect(r.value.fees).toEqual([
      { amt: '0.42', curr: 'USD', type: '4' },
      { amt: '0.01', curr: 'BTC', type: undefined },
    ]);
  });

  it('missing ExecID / ExecType / OrdStatus and the wrong MsgType are typed errors', () => {
    const err = (body: string) => withView(body, (v) => {
      const r = decodeExecutionReport(v);
      return r.ok ? null : [r.error.code, r.error.tag];
    });
    expect(err(`35=8|37=${OID}|150=0|39=0|54=1|151=1|14=0|6=0`)).toEqual(['MISSING_FIELD', 17]);
    expect(err(`35=8|37=${OID}|17=E|39=0|54=1|151=1|14=0|6=0`)).toEqual(['MISSING_FIELD', 150]);
    expect(err(`35=8|37=${OID}|17=E|150=0|54=1|151=1|14=0|6=0`)).toEqual(['MISSING_FIELD', 39]);
    expect(err('35=j|45=3|372=D|380=0')).toEqual(['WRONG_MSG_TYPE', 35]);
  });
});

describe('BusinessMessageReject j', () => {
  function reject(oms: Oms, body: string): OmsEvent {
    return withView(body, (v) => {
      const r = decodeBusinessReject(v);
      if (!r.ok) throw new Error(r.error.message);
      return oms.onBusinessReject(r.value);
    });
  }

  it('older text format: "<ClOrdID> : EOrder:..." (matched by 379, and by the prefix alone)', () => {
    const oms = newOms();
    const o = place(oms, '1688738737');
    const ev = reject(oms, '35=j|45=12|372=D|379=1688738737|380=0|58=1688738737 : EOrder:Insufficient funds');
    expect(ev.kind).toBe('order-rejected');
    if (ev.kind !== 'order-rejected') return;
    expect(ev.reject.kraken).toMatchObject({ clOrdID: '1688738737', category: 'EOrder', kind: 'INSUFFICIENT_FUNDS', detail: 'Insufficient funds' });
    expect(ev.reject.reasonCode).toBe(0);
    expect(o.state).toBe(OrderState.Rejected);

    const oms2 = newOms();
    const o2 = place(oms2, '1688738737');
    expect(reject(oms2, '35=j|45=12|372=D|380=0|58=1688738737 : EOrder:Insufficient funds').kind).toBe('order-rejected');
    expect(o2.state).toBe(OrderState.Rejected);
  });

  it('newer text format: "EOrder:..." (matched by 379)', () => {
    const oms = newOms();
    const o = place(oms, '1688738738');
    const ev = reject(oms, '35=j|45=13|372=D|379=1688738738|380=0|58=EOrder:Insufficient funds');
    expect(ev.kind === 'order-rejected' ? [ev.reject.kraken.clOrdID, ev.reject.kraken.kind, ev.reject.text] : null).toEqual([
      null, 'INSUFFICIENT_FUNDS', 'EOrder:Insufficient funds',
    ]);
    expect(o.state).toBe(OrderState.Rejected);
  });

  it('decodes every field', () => {
    const r = withView('35=j|45=13|372=H|379=55|380=101|58=EOrder:Unknown order', decodeBusinessReject);
    expect(r).toEqual({ ok: true, value: { refSeqNum: 13, refMsgType: 'H', businessRejectRefID: '55', businessRejectReason: 101, text: 'EOrder:Unknown order' } });
  });
});

describe('session Reject 3 and OrderCancelReject 9', () => {
  it('Reject 3 refers to our MsgSeqNum and rejects that order', () => {
    const oms = newOms();
    const o = place(oms, '4001');
    oms.recordSent('4001', 12);
    const ev = withView('35=3|45=12|371=54|372=D|373=1|58=Missing mandatory field: Side (54)', (v) => {
      const r = decodeSessionReject(v);
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value).toEqual({ refSeqNum: 12, refMsgType: 'D', refTagID: 54, sessionRejectReason: 1, text: 'Missing mandatory field: Side (54)' });
      return oms.onSessionReject(r.value);
    });
    expect(ev.kind).toBe('order-rejected');
    expect(o.state).toBe(OrderState.Rejected);
  });

  it('Reject without RefSeqNum is a typed error', () => {
    const r = withView('35=3|58=x', decodeSessionReject);
    expect(r.ok ? null : r.error).toMatchObject({ code: 'MISSING_FIELD', tag: 45 });
  });

  it('OrderCancelReject 9 clears the pending cancel', () => {
    const oms = newOms();
    const o = place(oms, '5001');
    applyER(oms, ER('11=5001|17=K1|150=0|39=0|14=0|151=0.5|6=0'));
    oms.trackCancel({ clOrdID: '5002', origClOrdID: '5001', side: 'buy', symbol: 'BTC/USD', transactTime: NOW_MS });
    expect(o.pendingCancel).not.toBeNull();
    const ev = withView(`35=9|37=${OID}|11=5002|41=5001|39=0|434=1|102=0|58=too late`, (v) => {
      const r = decodeOrderCancelReject(v);
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value).toEqual({ clOrdID: '5002', origClOrdID: '5001', orderID: OID, ordStatus: '0', cxlRejResponseTo: '1', cxlRejReason: 0, text: 'too late' });
      return oms.onOrderCancelReject(r.value);
    });
    expect(ev.kind).toBe('cancel-rejected');
    expect(o.pendingCancel).toBeNull();
    expect(o.state).toBe(OrderState.New);
  });
});

describe('SecurityList y -> instruments', () => {
  const LIST =
    '35=y|320=il-1|322=r-1|560=0|146=3|' +
    '55=BTC/USD|562=0.00000001|5010=8|5011=0.0001|5012=10000|5013=0.5|2349=1|5022=0.1|5032=1|' +
    '55=ETH/USD|562=0.001|5010=3|5011=0.002|2349=2|5022=0.05|5032=3|' +
    '55=BAD/USD|562=0.01|5010=2|5011=1|2349=2|5032=1';

  it('reads each 146 entry with exact tick and lot, optional limits and status', () => {
    const r = withView(LIST, (v) => decodeSecurityList(v, 'spot'));
    if (!r.ok) throw new Error(r.error.message);
    const l = r.value;
    expect([l.securityReqID, l.securityResponseID, l.securityRequestResult, l.lastFragment]).toEqual(['il-1', 'r-1', 0, true]);
    expect([l.declaredCount, l.entryCount]).toEqual([3, 3]);
    expect(l.instruments.map((i) => i.symbol)).toEqual(['BTC/USD', 'ETH/USD']);
    const [btc, eth] = l.instruments;
    expect([d(btc!.tickSize), btc!.tickUnits, btc!.priceDecimals]).toEqual(['0.1', 1n, 1]);
    expect([d(btc!.qtyIncrement), btc!.lotUnits, btc!.qtyDecimals]).toEqual(['0.00000001', 1n, 8]);
    expect([d(btc!.qtyMin), btc!.qtyMax && d(btc!.qtyMax), btc!.minCost && d(btc!.minCost), btc!.status]).toEqual(['0.0001', '10000', '0.5', 'online']);
    expect([d(eth!.tickSize), eth!.tickUnits, d(eth!.qtyIncrement), eth!.lotUnits]).toEqual(['0.05', 5n, '0.001', 1n]);
    expect([eth!.qtyMax, eth!.minCost, eth!.status]).toEqual([null, null, 'cancel_only']);
    expect(l.errors).toHaveLength(1);
    expect(l.errors[0]).toMatchObject({ code: 'INSTRUMENT_INVALID', field: 'tickSize' });
  });

  it('fragments: 393/893 reported', () => {
    const r = withView('35=y|320=il-1|322=r-2|560=0|393=700|893=N|146=1|55=XBT/USD|562=0.00000001|5010=8|2349=1|5022=0.1', (v) => decodeSecurityList(v, 'spot'));
    expect(r.ok ? [r.value.totNoRelatedSym, r.value.lastFragment, r.value.instruments.length] : null).toEqual([700, false, 1]);
  });

  it('a declared count that does not match the entries is reported, and the entries present are used', () => {
    const r = withView('35=y|320=il-1|322=r-3|560=0|146=2|55=XBT/USD|562=0.00000001|5010=8|2349=1|5022=0.1', (v) => decodeSecurityList(v, 'spot'));
    expect(r.ok ? [r.value.declaredCount, r.value.entryCount, r.value.instruments.length] : null).toEqual([2, 1, 1]);
  });

  it('an empty answer (560=2) has no instruments; the plain-FIX dictionary is refused', () => {
    const r = withView('35=y|320=il-1|322=r-4|560=2|58=none', (v) => decodeSecurityList(v, 'spot'));
    expect(r.ok ? [r.value.securityRequestResult, r.value.instruments.length, r.value.text] : null).toEqual([2, 0, 'none']);
    const plain = withView('35=y|320=il-1|322=r-4|560=2', (v) => decodeSecurityList(v, 'spot'), false);
    expect(plain.ok ? null : plain.error.code).toBe('DICTIONARY');
  });
});

describe('TradingSessionStatus h', () => {
  it('maps 340 to the Spot market state', () => {
    const states = ['0', '1', '2', '101', '102'].map((c) =>
      withView(`35=h|335=ts-1|336=SESSION|340=${c}`, (v) => {
        const r = decodeTradingSessionStatus(v);
        return r.ok ? r.value.state : r.error.code;
      }),
    );
    expect(states).toEqual(['unknown', 'maintenance', 'online', 'cancel_only', 'post_only']);
  });

  it('reject reason and unknown codes', () => {
    const r = withView('35=h|335=ts-1|336=SESSION|340=6|567=103|58=already subscribed', decodeTradingSessionStatus);
    expect(r).toEqual({ ok: true, value: { tradSesReqID: 'ts-1', tradingSessionID: 'SESSION', state: null, statusCode: 6, rejectReason: 103, text: 'already subscribed' } });
    const missing = withView('35=h|335=ts-1|336=SESSION', decodeTradingSessionStatus);
    expect(missing.ok ? null : missing.error.tag).toBe(340);
  });
});
