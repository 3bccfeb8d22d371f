import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AmendFlyweight,
  BookUpdateFlyweight,
  CancelFlyweight,
  CX,
  describeSchema,
  ER,
  ExecutionReportFlyweight,
  FIXED_SIZE,
  MassCancelFlyweight,
  OrderFlag,
  PL,
  PlaceFlyweight,
  RecordBuffer,
  recordSize,
  RecordType,
  RejectFlyweight,
  RJ,
  SCHEMA,
  SessionStatusFlyweight,
  SS,
  ST,
  StatusFlyweight,
  StpMode,
  TR,
  TradeFlyweight,
  validateSchema,
  type RecordDef,
} from '../../src/ipc/index.js';

const ch = (s: string): number => s.charCodeAt(0);

function dirtyBuffer(bytes = 4096): RecordBuffer {
  const b = new RecordBuffer(new SharedArrayBuffer(bytes), 0, bytes);
  b.u8.fill(0xa5); // previous-lap garbage: unset fields must still read as zero / absent
  return b;
}

describe('schema table', () => {
  it('is self-consistent and describes every type', () => {
    expect(() => validateSchema()).not.toThrow();
    const text = describeSchema();
    for (const name of Object.keys(SCHEMA)) expect(text).toContain(name);
    for (const def of Object.values(SCHEMA) as RecordDef[]) expect(FIXED_SIZE[def.type]).toBe(def.fixedSize);
  });

  it('rejects overlapping, misaligned and scale-less tables with a clear message', () => {
    const base = { type: 99, fixedSize: 64 };
    expect(() => validateSchema({ X: { ...base, fields: { a: ['f64', 40], b: ['u32', 44] } } })).toThrow(/already used/);
    expect(() => validateSchema({ X: { ...base, fields: { a: ['u32', 42] } } })).toThrow(/not aligned/);
    expect(() => validateSchema({ X: { ...base, fields: { px: ['mantissa', 40] } } })).toThrow(/pxScale/);
    expect(() => validateSchema({ X: { ...base, fields: { a: ['u8', 8] } } })).toThrow(/header/);
    expect(() => validateSchema({ X: { ...base, fields: { a: ['f64', 64] } } })).toThrow(/past fixedSize/);
    expect(() => validateSchema({ X: { ...base, fields: {} }, Y: { ...base, fields: {} } })).toThrow(/duplicate/);
  });

  it('sizes records to 8 bytes including var prefixes', () => {
    expect(recordSize(RecordType.BookUpdate)).toBe(80);
    const s = recordSize(RecordType.ExecutionReport, 7);
    expect(s % 8).toBe(0);
    expect(s).toBeGreaterThanOrEqual(136 + 6 * 2 + 7);
    expect(() => recordSize(77)).toThrow(/unknown record type/);
  });
});

