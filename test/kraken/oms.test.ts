import { describe, expect, it } from 'vitest';
import {
  EXEC_TYPES,
  type ExecTypeCode,
  type ExecutionReportIn,
  Oms,
  type OmsEvent,
  OrderState,
  TRANSITIONS,
  decimal,
  formatDecimalTrimmed,
  parseKrakenRejectText,
} from '../../src/kraken/index.js';
import { NOW_MS } from './helpers.js';

let clock = 1_000_000;
let execSeq = 0;
function newOms(venue: 'spot' | 'derivatives' = 'spot'): Oms {
  return new Oms({ venue, nowUs: () => clock });
}
function place(oms: Oms, clOrdID: string, qty = '1', over: Record<string, unknown> = {}) {
  const r = oms.trackNewOrder({
    clOrdID, symbol: 'BTC/USD', side: 'buy', ordType: 'limit', orderQty: qty, price: '100', timeInForce: 'GTC', transactTime: NOW_MS, ...over,
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
function er(clOrdID: string, execType: string, ordStatus: string, over: Partial<ExecutionReportIn> = {}): ExecutionReportIn {
  return { execID: `E${++execSeq}`, execType, ordStatus, clOrdID, orderID: `O-${clOrdID}`, ...over };
}
const ack = (id: string, qty = '1') => er(id, '0', '0', { cumQty: '0', leavesQty: qty });
const fill = (id: string, lastQty: string, cum: string, leaves: string, status: string, px = '100') =>
  er(id, 'F', status, { lastQty, lastPx: px, cumQty: cum, leavesQty: leaves, avgPx: px });
function codes(ev: OmsEvent): string[] {
  return ev.anomalies.map((a) => a.code);
}
const d = formatDecimalTrimmed;

describe('transition table', () => {
  it('has a cell for every state x ExecType', () => {
    for (const s of Object.values(OrderState)) for (const e of EXEC_TYPES) expect(TRANSITIONS[s][e], `${s}/${e}`).toBeDefined();
  });

  it('spot-checks lifecycle cells (independent expectations)', () => {
    const expected: Array<[OrderState, ExecTypeCode, string]> = [
      [OrderState.Sent, '0', OrderState.New],
      [OrderState.Sent, 'A', OrderState.PendingNew],
      [OrderState.Sent, 'F', 'fill'],
      [OrderState.Sent, '8', OrderState.Rejected],
      [OrderState.PendingNew, '0', OrderState.New],
      [OrderState.New, '4', OrderState.Canceled],
      [OrderState.New, 'C', OrderState.Expired],
      [OrderState.New, '8', 'illegal'],
      [OrderState.PartiallyFilled, '0', 'stale'],
      [OrderState.Filled, 'F', 'stale'],
      [OrderState.Filled, '4', 'illegal'],
      [OrderState.Canceled, 'F', 'illegal'],
      [OrderState.Canceled, '4', 'stay'],
      [OrderState.Rejected, '0', 'illegal'],
      [OrderState.Expired, 'I', 'verify'],
    ];
    for (const [s, e, t] of expected) expect(TRANSITIONS[s][e], `${s}/${e}`).toBe(t);
  });

  // Drive a real order into each state, apply every ExecType, and check the OMS obeys its table.
  const reach: Record<OrderState, (oms: Oms, id: string) => void> = {
    [OrderState.Sent]: () => {},
    [OrderState.PendingNew]: (o, id) => void o.onExecutionReport(er(id, 'A', 'A', { cumQty: '0', leavesQty: '1' })),
    [OrderState.New]: (o, id) => void o.onExecutionReport(ack(id)),
    [OrderState.PartiallyFilled]: (o, id) => { o.onExecutionReport(ack(id)); o.onExecutionReport(fill(id, '0.4', '0.4', '0.6', '1')); },
    [OrderState.Filled]: (o, id) => void o.onExecutionReport(fill(id, '1', '1', '0', '2')),
    [OrderState.Canceled]: (o, id) => void o.onExecutionReport(er(id, '4', '4', { cumQty: '0', leavesQty: '0' })),
    [OrderState.Expired]: (o, id) => void o.onExecutionReport(er(id, 'C', 'C', { cumQty: '0', leavesQty: '0' })),
    [OrderState.Rejected]: (o, id) => void o.onExecutionReport(er(id, '8', '8', { cumQty: '0', leavesQty: '0' })),
  };
  const statusFor: Record<ExecTypeCode, string> = { '0': '0', '4': '4', '5': '5', '6': '6', '8': '8', A: 'A', C: 'C', D: '0', E: 'E', F: '1', I: '0' };
  for (const s of Object.values(OrderState)) {
    for (const e of EXEC_TYPES) {
      it(`${s} + 150=${e}`, () => {
        const oms = newOms();
        const id = `T-${s}-${e}`;
        place(oms, id);
        reach[s](oms, id);
        const order = oms.order(id)!;
        expect(order.state).toBe(s);
        const cum = order.cumQty;
        const ev = oms.onExecutionReport(
          er(id, e, statusFor[e], e === 'F' ? { lastQty: '0.1', lastPx: '100', cumQty: d(decimal.add(cum, decimal.dec('0.1'))), leavesQty: '0.5' } : {}),
        );
        expect(ev.kind).toBe('execution');
        const cell = TRANSITIONS[s][e];
        if (cell === 'illegal') {
          expect(order.state).toBe(s);
          expect(codes(ev)).toContain('ILLEGAL_TRANSITION');
        } else {
          expect(codes(ev)).not.toContain('ILLEGAL_TRANSITION');
          if (cell === 'stay' || cell === 'stale' || cell === 'verify') expect(order.state).toBe(s);
          else if (cell === 'fill') expect([OrderState.PartiallyFilled, OrderState.Filled]).toContain(order.state);
          else if (cell === 'status') expect(order.state).not.toBe(OrderState.Sent);
          else expect(order.state).toBe(cell);
        }
        if (e === 'F') expect(order.fillCount).toBeGreaterThan(0); // fills are always booked
      });
    }
  }
});

describe('OMS lifecycle', () => {
  it('ack -> partial -> full with exact quantities and AvgPx', () => {
    const oms = newOms();
    const o = place(oms, 'A1', '1.5');
    expect(o.state).toBe(OrderState.Sent);
    expect(codes(oms.onExecutionReport(ack('A1', '1.5')))).toEqual([]);
    expect(o.state).toBe(OrderState.New);
    expect(o.orderID).toBe('O-A1');
    expect(oms.orderByOrderID('O-A1')).toBe(o);
    const e1 = oms.onExecutionReport(fill('A1', '0.1', '0.1', '1.4', '1', '100.1'));
    expect(codes(e1)).toEqual([]);
    expect(o.state).toBe(OrderState.PartiallyFilled);
    oms.onExecutionReport(fill('A1', '0.2', '0.3', '1.2', '1', '100.2'));
    expect(d(o.cumQty)).toBe('0.3');
    expect(d(o.leavesQty)).toBe('1.2');
    expect(d(o.notional)).toBe('30.05'); // 0.1*100.1 + 0.2*100.2, exact (floats give 30.049999...)
    const e3 = oms.onExecutionReport(fill('A1', '1.2', '1.5', '0', '2', '100'));
    expect(codes(e3)).toEqual([]);
    expect(o.state).toBe(OrderState.Filled);
    expect(d(o.fillQty)).toBe('1.5');
    expect(oms.openOrders()).toEqual([]);
  });

  it('a fill before the New ack, then the late ack (stale), without anomalies', () => {
    const oms = newOms();
    const o = place(oms, 'B1');
    const f = oms.onExecutionReport(fill('B1', '0.4', '0.4', '0.6', '1'));
    expect(o.state).toBe(OrderState.PartiallyFilled);
    expect(codes(f)).toEqual([]);
    const late = oms.onExecutionReport(ack('B1'));
    expect(late.kind === 'execution' && late.stale).toBe(true);
    expect(codes(late)).toEqual([]);
    expect(o.state).toBe(OrderState.PartiallyFilled);
    expect(d(o.cumQty)).toBe('0.4');
    expect(d(o.leavesQty)).toBe('0.6');
  });

  it('de-duplicates by ExecID (replayed PossDup reports do not double-book)', () => {
    const oms = newOms();
    const o = place(oms, 'C1');
    oms.onExecutionReport(ack('C1'));
    const f = fill('C1', '0.5', '0.5', '0.5', '1');
    oms.onExecutionReport(f);
    const dup = oms.onExecutionReport({ ...f });
    expect(dup.kind).toBe('duplicate');
    expect(d(o.fillQty)).toBe('0.5');
    expect(o.fillCount).toBe(1);
    // a late full fill that arrives after the order is Filled is stale but still booked
    oms.onExecutionReport(fill('C1', '0.5', '1', '0', '2'));
    expect(o.state).toBe(OrderState.Filled);
  });

  it('reports CumQty going down, cum+leaves != qty, overfill and bad numbers as typed anomalies', () => {
    const oms = newOms();
    const o = place(oms, 'D1');
    oms.onExecutionReport(ack('D1'));
    oms.onExecutionReport(fill('D1', '0.5', '0.5', '0.5', '1'));
    const down = oms.onExecutionReport(er('D1', 'I', '1', { cumQty: '0.3', leavesQty: '0.7' }));
    expect(codes(down)).toContain('CUM_QTY_DECREASED');
    expect(d(o.cumQty)).toBe('0.5'); // never decreases
    const mism = oms.onExecutionReport(er('D1', 'D', '1', { cumQty: '0.5', leavesQty: '0.4' }));
    expect(codes(mism)).toEqual(['QTY_MISMATCH']);
    const over = oms.onExecutionReport(fill('D1', '0.7', '1.2', '0', '2'));
    expect(codes(over)).toContain('OVERFILL');
    const bad = oms.onExecutionReport(er('D1', 'D', '2', { cumQty: 'abc' }));
    expect(codes(bad)).toContain('INVALID_NUMBER');
    const unk = oms.onExecutionReport(er('D1', 'Z', '2'));
    expect(unk.kind).toBe('unmatched');
    expect(codes(unk)).toEqual(['UNKNOWN_EXEC_TYPE']);
    const st = oms.onExecutionReport(er('D1', 'I', '0', { cumQty: '1.2', leavesQty: '0' }));
    expect(codes(st)).toContain('STATUS_MISMATCH');
    const stq = oms.onExecutionReport(er('D1', 'I', 'Q'));
    expect(codes(stq)).toContain('UNKNOWN_ORD_STATUS');
  });

  it('Futures fills with AvgPx 0 fall back to LastPx (computed, exact)', () => {
    const oms = newOms('derivatives');
    const o = place(oms, 'F1', '3');
    oms.onExecutionReport(ack('F1', '3'));
    oms.onExecutionReport(er('F1', 'F', '1', { lastQty: '1', lastPx: '2000.5', cumQty: '1', leavesQty: '2', avgPx: '0' }));
    expect(d(o.avgPx!)).toBe('2000.5');
    oms.onExecutionReport(er('F1', 'F', '1', { lastQty: '2', lastPx: '2001', cumQty: '3', leavesQty: '0' }));
    expect(o.state).toBe(OrderState.Filled);
    expect(d(o.avgPx!)).toBe('2000.833333333333'); // (2000.5 + 4002) / 3, truncated to 12 dp
  });

  it('unknown order ER is reported, not thrown', () => {
    const oms = newOms();
    const ev = oms.onExecutionReport(er('NOPE', '0', '0'));
    expect(ev.kind).toBe('unmatched');
    expect(codes(ev)).toEqual(['UNKNOWN_ORDER']);
  });
});

describe('cancel and amend chains', () => {
  it('solicited cancel via OrigClOrdID', () => {
    const oms = newOms();
    const o = place(oms, 'G1');
    oms.onExecutionReport(ack('G1'));
    expect(oms.trackCancel({ clOrdID: 'G1-X', origClOrdID: 'G1', side: 'buy', symbol: 'BTC/USD', transactTime: NOW_MS }).ok).toBe(true);
    expect(o.pendingCancel?.clOrdID).toBe('G1-X');
    expect(oms.isClOrdIdInUse('G1-X')).toBe(true);
    const ev = oms.onExecutionReport(er('G1-X', '4', '4', { origClOrdID: 'G1', cumQty: '0', leavesQty: '0' }));
    expect(ev.kind === 'execution' && ev.unsolicited).toBe(false);
    expect(o.state).toBe(OrderState.Canceled);
    expect(o.pendingCancel).toBeNull();
    expect(oms.trackCancel({ clOrdID: 'G1-Y', origClOrdID: 'G1', side: 'buy', symbol: 'BTC/USD', transactTime: NOW_MS }).ok).toBe(false);
    expect(oms.trackCancel({ clOrdID: 'G1-X', orderID: 'O-G1', side: 'buy', symbol: 'BTC/USD', transactTime: NOW_MS })).toMatchObject({ ok: false, error: { code: 'CLORDID_REUSED' } });
  });

  it('unsolicited cancel ER (post-acceptance failure / COD) keeps the reason', () => {
    const oms = newOms();
    const o = place(oms, 'H1');
    oms.onExecutionReport(ack('H1'));
    const ev = oms.onExecutionReport(er('H1', '4', '4', { cumQty: '0', leavesQty: '0', text: 'EOrder:Insufficient funds' }));
    expect(ev.kind === 'execution' && ev.unsolicited).toBe(true);
    expect(o.state).toBe(OrderState.Canceled);
    expect(o.lastText).toBe('EOrder:Insufficient funds');
  });

  it('amend: ClOrdID chain, new terms, lookups by every id, age reset', () => {
    const oms = newOms();
    clock = 1_000_000;
    const o = place(oms, 'J1');
    oms.onExecutionReport(ack('J1'));
    clock += 7_000_000;
    expect(oms.orderAgeSec(o)).toBe(7);
    expect(oms.trackReplace({ clOrdID: 'J2', orderID: 'O-J1', origClOrdID: 'J1', side: 'buy', symbol: 'BTC/USD', transactTime: NOW_MS, orderQty: '2', ordType: 'limit', timeInForce: 'GTC', price: '101' }).ok).toBe(true);
    const ev = oms.onExecutionReport(er('J2', '5', '5', { origClOrdID: 'J1', orderQty: '2', price: '101', cumQty: '0', leavesQty: '2' }));
    expect(codes(ev)).toEqual([]);
    expect(o.state).toBe(OrderState.New);
    expect(o.clOrdID).toBe('J2');
    expect(o.clOrdIDChain).toEqual(['J1', 'J2']);
    expect(d(o.orderQty)).toBe('2');
    expect(d(o.price!)).toBe('101');
    expect(o.pendingReplace).toBeNull();
    expect(oms.order('J1')).toBe(o);
    expect(oms.order('J2')).toBe(o);
    expect(oms.orderAgeSec(o)).toBe(0);
    // second amend chains from J2
    oms.trackReplace({ clOrdID: 'J3', orderID: 'O-J1', origClOrdID: 'J2', side: 'buy', symbol: 'BTC/USD', transactTime: NOW_MS, orderQty: '2', ordType: 'limit', timeInForce: 'GTC', price: '102' });
    oms.onExecutionReport(er('J3', '5', '5', { origClOrdID: 'J2', cumQty: '0', leavesQty: '2' }));
    expect(o.clOrdIDChain).toEqual(['J1', 'J2', 'J3']);
    expect(d(o.price!)).toBe('102'); // from the pending request when the ER omits 44
  });

  it('amend below the filled qty closes the order as Filled (39=2 on the replace report)', () => {
    const oms = newOms();
    const o = place(oms, 'K1', '2');
    oms.onExecutionReport(ack('K1', '2'));
    oms.onExecutionReport(fill('K1', '0.5', '0.5', '1.5', '1'));
    oms.trackReplace({ clOrdID: 'K2', orderID: 'O-K1', origClOrdID: 'K1', side: 'buy', symbol: 'BTC/USD', transactTime: NOW_MS, orderQty: '0.1', ordType: 'limit', timeInForce: 'GTC', price: '100' });
    oms.onExecutionReport(er('K2', '5', '2', { origClOrdID: 'K1', orderQty: '0.5', cumQty: '0.5', leavesQty: '0' }));
    expect(o.state).toBe(OrderState.Filled);
    expect(d(o.orderQty)).toBe('0.5');
  });

  it('mass cancel ERs are solicited', () => {
    const oms = newOms();
    const a = place(oms, 'M1');
    const b = place(oms, 'M2');
    oms.onExecutionReport(ack('M1'));
    oms.onExecutionReport(ack('M2'));
    oms.trackMassCancel({ clOrdID: 'MC', transactTime: NOW_MS, scope: 'session' });
    const e1 = oms.onExecutionReport(er('MC', '4', '4', { origClOrdID: 'M1', orderID: 'O-M1', cumQty: '0', leavesQty: '0' }));
    const e2 = oms.onExecutionReport(er('MC', '4', '4', { origClOrdID: 'M2', orderID: 'O-M2', cumQty: '0', leavesQty: '0' }));
    expect([a.state, b.state]).toEqual([OrderState.Canceled, OrderState.Canceled]);
    expect(e1.kind === 'execution' && e1.unsolicited).toBe(false);
    expect(e2.kind === 'execution' && e2.unsolicited).toBe(false);
  });
});

describe('rejects in each Kraken form', () => {
  it('session Reject 3 refers to MsgSeqNum -> the NewOrderSingle we sent', () => {
    const oms = newOms();
    const o = place(oms, 'R1');
    oms.recordSent('R1', 12);
    const ev = oms.onSessionReject({ refSeqNum: 12, refMsgType: 'D', refTagID: 54, sessionRejectReason: 1, text: 'Missing mandatory field: Side (54)' });
    expect(ev.kind).toBe('order-rejected');
    expect(o.state).toBe(OrderState.Rejected);
    if (ev.kind === 'order-rejected') {
      expect(ev.reject.source).toBe('session-reject');
      expect(ev.reject.reasonCode).toBe(1);
    }
    const admin = oms.onSessionReject({ refSeqNum: 99, refMsgType: '0' });
    expect(admin.kind).toBe('unmatched');
    expect(codes(admin)).toEqual([]);
    const lost = oms.onSessionReject({ refSeqNum: 98, refMsgType: 'D' });
    expect(codes(lost)).toEqual(['UNMATCHED_REJECT']);
  });

  it('session Reject of a cancel leaves the order live', () => {
    const oms = newOms();
    const o = place(oms, 'R2');
    oms.onExecutionReport(ack('R2'));
    oms.trackCancel({ clOrdID: 'R2-C', origClOrdID: 'R2', side: 'buy', symbol: 'BTC/USD', transactTime: NOW_MS });
    oms.recordSent('R2-C', 20);
    const ev = oms.onSessionReject({ refSeqNum: 20, refMsgType: 'F', sessionRejectReason: 5 });
    expect(ev.kind).toBe('cancel-rejected');
    expect(o.state).toBe(OrderState.New);
    expect(o.pendingCancel).toBeNull();
  });

  it('BusinessMessageReject j: by 379, by text prefix, by RefSeqNum', () => {
    const oms = newOms();
    const a = place(oms, '1688738737');
    const ev = oms.onBusinessReject({ refSeqNum: 5, refMsgType: 'D', businessRejectRefID: '1688738737', businessRejectReason: 0, text: 'EOrder:Insufficient funds' });
    expect(ev.kind).toBe('order-rejected');
    expect(a.state).toBe(OrderState.Rejected);
    if (ev.kind === 'order-rejected') expect(ev.reject.kraken.kind).toBe('INSUFFICIENT_FUNDS');

    const b = place(oms, '1688738738');
    const ev2 = oms.onBusinessReject({ refMsgType: 'D', text: '1688738738 : EOrder:Rate limit exceeded' });
    expect(ev2.kind).toBe('order-rejected');
    expect(b.state).toBe(OrderState.Rejected);
    if (ev2.kind === 'order-rejected') {
      expect(ev2.reject.kraken).toMatchObject({ clOrdID: '1688738738', category: 'EOrder', kind: 'RATE_LIMIT' });
    }

    const c = place(oms, '1688738739');
    oms.recordSent('1688738739', 44);
    const ev3 = oms.onBusinessReject({ refSeqNum: 44, refMsgType: 'D', businessRejectReason: 0, text: 'EGeneral:Invalid arguments' });
    expect(ev3.kind).toBe('order-rejected');
    expect(c.state).toBe(OrderState.Rejected);

    const none = oms.onBusinessReject({ businessRejectRefID: 'zzz', text: 'EOrder:Unknown order' });
    expect(none.kind).toBe('unmatched');
    expect(codes(none)).toEqual(['UNMATCHED_REJECT']);
  });

  it('j for a cancel with EOrder:Unknown order -> cancel-rejected, order flagged for status', () => {
    const oms = newOms();
    const o = place(oms, 'U1');
    oms.onExecutionReport(ack('U1'));
    oms.trackCancel({ clOrdID: 'U1-C', orderID: 'O-U1', side: 'buy', symbol: 'BTC/USD', transactTime: NOW_MS });
    const ev = oms.onBusinessReject({ businessRejectRefID: 'U1-C', refMsgType: 'F', businessRejectReason: 0, text: 'U1-C : EOrder:Unknown order' });
    expect(ev.kind).toBe('cancel-rejected');
    expect(o.needsStatus).toBe(true);
    expect(o.state).toBe(OrderState.New);
  });

  it('j for an already-acked order is an anomaly, not a silent state change', () => {
    const oms = newOms();
    const o = place(oms, 'V1');
    oms.onExecutionReport(ack('V1'));
    const ev = oms.onBusinessReject({ businessRejectRefID: 'V1', text: 'EOrder:Insufficient funds' });
    expect(codes(ev)).toEqual(['ILLEGAL_TRANSITION']);
    expect(o.state).toBe(OrderState.New);
  });

  it('ExecutionReport 150=8 and a replace rejected by j', () => {
    const oms = newOms();
    const o = place(oms, 'W1');
    oms.onExecutionReport(er('W1', '8', '8', { text: 'EOrder:Order minimum not met' }));
    expect(o.state).toBe(OrderState.Rejected);
    const p = place(oms, 'W2');
    oms.onExecutionReport(ack('W2'));
    oms.trackReplace({ clOrdID: 'W3', orderID: 'O-W2', origClOrdID: 'W2', side: 'buy', symbol: 'BTC/USD', transactTime: NOW_MS, orderQty: '1', ordType: 'limit', timeInForce: 'GTC', price: '99' });
    const ev = oms.onBusinessReject({ businessRejectRefID: 'W3', refMsgType: 'G', text: 'EOrder:Tick size check failed' });
    expect(ev.kind).toBe('replace-rejected');
    expect(p.pendingReplace).toBeNull();
    expect(p.clOrdID).toBe('W2');
  });

  it('standard OrderCancelReject 9 (other venues)', () => {
    const oms = newOms();
    const o = place(oms, 'X1');
    oms.onExecutionReport(ack('X1'));
    oms.trackCancel({ clOrdID: 'X1-C', origClOrdID: 'X1', side: 'buy', symbol: 'BTC/USD', transactTime: NOW_MS });
    const ev = oms.onOrderCancelReject({ clOrdID: 'X1-C', origClOrdID: 'X1', ordStatus: '2', cxlRejResponseTo: '1', cxlRejReason: 0, text: 'Too late to cancel' });
    expect(ev.kind).toBe('cancel-rejected');
    expect(o.pendingCancel).toBeNull();
    expect(o.needsStatus).toBe(true); // 39=2 says filled but we have not seen the fill
    const unknown = oms.onOrderCancelReject({ clOrdID: 'nope' });
    expect(unknown.kind).toBe('unmatched');
  });

  it('parses Kraken texts with and without the ClOrdID prefix', () => {
    expect(parseKrakenRejectText('1688738737 : EOrder:Insufficient funds')).toMatchObject({ clOrdID: '1688738737', category: 'EOrder', detail: 'Insufficient funds', kind: 'INSUFFICIENT_FUNDS' });
    expect(parseKrakenRejectText('EService:Market in post_only mode')).toMatchObject({ clOrdID: null, category: 'EService', kind: 'MARKET_POST_ONLY' });
    expect(parseKrakenRejectText('ClOrdID invalid value (timestamp is out of date)').kind).toBe('CLORDID_TIMESTAMP');
    expect(parseKrakenRejectText('Error : something')).toMatchObject({ clOrdID: null, category: null, kind: 'OTHER' });
    expect(parseKrakenRejectText(undefined).kind).toBe('OTHER');
  });
});

describe('reconciliation after reconnect', () => {
  it('lists orders needing status, builds H requests, applies 150=I answers', () => {
    const oms = newOms();
    const live = place(oms, 'Z1');
    oms.onExecutionReport(ack('Z1'));
    const unacked = place(oms, 'Z2');
    const done = place(oms, 'Z3');
    oms.onExecutionReport(fill('Z3', '1', '1', '0', '2'));
    expect(oms.markOpenOrdersNeedStatus()).toBe(2);
    expect(oms.ordersNeedingStatus()).toEqual([live, unacked]);
    let n = 0;
    const plan = oms.buildStatusRequests(() => `S${++n}`, NOW_MS);
    expect(plan.requests).toEqual([{ clOrdID: 'S1', orderID: 'O-Z1', symbol: 'BTC/USD', side: 'buy', transactTime: NOW_MS }]);
    expect(plan.withoutOrderID).toEqual([unacked]);
    // answer: partially filled while we were away
    const ev = oms.onExecutionReport(er('Z1', 'I', '1', { cumQty: '0.3', leavesQty: '0.7', avgPx: '100' }));
    expect(codes(ev)).toEqual([]);
    expect(live.state).toBe(OrderState.PartiallyFilled);
    expect(live.needsStatus).toBe(false);
    expect(done.needsStatus).toBe(false);
  });

  it('status reject 380=101 marks the order unknown at the venue; Derivatives have no H', () => {
    const oms = newOms();
    const o = place(oms, 'Y1');
    oms.onExecutionReport(ack('Y1'));
    oms.markOpenOrdersNeedStatus();
    oms.buildStatusRequests(() => 'S-Y1', NOW_MS);
    const ev = oms.onBusinessReject({ businessRejectRefID: 'S-Y1', refMsgType: 'H', businessRejectReason: 101, text: 'EOrder:Unknown order' });
    expect(ev.kind).toBe('status-rejected');
    expect(o.unknownAtVenue).toBe(true);
    expect(o.needsStatus).toBe(false);
    const drv = newOms('derivatives');
    place(drv, 'Q1');
    drv.onExecutionReport(ack('Q1'));
    drv.markOpenOrdersNeedStatus();
    const plan = drv.buildStatusRequests(() => 'never', NOW_MS);
    expect(plan.requests).toEqual([]);
    expect(plan.unsupported.map((x) => x.clOrdID)).toEqual(['Q1']);
  });

  it('forgetClosed drops terminal orders but keeps their ClOrdIDs used', () => {
    const oms = newOms();
    place(oms, 'P1');
    oms.onExecutionReport(fill('P1', '1', '1', '0', '2'));
    place(oms, 'P2');
    expect(oms.forgetClosed()).toBe(1);
    expect(oms.order('P1')).toBeUndefined();
    expect(oms.isClOrdIdInUse('P1')).toBe(true);
    expect(oms.trackNewOrder({ clOrdID: 'P1', symbol: 'BTC/USD', side: 'buy', ordType: 'market', orderQty: '1', timeInForce: 'IOC', transactTime: NOW_MS }).ok).toBe(false);
  });
});
