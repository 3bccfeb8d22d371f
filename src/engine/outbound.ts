/**
 * Outbound on the hot path: a command record from a strategy queue is re-checked against Kraken's rules
 * (OrderGate: the queue is a trust boundary), encoded with session.beginMessage / send straight from
 * the record's fields (Kraken's field order, src/kraken/fix/encode.ts), and written to the socket by the
 * session's output. A refused command becomes a local Reject record (msgType 'L') in that strategy's
 * event queue. No allocation, no strings: var fields are copied through per-length scratch arrays.
 * Every command written is recorded by MsgSeqNum (sent-log.ts) so that one the venue never received is
 * reported back after a reconnect; while the session is down commands are refused at once (downText).
 */
import type { Clock, FixEncoder } from '../codec/index.js';
import {
  AM,
  AmendFlyweight,
  CancelFlyweight,
  CX,
  MassCancelFlyweight,
  MC,
  OrderFlag,
  PL,
  PlaceFlyweight,
  RecordType,
  recordSize,
  RejectFlyweight,
  RJ,
  ST,
  StatusFlyweight,
  monoNs,
  type RecordBuffer,
  type RecordHandler,
} from '../ipc/index.js';
import type { FixSession } from '../session/index.js';
import { toUnits, type OrderGate } from '../strategy/gate.js';
import { LocalRejectCode, LOCAL_REJECT_MSG_TYPE, localRejectText } from '../strategy/protocol.js';
import { Interval, type LatencyRing } from './latency.js';
import { EngineCounter } from './memory.js';
import type { RoundTripTable } from './round-trip.js';
import type { SentLog } from './sent-log.js';
import type { EventSink } from './sinks.js';
import type { SocketLink } from './socket-io.js';
import type { SpotRateGuard } from './rate-guard.js';
import { varDigits } from '../strategy/orders.js';

const MT_NEW_ORDER_SINGLE = 0x44;
const MT_CANCEL = 0x46;
const MT_REPLACE = 0x47;
const MT_STATUS = 0x48;
const MT_MASS_CANCEL = 0x71;
const EXEC_INST_P = new Uint8Array([0x50]);
const EXEC_INST_E = new Uint8Array([0x45]);
const EXEC_INST_EP = new Uint8Array([0x45, 0x20, 0x50]);

type Cursor = PlaceFlyweight['c'];

export class CommandEncoder implements RecordHandler {
  /** Index of the strategy whose queue is being polled. */
  strategy = 0;
  /** Highest ClOrdID sent: Kraken wants them increasing within a session. */
  lastClOrdID = 0;
  /**
   * Set while commands must not go out (disconnected, reconnecting, rollover logout, stopped): each one is
   * refused at once with this text (reason NOT_LOGGED_ON). null: the session takes commands.
   */
  downText: Uint8Array | null = null;
  private readonly pl = new PlaceFlyweight();
  private readonly cx = new CancelFlyweight();
  private readonly am = new AmendFlyweight();
  private readonly mc = new MassCancelFlyweight();
  private readonly st = new StatusFlyweight();
  private readonly rj = new RejectFlyweight();
  private readonly scratch: Uint8Array[] = [];

  constructor(
    /** The trading session in use (the hot path swaps it between 141=Y and 141=N logons). */
    public session: FixSession,
    private readonly link: SocketLink,
    private readonly gate: OrderGate,
    private readonly sinks: readonly EventSink[],
    private readonly counters: Float64Array,
    private readonly ring: LatencyRing,
    private readonly clock: Clock,
    private readonly roundTrips: RoundTripTable | null = null,
    private readonly sentLog: SentLog | null = null,
    private readonly rateGuard: SpotRateGuard | null = null,
  ) {
    for (let n = 0; n <= 64; n++) this.scratch.push(new Uint8Array(n));
  }

