/**
 * Matching policy: executing an arriving order against the book (price-time priority, self-trade
 * prevention, reduce-only caps, market-buy funds guard), post-only / FOK pre-checks, and stop/take-profit/
 * trailing triggers on the last trade price.
 */
import { ExecType, OrdStatus, OrdType, Reason, Side, StpMode, TimeInForce, Liquidity } from './constants.js';
import { EngineCore } from './core.js';
import { OrderFlag, OrderState } from './orders.js';
import { mulAdd, setWide } from './wide.js';

export class Matcher extends EngineCore {
  /** Cost (ticks*lots*quoteUnitsPerNotional) of the last walk(), wide. */
  protected readonly walkCost = new Float64Array(2);

  // ---------------------------------------------------------------- execution of an active order

  /**
   * Runs a New (already reported) limit or market order: pre-checks, matching, then rest or cancel the
   * residual. Afterwards the slot is either in the book or recycled.
   */
  protected execute(t: number): void {
    const o = this.orders;
    const instr = o.instrument[t];
    const isMarket = o.ordType[t] === OrdType.Market;
    const tif = o.tif[t];
    if ((o.flags[t] & OrderFlag.PostOnly) !== 0 && this.crosses(t)) {
      this.cancelSlot(t, Reason.PostOnlyWouldTake);
      return;
    }
    if (tif === TimeInForce.FOK && !this.fokFillable(t)) {
      this.cancelSlot(t, Reason.FokNotFilled);
      return;
    }
    const stop = this.matchArriving(t);
    if (this.passTraded) this.evalTriggers(instr);
    if (this.finishIfFilled(t)) return;
    if (stop !== Reason.None) {
      this.cancelSlot(t, stop);
      return;
    }
    if (isMarket) {
      this.cancelSlot(t, o.cum[t] > 0 ? Reason.IocNotFilled : Reason.NoLiquidity);
      return;
    }
    if (tif === TimeInForce.IOC || tif === TimeInForce.FOK) {
      this.cancelSlot(t, tif === TimeInForce.IOC ? Reason.IocNotFilled : Reason.FokNotFilled);
      return;
    }
    this.rest(t);
  }

  /** FOK: can the whole remaining quantity trade now, within reduce-only and funds limits? */
  private fokFillable(t: number): boolean {
    const o = this.orders;
    const inst = this.instruments[o.instrument[t]];
    const need = o.qty[t] - o.cum[t];
    if ((o.flags[t] & OrderFlag.ReduceOnly) !== 0 && this.reduceCap(t) < need) return false;
    const marketBuy = inst.isSpot && o.side[t] === Side.Buy && (o.flags[t] & OrderFlag.Reserves) === 0;
    if (this.walk(t, need, marketBuy) < need) return false;
    if (marketBuy) return this.ledger.canAffordWide(o.account[t], inst.quoteAsset, this.walkCost, 0);
    return true;
  }

  /** True if limit order t would trade against the opposite touch. */
  protected crosses(t: number): boolean {
    const o = this.orders;
    const b = this.books[o.instrument[t]];
    const buy = o.side[t] === Side.Buy;
    const l = (buy ? b.asks : b.bids).best();
    if (l < 0) return false;
    const px = this.levels.price[l];
    return buy ? px <= o.price[t] : px >= o.price[t];
  }

  /** Matches t until filled, out of crossing liquidity, or stopped (returned reason: cancel t's rest). */
  protected matchArriving(t: number): Reason {
    const o = this.orders;
    const lv = this.levels;
    const inst = this.instruments[o.instrument[t]];
    const buy = o.side[t] === Side.Buy;
    const sb = buy ? this.books[inst.id].asks : this.books[inst.id].bids;
    const limit = o.ordType[t] === OrdType.Market ? -1 : o.price[t];
    const acct = o.account[t];
    const fundsGuard = inst.isSpot && buy && (o.flags[t] & OrderFlag.Reserves) === 0;
    const derivative = !inst.isSpot;
    this.passTraded = false;
    for (;;) {
      const leaves = o.qty[t] - o.cum[t];
      if (leaves <= 0) return Reason.None;
      const l = sb.best();
      if (l < 0) return Reason.None;
      const px = lv.price[l];
      if (limit >= 0 && (buy ? px > limit : px < limit)) return Reason.None;
      const m = lv.head[l];
      if (o.account[m] === acct) {
        const mode = o.stp[t];
        if (mode === StpMode.CancelNewest) return Reason.SelfTradePrevention;
        this.cancelSlot(m, Reason.SelfTradePrevention);
        if (mode === StpMode.CancelBoth) return Reason.SelfTradePrevention;
        continue;
      }
      let q = o.visible[m] < leaves ? o.visible[m] : leaves;
      if (derivative) {
        if ((o.flags[m] & OrderFlag.ReduceOnly) !== 0) {
          const cap = this.reduceCap(m);
          if (cap <= 0) {
            this.cancelSlot(m, Reason.ReduceOnlyCancelled);
            continue;
          }
          if (cap < q) q = cap;
        }
        if ((o.flags[t] & OrderFlag.ReduceOnly) !== 0) {
          const cap = this.reduceCap(t);
          if (cap <= 0) return Reason.ReduceOnlyCancelled;
          if (cap < q) q = cap;
        }
      } else if (fundsGuard) {
        const cap = this.ledger.affordable(acct, inst.quoteAsset, px * inst.quoteUnitsPerNotional, q);
        if (cap <= 0) return Reason.InsufficientFundsAtMatch;
        q = cap;
      }
      this.fill(t, m, q, px);
    }
  }

