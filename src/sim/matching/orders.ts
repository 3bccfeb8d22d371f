/**
 * The order pool: every order's fields as parallel typed arrays indexed by slot, plus the order state
 * machine. Slots are recycled through a free list, so steady-state order flow allocates nothing.
 *
 * An order's public reference (its "key", encoded into the OrderID) is gen * 2^24 + slot: the generation
 * counter makes a stale key from a recycled slot detectable.
 */
import { OrdStatus } from './constants.js';

export const SLOT_BITS = 24;
export const SLOT_LIMIT = 1 << SLOT_BITS;
const SLOT_MASK = SLOT_LIMIT - 1;

/** Internal lifecycle; OrdStatus is derived (STATUS_OF). */
export const enum OrderState {
  Free = 0,
  /** EffectiveTime (168) in the future: accepted, invisible, not matching. */
  PendingNew = 1,
  /** Stop / take-profit / trailing order waiting for its trigger. */
  Untriggered = 2,
  New = 3,
  PartiallyFilled = 4,
  Filled = 5,
  Canceled = 6,
  Expired = 7,
}

const NSTATES = 8;

/** TRANSITIONS[from * NSTATES + to] = 1 when allowed. Self-loops are amends / further fills. */
const TRANSITIONS = new Uint8Array(NSTATES * NSTATES);
function allow(from: OrderState, ...to: OrderState[]): void {
  for (const t of to) TRANSITIONS[from * NSTATES + t] = 1;
}
allow(OrderState.Free, OrderState.PendingNew, OrderState.Untriggered, OrderState.New);
allow(OrderState.PendingNew, OrderState.PendingNew, OrderState.Untriggered, OrderState.New, OrderState.Canceled, OrderState.Expired);
allow(OrderState.Untriggered, OrderState.Untriggered, OrderState.New, OrderState.Canceled, OrderState.Expired);
allow(OrderState.New, OrderState.New, OrderState.PartiallyFilled, OrderState.Filled, OrderState.Canceled, OrderState.Expired);
allow(OrderState.PartiallyFilled, OrderState.PartiallyFilled, OrderState.Filled, OrderState.Canceled, OrderState.Expired);
allow(OrderState.Filled, OrderState.Free);
allow(OrderState.Canceled, OrderState.Free);
allow(OrderState.Expired, OrderState.Free);

export function canTransition(from: OrderState, to: OrderState): boolean {
  return TRANSITIONS[from * NSTATES + to] === 1;
}

export const STATUS_OF: readonly OrdStatus[] = [
  OrdStatus.New, // Free: never reported
  OrdStatus.PendingNew,
  OrdStatus.New,
  OrdStatus.New,
  OrdStatus.PartiallyFilled,
  OrdStatus.Filled,
  OrdStatus.Canceled,
  OrdStatus.Expired,
];

/** Open = can still trade, be cancelled, amended or expire. */
export function isOpenState(s: OrderState): boolean {
  return s >= OrderState.PendingNew && s <= OrderState.PartiallyFilled;
}

export const enum OrderFlag {
  PostOnly = 1,
  ReduceOnly = 2,
  Iceberg = 4,
  /** Holds a funds reservation (spot) proportional to leaves. */
  Reserves = 8,
  /** Currently linked into a price level. */
  InBook = 16,
  /** In its instrument's trigger list. */
  InTriggers = 32,
}

export class OrderStore {
  capacity = 0;
  /** Slots [0, highWater) have been handed out at least once. */
  highWater = 0;
  private free: Int32Array = new Int32Array(0);
  private freeCount = 0;

