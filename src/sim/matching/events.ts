/**
 * Reusable, preallocated event sinks. The engine appends one row per state transition; the consumer
 * reads rows 0..count-1 and calls clear(). Rows live in one Float64Array, row-major (an event touches 3-4
 * adjacent cache lines instead of one line per column), so appending allocates nothing; capacity doubles
 * only if one engine call produces more rows than ever before.
 *
 * Read a field as `data[i * EXEC_STRIDE + X.Price]` (hot path) or with get(i) (allocates; tests).
 * Quantities are lots, prices ticks (Instrument.formatPrice / formatQty), times epoch microseconds;
 * -1 in a price field means "not present".
 */
import type { ExecType, Liquidity, MdKind, OrdStatus, OrdType, Reason, Side, TimeInForce } from './constants.js';

/** Field offsets of an execution event row. */
export const enum X {
  ExecSeq = 0,
  Ref,
  Tag,
  OrigTag,
  Time,
  Account,
  Session,
  Instrument,
  ExecType,
  OrdStatus,
  OrdType,
  Side,
  Tif,
  Liquidity,
  Reason,
  Price,
  StopPx,
  OrderQty,
  DisplayQty,
  CumQty,
  LeavesQty,
  LastPx,
  LastQty,
  NotionalHi,
  NotionalLo,
  TradeId,
  TriggerPx,
  ExpireTime,
}
export const EXEC_STRIDE = 28;

/** One ExecutionReport's worth of engine state. */
export interface ExecEventView {
  execSeq: number;
  /** Order key (OrderID = engine.orderIdOf(ref)). */
  ref: number;
  /** Correlation value of this report's ClOrdID (11). */
  tag: number;
  /** Correlation value of the order's previous ClOrdID (41) on cancel/amend reports. */
  origTag: number;
  time: number;
  account: number;
  session: number;
  instrument: number;
  execType: ExecType;
  ordStatus: OrdStatus;
  ordType: OrdType;
  side: Side;
  tif: TimeInForce;
  liquidity: Liquidity;
  reason: Reason;
  price: number;
  stopPx: number;
  orderQty: number;
  displayQty: number;
  cumQty: number;
  leavesQty: number;
  lastPx: number;
  lastQty: number;
  /** Cumulative notional (ticks*lots) = notionalHi * 2^24 + notionalLo; AvgPx = notional / cumQty. */
  notionalHi: number;
  notionalLo: number;
  /** Per-pair trade sequence (527) on Trade events, else 0. */
  tradeId: number;
  triggerPx: number;
  expireTime: number;
}

/** A growable table of fixed-width Float64 rows: the storage both event tables share. */
class EventRows {
  count = 0;
  capacity = 0;
  data = new Float64Array(0);

  constructor(private readonly stride: number, capacity: number) {
    this.resize(capacity);
  }

  clear(): void {
    this.count = 0;
  }

  /** Reserves the next row and returns its base offset into data (grows if needed). */
  next(): number {
    if (this.count === this.capacity) this.resize(this.capacity * 2);
    return this.count++ * this.stride;
  }

  private resize(n: number): void {
    const d = new Float64Array(n * this.stride);
    d.set(this.data.subarray(0, this.count * this.stride));
    this.data = d;
    this.capacity = n;
  }
}

export class ExecEvents extends EventRows {
  constructor(capacity = 1024) {
    super(EXEC_STRIDE, capacity);
  }

  field(i: number, f: X): number {
    return this.data[i * EXEC_STRIDE + f];
  }

  /** Allocating snapshot of row i, for tests and cold paths. */
  get(i: number): ExecEventView {
    const d = this.data;
    const b = i * EXEC_STRIDE;
    return {
      execSeq: d[b + X.ExecSeq],
      ref: d[b + X.Ref],
      tag: d[b + X.Tag],
      origTag: d[b + X.OrigTag],
      time: d[b + X.Time],
      account: d[b + X.Account],
      session: d[b + X.Session],
      instrument: d[b + X.Instrument],
      execType: d[b + X.ExecType] as ExecType,
      ordStatus: d[b + X.OrdStatus] as OrdStatus,
      ordType: d[b + X.OrdType] as OrdType,
      side: d[b + X.Side] as Side,
      tif: d[b + X.Tif] as TimeInForce,
      liquidity: d[b + X.Liquidity] as Liquidity,
      reason: d[b + X.Reason] as Reason,
      price: d[b + X.Price],
      stopPx: d[b + X.StopPx],
      orderQty: d[b + X.OrderQty],
      displayQty: d[b + X.DisplayQty],
      cumQty: d[b + X.CumQty],
      leavesQty: d[b + X.LeavesQty],
      lastPx: d[b + X.LastPx],
      lastQty: d[b + X.LastQty],
      notionalHi: d[b + X.NotionalHi],
      notionalLo: d[b + X.NotionalLo],
      tradeId: d[b + X.TradeId],
      triggerPx: d[b + X.TriggerPx],
      expireTime: d[b + X.ExpireTime],
    };
  }

  toArray(): ExecEventView[] {
    const out: ExecEventView[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.get(i));
    return out;
  }
}

/** Field offsets of a public market-data event row. */
export const enum M {
  Kind = 0,
  Instrument,
  Ref,
  Side,
  Price,
  Qty,
  Time,
  QueueTime,
  Aggressor,
  TakerOrdType,
  TradeId,
}
export const MD_STRIDE = 11;

/** Public market events (L3: visible part of resting orders; trades with aggressor side). */
export interface MdEventView {
  kind: MdKind;
  instrument: number;
  /** Order key (L3 278 = engine.orderIdOf(ref)); on trades the taker's key. */
  ref: number;
  side: Side;
  price: number;
  /** Add/Modify: visible qty now shown; Delete: 0; Trade: traded qty. */
  qty: number;
  time: number;
  /** Add/Modify: when the order took its current queue position (5273). */
  queueTime: number;
  /** Trade only. */
  aggressor: Side | 0;
  takerOrdType: OrdType | 0;
  tradeId: number;
}

export class MdEvents extends EventRows {
  constructor(capacity = 1024) {
    super(MD_STRIDE, capacity);
  }

  field(i: number, f: M): number {
    return this.data[i * MD_STRIDE + f];
  }

  get(i: number): MdEventView {
    const d = this.data;
    const b = i * MD_STRIDE;
    return {
      kind: d[b + M.Kind] as MdKind,
      instrument: d[b + M.Instrument],
      ref: d[b + M.Ref],
      side: d[b + M.Side] as Side,
      price: d[b + M.Price],
      qty: d[b + M.Qty],
      time: d[b + M.Time],
      queueTime: d[b + M.QueueTime],
      aggressor: d[b + M.Aggressor] as Side | 0,
      takerOrdType: d[b + M.TakerOrdType] as OrdType | 0,
      tradeId: d[b + M.TradeId],
    };
  }

  toArray(): MdEventView[] {
    const out: MdEventView[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.get(i));
    return out;
  }
}
