/**
 * Inbound decode on the hot path: one parsed FIX application message (a reused MessageView over the
 * socket bytes) becomes event records written straight into the strategies' queues. Field values are
 * copied byte for byte; decimals go through a reused Decimal; nothing allocates and no string is made.
 *
 * Routing: an ExecutionReport / cancel reject goes to the strategy whose index is the last digit of its
 * ClOrdID (see ClOrdIdSequence); anything we cannot attribute goes to every strategy.
 */
import { Decimal, parseDecimal, type MessageView } from '../codec/index.js';
import {
  BookEvent,
  ER,
  ExecutionReportFlyweight,
  monoNs,
  RecordFlag,
  RecordType,
  recordSize,
  RejectFlyweight,
  RJ,
  TradeFlyweight,
} from '../ipc/index.js';
import type { OrderGate } from '../strategy/gate.js';
import { MdFlag } from '../strategy/protocol.js';
import { Interval, type LatencyRing } from './latency.js';
import { EngineCounter } from './memory.js';
import { numericField, type RoundTripTable } from './round-trip.js';
import type { EventSink } from './sinks.js';

const MT_EXECUTION_REPORT = 0x38;
const MT_REJECT = 0x33;
const MT_CANCEL_REJECT = 0x39;
const MT_BUSINESS_REJECT = 0x6a;
const MT_SNAPSHOT = 0x57;
const MT_INCREMENTAL = 0x58;

const ER_VAR_TAGS = [11, 37, 17, 58, 55, 41];
const ER_VAR_SLOTS = [ER.clOrdID, ER.orderID, ER.execID, ER.text, ER.symbol, ER.origClOrdID];
const RJ_VAR_TAGS = [41, 37, 58, 372];
const RJ_VAR_SLOTS = [RJ.origClOrdID, RJ.orderID, RJ.text, RJ.refMsgType];
const UNKNOWN_INSTRUMENT = 0xffffffff;

export class InboundDecoder {
  /** monoNs of the socket read that delivered the bytes being parsed. */
  tRead = 0;
  private readonly dec = new Decimal();
  private readonly er = new ExecutionReportFlyweight();
  private readonly rj = new RejectFlyweight();
  private readonly tr = new TradeFlyweight();
  private readonly ev = new BookEvent();
  private readonly pending = new BookEvent();
  private hasPending = false;
  private firstInMessage = false;
  private entries = 0;

  constructor(
    private readonly sinks: readonly EventSink[],
    private readonly gate: OrderGate,
    private readonly counters: Float64Array,
    private readonly ring: LatencyRing,
    private readonly roundTrips: RoundTripTable | null = null,
  ) {}

  onMessage(view: MessageView, possDup: boolean): void {
    const tParse = monoNs();
    this.ring.record(Interval.PARSE, tParse - this.tRead);
    const c = this.counters;
    c[EngineCounter.APP_MESSAGES_IN]++;
    const mt = view.msgTypeCode;
    if (mt === MT_EXECUTION_REPORT) {
      c[EngineCounter.EXECUTION_REPORTS]++;
      this.roundTrip(view);
      this.countExecType(view);
      this.executionReport(view, possDup, tParse);
    } else if (mt === MT_SNAPSHOT || mt === MT_INCREMENTAL) {
      c[EngineCounter.MD_MESSAGES]++;
      this.marketData(view, mt === MT_SNAPSHOT, tParse);
    } else if (mt === MT_REJECT || mt === MT_CANCEL_REJECT || mt === MT_BUSINESS_REJECT) {
      c[EngineCounter.REJECTS_IN]++;
      if (mt === MT_CANCEL_REJECT) this.roundTrip(view);
      this.reject(view, mt, possDup, tParse);
    } else {
      c[EngineCounter.IGNORED_MESSAGES]++;
    }
  }

  private countExecType(view: MessageView): void {
    const t = view.getChar(150);
    const c = this.counters;
    if (t === 0x30) c[EngineCounter.ER_NEW]++;
    else if (t === 0x46) c[EngineCounter.ER_FILLS]++;
    else if (t === 0x38) c[EngineCounter.ER_REJECTED]++;
    else if (t === 0x34) c[EngineCounter.ER_CANCELED]++;
    else if (t === 0x35) c[EngineCounter.ER_REPLACED]++;
  }

