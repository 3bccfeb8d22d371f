/**
 * Public entry points of the matching engine: order entry, cancel, mass cancel, amend, status, the clock.
 * Each call validates, mutates, appends events to `exec` / `md`, and returns a Reason (None = accepted).
 * A non-None return is always a pre-engine business reject: nothing changed and no event was emitted.
 */
import { ExecType, InstrumentStatus, Liquidity, MdKind, OrdStatus, OrdType, Reason, Side, TimeInForce } from './constants.js';
import { Book } from './book.js';
import type { EngineOptions } from './core.js';
import { Instrument, type InstrumentSpec } from './instrument.js';
import { EngineQueries } from './queries.js';
import { OrderFlag, OrderState, STATUS_OF, isOpenState } from './orders.js';
import type { AmendRequest, OrderRequest } from './requests.js';
import { parseScaledBigInt } from './decimal.js';
import { validateAmend, validateNew, type AmendPlan } from './validate.js';

export interface MatchingEngineOptions extends EngineOptions {
  /** Derivatives amend is off in production, on in UAT (Kraken §4.3). */
  derivativesAmend?: boolean;
}

export class MatchingEngine extends EngineQueries {
  /** Key of the order accepted by the last successful submit(). */
  lastRef = -1;
  readonly derivativesAmend: boolean;
  private readonly plan: AmendPlan = { price: 0, stopPx: 0, qty: 0, display: 0, tag: 0 };

  constructor(opts: MatchingEngineOptions = {}) {
    super(opts);
    this.derivativesAmend = opts.derivativesAmend ?? false;
  }

  // ---------------------------------------------------------------- configuration (cold)

  addAsset(name: string, decimals: number): number {
    if (!Number.isInteger(decimals) || decimals < 0 || decimals > 18) throw new RangeError(`asset ${name}: decimals 0..18`);
    if (this.assets.length >= this.ledger.maxAssets) throw new RangeError('too many assets');
    this.assets.push({ name, decimals });
    return this.assets.length - 1;
  }

  addInstrument(spec: InstrumentSpec): Instrument {
    if (this.instruments.length >= this.ledger.maxInstruments) throw new RangeError('too many instruments');
    const inst = new Instrument(this.instruments.length, spec, this.assets);
    this.instruments.push(inst);
    this.books.push(new Book());
    return inst;
  }

  addAccount(): number {
    return this.ledger.addAccount();
  }

  /** Credits (or, negative, debits) an account in asset units, or a decimal string in asset currency. */
  deposit(account: number, asset: number, amount: bigint | string): void {
    let units: bigint;
    if (typeof amount === 'string') {
      const a = this.assets[asset];
      if (a === undefined) throw new RangeError(`unknown asset ${asset}`);
      const v = parseScaledBigInt(amount, a.decimals);
      if (typeof v !== 'bigint') throw new RangeError(`amount ${amount} not representable in ${a.name}`);
      units = v;
    } else units = amount;
    this.ledger.deposit(account, asset, units);
  }

  /** Sets a derivatives position (lots, signed): simulator setup and tests. */
  setPosition(account: number, instrument: number, lots: number): void {
    if (!Number.isSafeInteger(lots)) throw new RangeError('position must be an integer lot count');
    if (!(account >= 0 && account < this.ledger.accounts)) throw new RangeError(`unknown account ${account}`);
    const inst = this.instruments[instrument];
    if (inst === undefined || inst.isSpot) throw new RangeError(`not a derivatives instrument: ${instrument}`);
    this.ledger.pos[this.ledger.posOff(account, instrument)] = lots;
  }

  setInstrumentStatus(instrument: number, status: InstrumentStatus): void {
    const inst = this.instruments[instrument];
    if (inst === undefined) throw new RangeError(`unknown instrument ${instrument}`);
    inst.status = status;
  }

  // ---------------------------------------------------------------- order entry

