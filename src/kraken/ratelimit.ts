// Client-side models of Kraken's trading rate limits (spec §8), checked before sending so we never
// spend an order on a certain `EOrder:Rate limit exceeded` (and never feed the error-rate disconnect).
// Time is injected: monotonic microseconds. Counters use integer micro-units so thresholds compare exactly.

import {
  DERIVATIVES_BUCKET_CAPACITY,
  DERIVATIVES_BUCKET_REFILL_PER_SEC,
  DERIVATIVES_COST_MASS_CANCEL,
  DERIVATIVES_COST_ORDER_ACTION,
  ERROR_RATE_DEFAULT_LIMIT_PER_SEC,
  ERROR_RATE_THROTTLE_FRACTION,
  SPOT_CANCEL_ACCEPTED_OVER_LIMIT,
  SPOT_COUNTER_FLOOR,
  SPOT_REJECT_WHEN_ABOVE_THRESHOLD,
} from './assumptions.js';

const MICRO = 1_000_000;

// ---------------- Spot: per-pair decaying counter ----------------

export type SpotTier = 'starter' | 'intermediate' | 'pro';

export interface SpotTierLimits {
  readonly threshold: number;
  readonly decayPerSec: number;
  /** Open-order cap per pair (§8, support article), for callers that enforce it. */
  readonly maxOpenOrders: number;
}

export const SPOT_TIERS: Readonly<Record<SpotTier, SpotTierLimits>> = {
  starter: { threshold: 60, decayPerSec: 1.0, maxOpenOrders: 60 },
  intermediate: { threshold: 125, decayPerSec: 2.34, maxOpenOrders: 80 },
  pro: { threshold: 180, decayPerSec: 3.75, maxOpenOrders: 225 },
};

/** `edit-legacy` is REST's edit; FIX amends are `amend`. */
export type SpotAction = 'add' | 'amend' | 'cancel' | 'edit-legacy';

/** Age buckets (seconds since created or last amended): <5, <10, <15, <45, <90, <300. */
const AGE_BOUNDS = [5, 10, 15, 45, 90, 300] as const;
const DECAYING_COST: Readonly<Record<SpotAction, readonly number[]>> = {
  add: [0, 0, 0, 0, 0, 0],
  amend: [3, 2, 1, 0, 0, 0],
  'edit-legacy': [6, 5, 4, 2, 1, 0],
  cancel: [8, 6, 5, 4, 2, 1],
};
const FIXED_COST: Readonly<Record<SpotAction, number>> = { add: 1, amend: 1, 'edit-legacy': 1, cancel: 0 };

/** Cost of one transaction per the §8 table. `orderAgeSec` is ignored for adds. */
export function spotActionCost(action: SpotAction, orderAgeSec = 0): number {
  let cost = FIXED_COST[action];
  const age = orderAgeSec < 0 || !Number.isFinite(orderAgeSec) ? 0 : orderAgeSec;
  for (let i = 0; i < AGE_BOUNDS.length; i++) {
    if (age < AGE_BOUNDS[i]!) {
      cost += DECAYING_COST[action][i]!;
      break;
    }
  }
  return cost;
}

/** REST/WS batch add: n/2. */
export function spotBatchAddCost(n: number): number {
  return n / 2;
}

/** REST/WS batch cancel: sum of per-order cancel costs. */
export function spotBatchCancelCost(orderAgesSec: readonly number[]): number {
  let c = 0;
  for (const a of orderAgesSec) c += spotActionCost('cancel', a);
  return c;
}

export type SendPolicy = 'reject' | 'queue';

export type RateDecision =
  | { readonly kind: 'send'; readonly cost: number }
  /** Over the limit and the caller chose to reject locally; `retryAtUs` null = can never fit. */
  | { readonly kind: 'reject'; readonly cost: number; readonly retryAtUs: number | null }
  /** Over the limit and the caller chose to queue: send at `atUs` (null = can never fit). */
  | { readonly kind: 'queue'; readonly cost: number; readonly atUs: number | null };

export type ExceedCheck =
  | { readonly exceeds: false; readonly cost: number; readonly counter: number }
  | { readonly exceeds: true; readonly cost: number; readonly counter: number; readonly earliestUs: number | null };

interface PairCounter {
  micro: number;
  atUs: number;
}

export interface SpotRateLimiterOptions {
  readonly tier?: SpotTier;
  /** Override tier numbers (e.g. decay 0 to check raw costs, or a UAT-measured value). */
  readonly limits?: Partial<SpotTierLimits>;
  /** Let cancels through even over the limit (they reduce risk); default per assumptions. */
  readonly cancelsBypassLimit?: boolean;
}