  onRecord(buf: RecordBuffer, offset: number, recordType: number): void {
    this.counters[EngineCounter.COMMANDS]++;
    if (recordType === RecordType.Place) this.place(this.pl.wrap(buf, offset).c);
    else if (recordType === RecordType.Cancel) this.cancel(this.cx.wrap(buf, offset).c);
    else if (recordType === RecordType.Amend) this.amend(this.am.wrap(buf, offset).c);
    else if (recordType === RecordType.MassCancel) this.massCancel(this.mc.wrap(buf, offset).c);
    else if (recordType === RecordType.Status) this.status(this.st.wrap(buf, offset).c);
    else this.localReject(null, 0, LocalRejectCode.BAD_COMMAND);
  }

  // ---------------------------------------------------------------- commands

  private place(c: Cursor): void {
    if (!this.precheck(c, PL.clOrdID)) return;
    const id = c.u32(PL.instrumentId);
    const gi = this.gate.instruments[id];
    if (gi === undefined) return this.localReject(c, PL.clOrdID, LocalRejectCode.UNKNOWN_SYMBOL);
    const price = toUnits(c.f64(PL.price), c.i8(PL.priceScale), gi.priceScale);
    const stopPx = toUnits(c.f64(PL.stopPx), c.i8(PL.stopPxScale), gi.priceScale);
    const qty = toUnits(c.f64(PL.orderQty), c.i8(PL.orderQtyScale), gi.qtyScale);
    const side = c.u8(PL.side);
    const ordType = c.u8(PL.ordType);
    const tif = c.u8(PL.timeInForce);
    const flags = c.u16(PL.orderFlags);
    const expire = c.f64(PL.expireTimeMs);
    const nowUs = this.clock.nowMicros();
    const code = this.gate.checkPlace(id, side, ordType, tif, price, stopPx, qty, flags, expire, nowUs / 1000);
    if (code !== 0) return this.localReject(c, PL.clOrdID, code);
    if (this.rateGuard !== null && !this.rateGuard.admitPlace(id, varDigits(c, PL.clOrdID), nowUs)) return this.rateLimited(c, PL.clOrdID);
    const enc = this.session.beginMessage(MT_NEW_ORDER_SINGLE);
    this.varField(enc, 11, c, PL.clOrdID);
    enc.char(40, ordType);
    if (price > 0) enc.decimal(44, price, gi.priceScale);
    enc.decimal(38, qty, gi.qtyScale);
    enc.char(54, side);
    enc.bytes(55, gi.symbolBytes);
    enc.char(59, tif);
    enc.timestamp(60, nowUs);
    if (expire > 0) enc.timestamp(126, Math.floor(expire) * 1000, 0);
    const inst = flags & (OrderFlag.PostOnly | OrderFlag.ReduceOnly);
    if (inst !== 0) enc.bytes(18, inst === OrderFlag.PostOnly ? EXEC_INST_P : inst === OrderFlag.ReduceOnly ? EXEC_INST_E : EXEC_INST_EP);
    if (stopPx > 0) enc.decimal(99, stopPx, gi.priceScale);
    const stp = c.u8(PL.stpMode);
    if (stp !== 0) enc.char(7928, 0x30 + stp - 1);
    this.send(c, EngineCounter.ORDERS_SENT, MT_NEW_ORDER_SINGLE, PL.clOrdID, -1);
  }

  private cancel(c: Cursor): void {
    if (!this.precheck(c, CX.clOrdID)) return;
    const id = c.u32(CX.instrumentId);
    const code = this.gate.checkCancel(id);
    if (code !== 0) return this.localReject(c, CX.clOrdID, code);
    if (!c.varPresent(CX.origClOrdID) && !c.varPresent(CX.orderID)) return this.localReject(c, CX.clOrdID, LocalRejectCode.MISSING_ORDER_REF);
    this.rateGuard?.chargeCancel(id, varDigits(c, CX.origClOrdID), this.clock.nowMicros());
    const enc = this.session.beginMessage(MT_CANCEL);
    this.varField(enc, 11, c, CX.clOrdID);
    if (c.varPresent(CX.orderID)) this.varField(enc, 37, c, CX.orderID);
    if (c.varPresent(CX.origClOrdID)) this.varField(enc, 41, c, CX.origClOrdID);
    enc.char(54, c.u8(CX.side));
    enc.bytes(55, this.gate.instruments[id]!.symbolBytes);
    enc.timestamp(60, this.clock.nowMicros());
    this.send(c, EngineCounter.CANCELS_SENT, MT_CANCEL, CX.clOrdID, c.varPresent(CX.origClOrdID) ? CX.origClOrdID : -1);
  }

