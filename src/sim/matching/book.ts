/**
 * Price levels and the per-instrument book. Each side keeps its levels in a sorted array with the best
 * level at the end (most activity is near the touch, so inserts/removals shift few entries); each level
 * is an intrusive FIFO of order slots (OrderStore.prev/next), giving price-time priority with O(1)
 * append, cancel and move-to-back.
 */
import { Side } from './constants.js';
import { OrderFlag, type OrderStore } from './orders.js';

export class LevelStore {
  capacity = 0;
  private highWater = 0;
  private free = new Int32Array(0);
  private freeCount = 0;
  price!: Float64Array;
  head!: Int32Array;
  tail!: Int32Array;
  /** Sum of shown quantity (L2 size). */
  vis!: Float64Array;
  /** Sum of leaves including hidden iceberg quantity. */
  tot!: Float64Array;
  count!: Int32Array;

  constructor(n: number) {
    this.grow(Math.max(16, n));
  }

  alloc(price: number): number {
    let l: number;
    if (this.freeCount > 0) l = this.free[--this.freeCount];
    else {
      if (this.highWater === this.capacity) this.grow(this.capacity * 2);
      l = this.highWater++;
    }
    this.price[l] = price;
    this.head[l] = -1;
    this.tail[l] = -1;
    this.vis[l] = 0;
    this.tot[l] = 0;
    this.count[l] = 0;
    return l;
  }

  release(l: number): void {
    this.free[this.freeCount++] = l;
  }

  private grow(n: number): void {
    const f = (o?: Float64Array) => {
      const a = new Float64Array(n);
      if (o) a.set(o);
      return a;
    };
    const i = (o?: Int32Array) => {
      const a = new Int32Array(n);
      if (o) a.set(o);
      return a;
    };
    this.price = f(this.price);
    this.head = i(this.head);
    this.tail = i(this.tail);
    this.vis = f(this.vis);
    this.tot = f(this.tot);
    this.count = i(this.count);
    const fr = new Int32Array(n);
    fr.set(this.free.subarray(0, this.freeCount));
    this.free = fr;
    this.capacity = n;
  }
}

/** One side of a book: levels sorted so that the best is last. key = price (bids) or -price (asks). */
export class SideBook {
  n = 0;
  keys = new Float64Array(64);
  levels = new Int32Array(64);
  constructor(readonly side: Side) {}

  /** Best level id or -1. */
  best(): number {
    return this.n > 0 ? this.levels[this.n - 1] : -1;
  }

  /** Index of the level at `price`, or -(insertion point + 1). */
  find(price: number): number {
    const key = this.side === Side.Buy ? price : -price;
    const keys = this.keys;
    // Most lookups hit the touch: check the best end before bisecting.
    let hi = this.n - 1;
    if (hi >= 0 && keys[hi] === key) return hi;
    let lo = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = keys[mid];
      if (k < key) lo = mid + 1;
      else if (k > key) hi = mid - 1;
      else return mid;
    }
    return -(lo + 1);
  }

  insertAt(idx: number, price: number, level: number): void {
    if (this.n === this.keys.length) {
      const k = new Float64Array(this.n * 2);
      k.set(this.keys);
      this.keys = k;
      const l = new Int32Array(this.n * 2);
      l.set(this.levels);
      this.levels = l;
    }
    if (idx < this.n) {
      this.keys.copyWithin(idx + 1, idx, this.n);
      this.levels.copyWithin(idx + 1, idx, this.n);
    }
    this.keys[idx] = this.side === Side.Buy ? price : -price;
    this.levels[idx] = level;
    this.n++;
  }

  removeAt(idx: number): void {
    if (idx < this.n - 1) {
      this.keys.copyWithin(idx, idx + 1, this.n);
      this.levels.copyWithin(idx, idx + 1, this.n);
    }
    this.n--;
  }
}

export class Book {
  readonly bids = new SideBook(Side.Buy);
  readonly asks = new SideBook(Side.Sell);
  /** Untriggered stop orders in placement order (slots). */
  triggers: number[] = [];

  sideOf(side: Side): SideBook {
    return side === Side.Buy ? this.bids : this.asks;
  }
}

/** Links slot at the tail of its price level (creating the level). Visible/leaves must be set. */
export function linkOrder(o: OrderStore, lv: LevelStore, sb: SideBook, slot: number): void {
  const price = o.price[slot];
  let idx = sb.find(price);
  let l: number;
  if (idx >= 0) l = sb.levels[idx];
  else {
    idx = -idx - 1;
    l = lv.alloc(price);
    sb.insertAt(idx, price, l);
  }
  const tail = lv.tail[l];
  o.prev[slot] = tail;
  o.next[slot] = -1;
  if (tail === -1) lv.head[l] = slot;
  else o.next[tail] = slot;
  lv.tail[l] = slot;
  lv.count[l]++;
  lv.vis[l] += o.visible[slot];
  lv.tot[l] += o.qty[slot] - o.cum[slot];
  o.level[slot] = l;
  o.flags[slot] |= OrderFlag.InBook;
}

/** Removes slot from its level, dropping the level if it empties. Level sums lose its shown/leaves. */
export function unlinkOrder(o: OrderStore, lv: LevelStore, sb: SideBook, slot: number): void {
  const l = o.level[slot];
  const p = o.prev[slot];
  const n = o.next[slot];
  if (p === -1) lv.head[l] = n;
  else o.next[p] = n;
  if (n === -1) lv.tail[l] = p;
  else o.prev[n] = p;
  lv.vis[l] -= o.visible[slot];
  lv.tot[l] -= o.qty[slot] - o.cum[slot];
  o.flags[slot] &= ~OrderFlag.InBook;
  o.level[slot] = -1;
  if (--lv.count[l] === 0) {
    const idx = sb.levels[sb.n - 1] === l ? sb.n - 1 : sb.find(lv.price[l]);
    sb.removeAt(idx);
    lv.release(l);
  }
}

/** Moves slot to the tail of its own level (iceberg refresh, priority loss). Sums unchanged. */
export function moveToBack(o: OrderStore, lv: LevelStore, slot: number): void {
  const l = o.level[slot];
  if (lv.tail[l] === slot) return;
  const p = o.prev[slot];
  const n = o.next[slot];
  if (p === -1) lv.head[l] = n;
  else o.next[p] = n;
  o.prev[n] = p; // n !== -1 because slot is not the tail
  const tail = lv.tail[l];
  o.next[tail] = slot;
  o.prev[slot] = tail;
  o.next[slot] = -1;
  lv.tail[l] = slot;
}