export class SpotRateLimiter {
  readonly threshold: number;
  readonly decayPerSec: number;
  readonly cancelsBypassLimit: boolean;
  readonly #thresholdMicro: number;
  readonly #pairs = new Map<string, PairCounter>();

  constructor(options: SpotRateLimiterOptions = {}) {
    const base = SPOT_TIERS[options.tier ?? 'starter'];
    this.threshold = options.limits?.threshold ?? base.threshold;
    this.decayPerSec = options.limits?.decayPerSec ?? base.decayPerSec;
    this.cancelsBypassLimit = options.cancelsBypassLimit ?? SPOT_CANCEL_ACCEPTED_OVER_LIMIT;
    this.#thresholdMicro = Math.round(this.threshold * MICRO);
  }

  /**
   * The pair's counter at `nowUs` (continuous decay, floored at 0). Reads do not re-anchor, so rounding
   * happens once per charge, not once per query.
   */
  #valueAt(pair: string, nowUs: number): number {
    const c = this.#pairs.get(pair);
    if (c === undefined) return 0;
    const dt = nowUs - c.atUs;
    // A clock that went backwards must not inflate the counter: treat as no time passed.
    return dt > 0 ? Math.max(SPOT_COUNTER_FLOOR * MICRO, c.micro - Math.round(dt * this.decayPerSec)) : c.micro;
  }

  /** Current counter value (units) for a pair. */
  counter(pair: string, nowUs: number): number {
    return this.#valueAt(pair, nowUs) / MICRO;
  }

  wouldExceedCost(pair: string, cost: number, nowUs: number): ExceedCheck {
    const micro = this.#valueAt(pair, nowUs);
    const costMicro = Math.round(cost * MICRO);
    // [ASSUME] reject only when counter + cost > threshold; the alternative also rejects at equality.
    const over = micro + costMicro - this.#thresholdMicro + (SPOT_REJECT_WHEN_ABOVE_THRESHOLD ? 0 : 1);
    if (over <= 0) return { exceeds: false, cost, counter: micro / MICRO };
    const earliestUs = costMicro > this.#thresholdMicro || this.decayPerSec <= 0 ? null : nowUs + Math.ceil(over / this.decayPerSec);
    return { exceeds: true, cost, counter: micro / MICRO, earliestUs };
  }

  /** Would this transaction push the pair over its threshold now? If so, when would it fit? */
  wouldExceed(pair: string, action: SpotAction, orderAgeSec: number, nowUs: number): ExceedCheck {
    return this.wouldExceedCost(pair, spotActionCost(action, orderAgeSec), nowUs);
  }

  /** Decide send / reject / queue for one transaction; does not charge (call `charge` when it is sent). */
  decide(pair: string, action: SpotAction, orderAgeSec: number, nowUs: number, policy: SendPolicy): RateDecision {
    const chk = this.wouldExceed(pair, action, orderAgeSec, nowUs);
    if (!chk.exceeds || (action === 'cancel' && this.cancelsBypassLimit)) return { kind: 'send', cost: chk.cost };
    return policy === 'reject'
      ? { kind: 'reject', cost: chk.cost, retryAtUs: chk.earliestUs }
      : { kind: 'queue', cost: chk.cost, atUs: chk.earliestUs };
  }

  /** Record a sent transaction. Kraken charges the fixed part even when it rejects, so charge on send. */
  charge(pair: string, action: SpotAction, orderAgeSec: number, nowUs: number): number {
    return this.chargeCost(pair, spotActionCost(action, orderAgeSec), nowUs);
  }

  chargeCost(pair: string, cost: number, nowUs: number): number {
    const c = this.#pairs.get(pair);
    const micro = this.#valueAt(pair, nowUs) + Math.round(cost * MICRO);
    if (c === undefined) this.#pairs.set(pair, { micro, atUs: nowUs });
    else {
      c.micro = micro;
      // Keep the later anchor if the clock stepped back, so the decay already applied is not replayed.
      if (nowUs > c.atUs) c.atUs = nowUs;
    }
    return micro / MICRO;
  }
}

// ---------------- Derivatives: token bucket per FIX session ----------------

export type DerivativesAction = 'order' | 'mass-cancel';

export interface DerivativesRateLimiterOptions {
  readonly capacity?: number;
  readonly refillPerSec?: number;
  readonly orderCost?: number;
  readonly massCancelCost?: number;
}

/** One per FIX session/CompID. `order` = new, cancel or edit (all cost 10); mass cancel 25. */
export class DerivativesRateLimiter {
  readonly capacity: number;
  readonly refillPerSec: number;
  readonly #costs: Readonly<Record<DerivativesAction, number>>;
  #micro: number;
  #atUs: number | null = null;

