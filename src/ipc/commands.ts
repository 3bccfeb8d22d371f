/**
 * Typed accessors for command records (strategies -> hot path). One flyweight per record type, re-pointed
 * at each record (wrap / wrapForWrite): no allocation per record. Decimal getters return the mantissa;
 * the matching `<name>Scale` getter gives the power of ten. Var fields decode to strings only when the
 * consumer calls the named method; byte-level access goes through `c` (varEquals, varCopy ...).
 * Generated once from the SCHEMA table's field list; offsets always come from schema.ts.
 */
import { EMPTY_BUFFER, RecordBuffer, RecordCursor } from './record-buffer.js';
import { PL, CX, AM, MC, ST, RecordType } from './schema.js';

/** NewOrderSingle (D) command. */
export class PlaceFlyweight {
  static readonly TYPE = RecordType.Place;
  readonly c = new RecordCursor(EMPTY_BUFFER);
  wrap(buf: RecordBuffer, offset: number): this { this.c.wrap(buf, offset); return this; }
  wrapForWrite(buf: RecordBuffer, offset: number, size: number): this {
    this.c.wrapForWrite(buf, offset, size, RecordType.Place);
    return this;
  }
  get price(): number { return this.c.f64(PL.price); }
  get priceScale(): number { return this.c.i8(PL.priceScale); }
  setPrice(mantissa: number, scale: number): this { this.c.setDecimal(PL.price, PL.priceScale, mantissa, scale); return this; }
  get orderQty(): number { return this.c.f64(PL.orderQty); }
  get orderQtyScale(): number { return this.c.i8(PL.orderQtyScale); }
  setOrderQty(mantissa: number, scale: number): this { this.c.setDecimal(PL.orderQty, PL.orderQtyScale, mantissa, scale); return this; }
  get stopPx(): number { return this.c.f64(PL.stopPx); }
  get stopPxScale(): number { return this.c.i8(PL.stopPxScale); }
  setStopPx(mantissa: number, scale: number): this { this.c.setDecimal(PL.stopPx, PL.stopPxScale, mantissa, scale); return this; }
  get displayQty(): number { return this.c.f64(PL.displayQty); }
  get displayQtyScale(): number { return this.c.i8(PL.displayQtyScale); }
  setDisplayQty(mantissa: number, scale: number): this { this.c.setDecimal(PL.displayQty, PL.displayQtyScale, mantissa, scale); return this; }
  get expireTimeMs(): number { return this.c.f64(PL.expireTimeMs); }
  set expireTimeMs(v: number) { this.c.setF64(PL.expireTimeMs, v); }
  get instrumentId(): number { return this.c.u32(PL.instrumentId); }
  set instrumentId(v: number) { this.c.setU32(PL.instrumentId, v); }
  get side(): number { return this.c.u8(PL.side); }
  set side(v: number) { this.c.setU8(PL.side, v); }
  get ordType(): number { return this.c.u8(PL.ordType); }
  set ordType(v: number) { this.c.setU8(PL.ordType, v); }
  get timeInForce(): number { return this.c.u8(PL.timeInForce); }
  set timeInForce(v: number) { this.c.setU8(PL.timeInForce, v); }
  get stpMode(): number { return this.c.u8(PL.stpMode); }
  set stpMode(v: number) { this.c.setU8(PL.stpMode, v); }
  get orderFlags(): number { return this.c.u16(PL.orderFlags); }
  set orderFlags(v: number) { this.c.setU16(PL.orderFlags, v); }
  clOrdID(): string { return this.c.varString(PL.clOrdID); }
  symbol(): string { return this.c.varString(PL.symbol); }
  /** Writes a var field (slot from PL, e.g. PL.clOrdID) from bytes. */
  putVar(slot: number, src: Uint8Array, start: number, len: number): this { this.c.putVar(slot, src, start, len); return this; }
  putAscii(slot: number, s: string): this { this.c.putVarAscii(slot, s); return this; }
}

/** OrderCancelRequest (F) command. */
export class CancelFlyweight {
  static readonly TYPE = RecordType.Cancel;
  readonly c = new RecordCursor(EMPTY_BUFFER);
  wrap(buf: RecordBuffer, offset: number): this { this.c.wrap(buf, offset); return this; }
  wrapForWrite(buf: RecordBuffer, offset: number, size: number): this {
    this.c.wrapForWrite(buf, offset, size, RecordType.Cancel);
    return this;
  }
  get instrumentId(): number { return this.c.u32(CX.instrumentId); }
  set instrumentId(v: number) { this.c.setU32(CX.instrumentId, v); }
  get side(): number { return this.c.u8(CX.side); }
  set side(v: number) { this.c.setU8(CX.side, v); }
  clOrdID(): string { return this.c.varString(CX.clOrdID); }
  origClOrdID(): string { return this.c.varString(CX.origClOrdID); }
  orderID(): string { return this.c.varString(CX.orderID); }
  symbol(): string { return this.c.varString(CX.symbol); }
  /** Writes a var field (slot from CX, e.g. CX.clOrdID) from bytes. */
  putVar(slot: number, src: Uint8Array, start: number, len: number): this { this.c.putVar(slot, src, start, len); return this; }
  putAscii(slot: number, s: string): this { this.c.putVarAscii(slot, s); return this; }
}

