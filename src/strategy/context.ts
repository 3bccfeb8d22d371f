/**
 * The strategy context: validates a request with the OrderGate (synchronously, on numbers), takes a
 * ClOrdID from the session's shared sequence, writes one command record into this strategy's command
 * queue (never-drop: a full ring spills into a private backlog) and rings the hot path's doorbell.
 * Accepted requests cost no allocation; refused ones return a typed LocalReject.
 */
import {
  AmendFlyweight,
  BacklogProducer,
  CancelFlyweight,
  MassCancelFlyweight,
  monoNs,
  OrderFlag,
  PlaceFlyweight,
  StatusFlyweight,
  AM, CX, MC, PL, ST,
  RecordType,
  recordSize,
} from '../ipc/index.js';
import type { BookView } from './book-view.js';
import type { AmendOrder, CommandResult, LocalReject, PlaceOrder, SideName, StrategyContext } from './define.js';
import type { GateInstrument, OrderGate } from './gate.js';
import { OrderState, type OrderTable } from './orders.js';
import { ClOrdIdSequence, Doorbell, LocalRejectCode, sessionActiveIn, StratCounter, wallClockUs } from './protocol.js';

const SIDE_BUY = 0x31;
const SIDE_SELL = 0x32;
const ORD_LIMIT = 0x32;
const ORD_MARKET = 0x31;
const TIF_GTC = 0x31;
const TIF_IOC = 0x33;
const TIF_FOK = 0x34;
const MASS_BY_SYMBOL = 0x31;
const MASS_ALL = 0x37;

/** Decimal digits of a non-negative safe integer into buf; returns the length. */
function digits(buf: Uint8Array, v: number): number {
  let n = 1;
  for (let x = v; x >= 10; x = Math.floor(x / 10)) n++;
  for (let i = n - 1; i >= 0; i--) {
    const q = Math.floor(v / 10);
    buf[i] = 0x30 + (v - q * 10);
    v = q;
  }
  return n;
}

export interface ContextWiring {
  readonly name: string;
  readonly index: number;
  readonly params: Readonly<Record<string, unknown>>;
  readonly mode: 'worker' | 'inline';
  readonly gate: OrderGate;
  readonly commands: BacklogProducer;
  readonly doorbell: Doorbell;
  readonly sequence: ClOrdIdSequence;
  readonly orders: OrderTable;
  readonly books: BookView[];
  readonly counters: Float64Array;
  readonly engineCounters: Float64Array;
}

export class StrategyContextImpl implements StrategyContext {
  readonly name: string;
  readonly index: number;
  readonly params: Readonly<Record<string, unknown>>;
  readonly mode: 'worker' | 'inline';
  readonly instruments: readonly GateInstrument[];
  readonly orders: OrderTable;
  /** socket-read time of the event being handled (copied into commands: tick-to-trade forensics). */
  currentEventSocketNs = 0;
  private readonly gate: OrderGate;
  private readonly out: BacklogProducer;
  private readonly doorbell: Doorbell;
  private readonly sequence: ClOrdIdSequence;
  private readonly books: BookView[];
  private readonly counters: Float64Array;
  private readonly engineCounters: Float64Array;
  private readonly pl = new PlaceFlyweight();
  private readonly cx = new CancelFlyweight();
  private readonly am = new AmendFlyweight();
  private readonly mc = new MassCancelFlyweight();
  private readonly st = new StatusFlyweight();
  private readonly idBytes = new Uint8Array(20);
  private readonly origBytes = new Uint8Array(20);
  private readonly orderIdBytes = new Uint8Array(64);

  constructor(w: ContextWiring) {
    this.name = w.name;
    this.index = w.index;
    this.params = w.params;
    this.mode = w.mode;
    this.gate = w.gate;
    this.instruments = w.gate.instruments;
    this.out = w.commands;
    this.doorbell = w.doorbell;
    this.sequence = w.sequence;
    this.orders = w.orders;
    this.books = w.books;
    this.counters = w.counters;
    this.engineCounters = w.engineCounters;
  }

  get sessionActive(): boolean {
    return sessionActiveIn(this.engineCounters);
  }

  instrument(symbol: string): GateInstrument | undefined {
    const id = this.gate.idOf(symbol);
    return id < 0 ? undefined : this.instruments[id];
  }

  book(instrumentId: number): BookView {
    const b = this.books[instrumentId];
    if (b === undefined) throw new RangeError(`book: no instrument ${instrumentId} (have ${this.books.length})`);
    return b;
  }

  position(instrumentId: number): number {
    return this.orders.positions[instrumentId] ?? 0;
  }

  nowUs(): number {
    return wallClockUs();
  }

  log(message: string): void {
    console.log(`[strategy ${this.name}] ${message}`);
  }