  /** Lots a reduce-only order may still trade without growing or flipping its account's position. */
  protected reduceCap(slot: number): number {
    const o = this.orders;
    const p = this.ledger.pos[this.ledger.posOff(o.account[slot], o.instrument[slot])];
    return o.side[slot] === Side.Buy ? (p < 0 ? -p : 0) : p > 0 ? p : 0;
  }

  /**
   * Quantity t could fill right now (up to `need`), replaying matchArriving's rules without mutating:
   * own orders stop the walk (STP 0/1) or are skipped (STP 2); before an own order only shown quantity is
   * reachable (iceberg refreshes queue behind it). With wantCost, walkCost receives the quote cost.
   */
  protected walk(t: number, need: number, wantCost: boolean): number {
    const o = this.orders;
    const lv = this.levels;
    const inst = this.instruments[o.instrument[t]];
    const buy = o.side[t] === Side.Buy;
    const sb = buy ? this.books[inst.id].asks : this.books[inst.id].bids;
    const limit = o.ordType[t] === OrdType.Market ? -1 : o.price[t];
    const acct = o.account[t];
    const skipOwn = o.stp[t] === StpMode.CancelOldest;
    const qpn = inst.quoteUnitsPerNotional;
    if (wantCost) setWide(this.walkCost, 0, 0, 0);
    let got = 0;
    for (let i = sb.n - 1; i >= 0 && got < need; i--) {
      const l = sb.levels[i];
      const px = lv.price[l];
      if (limit >= 0 && (buy ? px > limit : px < limit)) break;
      let shown = 0;
      let all = 0;
      let blocked = false;
      for (let m = lv.head[l]; m !== -1; m = o.next[m]) {
        if (o.account[m] === acct) {
          if (skipOwn) continue;
          blocked = true;
          break;
        }
        let leaves = o.qty[m] - o.cum[m];
        if (!inst.isSpot && (o.flags[m] & OrderFlag.ReduceOnly) !== 0) {
          const cap = this.reduceCap(m);
          if (cap < leaves) leaves = cap;
        }
        shown += o.visible[m] < leaves ? o.visible[m] : leaves;
        all += leaves;
      }
      let take = blocked ? shown : all;
      if (take > need - got) take = need - got;
      got += take;
      if (wantCost && take > 0) mulAdd(this.walkCost, 0, px * qpn, take, 1);
      if (blocked) break;
    }
    return got;
  }

  /**
   * Estimate of what sweeping `need` lots would cost (into walkCost), from level totals only
   * (O(levels)). Used for the market-buy funds pre-check; the fill-time guard in matchArriving is exact.
   */
  protected sweepCost(t: number, need: number): number {
    const o = this.orders;
    const lv = this.levels;
    const inst = this.instruments[o.instrument[t]];
    const sb = o.side[t] === Side.Buy ? this.books[inst.id].asks : this.books[inst.id].bids;
    const qpn = inst.quoteUnitsPerNotional;
    setWide(this.walkCost, 0, 0, 0);
    let got = 0;
    for (let i = sb.n - 1; i >= 0 && got < need; i--) {
      const l = sb.levels[i];
      let take = lv.tot[l];
      if (take > need - got) take = need - got;
      got += take;
      mulAdd(this.walkCost, 0, lv.price[l] * qpn, take, 1);
    }
    return got;
  }

  // ---------------------------------------------------------------- triggers

  /** Registers an untriggered order; fires at once if the last price already satisfies it. */
  protected armTrigger(slot: number): void {
    const o = this.orders;
    const inst = this.instruments[o.instrument[slot]];
    o.flags[slot] |= OrderFlag.InTriggers;
    o.watermark[slot] = -1;
    if (inst.lastPx >= 0 && this.triggerHit(slot, inst.lastPx)) {
      o.flags[slot] &= ~OrderFlag.InTriggers;
      o.triggerPx[slot] = inst.lastPx;
      this.fireQueue.push(slot);
      return;
    }
    this.books[inst.id].triggers.push(slot);
  }