  private amend(c: Cursor): void {
    if (!this.precheck(c, AM.clOrdID)) return;
    const id = c.u32(AM.instrumentId);
    const gi = this.gate.instruments[id];
    if (gi === undefined) return this.localReject(c, AM.clOrdID, LocalRejectCode.UNKNOWN_SYMBOL);
    const price = toUnits(c.f64(AM.price), c.i8(AM.priceScale), gi.priceScale);
    const qty = toUnits(c.f64(AM.orderQty), c.i8(AM.orderQtyScale), gi.qtyScale);
    const code = this.gate.checkAmend(id, price, qty);
    if (code !== 0) return this.localReject(c, AM.clOrdID, code);
    if (!c.varPresent(AM.orderID) || !c.varPresent(AM.origClOrdID)) return this.localReject(c, AM.clOrdID, LocalRejectCode.MISSING_ORDER_REF);
    if (this.rateGuard !== null && !this.rateGuard.admitAmend(id, varDigits(c, AM.origClOrdID), varDigits(c, AM.clOrdID), this.clock.nowMicros())) {
      return this.rateLimited(c, AM.clOrdID);
    }
    const enc = this.session.beginMessage(MT_REPLACE);
    this.varField(enc, 11, c, AM.clOrdID);
    this.varField(enc, 37, c, AM.orderID);
    this.varField(enc, 41, c, AM.origClOrdID);
    enc.char(54, c.u8(AM.side));
    enc.bytes(55, gi.symbolBytes);
    enc.timestamp(60, this.clock.nowMicros());
    enc.decimal(38, qty, gi.qtyScale);
    enc.char(40, c.u8(AM.ordType));
    enc.char(59, c.u8(AM.timeInForce));
    if (price > 0) enc.decimal(44, price, gi.priceScale);
    this.send(c, EngineCounter.AMENDS_SENT, MT_REPLACE, AM.clOrdID, AM.origClOrdID);
  }

  private massCancel(c: Cursor): void {
    if (!this.precheck(c, MC.clOrdID)) return;
    const type = c.u8(MC.massCancelRequestType);
    const id = c.u32(MC.instrumentId);
    const bySymbol = type === 0x31;
    if (bySymbol && this.gate.instruments[id] === undefined) return this.localReject(c, MC.clOrdID, LocalRejectCode.UNKNOWN_SYMBOL);
    const enc = this.session.beginMessage(MT_MASS_CANCEL);
    this.varField(enc, 11, c, MC.clOrdID);
    enc.char(530, type === 0 ? 0x37 : type);
    if (bySymbol) enc.bytes(55, this.gate.instruments[id]!.symbolBytes);
    enc.timestamp(60, this.clock.nowMicros());
    this.send(c, EngineCounter.MASS_CANCELS_SENT, MT_MASS_CANCEL, MC.clOrdID, -1);
  }

  private status(c: Cursor): void {
    if (!this.precheck(c, ST.clOrdID)) return;
    const id = c.u32(ST.instrumentId);
    const gi = this.gate.instruments[id];
    if (gi === undefined) return this.localReject(c, ST.clOrdID, LocalRejectCode.UNKNOWN_SYMBOL);
    if (!c.varPresent(ST.orderID)) return this.localReject(c, ST.clOrdID, LocalRejectCode.MISSING_ORDER_REF);
    const enc = this.session.beginMessage(MT_STATUS);
    this.varField(enc, 11, c, ST.clOrdID);
    this.varField(enc, 37, c, ST.orderID);
    enc.bytes(55, gi.symbolBytes);
    const side = c.u8(ST.side);
    if (side !== 0) enc.char(54, side);
    enc.timestamp(60, this.clock.nowMicros());
    this.send(c, EngineCounter.STATUS_REQUESTS_SENT, MT_STATUS, ST.clOrdID, -1);
  }

