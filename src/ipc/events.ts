/**
 * Typed accessors for event records (hot path -> strategies). One flyweight per record type, re-pointed
 * at each record (wrap / wrapForWrite): no allocation per record. Decimal getters return the mantissa;
 * the matching `<name>Scale` getter gives the power of ten. Var fields decode to strings only when the
 * consumer calls the named method; byte-level access goes through `c` (varEquals, varCopy ...).
 * Generated once from the SCHEMA table's field list; offsets always come from schema.ts.
 */
import { EMPTY_BUFFER, RecordBuffer, RecordCursor } from './record-buffer.js';
import { ER, BU, TR, SS, RJ, RecordType } from './schema.js';

/** ExecutionReport (35=8) event. */
export class ExecutionReportFlyweight {
  static readonly TYPE = RecordType.ExecutionReport;
  readonly c = new RecordCursor(EMPTY_BUFFER);
  wrap(buf: RecordBuffer, offset: number): this { this.c.wrap(buf, offset); return this; }
  wrapForWrite(buf: RecordBuffer, offset: number, size: number): this {
    this.c.wrapForWrite(buf, offset, size, RecordType.ExecutionReport);
    return this;
  }
  get price(): number { return this.c.f64(ER.price); }
  get priceScale(): number { return this.c.i8(ER.priceScale); }
  setPrice(mantissa: number, scale: number): this { this.c.setDecimal(ER.price, ER.priceScale, mantissa, scale); return this; }
  get orderQty(): number { return this.c.f64(ER.orderQty); }
  get orderQtyScale(): number { return this.c.i8(ER.orderQtyScale); }
  setOrderQty(mantissa: number, scale: number): this { this.c.setDecimal(ER.orderQty, ER.orderQtyScale, mantissa, scale); return this; }
  get cumQty(): number { return this.c.f64(ER.cumQty); }
  get cumQtyScale(): number { return this.c.i8(ER.cumQtyScale); }
  setCumQty(mantissa: number, scale: number): this { this.c.setDecimal(ER.cumQty, ER.cumQtyScale, mantissa, scale); return this; }
  get leavesQty(): number { return this.c.f64(ER.leavesQty); }
  get leavesQtyScale(): number { return this.c.i8(ER.leavesQtyScale); }
  setLeavesQty(mantissa: number, scale: number): this { this.c.setDecimal(ER.leavesQty, ER.leavesQtyScale, mantissa, scale); return this; }
  get avgPx(): number { return this.c.f64(ER.avgPx); }
  get avgPxScale(): number { return this.c.i8(ER.avgPxScale); }
  setAvgPx(mantissa: number, scale: number): this { this.c.setDecimal(ER.avgPx, ER.avgPxScale, mantissa, scale); return this; }
  get lastPx(): number { return this.c.f64(ER.lastPx); }
  get lastPxScale(): number { return this.c.i8(ER.lastPxScale); }
  setLastPx(mantissa: number, scale: number): this { this.c.setDecimal(ER.lastPx, ER.lastPxScale, mantissa, scale); return this; }
  get lastQty(): number { return this.c.f64(ER.lastQty); }
  get lastQtyScale(): number { return this.c.i8(ER.lastQtyScale); }
  setLastQty(mantissa: number, scale: number): this { this.c.setDecimal(ER.lastQty, ER.lastQtyScale, mantissa, scale); return this; }
  get transactTimeMs(): number { return this.c.f64(ER.transactTimeMs); }
  set transactTimeMs(v: number) { this.c.setF64(ER.transactTimeMs, v); }
  get instrumentId(): number { return this.c.u32(ER.instrumentId); }
  set instrumentId(v: number) { this.c.setU32(ER.instrumentId, v); }
  get execType(): number { return this.c.u8(ER.execType); }
  set execType(v: number) { this.c.setU8(ER.execType, v); }
  get ordStatus(): number { return this.c.u8(ER.ordStatus); }
  set ordStatus(v: number) { this.c.setU8(ER.ordStatus, v); }
  get side(): number { return this.c.u8(ER.side); }
  set side(v: number) { this.c.setU8(ER.side, v); }
  get ordType(): number { return this.c.u8(ER.ordType); }
  set ordType(v: number) { this.c.setU8(ER.ordType, v); }
  get timeInForce(): number { return this.c.u8(ER.timeInForce); }
  set timeInForce(v: number) { this.c.setU8(ER.timeInForce, v); }
  clOrdID(): string { return this.c.varString(ER.clOrdID); }
  orderID(): string { return this.c.varString(ER.orderID); }
  execID(): string { return this.c.varString(ER.execID); }
  text(): string { return this.c.varString(ER.text); }
  symbol(): string { return this.c.varString(ER.symbol); }
  origClOrdID(): string { return this.c.varString(ER.origClOrdID); }
  /** Writes a var field (slot from ER, e.g. ER.clOrdID) from bytes. */
  putVar(slot: number, src: Uint8Array, start: number, len: number): this { this.c.putVar(slot, src, start, len); return this; }
  putAscii(slot: number, s: string): this { this.c.putVarAscii(slot, s); return this; }
}