/** OrderCancelReplaceRequest (G) command. */
export class AmendFlyweight {
  static readonly TYPE = RecordType.Amend;
  readonly c = new RecordCursor(EMPTY_BUFFER);
  wrap(buf: RecordBuffer, offset: number): this { this.c.wrap(buf, offset); return this; }
  wrapForWrite(buf: RecordBuffer, offset: number, size: number): this {
    this.c.wrapForWrite(buf, offset, size, RecordType.Amend);
    return this;
  }
  get price(): number { return this.c.f64(AM.price); }
  get priceScale(): number { return this.c.i8(AM.priceScale); }
  setPrice(mantissa: number, scale: number): this { this.c.setDecimal(AM.price, AM.priceScale, mantissa, scale); return this; }
  get orderQty(): number { return this.c.f64(AM.orderQty); }
  get orderQtyScale(): number { return this.c.i8(AM.orderQtyScale); }
  setOrderQty(mantissa: number, scale: number): this { this.c.setDecimal(AM.orderQty, AM.orderQtyScale, mantissa, scale); return this; }
  get displayQty(): number { return this.c.f64(AM.displayQty); }
  get displayQtyScale(): number { return this.c.i8(AM.displayQtyScale); }
  setDisplayQty(mantissa: number, scale: number): this { this.c.setDecimal(AM.displayQty, AM.displayQtyScale, mantissa, scale); return this; }
  get instrumentId(): number { return this.c.u32(AM.instrumentId); }
  set instrumentId(v: number) { this.c.setU32(AM.instrumentId, v); }
  get side(): number { return this.c.u8(AM.side); }
  set side(v: number) { this.c.setU8(AM.side, v); }
  get ordType(): number { return this.c.u8(AM.ordType); }
  set ordType(v: number) { this.c.setU8(AM.ordType, v); }
  get timeInForce(): number { return this.c.u8(AM.timeInForce); }
  set timeInForce(v: number) { this.c.setU8(AM.timeInForce, v); }
  clOrdID(): string { return this.c.varString(AM.clOrdID); }
  origClOrdID(): string { return this.c.varString(AM.origClOrdID); }
  orderID(): string { return this.c.varString(AM.orderID); }
  symbol(): string { return this.c.varString(AM.symbol); }
  /** Writes a var field (slot from AM, e.g. AM.clOrdID) from bytes. */
  putVar(slot: number, src: Uint8Array, start: number, len: number): this { this.c.putVar(slot, src, start, len); return this; }
  putAscii(slot: number, s: string): this { this.c.putVarAscii(slot, s); return this; }
}

/** OrderMassCancelRequest (q) command. */
export class MassCancelFlyweight {
  static readonly TYPE = RecordType.MassCancel;
  readonly c = new RecordCursor(EMPTY_BUFFER);
  wrap(buf: RecordBuffer, offset: number): this { this.c.wrap(buf, offset); return this; }
  wrapForWrite(buf: RecordBuffer, offset: number, size: number): this {
    this.c.wrapForWrite(buf, offset, size, RecordType.MassCancel);
    return this;
  }
  get instrumentId(): number { return this.c.u32(MC.instrumentId); }
  set instrumentId(v: number) { this.c.setU32(MC.instrumentId, v); }
  get massCancelRequestType(): number { return this.c.u8(MC.massCancelRequestType); }
  set massCancelRequestType(v: number) { this.c.setU8(MC.massCancelRequestType, v); }
  get side(): number { return this.c.u8(MC.side); }
  set side(v: number) { this.c.setU8(MC.side, v); }
  clOrdID(): string { return this.c.varString(MC.clOrdID); }
  symbol(): string { return this.c.varString(MC.symbol); }
  /** Writes a var field (slot from MC, e.g. MC.clOrdID) from bytes. */
  putVar(slot: number, src: Uint8Array, start: number, len: number): this { this.c.putVar(slot, src, start, len); return this; }
  putAscii(slot: number, s: string): this { this.c.putVarAscii(slot, s); return this; }
}

/** OrderStatusRequest (H) command. */
export class StatusFlyweight {
  static readonly TYPE = RecordType.Status;
  readonly c = new RecordCursor(EMPTY_BUFFER);
  wrap(buf: RecordBuffer, offset: number): this { this.c.wrap(buf, offset); return this; }
  wrapForWrite(buf: RecordBuffer, offset: number, size: number): this {
    this.c.wrapForWrite(buf, offset, size, RecordType.Status);
    return this;
  }
  get instrumentId(): number { return this.c.u32(ST.instrumentId); }
  set instrumentId(v: number) { this.c.setU32(ST.instrumentId, v); }
  get side(): number { return this.c.u8(ST.side); }
  set side(v: number) { this.c.setU8(ST.side, v); }
  clOrdID(): string { return this.c.varString(ST.clOrdID); }
  orderID(): string { return this.c.varString(ST.orderID); }
  symbol(): string { return this.c.varString(ST.symbol); }
  /** Writes a var field (slot from ST, e.g. ST.clOrdID) from bytes. */
  putVar(slot: number, src: Uint8Array, start: number, len: number): this { this.c.putVar(slot, src, start, len); return this; }
  putAscii(slot: number, s: string): this { this.c.putVarAscii(slot, s); return this; }
}
