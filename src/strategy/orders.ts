/**
 * A strategy's own open orders and positions, kept in preallocated typed arrays (dense, swap-remove,
 * linear search: a quoting strategy holds tens of orders, where a scan beats hashing and allocates
 * nothing). Updated from ExecutionReport records before the strategy's onExecution runs.
 */
import { ER, type ExecutionReportFlyweight } from '../ipc/index.js';

/** OrdStatus(39) values after which an order is gone. */
const TERMINAL = new Uint8Array(128);
for (const c of '2348C') TERMINAL[c.charCodeAt(0)] = 1; // filled, canceled, done for day, rejected, expired
const EXEC_TYPE_REPLACED = 0x35;
const EXEC_TYPE_TRADE = 0x46;
const SIDE_BUY = 0x31;
const ORDER_ID_MAX = 48;

/** Order state as the strategy knows it. PendingNew until the venue's first report. */
export const OrderState = { PendingNew: 0, Open: 1, PendingCancel: 2, PendingReplace: 3 } as const;

/** Parses a var field of decimal digits as a number; NaN when it is not one (no allocation). */
export function varDigits(c: ExecutionReportFlyweight['c'], slot: number): number {
  const len = c.varLength(slot);
  if (len === 0 || len > 16) return NaN;
  const u8 = c.buf.u8;
  const p = c.varStart(slot);
  let v = 0;
  for (let i = 0; i < len; i++) {
    const d = u8[p + i]! - 0x30;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
}

export class OrderTable {
  readonly capacity: number;
  count = 0;
  readonly clOrdID: Float64Array;
  readonly instrumentId: Int32Array;
  readonly side: Uint8Array;
  readonly state: Uint8Array;
  /** Units at the instrument's scales. */
  readonly price: Float64Array;
  readonly qty: Float64Array;
  readonly leaves: Float64Array;
  readonly cum: Float64Array;
  /** Venue OrderID bytes (needed by amend and status). */
  readonly orderIdBytes: Uint8Array;
  readonly orderIdLen: Uint8Array;
  /** Signed position per instrument in qty units (fills only). */
  readonly positions: Float64Array;
  /** Reports that named no order we hold (another session's, or already gone). */
  unknownReports = 0;

  constructor(capacity = 1024, instruments = 64) {
    this.capacity = capacity;
    this.clOrdID = new Float64Array(capacity);
    this.instrumentId = new Int32Array(capacity);
    this.side = new Uint8Array(capacity);
    this.state = new Uint8Array(capacity);
    this.price = new Float64Array(capacity);
    this.qty = new Float64Array(capacity);
    this.leaves = new Float64Array(capacity);
    this.cum = new Float64Array(capacity);
    this.orderIdBytes = new Uint8Array(capacity * ORDER_ID_MAX);
    this.orderIdLen = new Uint8Array(capacity);
    this.positions = new Float64Array(instruments);
  }

  indexOf(clOrdID: number): number {
    const ids = this.clOrdID;
    for (let i = 0; i < this.count; i++) if (ids[i] === clOrdID) return i;
    return -1;
  }

  /** False when the table is full (the caller refuses the order). */
  add(clOrdID: number, instrumentId: number, side: number, price: number, qty: number): boolean {
    const i = this.count;
    if (i === this.capacity) return false;
    this.clOrdID[i] = clOrdID;
    this.instrumentId[i] = instrumentId;
    this.side[i] = side;
    this.state[i] = OrderState.PendingNew;
    this.price[i] = price;
    this.qty[i] = qty;
    this.leaves[i] = qty;
    this.cum[i] = 0;
    this.orderIdLen[i] = 0;
    this.count = i + 1;
    return true;
  }

  remove(i: number): void {
    const last = this.count - 1;
    if (i !== last) {
      this.clOrdID[i] = this.clOrdID[last]!;
      this.instrumentId[i] = this.instrumentId[last]!;
      this.side[i] = this.side[last]!;
      this.state[i] = this.state[last]!;
      this.price[i] = this.price[last]!;
      this.qty[i] = this.qty[last]!;
      this.leaves[i] = this.leaves[last]!;
      this.cum[i] = this.cum[last]!;
      this.orderIdLen[i] = this.orderIdLen[last]!;
      this.orderIdBytes.copyWithin(i * ORDER_ID_MAX, last * ORDER_ID_MAX, last * ORDER_ID_MAX + ORDER_ID_MAX);
    }
    this.count = last;
  }

  /** Applies one ExecutionReport; returns the order's index, or -1 when it is gone or unknown. */
  onExecutionReport(er: ExecutionReportFlyweight, priceScale: number, qtyScale: number): number {
    const c = er.c;
    let i = this.indexOf(varDigits(c, ER.clOrdID));
    const execType = er.execType;
    if (i < 0) {
      // Cancel and replace reports carry the request's ClOrdID and the order's in OrigClOrdID.
      i = this.indexOf(varDigits(c, ER.origClOrdID));
      if (i < 0) {
        this.unknownReports++;
        return -1;
      }
      if (execType === EXEC_TYPE_REPLACED) this.clOrdID[i] = varDigits(c, ER.clOrdID);
    }
    if (execType === EXEC_TYPE_TRADE) {
      const lastQty = scaleTo(er.lastQty, er.lastQtyScale, qtyScale);
      const id = this.instrumentId[i]!;
      if (id < this.positions.length) this.positions[id] += this.side[i] === SIDE_BUY ? lastQty : -lastQty;
    }
    if (c.varPresent(ER.orderID)) {
      const n = Math.min(c.varLength(ER.orderID), ORDER_ID_MAX);
      const src = c.buf.u8;
      const p = c.varStart(ER.orderID);
      const base = i * ORDER_ID_MAX;
      for (let k = 0; k < n; k++) this.orderIdBytes[base + k] = src[p + k]!;
      this.orderIdLen[i] = n;
    }
    if (er.price !== 0) this.price[i] = scaleTo(er.price, er.priceScale, priceScale);
    if (er.orderQty !== 0) this.qty[i] = scaleTo(er.orderQty, er.orderQtyScale, qtyScale);
    this.leaves[i] = scaleTo(er.leavesQty, er.leavesQtyScale, qtyScale);
    this.cum[i] = scaleTo(er.cumQty, er.cumQtyScale, qtyScale);
    const ordStatus = er.ordStatus;
    if (ordStatus < 128 && TERMINAL[ordStatus] === 1) {
      this.remove(i);
      return -1;
    }
    this.state[i] = OrderState.Open;
    return i;
  }

  /**
   * A local or venue reject. A rejected order (its own ClOrdID) is removed; a rejected cancel or amend
   * carries the request's ClOrdID and the order's in OrigClOrdID (NaN when absent): the order is open again.
   */
  onReject(clOrdID: number, origClOrdID: number): void {
    let i = this.indexOf(clOrdID);
    if (i < 0 && origClOrdID === origClOrdID) i = this.indexOf(origClOrdID);
    if (i < 0) return;
    if (this.state[i] === OrderState.PendingNew) this.remove(i);
    else this.state[i] = OrderState.Open;
  }

  /** Copies the venue OrderID of order i into dst; returns its length (0 if unknown yet). */
  orderIdOf(i: number, dst: Uint8Array): number {
    const n = this.orderIdLen[i]!;
    const base = i * ORDER_ID_MAX;
    for (let k = 0; k < n; k++) dst[k] = this.orderIdBytes[base + k]!;
    return n;
  }
}

function scaleTo(mantissa: number, scale: number, target: number): number {
  if (scale === target) return mantissa;
  return scale < target ? mantissa * 10 ** (target - scale) : Math.round(mantissa / 10 ** (scale - target));
}