/** One MD entry of a W/X (book level or L3 order) event. */
export class BookUpdateFlyweight {
  static readonly TYPE = RecordType.BookUpdate;
  readonly c = new RecordCursor(EMPTY_BUFFER);
  wrap(buf: RecordBuffer, offset: number): this { this.c.wrap(buf, offset); return this; }
  wrapForWrite(buf: RecordBuffer, offset: number, size: number): this {
    this.c.wrapForWrite(buf, offset, size, RecordType.BookUpdate);
    return this;
  }
  get price(): number { return this.c.f64(BU.price); }
  get priceScale(): number { return this.c.i8(BU.priceScale); }
  setPrice(mantissa: number, scale: number): this { this.c.setDecimal(BU.price, BU.priceScale, mantissa, scale); return this; }
  get qty(): number { return this.c.f64(BU.qty); }
  get qtyScale(): number { return this.c.i8(BU.qtyScale); }
  setQty(mantissa: number, scale: number): this { this.c.setDecimal(BU.qty, BU.qtyScale, mantissa, scale); return this; }
  get orderId(): number { return this.c.f64(BU.orderId); }
  set orderId(v: number) { this.c.setF64(BU.orderId, v); }
  get instrumentId(): number { return this.c.u32(BU.instrumentId); }
  set instrumentId(v: number) { this.c.setU32(BU.instrumentId, v); }
  get level(): number { return this.c.u16(BU.level); }
  set level(v: number) { this.c.setU16(BU.level, v); }
  get side(): number { return this.c.u8(BU.side); }
  set side(v: number) { this.c.setU8(BU.side, v); }
  get action(): number { return this.c.u8(BU.action); }
  set action(v: number) { this.c.setU8(BU.action, v); }
}

/** Trade print event. */
export class TradeFlyweight {
  static readonly TYPE = RecordType.Trade;
  readonly c = new RecordCursor(EMPTY_BUFFER);
  wrap(buf: RecordBuffer, offset: number): this { this.c.wrap(buf, offset); return this; }
  wrapForWrite(buf: RecordBuffer, offset: number, size: number): this {
    this.c.wrapForWrite(buf, offset, size, RecordType.Trade);
    return this;
  }
  get price(): number { return this.c.f64(TR.price); }
  get priceScale(): number { return this.c.i8(TR.priceScale); }
  setPrice(mantissa: number, scale: number): this { this.c.setDecimal(TR.price, TR.priceScale, mantissa, scale); return this; }
  get qty(): number { return this.c.f64(TR.qty); }
  get qtyScale(): number { return this.c.i8(TR.qtyScale); }
  setQty(mantissa: number, scale: number): this { this.c.setDecimal(TR.qty, TR.qtyScale, mantissa, scale); return this; }
  get tradeTimeMs(): number { return this.c.f64(TR.tradeTimeMs); }
  set tradeTimeMs(v: number) { this.c.setF64(TR.tradeTimeMs, v); }
  get instrumentId(): number { return this.c.u32(TR.instrumentId); }
  set instrumentId(v: number) { this.c.setU32(TR.instrumentId, v); }
  get aggressorSide(): number { return this.c.u8(TR.aggressorSide); }
  set aggressorSide(v: number) { this.c.setU8(TR.aggressorSide, v); }
  tradeId(): string { return this.c.varString(TR.tradeId); }
  /** Writes a var field (slot from TR, e.g. TR.tradeId) from bytes. */
  putVar(slot: number, src: Uint8Array, start: number, len: number): this { this.c.putVar(slot, src, start, len); return this; }
  putAscii(slot: number, s: string): this { this.c.putVarAscii(slot, s); return this; }
}