  // ---------------------------------------------------------------- shared steps

  /** Session up and ClOrdID numeric and increasing; otherwise a local reject and false. */
  private precheck(c: Cursor, slot: number): boolean {
    const down = this.downText;
    if (down !== null || !this.session.isLoggedOn) {
      this.localReject(c, slot, LocalRejectCode.NOT_LOGGED_ON, down ?? localRejectText(LocalRejectCode.NOT_LOGGED_ON));
      return false;
    }
    const len = c.varLength(slot);
    const u8 = c.buf.u8;
    const p = c.varStart(slot);
    let id = 0;
    for (let i = 0; i < len; i++) {
      const d = u8[p + i]! - 0x30;
      if (d < 0 || d > 9) { id = NaN; break; }
      id = id * 10 + d;
    }
    if (len === 0 || len > 18 || !(id > 0)) {
      this.localReject(c, slot, LocalRejectCode.CLORDID_INVALID);
      return false;
    }
    if (!(id > this.lastClOrdID)) {
      this.localReject(c, slot, LocalRejectCode.CLORDID_OUT_OF_ORDER);
      return false;
    }
    this.lastClOrdID = id;
    return true;
  }

  private send(c: Cursor, kindCounter: number, msgType: number, idSlot: number, origSlot: number): void {
    const seq = this.session.send();
    this.counters[kindCounter]++;
    const log = this.sentLog;
    if (log !== null) {
      log.record(seq, this.strategy, msgType, c.buf.u8, c.varStart(idSlot), c.varLength(idSlot), origSlot < 0 ? 0 : c.varStart(origSlot), origSlot < 0 ? 0 : c.varLength(origSlot));
    }
    const link = this.link;
    // precheck() just accepted this command's ClOrdID as lastClOrdID.
    if (this.roundTrips !== null) this.roundTrips.sent(this.lastClOrdID, link.lastWriteNs);
    const t0 = c.tEnqueued;
    if (t0 > 0) {
      this.ring.record(Interval.ENCODE, link.lastEncodeDoneNs - t0);
      this.ring.record(Interval.STRATEGY_TO_WIRE, link.lastWriteNs - t0);
    }
    this.counters[EngineCounter.COMMANDS_SENT]++;
  }

  /** Copies a record var field into the encoder through an exact-length scratch array. */
  private varField(enc: FixEncoder, tag: number, c: Cursor, slot: number): void {
    const len = c.varLength(slot);
    let s = this.scratch[len];
    if (s === undefined) s = this.scratch[len] = new Uint8Array(len);
    const u8 = c.buf.u8;
    const p = c.varStart(slot);
    for (let i = 0; i < len; i++) s[i] = u8[p + i]!;
    enc.bytes(tag, s);
  }

  private rateLimited(c: Cursor, clOrdSlot: number): void {
    this.counters[EngineCounter.RATE_LIMITED]++;
    this.localReject(c, clOrdSlot, LocalRejectCode.RATE_LIMIT);
  }

  /** A Reject record (msgType 'L') for the command into the issuing strategy's event queue. */
  localReject(c: Cursor | null, slot: number, code: number, text: Uint8Array = localRejectText(code)): void {
    this.counters[EngineCounter.COMMANDS_REJECTED]++;
    const sink = this.sinks[this.strategy];
    if (sink === undefined) return;
    const idLen = c === null ? 0 : c.varLength(slot);
    const size = recordSize(RecordType.Reject, idLen + text.length);
    sink.claim(size);
    const rj = this.rj.wrapForWrite(sink.buffer, sink.offset, size);
    rj.msgType = LOCAL_REJECT_MSG_TYPE;
    rj.rejectReason = code;
    // tSocketRead stays 0: a local reject did not come from the wire.
    if (c !== null && idLen > 0) rj.putVar(RJ.clOrdID, c.buf.u8, c.varStart(slot), idLen);
    rj.putVar(RJ.text, text, 0, text.length);
    rj.c.tEnqueued = monoNs();
    sink.commit();
  }
}