  submit(r: OrderRequest): Reason {
    const reason = validateNew(this, r);
    if (reason !== Reason.None) return reason;
    const o = this.orders;
    const inst = this.instruments[r.instrument];
    const slot = o.alloc();
    if (slot < 0) return Reason.MarketUnavailable;
    const type = r.ordType;
    const hasLimit = type === OrdType.Limit || type === OrdType.StopLossLimit || type === OrdType.TakeProfitLimit || type === OrdType.TrailingStopLimit;
    o.instrument[slot] = r.instrument;
    o.account[slot] = r.account;
    o.session[slot] = r.session;
    o.side[slot] = r.side;
    o.ordType[slot] = type;
    o.tif[slot] = r.tif;
    o.stp[slot] = r.stp;
    o.price[slot] = hasLimit ? r.price : -1;
    o.stopPx[slot] = type >= OrdType.StopLoss ? r.stopPx : -1;
    o.watermark[slot] = -1;
    o.triggerPx[slot] = -1;
    o.qty[slot] = r.qty;
    o.cum[slot] = 0;
    o.display[slot] = r.displayQty > 0 ? r.displayQty : 0;
    o.visible[slot] = 0;
    o.notional[2 * slot] = 0;
    o.notional[2 * slot + 1] = 0;
    o.expire[slot] = r.tif === TimeInForce.GTD ? r.expireTime : 0;
    const scheduled = r.effectiveTime > this.now;
    o.effective[slot] = scheduled ? r.effectiveTime : 0;
    o.tag[slot] = r.tag;
    o.queueTime[slot] = 0;
    o.level[slot] = -1;
    let flags = 0;
    if (r.postOnly) flags |= OrderFlag.PostOnly;
    if (r.reduceOnly) flags |= OrderFlag.ReduceOnly;
    if (r.displayQty > 0) flags |= OrderFlag.Iceberg;
    o.flags[slot] = flags;

    // Funds / exposure: the last pre-engine checks.
    const acct = r.account;
    if (inst.isSpot) {
      if (r.side === Side.Sell) {
        if (!this.ledger.canAfford(acct, inst.baseAsset, inst.baseUnitsPerLot, r.qty)) return this.refuse(slot, Reason.InsufficientFunds);
        o.flags[slot] |= OrderFlag.Reserves;
      } else if (type === OrdType.Limit || type === OrdType.StopLossLimit || type === OrdType.TakeProfitLimit) {
        if (!this.ledger.canAfford(acct, inst.quoteAsset, r.price * inst.quoteUnitsPerNotional, r.qty)) return this.refuse(slot, Reason.InsufficientFunds);
        o.flags[slot] |= OrderFlag.Reserves;
      } else if (type === OrdType.Market && !scheduled) {
        // Market buy: what sweeping the book would cost now must be affordable; fills re-check.
        this.sweepCost(slot, r.qty);
        if (!this.ledger.canAffordWide(acct, inst.quoteAsset, this.walkCost, 0)) return this.refuse(slot, Reason.InsufficientFunds);
      }
    } else {
      const p = this.ledger.posOff(acct, inst.id);
      const pos = this.ledger.pos;
      if (r.reduceOnly && this.reduceCap(slot) <= 0) return this.refuse(slot, Reason.ReduceOnlyNoPosition);
      const exposure = r.side === Side.Buy ? pos[p] + pos[p + 1] + r.qty : -pos[p] + pos[p + 2] + r.qty;
      if (exposure > inst.maxPositionLots) return this.refuse(slot, Reason.PositionSizeExceeded);
      o.flags[slot] |= OrderFlag.Reserves;
    }
    this.reserveLots(slot, r.qty, 1);
    this.lastRef = o.keyOf(slot);
    if (o.expire[slot] > 0) this.expiries.push(o.expire[slot], this.lastRef);
    if (scheduled) {
      o.setState(slot, OrderState.PendingNew);
      this.emitState(slot, ExecType.PendingNew, Reason.None);
      this.activations.push(r.effectiveTime, this.lastRef);
      return Reason.None;
    }
    this.activate(slot);
    this.drainFireQueue();
    return Reason.None;
  }