  /** The first answer read for a ClOrdID we sent closes its round trip (command written -> answer read). */
  private roundTrip(view: MessageView): void {
    const rt = this.roundTrips;
    if (rt === null) return;
    const i = view.indexOf(11);
    if (i < 0) return;
    const id = numericField(view.buffer, view.offsets[i]!, view.lengths[i]!);
    if (id <= 0) return;
    const ns = rt.answered(id, this.tRead);
    if (ns >= 0) this.ring.record(Interval.ROUND_TRIP, ns);
  }

  // ---------------------------------------------------------------- routing

  /** Strategy index from the last digit of a numeric ClOrdID field, or -1 (broadcast). */
  private route(view: MessageView, tag: number): number {
    const i = view.indexOf(tag);
    if (i < 0) return -1;
    const len = view.lengths[i]!;
    if (len === 0 || len > 18) return -1;
    const buf = view.buffer;
    const off = view.offsets[i]!;
    for (let k = 0; k < len; k++) {
      const d = buf[off + k]! - 0x30;
      if (d < 0 || d > 9) return -1;
    }
    const idx = buf[off + len - 1]! - 0x30;
    return idx < this.sinks.length ? idx : -1;
  }

  // ---------------------------------------------------------------- ExecutionReport

  private executionReport(view: MessageView, possDup: boolean, tParse: number): void {
    let varBytes = 0;
    for (let k = 0; k < ER_VAR_TAGS.length; k++) {
      const i = view.indexOf(ER_VAR_TAGS[k]!);
      if (i >= 0) varBytes += view.lengths[i]!;
    }
    const size = recordSize(RecordType.ExecutionReport, varBytes);
    const idx = this.route(view, 11);
    if (idx >= 0) this.writeEr(this.sinks[idx]!, view, size, possDup, tParse);
    else for (let s = 0; s < this.sinks.length; s++) this.writeEr(this.sinks[s]!, view, size, possDup, tParse);
  }

  private writeEr(sink: EventSink, view: MessageView, size: number, possDup: boolean, tParse: number): void {
    sink.claim(size);
    const er = this.er.wrapForWrite(sink.buffer, sink.offset, size);
    const c = er.c;
    c.seq = view.getInt(34);
    c.flags = possDup ? RecordFlag.PossDup : 0;
    c.tSocketRead = this.tRead;
    c.tParseDone = tParse;
    const d = this.dec;
    if (view.getDecimal(44, d)) er.setPrice(d.mantissa, d.scale);
    if (view.getDecimal(38, d)) er.setOrderQty(d.mantissa, d.scale);
    if (view.getDecimal(14, d)) er.setCumQty(d.mantissa, d.scale);
    if (view.getDecimal(151, d)) er.setLeavesQty(d.mantissa, d.scale);
    if (view.getDecimal(6, d)) er.setAvgPx(d.mantissa, d.scale);
    if (view.getDecimal(31, d)) er.setLastPx(d.mantissa, d.scale);
    if (view.getDecimal(32, d)) er.setLastQty(d.mantissa, d.scale);
    const tt = view.getTimestampMicros(60);
    if (tt === tt) er.transactTimeMs = tt / 1000;
    er.execType = charOf(view, 150);
    er.ordStatus = charOf(view, 39);
    er.side = charOf(view, 54);
    er.ordType = charOf(view, 40);
    er.timeInForce = charOf(view, 59);
    const si = view.indexOf(55);
    er.instrumentId = si < 0 ? UNKNOWN_INSTRUMENT : idOr(this.gate.idOfBytes(view.buffer, view.offsets[si]!, view.lengths[si]!));
    for (let k = 0; k < ER_VAR_TAGS.length; k++) {
      const i = view.indexOf(ER_VAR_TAGS[k]!);
      if (i >= 0) er.putVar(ER_VAR_SLOTS[k]!, view.buffer, view.offsets[i]!, view.lengths[i]!);
    }
    c.tEnqueued = monoNs();
    sink.commit();
  }