  place(o: PlaceOrder): CommandResult {
    const id = typeof o.instrument === 'number' ? o.instrument : this.gate.idOf(o.instrument);
    const side = o.side === 'buy' ? SIDE_BUY : o.side === 'sell' ? SIDE_SELL : 0;
    const ordType = o.ordType === undefined || o.ordType === 'limit' ? ORD_LIMIT : o.ordType === 'market' ? ORD_MARKET : 0;
    const tif = o.timeInForce === undefined || o.timeInForce === 'GTC' ? TIF_GTC : o.timeInForce === 'IOC' ? TIF_IOC : o.timeInForce === 'FOK' ? TIF_FOK : 0;
    const flags = (o.postOnly === true ? OrderFlag.PostOnly : 0) | (o.reduceOnly === true ? OrderFlag.ReduceOnly : 0);
    return this.placeRaw(id, side, ordType, tif, o.price ?? 0, o.qty, flags);
  }

  placeLimit(instrumentId: number, side: SideName, price: number, qty: number, postOnly = false): CommandResult {
    return this.placeRaw(instrumentId, side === 'buy' ? SIDE_BUY : side === 'sell' ? SIDE_SELL : 0, ORD_LIMIT, TIF_GTC, price, qty, postOnly ? OrderFlag.PostOnly : 0);
  }

  private placeRaw(id: number, side: number, ordType: number, tif: number, price: number, qty: number, flags: number): CommandResult {
    const nowUs = wallClockUs();
    const code = this.gate.checkPlace(id, side, ordType, tif, price, 0, qty, flags, 0, nowUs / 1000);
    if (code !== 0) return this.refuse(this.gate.explainPlace(code, id, side, ordType, tif, price, 0, qty, flags, 0, nowUs / 1000));
    if (this.orders.count === this.orders.capacity) return this.engineReject(LocalRejectCode.QUEUE_FULL, 'too many open orders in the strategy order table');
    const gi = this.instruments[id]!;
    const clOrdID = this.sequence.next(nowUs, this.index);
    const idLen = digits(this.idBytes, clOrdID);
    const size = recordSize(RecordType.Place, idLen);
    const out = this.out;
    if (!out.tryClaim(size)) return this.engineReject(LocalRejectCode.QUEUE_FULL, 'command queue and its backlog are full');
    const pl = this.pl.wrapForWrite(out.buffer, out.claimedOffset, size);
    pl.setPrice(price, gi.priceScale).setOrderQty(qty, gi.qtyScale);
    pl.instrumentId = id;
    pl.side = side;
    pl.ordType = ordType;
    pl.timeInForce = tif;
    pl.orderFlags = flags;
    pl.putVar(PL.clOrdID, this.idBytes, 0, idLen);
    this.commit(pl.c);
    this.orders.add(clOrdID, id, side, price, qty);
    return clOrdID;
  }

  cancel(clOrdID: number): CommandResult {
    const i = this.orders.indexOf(clOrdID);
    if (i < 0) return this.engineReject(LocalRejectCode.UNKNOWN_ORDER, `no open order with ClOrdID ${clOrdID}`);
    const instrumentId = this.orders.instrumentId[i]!;
    const code = this.gate.checkCancel(instrumentId);
    if (code !== 0) return this.refuse(this.gate.describe(code));
    const newId = this.sequence.next(wallClockUs(), this.index);
    const idLen = digits(this.idBytes, newId);
    const origLen = digits(this.origBytes, clOrdID);
    const oidLen = this.orders.orderIdOf(i, this.orderIdBytes);
    const size = recordSize(RecordType.Cancel, idLen + origLen + oidLen);
    const out = this.out;
    if (!out.tryClaim(size)) return this.engineReject(LocalRejectCode.QUEUE_FULL, 'command queue and its backlog are full');
    const cx = this.cx.wrapForWrite(out.buffer, out.claimedOffset, size);
    cx.instrumentId = instrumentId;
    cx.side = this.orders.side[i]!;
    cx.putVar(CX.clOrdID, this.idBytes, 0, idLen);
    cx.putVar(CX.origClOrdID, this.origBytes, 0, origLen);
    if (oidLen > 0) cx.putVar(CX.orderID, this.orderIdBytes, 0, oidLen);
    this.commit(cx.c);
    this.orders.state[i] = OrderState.PendingCancel;
    return newId;
  }

