/**
 * Engine state and the primitives every operation is built from: emitting events, resting and removing
 * orders, reservations, settling a fill, closing an order. No validation and no policy lives here (see
 * match.ts for matching/triggers and engine.ts for the public API).
 */
import { Book, LevelStore, linkOrder, moveToBack, unlinkOrder } from './book.js';
import {
  ExecType,
  Liquidity,
  MdKind,
  OrdStatus,
  OrdType,
  Reason,
  Side,
} from './constants.js';
import { ExecEvents, M, MdEvents, X } from './events.js';
import type { AssetInfo, Instrument } from './instrument.js';
import { Ledger } from './ledger.js';
import { OrderIdCodec } from './orderid.js';
import { OrderFlag, OrderState, OrderStore, STATUS_OF } from './orders.js';
import { TimerHeap } from './timers.js';
import { mulAdd } from './wide.js';

export interface EngineOptions {
  /** Seeds the OrderID permutation. */
  seed?: number;
  /** Initial clock, epoch microseconds. */
  nowMicros?: number;
  initialOrderCapacity?: number;
  maxAssets?: number;
  maxInstruments?: number;
  /** Reuse caller-owned sinks (e.g. shared with a gateway); default: fresh ones. */
  execEvents?: ExecEvents;
  mdEvents?: MdEvents;
}

export class EngineCore {
  readonly orders: OrderStore;
  readonly levels: LevelStore;
  readonly ledger: Ledger;
  readonly exec: ExecEvents;
  readonly md: MdEvents;
  readonly ids: OrderIdCodec;
  readonly instruments: Instrument[] = [];
  readonly books: Book[] = [];
  readonly assets: AssetInfo[] = [];
  protected readonly expiries = new TimerHeap();
  protected readonly activations = new TimerHeap();
  /** Triggered orders waiting to execute, FIFO (slots). */
  protected fireQueue: number[] = [];
  protected fireHead = 0;
  /** Current time, epoch microseconds. Never decreases. */
  now: number;
  execSeq = 0;
  // Trades of the current matching pass (one arriving order), for trigger evaluation.
  protected passTraded = false;
  protected passFirstPx = -1;
  protected passLastPx = -1;

  constructor(opts: EngineOptions = {}) {
    this.orders = new OrderStore(opts.initialOrderCapacity ?? 4096);
    this.levels = new LevelStore(1024);
    this.ledger = new Ledger(opts.maxAssets ?? 64, opts.maxInstruments ?? 64);
    this.exec = opts.execEvents ?? new ExecEvents();
    this.md = opts.mdEvents ?? new MdEvents();
    this.ids = new OrderIdCodec(opts.seed ?? 1);
    this.now = opts.nowMicros ?? 0;
  }

  // ---------------------------------------------------------------- events

  protected emitExec(
    slot: number,
    execType: ExecType,
    ordStatus: OrdStatus,
    reason: Reason,
    liquidity: Liquidity,
    lastPx: number,
    lastQty: number,
    tradeId: number,
    tag: number,
    origTag: number,
  ): void {
    const o = this.orders;
    const b = this.exec.next();
    const d = this.exec.data;
    d[b + X.ExecSeq] = ++this.execSeq;
    d[b + X.Ref] = o.keyOf(slot);
    d[b + X.Tag] = tag;
    d[b + X.OrigTag] = origTag;
    d[b + X.Time] = this.now;
    d[b + X.Account] = o.account[slot];
    d[b + X.Session] = o.session[slot];
    d[b + X.Instrument] = o.instrument[slot];
    d[b + X.ExecType] = execType;
    d[b + X.OrdStatus] = ordStatus;
    d[b + X.OrdType] = o.ordType[slot];
    d[b + X.Side] = o.side[slot];
    d[b + X.Tif] = o.tif[slot];
    d[b + X.Liquidity] = liquidity;
    d[b + X.Reason] = reason;
    d[b + X.Price] = o.price[slot];
    d[b + X.StopPx] = o.stopPx[slot];
    const qty = o.qty[slot];
    const cum = o.cum[slot];
    d[b + X.OrderQty] = qty;
    d[b + X.DisplayQty] = o.display[slot];
    d[b + X.CumQty] = cum;
    d[b + X.LeavesQty] = o.state[slot] >= OrderState.Filled ? 0 : qty - cum;
    d[b + X.LastPx] = lastPx;
    d[b + X.LastQty] = lastQty;
    d[b + X.NotionalHi] = o.notional[2 * slot];
    d[b + X.NotionalLo] = o.notional[2 * slot + 1];
    d[b + X.TradeId] = tradeId;
    d[b + X.TriggerPx] = o.triggerPx[slot];
    d[b + X.ExpireTime] = o.expire[slot];
  }