  // ---------------------------------------------------------------- rejects

  private reject(view: MessageView, mt: number, possDup: boolean, tParse: number): void {
    const idTag = mt === MT_BUSINESS_REJECT ? 379 : 11;
    const idI = view.indexOf(idTag);
    let varBytes = idI >= 0 ? view.lengths[idI]! : 0;
    for (let k = 0; k < RJ_VAR_TAGS.length; k++) {
      const i = view.indexOf(RJ_VAR_TAGS[k]!);
      if (i >= 0) varBytes += view.lengths[i]!;
    }
    const size = recordSize(RecordType.Reject, varBytes);
    const idx = this.route(view, idTag);
    if (idx >= 0) this.writeReject(this.sinks[idx]!, view, mt, idI, size, possDup, tParse);
    else for (let s = 0; s < this.sinks.length; s++) this.writeReject(this.sinks[s]!, view, mt, idI, size, possDup, tParse);
  }

  private writeReject(sink: EventSink, view: MessageView, mt: number, idI: number, size: number, possDup: boolean, tParse: number): void {
    sink.claim(size);
    const rj = this.rj.wrapForWrite(sink.buffer, sink.offset, size);
    const c = rj.c;
    c.seq = view.getInt(34);
    c.flags = possDup ? RecordFlag.PossDup : 0;
    c.tSocketRead = this.tRead;
    c.tParseDone = tParse;
    rj.msgType = mt;
    const ref = view.getInt(45);
    if (ref === ref) rj.refSeqNum = ref;
    const reason = view.getInt(mt === MT_REJECT ? 373 : mt === MT_BUSINESS_REJECT ? 380 : 102);
    if (reason === reason) rj.rejectReason = reason;
    const refTag = view.getInt(371);
    if (refTag === refTag) rj.refTagID = refTag;
    rj.cxlRejResponseTo = charOf(view, 434);
    rj.ordStatus = charOf(view, 39);
    if (idI >= 0) rj.putVar(RJ.clOrdID, view.buffer, view.offsets[idI]!, view.lengths[idI]!);
    for (let k = 0; k < RJ_VAR_TAGS.length; k++) {
      const i = view.indexOf(RJ_VAR_TAGS[k]!);
      if (i >= 0) rj.putVar(RJ_VAR_SLOTS[k]!, view.buffer, view.offsets[i]!, view.lengths[i]!);
    }
    c.tEnqueued = monoNs();
    sink.commit();
  }

  // ---------------------------------------------------------------- market data

  /**
   * W / X entries in order. An entry starts at its delimiter (269 in W, 279 in X) and takes the fields
   * up to the next delimiter. Book entries are published one behind so the last one can carry
   * LastInMessage; trades go out as soon as they are complete.
   */
  private marketData(view: MessageView, snapshot: boolean, tParse: number): void {
    const start = view.indexOf(268);
    if (start < 0) return;
    const si = view.indexOf(55);
    const msgInstrument = si < 0 ? -1 : this.gate.idOfBytes(view.buffer, view.offsets[si]!, view.lengths[si]!);
    const delimiter = snapshot ? 269 : 279;
    const tags = view.tags;
    const count = view.count;
    const ev = this.ev;
    this.hasPending = false;
    this.firstInMessage = true;
    this.entries = 0;
    let open = false;
    let instrument = msgInstrument;
    let side = -1;
    let action = 0;
    let havePrice = false;
    let haveQty = false;
    let aggressor = 0;
    const d = this.dec;
    for (let i = start + 1; i < count; i++) {
      const tag = tags[i]!;
      if (tag === delimiter) {
        if (open) this.entryDone(view, snapshot, instrument, side, action, havePrice, haveQty, aggressor, tParse);
        open = true;
        instrument = msgInstrument;
        side = -1;
        action = 0;
        havePrice = false;
        haveQty = false;
        aggressor = 0;
        ev.price = 0;
        ev.qty = 0;
      }
      if (!open) continue;
      if (tag === 269) side = view.intAt(i);
      else if (tag === 279) action = view.intAt(i);
      else if (tag === 270) {
        if (parseAt(view, i, d)) { ev.price = d.mantissa; ev.priceScale = d.scale; havePrice = true; }
      } else if (tag === 271) {
        if (parseAt(view, i, d)) { ev.qty = d.mantissa; ev.qtyScale = d.scale; haveQty = true; }
      } else if (tag === 55) instrument = this.gate.idOfBytes(view.buffer, view.offsets[i]!, view.lengths[i]!);
      else if (tag === 2446) aggressor = view.buffer[view.offsets[i]!]!;
      else if (tag === 10) break;
    }
    if (open) this.entryDone(view, snapshot, instrument, side, action, havePrice, haveQty, aggressor, tParse);
    if (this.hasPending) this.publishPending(true);
    const sinks = this.sinks;
    for (let s = 0; s < sinks.length; s++) sinks[s]!.wakeIfWaiting();
    this.counters[EngineCounter.MD_ENTRIES] += this.entries;
  }