describe('flyweight round trips', () => {
  it('ExecutionReport: header, decimals, chars and var fields', () => {
    const buf = dirtyBuffer();
    const clOrdID = 'cl-0001';
    const text = 'EOrder:Insufficient funds'; // odd length exercises var padding
    const size = recordSize(RecordType.ExecutionReport, clOrdID.length + 5 + 3 + text.length + 7);
    const w = new ExecutionReportFlyweight().wrapForWrite(buf, 64, size);
    w.c.seq = 2 ** 53 - 1;
    w.c.flags = 3;
    w.c.tSocketRead = 1.5e15;
    w.c.tParseDone = 1.5e15 + 250;
    w.c.tEnqueued = 1.5e15 + 400;
    w.setPrice(6_512_345, 1).setOrderQty(125, 2).setCumQty(100, 2).setLeavesQty(25, 2);
    w.setAvgPx(6_512_340, 1).setLastPx(-6_512_300, 1).setLastQty(Number.MAX_SAFE_INTEGER, -3);
    w.transactTimeMs = 1_700_000_000_123.5;
    w.instrumentId = 0xfffffffe;
    w.execType = ch('F');
    w.ordStatus = ch('1');
    w.side = ch('2');
    w.ordType = ch('2');
    w.timeInForce = ch('1');
    w.putAscii(ER.clOrdID, clOrdID).putAscii(ER.text, text);
    w.putVar(ER.orderID, new TextEncoder().encode('xxOIDyy'), 2, 3).putAscii(ER.symbol, 'XBT/USD');
    w.putAscii(ER.execID, 'E12');

    const r = new ExecutionReportFlyweight().wrap(buf, 64);
    expect(r.c.recordType).toBe(RecordType.ExecutionReport);
    expect(r.c.length).toBe(size);
    expect(r.c.seq).toBe(2 ** 53 - 1);
    expect(r.c.flags).toBe(3);
    expect([r.c.tSocketRead, r.c.tParseDone, r.c.tEnqueued]).toEqual([1.5e15, 1.5e15 + 250, 1.5e15 + 400]);
    expect([r.price, r.priceScale, r.orderQty, r.orderQtyScale]).toEqual([6_512_345, 1, 125, 2]);
    expect([r.cumQty, r.leavesQty, r.avgPx, r.lastPx]).toEqual([100, 25, 6_512_340, -6_512_300]);
    expect([r.lastQty, r.lastQtyScale]).toEqual([Number.MAX_SAFE_INTEGER, -3]);
    expect(r.c.decimalToNumber(ER.price, ER.priceScale)).toBeCloseTo(651234.5, 6);
    expect(r.transactTimeMs).toBe(1_700_000_000_123.5);
    expect(r.instrumentId).toBe(0xfffffffe);
    expect(String.fromCharCode(r.execType, r.ordStatus, r.side, r.ordType, r.timeInForce)).toBe('F1221');
    expect(r.clOrdID()).toBe(clOrdID);
    expect(r.text()).toBe(text);
    expect(r.orderID()).toBe('OID');
    expect(r.symbol()).toBe('XBT/USD');
    expect(r.execID()).toBe('E12');
    expect(r.origClOrdID()).toBe(''); // never written: absent despite dirty memory
    expect(r.c.varPresent(ER.origClOrdID)).toBe(false);
    const probe = new TextEncoder().encode('cl-0001');
    expect(r.c.varEquals(ER.clOrdID, probe, 0, probe.length)).toBe(true);
    expect(r.c.varEquals(ER.clOrdID, probe, 0, probe.length - 1)).toBe(false);
    const dst = new Uint8Array(16);
    expect(r.c.varCopy(ER.symbol, dst, 1)).toBe(7);
    expect(new TextDecoder().decode(dst.subarray(1, 8))).toBe('XBT/USD');
  });

  it('BookUpdate and Trade', () => {
    const buf = dirtyBuffer();
    const w = new BookUpdateFlyweight().wrapForWrite(buf, 0, recordSize(RecordType.BookUpdate));
    w.c.seq = 42;
    w.setPrice(650_001, 1).setQty(3, 8);
    w.orderId = 123_456_789_012;
    w.instrumentId = 7;
    w.level = 3;
    w.side = 1;
    w.action = 2;
    const r = new BookUpdateFlyweight().wrap(buf, 0);
    expect([r.c.seq, r.price, r.priceScale, r.qty, r.qtyScale]).toEqual([42, 650_001, 1, 3, 8]);
    expect([r.orderId, r.instrumentId, r.level, r.side, r.action]).toEqual([123_456_789_012, 7, 3, 1, 2]);

    const t = new TradeFlyweight().wrapForWrite(buf, 80, recordSize(RecordType.Trade, 4));
    t.setPrice(1, 0).setQty(2, 0);
    t.aggressorSide = ch('1');
    t.tradeTimeMs = 5;
    t.putAscii(TR.tradeId, 'T-99');
    const tr = new TradeFlyweight().wrap(buf, 80);
    expect([tr.price, tr.qty, tr.aggressorSide, tr.tradeTimeMs, tr.tradeId()]).toEqual([1, 2, ch('1'), 5, 'T-99']);
  });

  it('SessionStatus and Reject', () => {
    const buf = dirtyBuffer();
    const s = new SessionStatusFlyweight().wrapForWrite(buf, 0, recordSize(RecordType.SessionStatus, 2));
    s.msgSeqNumIn = 1e9;
    s.msgSeqNumOut = 77;
    s.sessionIndex = 2;
    s.state = 3;
    s.event = 2;
    s.putAscii(SS.text, 'ok');
    const sr = new SessionStatusFlyweight().wrap(buf, 0);
    expect([sr.msgSeqNumIn, sr.msgSeqNumOut, sr.sessionIndex, sr.state, sr.event, sr.text()]).toEqual([1e9, 77, 2, 3, 2, 'ok']);

    const j = new RejectFlyweight().wrapForWrite(buf, 128, recordSize(RecordType.Reject, 10));
    j.refSeqNum = 12;
    j.rejectReason = 99;
    j.refTagID = 44;
    j.msgType = ch('9');
    j.cxlRejResponseTo = ch('1');
    j.putAscii(RJ.refMsgType, 'AE').putAscii(RJ.clOrdID, 'c1').putAscii(RJ.text, 'bad');
    const jr = new RejectFlyweight().wrap(buf, 128);
    expect([jr.refSeqNum, jr.rejectReason, jr.refTagID, jr.msgType, jr.cxlRejResponseTo]).toEqual([12, 99, 44, ch('9'), ch('1')]);
    expect([jr.refMsgType(), jr.clOrdID(), jr.text(), jr.orderID()]).toEqual(['AE', 'c1', 'bad', '']);
  });

  it('commands: Place, Cancel, Amend, MassCancel, Status', () => {
    const buf = dirtyBuffer();
    const p = new PlaceFlyweight().wrapForWrite(buf, 0, recordSize(RecordType.Place, 16));
    p.setPrice(100, 0).setOrderQty(5, 1).setStopPx(99, 0).setDisplayQty(1, 1);
    p.expireTimeMs = 1_700_000_000_000;
    p.instrumentId = 3;
    p.side = ch('1');
    p.ordType = ch('2');
    p.timeInForce = ch('6');
    p.stpMode = StpMode.CancelOldest;
    p.orderFlags = OrderFlag.PostOnly | OrderFlag.ReduceOnly;
    p.putAscii(PL.clOrdID, 'abc').putAscii(PL.symbol, 'PF_XBTUSD');
    const pr = new PlaceFlyweight().wrap(buf, 0);
    expect([pr.price, pr.orderQty, pr.orderQtyScale, pr.stopPx, pr.displayQty, pr.expireTimeMs]).toEqual([
      100, 5, 1, 99, 1, 1_700_000_000_000,
    ]);
    expect([pr.instrumentId, pr.side, pr.ordType, pr.timeInForce, pr.stpMode, pr.orderFlags]).toEqual([
      3, ch('1'), ch('2'), ch('6'), StpMode.CancelOldest, 3,
    ]);
    expect([pr.clOrdID(), pr.symbol()]).toEqual(['abc', 'PF_XBTUSD']);

    let off = 256;
    const cx = new CancelFlyweight().wrapForWrite(buf, off, recordSize(RecordType.Cancel, 4));
    cx.side = ch('2');
    cx.putAscii(CX.clOrdID, 'n1').putAscii(CX.origClOrdID, 'o1');
    const cr = new CancelFlyweight().wrap(buf, off);
    expect([cr.side, cr.clOrdID(), cr.origClOrdID(), cr.orderID()]).toEqual([ch('2'), 'n1', 'o1', '']);

    off = 512;
    const am = new AmendFlyweight().wrapForWrite(buf, off, recordSize(RecordType.Amend));
    am.setPrice(7, 2).setOrderQty(8, 3);
    am.timeInForce = ch('1');
    const ar = new AmendFlyweight().wrap(buf, off);
    expect([ar.price, ar.priceScale, ar.orderQty, ar.orderQtyScale, ar.displayQty, ar.timeInForce]).toEqual([7, 2, 8, 3, 0, ch('1')]);

    off = 768;
    const mc = new MassCancelFlyweight().wrapForWrite(buf, off, recordSize(RecordType.MassCancel));
    mc.massCancelRequestType = ch('7');
    expect(new MassCancelFlyweight().wrap(buf, off).massCancelRequestType).toBe(ch('7'));

    off = 1024;
    const st = new StatusFlyweight().wrapForWrite(buf, off, recordSize(RecordType.Status, 2));
    st.putAscii(ST.orderID, 'Q9');
    expect(new StatusFlyweight().wrap(buf, off).orderID()).toBe('Q9');
  });

  it('refuses bad input with clear errors', () => {
    const buf = dirtyBuffer(1024);
    const p = new PlaceFlyweight();
    expect(() => p.wrapForWrite(buf, 0, 96)).toThrow(/size 96 invalid for Place/);
    expect(() => p.wrapForWrite(buf, 1000, 104)).toThrow(/invalid/);
    p.wrapForWrite(buf, 0, 104); // exactly the fixed part: no room for var fields
    expect(() => p.putAscii(PL.clOrdID, 'x')).toThrow(/do not fit/);
    expect(() => p.setPrice(0.5, 0)).toThrow(/not an exact decimal/);
    expect(() => p.setPrice(2 ** 53, 0)).toThrow(/not an exact decimal/);
    expect(() => p.setPrice(1, 200)).toThrow(/not an exact decimal/);
    p.wrapForWrite(buf, 0, recordSize(RecordType.Place, 8));
    expect(() => p.putAscii(PL.clOrdID, 'é€')).toThrow(/non-Latin-1/);
    p.wrapForWrite(buf, 0, recordSize(RecordType.Place, 8));
    p.putAscii(PL.clOrdID, 'a');
    expect(() => p.putAscii(PL.clOrdID, 'b')).toThrow(/written twice/);
    expect(() => p.putAscii(PL.price, 'b')).toThrow(/not a var field/);
    expect(() => new RecordBuffer(new ArrayBuffer(16), 4, 8)).toThrow(/multiples of 8/);
  });

  it('property: ExecutionReport decimals and ids survive any valid values', () => {
    const buf = dirtyBuffer(8192);
    const w = new ExecutionReportFlyweight();
    const r = new ExecutionReportFlyweight();
    const ascii = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });
    fc.assert(
      fc.property(
        fc.maxSafeInteger(),
        fc.integer({ min: -128, max: 127 }),
        fc.maxSafeNat(),
        ascii,
        ascii,
        fc.integer({ min: 0, max: 4000 }).map((o) => o & ~7),
        (px, scale, seq, clOrdID, text, off) => {
          const size = recordSize(RecordType.ExecutionReport, clOrdID.length + text.length);
          w.wrapForWrite(buf, off, size).setLastPx(px, scale);
          w.c.seq = seq;
          w.putAscii(ER.clOrdID, clOrdID).putAscii(ER.text, text);
          r.wrap(buf, off);
          return r.lastPx === px && r.lastPxScale === scale && r.c.seq === seq && r.clOrdID() === clOrdID && r.text() === text;
        },
      ),
      { numRuns: 500 },
    );
  });
});