  /** Lifecycle event in the order's current status (New, Canceled, Expired, PendingNew...). */
  protected emitState(slot: number, execType: ExecType, reason: Reason): void {
    const t = this.orders.tag[slot];
    this.emitExec(slot, execType, STATUS_OF[this.orders.state[slot]], reason, Liquidity.None, -1, 0, 0, t, t);
  }

  protected emitMd(kind: MdKind, slot: number, qty: number): void {
    const o = this.orders;
    const b = this.md.next();
    const d = this.md.data;
    d[b + M.Kind] = kind;
    d[b + M.Instrument] = o.instrument[slot];
    d[b + M.Ref] = o.keyOf(slot);
    d[b + M.Side] = o.side[slot];
    d[b + M.Price] = o.price[slot];
    d[b + M.Qty] = qty;
    d[b + M.Time] = this.now;
    d[b + M.QueueTime] = o.queueTime[slot];
    d[b + M.Aggressor] = 0;
    d[b + M.TakerOrdType] = 0;
    d[b + M.TradeId] = 0;
  }

  protected emitTrade(instrument: number, px: number, qty: number, aggressor: Side, takerType: OrdType, tradeId: number, takerSlot: number): void {
    const b = this.md.next();
    const d = this.md.data;
    d[b + M.Kind] = MdKind.Trade;
    d[b + M.Instrument] = instrument;
    d[b + M.Ref] = this.orders.keyOf(takerSlot);
    d[b + M.Side] = aggressor;
    d[b + M.Price] = px;
    d[b + M.Qty] = qty;
    d[b + M.Time] = this.now;
    d[b + M.QueueTime] = 0;
    d[b + M.Aggressor] = aggressor;
    d[b + M.TakerOrdType] = takerType;
    d[b + M.TradeId] = tradeId;
  }

  // ---------------------------------------------------------------- book

  /** Puts an active limit order into the book (back of its level) and publishes it. */
  protected rest(slot: number): void {
    const o = this.orders;
    const leaves = o.qty[slot] - o.cum[slot];
    const d = o.display[slot];
    o.visible[slot] = d > 0 && d < leaves ? d : leaves;
    o.queueTime[slot] = this.now;
    const b = this.books[o.instrument[slot]];
    linkOrder(o, this.levels, b.sideOf(o.side[slot] as Side), slot);
    this.emitMd(MdKind.Add, slot, o.visible[slot]);
  }

  protected unrest(slot: number): void {
    const o = this.orders;
    const b = this.books[o.instrument[slot]];
    unlinkOrder(o, this.levels, b.sideOf(o.side[slot] as Side), slot);
    this.emitMd(MdKind.Delete, slot, 0);
  }

  protected removeTrigger(slot: number): void {
    const o = this.orders;
    const list = this.books[o.instrument[slot]].triggers;
    const i = list.indexOf(slot);
    if (i >= 0) list.splice(i, 1);
    o.flags[slot] &= ~OrderFlag.InTriggers;
  }

  // ---------------------------------------------------------------- reservations

  /** Adds (sign=1) or releases (sign=-1) the reservation / exposure for `lots` of this order. */
  protected reserveLots(slot: number, lots: number, sign: number): void {
    const o = this.orders;
    if ((o.flags[slot] & OrderFlag.Reserves) === 0 || lots === 0) return;
    const inst = this.instruments[o.instrument[slot]];
    const acct = o.account[slot];
    if (inst.isSpot) {
      if (o.side[slot] === Side.Buy) {
        this.ledger.reserve(acct, inst.quoteAsset, o.price[slot] * inst.quoteUnitsPerNotional, lots, sign);
      } else {
        this.ledger.reserve(acct, inst.baseAsset, inst.baseUnitsPerLot, lots, sign);
      }
    } else {
      const p = this.ledger.posOff(acct, inst.id) + (o.side[slot] === Side.Buy ? 1 : 2);
      this.ledger.pos[p] += sign * lots;
    }
  }

  // ---------------------------------------------------------------- fills