  constructor(options: DerivativesRateLimiterOptions = {}) {
    this.capacity = options.capacity ?? DERIVATIVES_BUCKET_CAPACITY;
    this.refillPerSec = options.refillPerSec ?? DERIVATIVES_BUCKET_REFILL_PER_SEC;
    this.#costs = {
      order: options.orderCost ?? DERIVATIVES_COST_ORDER_ACTION,
      'mass-cancel': options.massCancelCost ?? DERIVATIVES_COST_MASS_CANCEL,
    };
    this.#micro = this.capacity * MICRO;
  }

  costOf(action: DerivativesAction): number {
    return this.#costs[action];
  }

  #advance(nowUs: number): void {
    if (this.#atUs === null) {
      this.#atUs = nowUs;
      return;
    }
    const dt = nowUs - this.#atUs;
    // Only move forward: a clock stepping back must not replay refill time later.
    if (dt > 0) {
      this.#micro = Math.min(this.capacity * MICRO, this.#micro + Math.round(dt * this.refillPerSec));
      this.#atUs = nowUs;
    }
  }

  tokens(nowUs: number): number {
    this.#advance(nowUs);
    return this.#micro / MICRO;
  }

  wouldExceed(action: DerivativesAction, nowUs: number): ExceedCheck {
    this.#advance(nowUs);
    const cost = this.#costs[action];
    const costMicro = cost * MICRO;
    const missing = costMicro - this.#micro;
    if (missing <= 0) return { exceeds: false, cost, counter: this.#micro / MICRO };
    const earliestUs = cost > this.capacity || this.refillPerSec <= 0 ? null : nowUs + Math.ceil(missing / this.refillPerSec);
    return { exceeds: true, cost, counter: this.#micro / MICRO, earliestUs };
  }

  decide(action: DerivativesAction, nowUs: number, policy: SendPolicy): RateDecision {
    const chk = this.wouldExceed(action, nowUs);
    if (!chk.exceeds) return { kind: 'send', cost: chk.cost };
    return policy === 'reject'
      ? { kind: 'reject', cost: chk.cost, retryAtUs: chk.earliestUs }
      : { kind: 'queue', cost: chk.cost, atUs: chk.earliestUs };
  }

  /** Take the tokens for a sent request (may go negative if the caller sent anyway). */
  charge(action: DerivativesAction, nowUs: number): number {
    this.#advance(nowUs);
    this.#micro -= this.#costs[action] * MICRO;
    return this.#micro / MICRO;
  }
}

// ---------------- error-rate guard ----------------

export interface ErrorRateGuardOptions {
  /** Rejects per window at which Kraken would disconnect us (undocumented; configure from the AM). */
  readonly limit?: number;
  /** Tell the caller to throttle at this fraction of the limit. */
  readonly throttleFraction?: number;
  readonly windowUs?: number;
}

export interface ErrorRateStatus {
  /** Rejects inside the window ending now. */
  readonly count: number;
  readonly throttle: boolean;
  /** When throttling: the time at which the count drops below the throttle level. */
  readonly resumeAtUs: number | null;
}

/** Counts rejects (3, j, reject ERs) in a sliding window and says "throttle" before Kraken's disconnect limit. */
export class ErrorRateGuard {
  readonly limit: number;
  readonly throttleAt: number;
  readonly windowUs: number;
  /** Ring of the last `throttleAt` reject times: enough to know whether throttleAt fit in one window. */
  readonly #times: Float64Array;
  #next = 0;
  #size = 0;

  constructor(options: ErrorRateGuardOptions = {}) {
    this.limit = options.limit ?? ERROR_RATE_DEFAULT_LIMIT_PER_SEC;
    this.throttleAt = Math.max(1, Math.ceil(this.limit * (options.throttleFraction ?? ERROR_RATE_THROTTLE_FRACTION)));
    this.windowUs = options.windowUs ?? 1_000_000;
    this.#times = new Float64Array(Math.max(this.limit, this.throttleAt));
  }

  recordReject(nowUs: number): ErrorRateStatus {
    this.#times[this.#next] = nowUs;
    this.#next = (this.#next + 1) % this.#times.length;
    if (this.#size < this.#times.length) this.#size++;
    return this.status(nowUs);
  }

  status(nowUs: number): ErrorRateStatus {
    const n = this.#times.length;
    const from = nowUs - this.windowUs;
    // Walk newest -> oldest; times are recorded in order.
    let count = 0;
    for (let i = 1; i <= this.#size; i++) {
      const t = this.#times[(this.#next - i + n) % n]!;
      if (t <= from) break;
      count++;
    }
    if (count < this.throttleAt) return { count, throttle: false, resumeAtUs: null };
    // The count falls below throttleAt when the throttleAt-th newest reject leaves the window.
    const pivot = this.#times[(this.#next - this.throttleAt + n) % n]!;
    return { count, throttle: true, resumeAtUs: pivot + this.windowUs };
  }
}
