/**
 * Synthetic order flow: other participants' orders arriving, resting, being cancelled and taken,
 * through the same matching engine as client orders, so books move and trade like a real venue.
 *
 * Reproducible by construction: every decision comes from a seeded PRNG, and steps happen at fixed
 * simulated times (start + k * step), driven by advanceTo(clock time) — never by how often a timer
 * fired. Two runs with the same seed and the same clock produce identical engine events (hence
 * identical market-data bytes).
 */
import type { Exchange, InstrumentRt } from '../exchange.js';
import { OrderRequest, OrdType, Reason, Side, StpMode, TimeInForce } from '../matching/index.js';
import type { SimStats } from '../stats.js';

export interface FlowConfig {
  seed: number;
  stepMicros: number;
  actionsPerStep: number;
  maxOrdersPerSide: number;
  takeFraction: number;
}

/** mulberry32: small, fast, good enough for a reproducible simulation (not for anything secret). */
class Prng {
  constructor(private s: number) {}
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

class InstrumentFlow {
  readonly bids: number[] = [];
  readonly asks: number[] = [];
  mid: number;
  readonly spacing: number;
  readonly typicalLots: number;

  constructor(readonly rt: InstrumentRt, readonly rng: Prng) {
    const inst = rt.inst;
    this.mid = inst.priceToTicks(rt.spec.referencePrice);
    if (this.mid <= 0) throw new RangeError(`instrument ${rt.spec.symbol}: referencePrice ${rt.spec.referencePrice} is not on the tick`);
    // Levels about 1 bp apart, at least one tick.
    this.spacing = Math.max(1, Math.round(this.mid / 10_000));
    this.typicalLots = Math.max(inst.minQtyLots, inst.qtyToLots(rt.spec.typicalQty));
  }
}

export class SyntheticFlow {
  private readonly flows: InstrumentFlow[] = [];
  private readonly req = new OrderRequest();
  private nextStep: number;

  constructor(
    private readonly ex: Exchange,
    private readonly cfg: FlowConfig,
    private readonly stats: SimStats,
    startMicros: number,
  ) {
    if (!(cfg.stepMicros >= 1000)) throw new RangeError('flow step must be >= 1 ms');
    ex.instruments.forEach((rt, i) => this.flows.push(new InstrumentFlow(rt, new Prng((cfg.seed * 7919 + i * 104729) | 0))));
    this.nextStep = startMicros + cfg.stepMicros;
    // An initial book, so the first subscriber sees depth at once.
    for (const f of this.flows) for (let k = 0; k < Math.min(20, cfg.maxOrdersPerSide); k++) {
      this.add(f, Side.Buy);
      this.add(f, Side.Sell);
    }
    ex.dispatch();
  }

  /** Runs every step due up to `nowMicros` (bounded catch-up after a stall of the real clock). */
  advanceTo(nowMicros: number): void {
    const step = this.cfg.stepMicros;
    if (nowMicros - this.nextStep > 10_000 * step) this.nextStep = nowMicros - 10_000 * step;
    while (this.nextStep <= nowMicros) {
      const t = this.nextStep;
      this.nextStep += step;
      this.ex.engine.advanceTime(t);
      for (const f of this.flows) this.step(f);
      this.stats.flowSteps++;
      this.ex.dispatch();
    }
  }

  private step(f: InstrumentFlow): void {
    const rng = f.rng;
    const r = rng.next();
    // The reference price drifts a tick-spacing now and then; quotes follow it.
    if (r < 0.15) f.mid += f.spacing;
    else if (r < 0.3) f.mid = Math.max(f.spacing * 10, f.mid - f.spacing);
    const n = rng.int(2 * this.cfg.actionsPerStep + 1);
    for (let k = 0; k < n; k++) {
      const a = rng.next();
      const side = rng.next() < 0.5 ? Side.Buy : Side.Sell;
      if (a < this.cfg.takeFraction) this.take(f, side);
      else if (a < this.cfg.takeFraction + 0.35) this.cancelOne(f, side);
      else this.add(f, side);
    }
    this.trim(f.bids, f);
    this.trim(f.asks, f);
  }

  private add(f: InstrumentFlow, side: Side): void {
    const rng = f.rng;
    const e = this.ex.engine;
    const inst = f.rt.inst;
    const r = this.req.reset();
    const dist = f.spacing * (1 + Math.floor(-Math.log(1 - rng.next()) * 4));
    const bestOpp = side === Side.Buy ? e.bestAsk(inst.id) : e.bestBid(inst.id);
    let price = side === Side.Buy ? f.mid - dist : f.mid + dist;
    // Never cross: a maker joins at most one tick inside the opposite touch.
    if (bestOpp > 0) price = side === Side.Buy ? Math.min(price, bestOpp - 1) : Math.max(price, bestOpp + 1);
    if (price <= 0) return;
    r.instrument = inst.id;
    r.account = this.ex.flowAccounts[rng.int(2)]!;
    r.side = side;
    r.ordType = OrdType.Limit;
    r.tif = TimeInForce.GTC;
    r.price = price;
    r.qty = this.size(f);
    r.postOnly = true;
    r.stp = StpMode.CancelNewest;
    if (e.submit(r) !== Reason.None) return;
    this.stats.flowOrders++;
    if (e.isOpen(e.lastRef)) (side === Side.Buy ? f.bids : f.asks).push(e.lastRef);
  }

  private take(f: InstrumentFlow, side: Side): void {
    const e = this.ex.engine;
    const inst = f.rt.inst;
    const opp = side === Side.Buy ? e.bestAsk(inst.id) : e.bestBid(inst.id);
    if (opp <= 0) return;
    const r = this.req.reset();
    r.instrument = inst.id;
    r.account = this.ex.flowAccounts[2]!;
    r.side = side;
    r.ordType = OrdType.Limit;
    r.tif = TimeInForce.IOC;
    // Sweep up to two spacings through the touch.
    r.price = side === Side.Buy ? opp + 2 * f.spacing : Math.max(1, opp - 2 * f.spacing);
    r.qty = this.size(f);
    r.stp = StpMode.CancelNewest;
    if (e.submit(r) === Reason.None) this.stats.flowOrders++;
  }

  private cancelOne(f: InstrumentFlow, side: Side): void {
    const list = side === Side.Buy ? f.bids : f.asks;
    this.compact(list);
    if (list.length === 0) return;
    const i = f.rng.int(list.length);
    const key = list[i]!;
    list.splice(i, 1);
    this.ex.engine.cancel(key);
  }

  /** Beyond the per-side cap the oldest synthetic orders leave (they also drift away from the mid). */
  private trim(list: number[], f: InstrumentFlow): void {
    this.compact(list);
    while (list.length > this.cfg.maxOrdersPerSide) this.ex.engine.cancel(list.shift()!);
    void f;
  }

  private compact(list: number[]): void {
    const e = this.ex.engine;
    let j = 0;
    for (let i = 0; i < list.length; i++) if (e.isOpen(list[i]!)) list[j++] = list[i]!;
    list.length = j;
  }

  private size(f: InstrumentFlow): number {
    const inst = f.rt.inst;
    const lots = Math.round(f.typicalLots * (0.2 + 1.6 * f.rng.next()));
    return Math.min(inst.maxQtyLots, Math.max(inst.minQtyLots, lots));
  }
}