  /** Executes q lots between arriving taker t and resting maker m at the maker's price px. */
  protected fill(t: number, m: number, q: number, px: number): void {
    const o = this.orders;
    const lv = this.levels;
    const instr = o.instrument[t];
    const inst = this.instruments[instr];
    const tradeId = ++inst.tradeSeq;
    const l = o.level[m];

    o.cum[m] += q;
    o.visible[m] -= q;
    lv.vis[l] -= q;
    lv.tot[l] -= q;
    o.cum[t] += q;
    mulAdd(o.notional, 2 * m, px, q, 1);
    mulAdd(o.notional, 2 * t, px, q, 1);
    if (o.side[t] === Side.Buy) this.settle(t, m, q, px, inst);
    else this.settle(m, t, q, px, inst);

    o.setState(t, o.cum[t] === o.qty[t] ? OrderState.Filled : OrderState.PartiallyFilled);
    const makerDone = o.cum[m] === o.qty[m];
    o.setState(m, makerDone ? OrderState.Filled : OrderState.PartiallyFilled);

    const tt = o.tag[t];
    this.emitExec(t, ExecType.Trade, STATUS_OF[o.state[t]], Reason.None, Liquidity.Taker, px, q, tradeId, tt, tt);
    const mt = o.tag[m];
    this.emitExec(m, ExecType.Trade, STATUS_OF[o.state[m]], Reason.None, Liquidity.Maker, px, q, tradeId, mt, mt);
    this.emitTrade(instr, px, q, o.side[t] as Side, o.ordType[t] as OrdType, tradeId, t);

    if (makerDone) {
      this.unrest(m);
      o.release(m);
    } else if (o.visible[m] === 0) {
      // Iceberg refresh: a new slice at the back of the queue.
      const leaves = o.qty[m] - o.cum[m];
      const d = o.display[m];
      const v = d < leaves ? d : leaves;
      this.emitMd(MdKind.Delete, m, 0);
      moveToBack(o, lv, m);
      o.visible[m] = v;
      lv.vis[l] += v;
      o.queueTime[m] = this.now;
      this.emitMd(MdKind.Add, m, v);
    } else {
      this.emitMd(MdKind.Modify, m, o.visible[m]);
    }

    inst.lastPx = px;
    if (!this.passTraded) {
      this.passTraded = true;
      this.passFirstPx = px;
    }
    this.passLastPx = px;
  }

  /** Moves assets (spot) or positions (derivatives) for a fill; releases the filled part's reservations. */
  private settle(buyer: number, seller: number, q: number, px: number, inst: Instrument): void {
    const o = this.orders;
    const led = this.ledger;
    const ba = o.account[buyer];
    const sa = o.account[seller];
    if (inst.isSpot) {
      const qpn = inst.quoteUnitsPerNotional;
      const bpl = inst.baseUnitsPerLot;
      const quote = inst.quoteAsset;
      const base = inst.baseAsset;
      if ((o.flags[buyer] & OrderFlag.Reserves) !== 0) led.reserve(ba, quote, o.price[buyer] * qpn, q, -1);
      led.move(ba, quote, px * qpn, q, -1);
      led.move(ba, base, bpl, q, 1);
      if ((o.flags[seller] & OrderFlag.Reserves) !== 0) led.reserve(sa, base, bpl, q, -1);
      led.move(sa, base, bpl, q, -1);
      led.move(sa, quote, px * qpn, q, 1);
    } else {
      const pos = led.pos;
      const bo = led.posOff(ba, inst.id);
      const so = led.posOff(sa, inst.id);
      pos[bo] += q;
      if ((o.flags[buyer] & OrderFlag.Reserves) !== 0) pos[bo + 1] -= q;
      pos[so] -= q;
      if ((o.flags[seller] & OrderFlag.Reserves) !== 0) pos[so + 2] -= q;
    }
  }

  // ---------------------------------------------------------------- closing

  /**
   * Ends an open order: out of the book / trigger list, reservation released, one event, slot recycled.
   * `tag`/`origTag` let a client cancel report its own ClOrdID (11) and the order's (41).
   */
  protected close(slot: number, to: OrderState, execType: ExecType, reason: Reason, tag: number, origTag: number): void {
    const o = this.orders;
    const f = o.flags[slot];
    if ((f & OrderFlag.InBook) !== 0) this.unrest(slot);
    if ((f & OrderFlag.InTriggers) !== 0) this.removeTrigger(slot);
    this.reserveLots(slot, o.qty[slot] - o.cum[slot], -1);
    o.setState(slot, to);
    this.emitExec(slot, execType, STATUS_OF[to], reason, Liquidity.None, -1, 0, 0, tag, origTag);
    o.release(slot);
  }

  protected cancelSlot(slot: number, reason: Reason): void {
    const t = this.orders.tag[slot];
    this.close(slot, OrderState.Canceled, ExecType.Canceled, reason, t, t);
  }

  /** Releases a filled taker's slot (makers are released inside fill). */
  protected finishIfFilled(slot: number): boolean {
    if (this.orders.state[slot] === OrderState.Filled) {
      this.orders.release(slot);
      return true;
    }
    return false;
  }
}