/** Session state change event. */
export class SessionStatusFlyweight {
  static readonly TYPE = RecordType.SessionStatus;
  readonly c = new RecordCursor(EMPTY_BUFFER);
  wrap(buf: RecordBuffer, offset: number): this { this.c.wrap(buf, offset); return this; }
  wrapForWrite(buf: RecordBuffer, offset: number, size: number): this {
    this.c.wrapForWrite(buf, offset, size, RecordType.SessionStatus);
    return this;
  }
  get msgSeqNumIn(): number { return this.c.f64(SS.msgSeqNumIn); }
  set msgSeqNumIn(v: number) { this.c.setF64(SS.msgSeqNumIn, v); }
  get msgSeqNumOut(): number { return this.c.f64(SS.msgSeqNumOut); }
  set msgSeqNumOut(v: number) { this.c.setF64(SS.msgSeqNumOut, v); }
  get sessionIndex(): number { return this.c.u16(SS.sessionIndex); }
  set sessionIndex(v: number) { this.c.setU16(SS.sessionIndex, v); }
  get state(): number { return this.c.u8(SS.state); }
  set state(v: number) { this.c.setU8(SS.state, v); }
  get event(): number { return this.c.u8(SS.event); }
  set event(v: number) { this.c.setU8(SS.event, v); }
  text(): string { return this.c.varString(SS.text); }
  /** Writes a var field (slot from SS, e.g. SS.text) from bytes. */
  putVar(slot: number, src: Uint8Array, start: number, len: number): this { this.c.putVar(slot, src, start, len); return this; }
  putAscii(slot: number, s: string): this { this.c.putVarAscii(slot, s); return this; }
}

/** Reject (3), BusinessMessageReject (j) or OrderCancelReject (9) event. */
export class RejectFlyweight {
  static readonly TYPE = RecordType.Reject;
  readonly c = new RecordCursor(EMPTY_BUFFER);
  wrap(buf: RecordBuffer, offset: number): this { this.c.wrap(buf, offset); return this; }
  wrapForWrite(buf: RecordBuffer, offset: number, size: number): this {
    this.c.wrapForWrite(buf, offset, size, RecordType.Reject);
    return this;
  }
  get refSeqNum(): number { return this.c.f64(RJ.refSeqNum); }
  set refSeqNum(v: number) { this.c.setF64(RJ.refSeqNum, v); }
  get rejectReason(): number { return this.c.u32(RJ.rejectReason); }
  set rejectReason(v: number) { this.c.setU32(RJ.rejectReason, v); }
  get refTagID(): number { return this.c.u32(RJ.refTagID); }
  set refTagID(v: number) { this.c.setU32(RJ.refTagID, v); }
  get msgType(): number { return this.c.u8(RJ.msgType); }
  set msgType(v: number) { this.c.setU8(RJ.msgType, v); }
  get cxlRejResponseTo(): number { return this.c.u8(RJ.cxlRejResponseTo); }
  set cxlRejResponseTo(v: number) { this.c.setU8(RJ.cxlRejResponseTo, v); }
  get ordStatus(): number { return this.c.u8(RJ.ordStatus); }
  set ordStatus(v: number) { this.c.setU8(RJ.ordStatus, v); }
  clOrdID(): string { return this.c.varString(RJ.clOrdID); }
  origClOrdID(): string { return this.c.varString(RJ.origClOrdID); }
  orderID(): string { return this.c.varString(RJ.orderID); }
  text(): string { return this.c.varString(RJ.text); }
  refMsgType(): string { return this.c.varString(RJ.refMsgType); }
  /** Writes a var field (slot from RJ, e.g. RJ.clOrdID) from bytes. */
  putVar(slot: number, src: Uint8Array, start: number, len: number): this { this.c.putVar(slot, src, start, len); return this; }
  putAscii(slot: number, s: string): this { this.c.putVarAscii(slot, s); return this; }
}
