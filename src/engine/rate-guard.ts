/**
 * Kraken's Spot rate counters, modelled on the hot path before a command goes out (src/kraken/ratelimit.ts
 * holds the rules): a new order or an amend that would push its pair's counter past the tier's threshold
 * is refused locally, so the account never takes Kraken's `EOrder:Rate limit exceeded` (which also charges
 * the counter). Cancels are never refused here: they reduce risk, and the venue decides; they are charged.
 *
 * Order age (cancel and amend costs fall with it) comes from a preallocated open-addressing table keyed by
 * numeric ClOrdID; entries older than the last age bucket (300 s) cost nothing and are reused. An order
 * whose ClOrdID is not in the table is charged as the youngest (the most conservative).
 */
import { SpotRateLimiter, spotActionCost, type SpotTier } from '../kraken/index.js';

const CAPACITY = 1 << 16;
const MAX_AGE_US = 300_000_000;

export class SpotRateGuard {
  private readonly limiter: SpotRateLimiter;
  private readonly threshold: number;
  private readonly keys = new Float64Array(CAPACITY);
  private readonly times = new Float64Array(CAPACITY);

  /** `pairs[i]`: the Spot symbol of instrument i, or null when it is not rate-counted here. */
  constructor(tier: SpotTier, private readonly pairs: readonly (string | null)[]) {
    this.limiter = new SpotRateLimiter({ tier });
    this.threshold = this.limiter.threshold;
  }

  /** A new order: false when its pair's counter would pass the threshold (nothing is charged then). */
  admitPlace(instrument: number, clOrdID: number, nowUs: number): boolean {
    return this.admit(instrument, spotActionCost('add', 0), clOrdID, nowUs);
  }

  /** An amend of the order last known as origClOrdID; its age restarts under the new ClOrdID. */
  admitAmend(instrument: number, origClOrdID: number, clOrdID: number, nowUs: number): boolean {
    return this.admit(instrument, spotActionCost('amend', this.ageSec(origClOrdID, nowUs)), clOrdID, nowUs);
  }

  /** A cancel always goes out; it is charged by the order's age. */
  chargeCancel(instrument: number, origClOrdID: number, nowUs: number): void {
    const pair = this.pairOf(instrument);
    if (pair !== null) this.limiter.chargeCost(pair, spotActionCost('cancel', this.ageSec(origClOrdID, nowUs)), nowUs);
  }

  /** Threshold minus the pair's counter now (diagnostics). */
  headroom(instrument: number, nowUs: number): number {
    const pair = this.pairOf(instrument);
    return pair === null ? Infinity : this.threshold - this.limiter.counter(pair, nowUs);
  }

  /** Charges `cost` and remembers clOrdID's time unless that would pass the threshold. */
  private admit(instrument: number, cost: number, clOrdID: number, nowUs: number): boolean {
    const pair = this.pairOf(instrument);
    if (pair === null) return true;
    if (this.limiter.counter(pair, nowUs) + cost > this.threshold) return false;
    this.limiter.chargeCost(pair, cost, nowUs);
    this.remember(clOrdID, nowUs);
    return true;
  }

  private pairOf(instrument: number): string | null {
    return this.pairs[instrument] ?? null;
  }

  private ageSec(clOrdID: number, nowUs: number): number {
    if (!(clOrdID > 0)) return 0;
    let i = slot(clOrdID);
    for (let n = 0; n < 16; n++, i = (i + 1) & (CAPACITY - 1)) {
      const k = this.keys[i]!;
      if (k === clOrdID) return (nowUs - this.times[i]!) / 1e6;
      if (k === 0) return 0;
    }
    return 0;
  }

  private remember(clOrdID: number, nowUs: number): void {
    if (!(clOrdID > 0)) return;
    let i = slot(clOrdID);
    for (let n = 0; n < 16; n++, i = (i + 1) & (CAPACITY - 1)) {
      const k = this.keys[i]!;
      if (k === 0 || k === clOrdID || nowUs - this.times[i]! > MAX_AGE_US) {
        this.keys[i] = clOrdID;
        this.times[i] = nowUs;
        return;
      }
    }
    // A full neighbourhood of young orders: overwrite the home slot (that order is then charged as young).
    i = slot(clOrdID);
    this.keys[i] = clOrdID;
    this.times[i] = nowUs;
  }
}

function slot(clOrdID: number): number {
  // ClOrdIDs are increasing integers (low digit = strategy): mix so neighbours spread.
  return (Math.imul((clOrdID % 0x7fffffff) | 0, 0x9e3779b1) >>> 16) & (CAPACITY - 1);
}