  private refuse(slot: number, reason: Reason): Reason {
    this.orders.setState(slot, OrderState.New);
    this.orders.setState(slot, OrderState.Canceled);
    this.orders.release(slot);
    return reason;
  }

  /** Makes an accepted order live: report New, then arm its trigger or execute it. */
  private activate(slot: number): void {
    const o = this.orders;
    if (o.ordType[slot] >= OrdType.StopLoss) {
      o.setState(slot, OrderState.Untriggered);
      this.emitState(slot, ExecType.New, Reason.None);
      this.armTrigger(slot);
    } else {
      o.setState(slot, OrderState.New);
      this.emitState(slot, ExecType.New, Reason.None);
      this.execute(slot);
    }
  }

  // ---------------------------------------------------------------- cancel

  /** Cancels one open order. requestTag (the cancel's ClOrdID) is reported as tag, the order's as origTag. */
  cancel(key: number, reason: Reason = Reason.UserCancel, requestTag = NaN): Reason {
    const slot = this.orders.resolve(key);
    if (slot < 0) return Reason.UnknownOrder;
    if (this.instruments[this.orders.instrument[slot]].status === InstrumentStatus.Maintenance) return Reason.MarketUnavailable;
    const orig = this.orders.tag[slot];
    this.close(slot, OrderState.Canceled, ExecType.Canceled, reason, Number.isNaN(requestTag) ? orig : requestTag, orig);
    return Reason.None;
  }

  /**
   * Cancels every open order (resting, untriggered, scheduled) matching all given predicates; -1 = any.
   * 530=1: (session, instrument); 530=6: session; 530=7 / account-wide: account; cancel-on-disconnect: session.
   */
  massCancel(account: number, session: number, instrument: number, reason: Reason = Reason.MassCancel, requestTag = NaN): number {
    const o = this.orders;
    // A malformed predicate must never widen the scope to "everything".
    if (!(Number.isSafeInteger(account) && Number.isSafeInteger(session) && Number.isSafeInteger(instrument))) return 0;
    if (account < -1 || session < -1 || instrument < -1) return 0;
    let n = 0;
    for (let s = 0; s < o.highWater; s++) {
      if (!isOpenState(o.state[s] as OrderState)) continue;
      if (account >= 0 && o.account[s] !== account) continue;
      if (session >= 0 && o.session[s] !== session) continue;
      if (instrument >= 0 && o.instrument[s] !== instrument) continue;
      if (this.instruments[o.instrument[s]].status === InstrumentStatus.Maintenance) continue;
      const orig = o.tag[s];
      this.close(s, OrderState.Canceled, ExecType.Canceled, reason, Number.isNaN(requestTag) ? orig : requestTag, orig);
      n++;
    }
    return n;
  }

  // ---------------------------------------------------------------- amend