  gen!: Int32Array;
  state!: Uint8Array;
  instrument!: Int32Array;
  account!: Int32Array;
  session!: Int32Array;
  side!: Uint8Array;
  ordType!: Uint8Array;
  tif!: Uint8Array;
  flags!: Uint8Array;
  stp!: Uint8Array;
  /** Limit price in ticks (-1 none). For an untriggered trailing-stop-limit: the limit offset. */
  price!: Float64Array;
  /** Trigger price in ticks; for trailing types the trailing offset. -1 none. */
  stopPx!: Float64Array;
  /** Trailing stops: best price seen since activation (high for sells, low for buys); -1 unset. */
  watermark!: Float64Array;
  /** Trade price that fired the trigger (-1 not fired). */
  triggerPx!: Float64Array;
  qty!: Float64Array;
  cum!: Float64Array;
  /** Iceberg display size (0 = fully visible). */
  display!: Float64Array;
  /** Currently shown quantity while in the book. */
  visible!: Float64Array;
  /** Cumulative ticks*lots, wide (hi, lo) pairs at 2*slot. */
  notional!: Float64Array;
  expire!: Float64Array;
  effective!: Float64Array;
  tag!: Float64Array;
  queueTime!: Float64Array;
  level!: Int32Array;
  prev!: Int32Array;
  next!: Int32Array;

  constructor(initialCapacity: number) {
    this.grow(Math.max(16, initialCapacity));
  }

  static slotOf(key: number): number {
    return key & SLOT_MASK;
  }

  keyOf(slot: number): number {
    return this.gen[slot] * SLOT_LIMIT + slot;
  }

  /** Slot for a live key, or -1 (unknown, recycled, or closed). */
  resolve(key: number): number {
    if (!(key >= 0) || !Number.isSafeInteger(key)) return -1;
    const slot = key % SLOT_LIMIT;
    if (slot >= this.highWater) return -1;
    if (this.gen[slot] !== Math.floor(key / SLOT_LIMIT)) return -1;
    return isOpenState(this.state[slot] as OrderState) ? slot : -1;
  }

  alloc(): number {
    let slot: number;
    if (this.freeCount > 0) slot = this.free[--this.freeCount];
    else {
      if (this.highWater === this.capacity) {
        if (this.capacity >= SLOT_LIMIT) return -1;
        this.grow(Math.min(this.capacity * 2, SLOT_LIMIT));
      }
      slot = this.highWater++;
    }
    return slot;
  }

  release(slot: number): void {
    this.setState(slot, OrderState.Free);
    this.gen[slot] = (this.gen[slot] + 1) & 0x1fffffff;
    this.flags[slot] = 0;
    this.free[this.freeCount++] = slot;
  }

  setState(slot: number, to: OrderState): void {
    const from = this.state[slot] as OrderState;
    if (TRANSITIONS[from * NSTATES + to] !== 1) {
      throw new Error(`matching engine bug: order state ${from} -> ${to} not allowed`);
    }
    this.state[slot] = to;
  }

  liveCount(): number {
    return this.highWater - this.freeCount;
  }

  private grow(n: number): void {
    const f = (old: Float64Array | undefined, k = 1) => {
      const a = new Float64Array(n * k);
      if (old) a.set(old);
      return a;
    };
    const i = (old: Int32Array | undefined) => {
      const a = new Int32Array(n);
      if (old) a.set(old);
      return a;
    };
    const u = (old: Uint8Array | undefined) => {
      const a = new Uint8Array(n);
      if (old) a.set(old);
      return a;
    };
    this.gen = i(this.gen);
    this.state = u(this.state);
    this.instrument = i(this.instrument);
    this.account = i(this.account);
    this.session = i(this.session);
    this.side = u(this.side);
    this.ordType = u(this.ordType);
    this.tif = u(this.tif);
    this.flags = u(this.flags);
    this.stp = u(this.stp);
    this.price = f(this.price);
    this.stopPx = f(this.stopPx);
    this.watermark = f(this.watermark);
    this.triggerPx = f(this.triggerPx);
    this.qty = f(this.qty);
    this.cum = f(this.cum);
    this.display = f(this.display);
    this.visible = f(this.visible);
    this.notional = f(this.notional, 2);
    this.expire = f(this.expire);
    this.effective = f(this.effective);
    this.tag = f(this.tag);
    this.queueTime = f(this.queueTime);
    this.level = i(this.level);
    this.prev = i(this.prev);
    this.next = i(this.next);
    const free = new Int32Array(n);
    free.set(this.free.subarray(0, this.freeCount));
    this.free = free;
    this.capacity = n;
  }
}