  amend(clOrdID: number, change: AmendOrder): CommandResult {
    const i = this.orders.indexOf(clOrdID);
    if (i < 0) return this.engineReject(LocalRejectCode.UNKNOWN_ORDER, `no open order with ClOrdID ${clOrdID}`);
    const instrumentId = this.orders.instrumentId[i]!;
    const gi = this.instruments[instrumentId]!;
    const price = change.price ?? this.orders.price[i]!;
    const qty = change.qty ?? this.orders.qty[i]!;
    const code = this.gate.checkAmend(instrumentId, price, qty);
    if (code !== 0) return this.refuse(this.gate.describe(code));
    const oidLen = this.orders.orderIdOf(i, this.orderIdBytes);
    if (oidLen === 0) return this.engineReject(LocalRejectCode.MISSING_ORDER_REF, 'amend needs the venue OrderID: wait for the order to be acknowledged');
    const newId = this.sequence.next(wallClockUs(), this.index);
    const idLen = digits(this.idBytes, newId);
    const origLen = digits(this.origBytes, clOrdID);
    const size = recordSize(RecordType.Amend, idLen + origLen + oidLen);
    const out = this.out;
    if (!out.tryClaim(size)) return this.engineReject(LocalRejectCode.QUEUE_FULL, 'command queue and its backlog are full');
    const am = this.am.wrapForWrite(out.buffer, out.claimedOffset, size);
    am.setPrice(price, gi.priceScale).setOrderQty(qty, gi.qtyScale);
    am.instrumentId = instrumentId;
    am.side = this.orders.side[i]!;
    am.ordType = ORD_LIMIT;
    am.timeInForce = TIF_GTC;
    am.putVar(AM.clOrdID, this.idBytes, 0, idLen);
    am.putVar(AM.origClOrdID, this.origBytes, 0, origLen);
    am.putVar(AM.orderID, this.orderIdBytes, 0, oidLen);
    this.commit(am.c);
    this.orders.state[i] = OrderState.PendingReplace;
    return newId;
  }

  massCancel(instrument?: number | string): CommandResult {
    let id = -1;
    if (instrument !== undefined) {
      id = typeof instrument === 'number' ? instrument : this.gate.idOf(instrument);
      const code = this.gate.checkCancel(id);
      if (code !== 0) return this.refuse(this.gate.describe(code));
    }
    const newId = this.sequence.next(wallClockUs(), this.index);
    const idLen = digits(this.idBytes, newId);
    const size = recordSize(RecordType.MassCancel, idLen);
    const out = this.out;
    if (!out.tryClaim(size)) return this.engineReject(LocalRejectCode.QUEUE_FULL, 'command queue and its backlog are full');
    const mc = this.mc.wrapForWrite(out.buffer, out.claimedOffset, size);
    mc.instrumentId = id < 0 ? 0 : id;
    mc.massCancelRequestType = id < 0 ? MASS_ALL : MASS_BY_SYMBOL;
    mc.putVar(MC.clOrdID, this.idBytes, 0, idLen);
    this.commit(mc.c);
    return newId;
  }

  status(clOrdID: number): CommandResult {
    const i = this.orders.indexOf(clOrdID);
    if (i < 0) return this.engineReject(LocalRejectCode.UNKNOWN_ORDER, `no open order with ClOrdID ${clOrdID}`);
    const oidLen = this.orders.orderIdOf(i, this.orderIdBytes);
    if (oidLen === 0) return this.engineReject(LocalRejectCode.MISSING_ORDER_REF, 'status needs the venue OrderID: wait for the order to be acknowledged');
    const newId = this.sequence.next(wallClockUs(), this.index);
    const idLen = digits(this.idBytes, newId);
    const size = recordSize(RecordType.Status, idLen + oidLen);
    const out = this.out;
    if (!out.tryClaim(size)) return this.engineReject(LocalRejectCode.QUEUE_FULL, 'command queue and its backlog are full');
    const st = this.st.wrapForWrite(out.buffer, out.claimedOffset, size);
    st.instrumentId = this.orders.instrumentId[i]!;
    st.side = this.orders.side[i]!;
    st.putVar(ST.clOrdID, this.idBytes, 0, idLen);
    st.putVar(ST.orderID, this.orderIdBytes, 0, oidLen);
    this.commit(st.c);
    return newId;
  }

  private commit(c: PlaceFlyweight['c']): void {
    c.tSocketRead = this.currentEventSocketNs;
    c.tEnqueued = monoNs();
    const out = this.out;
    const before = out.backloggedTotal;
    out.commit();
    if (out.backloggedTotal !== before) this.counters[StratCounter.BACKLOGGED]++;
    this.counters[StratCounter.COMMANDS]++;
    this.doorbell.ring();
  }

  private refuse(e: LocalReject): LocalReject {
    this.counters[StratCounter.LOCAL_REJECTS]++;
    return e;
  }

  private engineReject(code: number, message: string): LocalReject {
    this.counters[StratCounter.LOCAL_REJECTS]++;
    const name = Object.keys(LocalRejectCode).find((k) => LocalRejectCode[k as keyof typeof LocalRejectCode] === code)!;
    return { code: name, message } as LocalReject;
  }
}