  /**
   * Atomic amend. [ASSUME] A qty decrease keeps queue priority; a price change, qty increase or display
   * increase loses it. Qty at or below the filled qty: qty becomes cum, the remainder is cancelled.
   */
  amend(key: number, r: AmendRequest): Reason {
    const o = this.orders;
    const slot = o.resolve(key);
    if (slot < 0) return Reason.UnknownOrder;
    const inst = this.instruments[o.instrument[slot]];
    if (!inst.isSpot && !this.derivativesAmend) return Reason.AmendNotAllowed;
    const p = this.plan;
    const reason = validateAmend(this, slot, r, p);
    if (reason !== Reason.None) return reason;

    const oldTag = o.tag[slot];
    const oldLeaves = o.qty[slot] - o.cum[slot];
    const inBook = (o.flags[slot] & OrderFlag.InBook) !== 0;
    if (p.qty <= o.cum[slot]) {
      if (inBook) this.unrest(slot);
      if ((o.flags[slot] & OrderFlag.InTriggers) !== 0) this.removeTrigger(slot);
      this.reserveLots(slot, oldLeaves, -1);
      o.flags[slot] &= ~OrderFlag.Reserves;
      o.qty[slot] = o.cum[slot];
      o.tag[slot] = p.tag;
      this.emitExec(slot, ExecType.Replaced, OrdStatus.Replaced, Reason.None, Liquidity.None, -1, 0, 0, p.tag, oldTag);
      this.cancelSlot(slot, Reason.AmendBelowFilled);
      return Reason.None;
    }
    const newLeaves = p.qty - o.cum[slot];
    const losesPriority = p.price !== o.price[slot] || p.qty > o.qty[slot] || p.display > o.display[slot];
    if (inBook && losesPriority) this.unrest(slot);
    this.reserveLots(slot, oldLeaves, -1);
    o.price[slot] = p.price;
    o.stopPx[slot] = p.stopPx;
    o.qty[slot] = p.qty;
    o.display[slot] = p.display;
    o.tag[slot] = p.tag;
    this.reserveLots(slot, newLeaves, 1);
    if (inBook && !losesPriority) {
      // Shrink in place: queue position kept.
      const lv = this.levels;
      const l = o.level[slot];
      lv.tot[l] -= oldLeaves - newLeaves;
      let v = o.visible[slot];
      if (v > newLeaves) v = newLeaves;
      if (p.display > 0 && v > p.display) v = p.display;
      if (v !== o.visible[slot]) {
        lv.vis[l] -= o.visible[slot] - v;
        o.visible[slot] = v;
        this.emitMd(MdKind.Modify, slot, v);
      }
    }
    this.emitExec(slot, ExecType.Replaced, OrdStatus.Replaced, Reason.None, Liquidity.None, -1, 0, 0, p.tag, oldTag);
    const state = o.state[slot] as OrderState;
    if (state === OrderState.Untriggered) {
      if (inst.lastPx >= 0 && this.triggerHit(slot, inst.lastPx)) {
        this.removeTrigger(slot);
        o.triggerPx[slot] = inst.lastPx;
        this.fireQueue.push(slot);
      }
    } else if (inBook && losesPriority) {
      this.execute(slot);
    }
    this.drainFireQueue();
    return Reason.None;
  }

  // ---------------------------------------------------------------- status and clock

  /** Emits an OrderStatus (150=I) event for an open order. */
  reportStatus(key: number, requestTag = NaN): Reason {
    const slot = this.orders.resolve(key);
    if (slot < 0) return Reason.UnknownOrder;
    const t = this.orders.tag[slot];
    const st = STATUS_OF[this.orders.state[slot]];
    this.emitExec(slot, ExecType.OrderStatus, st, Reason.None, Liquidity.None, -1, 0, 0, Number.isNaN(requestTag) ? t : requestTag, t);
    return Reason.None;
  }

  /** Moves the clock forward, activating scheduled orders and expiring GTD orders that are due, in time order. */
  advanceTime(nowMicros: number): void {
    if (!(nowMicros > this.now) || !Number.isSafeInteger(nowMicros)) return;
    const o = this.orders;
    for (;;) {
      const ta = this.activations.peekTime();
      const te = this.expiries.peekTime();
      const t = ta <= te ? ta : te;
      if (t > nowMicros) break;
      if (t > this.now) this.now = t;
      if (ta <= te) {
        const slot = o.resolve(this.activations.peekKey());
        this.activations.pop();
        if (slot >= 0 && o.state[slot] === OrderState.PendingNew && o.effective[slot] === t) this.activate(slot);
      } else {
        const slot = o.resolve(this.expiries.peekKey());
        this.expiries.pop();
        if (slot >= 0 && o.expire[slot] === t) {
          const tag = o.tag[slot];
          this.close(slot, OrderState.Expired, ExecType.Expired, Reason.Expired, tag, tag);
        }
      }
      this.drainFireQueue();
    }
    this.now = nowMicros;
  }
}