  /**
   * Evaluates every armed trigger of the instrument against the pass's trades. A pass sweeps the book
   * monotonically, so checking its first then last price in order is exactly per-trade evaluation.
   */
  protected evalTriggers(instr: number): void {
    const list = this.books[instr].triggers;
    if (list.length === 0) return;
    this.evalAt(list, this.passFirstPx);
    if (this.passLastPx !== this.passFirstPx) this.evalAt(list, this.passLastPx);
  }

  private evalAt(list: number[], px: number): void {
    const o = this.orders;
    let w = 0;
    for (let r = 0; r < list.length; r++) {
      const s = list[r];
      if (this.triggerHit(s, px)) {
        o.flags[s] &= ~OrderFlag.InTriggers;
        o.triggerPx[s] = px;
        this.fireQueue.push(s);
      } else list[w++] = s;
    }
    list.length = w;
  }

  /** Applies trade price px to slot's trigger (moving a trailing watermark first); true if it fires. */
  protected triggerHit(slot: number, px: number): boolean {
    const o = this.orders;
    const buy = o.side[slot] === Side.Buy;
    const stop = o.stopPx[slot];
    switch (o.ordType[slot]) {
      case OrdType.StopLoss:
      case OrdType.StopLossLimit:
        return buy ? px >= stop : px <= stop;
      case OrdType.TakeProfit:
      case OrdType.TakeProfitLimit:
        return buy ? px <= stop : px >= stop;
      case OrdType.TrailingStop:
      case OrdType.TrailingStopLimit: {
        let wm = o.watermark[slot];
        if (wm < 0 || (buy ? px < wm : px > wm)) o.watermark[slot] = wm = px;
        return buy ? px >= wm + stop : px <= wm - stop;
      }
      default:
        return false;
    }
  }

  /** The trigger level a trailing order has now (watermark -/+ offset), -1 before any trade. */
  trailingTrigger(slot: number): number {
    const o = this.orders;
    const wm = o.watermark[slot];
    if (wm < 0) return -1;
    return o.side[slot] === Side.Buy ? wm + o.stopPx[slot] : wm - o.stopPx[slot];
  }

  /** Executes triggered orders in trigger order; their trades may fire more (bounded: each fires once). */
  protected drainFireQueue(): void {
    const q = this.fireQueue;
    while (this.fireHead < q.length) {
      const s = q[this.fireHead++];
      this.fire(s);
    }
    if (q.length !== 0) {
      q.length = 0;
      this.fireHead = 0;
    }
  }

  private fire(slot: number): void {
    const o = this.orders;
    if (o.state[slot] !== OrderState.Untriggered) return; // cancelled meanwhile
    const inst = this.instruments[o.instrument[slot]];
    const buy = o.side[slot] === Side.Buy;
    const type = o.ordType[slot];
    let toLimit = type === OrdType.StopLossLimit || type === OrdType.TakeProfitLimit;
    if (type === OrdType.TrailingStopLimit) {
      // [ASSUME] 44 is the limit offset from the trigger level, on the aggressive side.
      const trig = this.trailingTrigger(slot);
      const px = buy ? trig + o.price[slot] : trig - o.price[slot];
      o.price[slot] = px;
      toLimit = true;
      if (px <= 0 || px > inst.maxPriceTicks) {
        o.ordType[slot] = OrdType.Limit;
        o.setState(slot, OrderState.New);
        this.cancelSlot(slot, Reason.TriggerLimitInvalid);
        return;
      }
    }
    o.ordType[slot] = toLimit ? OrdType.Limit : OrdType.Market;
    if (!toLimit) o.price[slot] = -1;
    o.setState(slot, OrderState.New);
    if (inst.isSpot && buy && toLimit && (o.flags[slot] & OrderFlag.Reserves) === 0) {
      // Buy whose limit was unknown at placement: reserve now or give up.
      const leaves = o.qty[slot] - o.cum[slot];
      if (!this.ledger.canAfford(o.account[slot], inst.quoteAsset, o.price[slot] * inst.quoteUnitsPerNotional, leaves)) {
        this.emitState(slot, ExecType.Restated, Reason.None);
        this.cancelSlot(slot, Reason.InsufficientFundsAtMatch);
        return;
      }
      o.flags[slot] |= OrderFlag.Reserves;
      this.reserveLots(slot, leaves, 1);
    }
    const t = o.tag[slot];
    this.emitExec(slot, ExecType.Restated, OrdStatus.New, Reason.None, Liquidity.None, -1, 0, 0, t, t);
    this.execute(slot);
  }
}