  private entryDone(
    view: MessageView, snapshot: boolean, instrument: number, side: number, action: number,
    havePrice: boolean, haveQty: boolean, aggressor: number, tParse: number,
  ): void {
    if (instrument < 0 || !havePrice) return;
    this.entries++;
    const ev = this.ev;
    if (side === 2) {
      this.trade(view, instrument, ev.price, ev.priceScale, haveQty ? ev.qty : 0, ev.qtyScale, aggressor, tParse);
      return;
    }
    if (side !== 0 && side !== 1) return;
    if (this.hasPending) this.publishPending(false);
    const p = this.pending;
    p.instrumentId = instrument;
    p.side = side;
    p.action = snapshot ? 0 : action;
    p.price = ev.price;
    p.priceScale = ev.priceScale;
    p.qty = haveQty ? ev.qty : 0;
    p.qtyScale = haveQty ? ev.qtyScale : 0;
    p.level = 0xffff;
    p.orderId = 0;
    p.seq = view.getInt(34);
    p.tSocketRead = this.tRead;
    p.tParseDone = tParse;
    p.flags = (snapshot ? MdFlag.Snapshot : 0) | (this.firstInMessage ? MdFlag.FirstInMessage : 0);
    this.firstInMessage = false;
    this.hasPending = true;
  }

  private publishPending(last: boolean): void {
    const p = this.pending;
    if (last) p.flags |= MdFlag.LastInMessage;
    p.tEnqueued = monoNs();
    const sinks = this.sinks;
    for (let s = 0; s < sinks.length; s++) {
      if (!sinks[s]!.md.publishBook(p)) this.counters[EngineCounter.MD_CONFLATED]++;
    }
    this.hasPending = false;
  }

  private trade(view: MessageView, instrument: number, price: number, priceScale: number, qty: number, qtyScale: number, aggressor: number, tParse: number): void {
    const size = recordSize(RecordType.Trade, 0);
    const sinks = this.sinks;
    for (let s = 0; s < sinks.length; s++) {
      const md = sinks[s]!.md;
      if (!md.tryClaim(size)) {
        this.counters[EngineCounter.MD_DROPPED]++;
        continue;
      }
      const tr = this.tr.wrapForWrite(md.buffer, md.claimedOffset, size);
      tr.setPrice(price, priceScale).setQty(qty, qtyScale);
      tr.instrumentId = instrument;
      tr.aggressorSide = aggressor;
      const c = tr.c;
      c.seq = view.getInt(34);
      c.tSocketRead = this.tRead;
      c.tParseDone = tParse;
      c.tEnqueued = monoNs();
      md.commit();
    }
  }
}

function charOf(view: MessageView, tag: number): number {
  const v = view.getChar(tag);
  return v < 0 ? 0 : v;
}

function idOr(id: number): number {
  return id < 0 ? UNKNOWN_INSTRUMENT : id;
}

function parseAt(view: MessageView, i: number, out: Decimal): boolean {
  // MessageView.getDecimal looks a tag up; group entries repeat tags, so parse by field index.
  return parseDecimal(view.buffer, view.offsets[i]!, view.lengths[i]!, out);
}
