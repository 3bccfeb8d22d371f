/**
 * Storage for the L3 book: order slots, price-level nodes with intrusive FIFO queues, sorted sides,
 * and the read-only views over them. L3Book (l3-book.ts) adds the message protocol on top.
 *
 * Orders live in preallocated slots (typed arrays: price, qty, side, level, prev, next); 278 order ids
 * map to slots through OrderIdIndex. Price levels are nodes from a preallocated pool holding the
 * aggregate (total qty, order count) and the head/tail of an intrusive FIFO list of their orders, so
 * queue position is the list position: a qty change keeps it, a price change re-queues at the tail.
 * Each side keeps a sorted array of (price key, level node) exactly like the L2 book (bids negated so
 * both ascend, index 0 best); orders point at their level node, so change/delete never search prices.
 * Mutations take price/qty from `reg` (never as arguments) so no large double is boxed by V8.
 */
import { CHECKSUM_LEVELS, crcStateFeed, crcStateReset } from './checksum.js';
import { OrderIdIndex, hashId } from './order-index.js';
import { BookStatus, MDEntryType } from './types.js';

export const NIL = -1;

export class L3OrderStore {
  readonly depthCap: number;
  readonly levelCapacity: number;
  readonly maxOrders: number;
  /** Entry registers [price, qty]: set by the entry points, read by the mutations below. */
  protected readonly reg = new Float64Array(2);

  protected readonly ids: OrderIdIndex;
  // Order slots.
  protected readonly ordPrice: Float64Array;
  protected readonly ordQty: Float64Array;
  protected readonly ordLevel: Int32Array;
  protected readonly ordPrev: Int32Array;
  protected readonly ordNext: Int32Array;
  protected readonly ordSide: Uint8Array;
  private readonly freeOrders: Int32Array;
  private freeOrderTop = 0;
  // Level nodes.
  protected readonly lvlQty: Float64Array;
  private readonly lvlCount: Int32Array;
  protected readonly lvlHead: Int32Array;
  private readonly lvlTail: Int32Array;
  private readonly freeLevels: Int32Array;
  private freeLevelTop = 0;
  // Sorted sides: key (bid prices negated) and level node per index.
  private readonly bidKey: Float64Array;
  private readonly bidLvl: Int32Array;
  private readonly askKey: Float64Array;
  private readonly askLvl: Int32Array;
  protected bidCount = 0;
  protected askCount = 0;

  // Diagnostics counters (monotonic).
  ignoredOutsideDepth = 0;
  truncatedLevels = 0;

  constructor(depthCap: number, levelSlack: number | undefined, maxOrders: number, maxIdLength: number) {
    if (!Number.isInteger(depthCap) || depthCap < 1 || depthCap > 1_000_000) {
      throw new RangeError(`depthCap must be an integer in 1..1000000, got ${depthCap}`);
    }
    if (!Number.isInteger(maxOrders) || maxOrders < 1 || maxOrders > 1 << 24) {
      throw new RangeError(`maxOrders must be an integer in 1..${1 << 24}, got ${maxOrders}`);
    }
    const slack = levelSlack ?? Math.max(16, depthCap);
    if (!Number.isInteger(slack) || slack < 1) throw new RangeError(`levelSlack must be a positive integer`);
    this.depthCap = depthCap;
    this.levelCapacity = depthCap + slack;
    this.maxOrders = maxOrders;
    this.ids = new OrderIdIndex(maxOrders, maxIdLength);

    this.ordPrice = new Float64Array(maxOrders);
    this.ordQty = new Float64Array(maxOrders);
    this.ordLevel = new Int32Array(maxOrders);
    this.ordPrev = new Int32Array(maxOrders);
    this.ordNext = new Int32Array(maxOrders);
    this.ordSide = new Uint8Array(maxOrders);
    this.freeOrders = new Int32Array(maxOrders);

    const nodes = 2 * this.levelCapacity;
    this.lvlQty = new Float64Array(nodes);
    this.lvlCount = new Int32Array(nodes);
    this.lvlHead = new Int32Array(nodes);
    this.lvlTail = new Int32Array(nodes);
    this.freeLevels = new Int32Array(nodes);

    this.bidKey = new Float64Array(this.levelCapacity);
    this.bidLvl = new Int32Array(this.levelCapacity);
    this.askKey = new Float64Array(this.levelCapacity);
    this.askLvl = new Int32Array(this.levelCapacity);
    this.reset();
  }

  // ---- aggregated level view (index 0 = best) -----------------------------------------------------

  depth(side: number): number {
    return side === MDEntryType.Bid ? this.bidCount : this.askCount;
  }
  levelPrice(side: number, i: number): number {
    return side === MDEntryType.Bid ? -this.bidKey[i] : this.askKey[i];
  }
  levelQty(side: number, i: number): number {
    return this.lvlQty[side === MDEntryType.Bid ? this.bidLvl[i] : this.askLvl[i]];
  }
  levelOrderCount(side: number, i: number): number {
    return this.lvlCount[side === MDEntryType.Bid ? this.bidLvl[i] : this.askLvl[i]];
  }
  /** First order slot (front of the queue) at level i, or -1. Walk with orderNext(). */
  levelHead(side: number, i: number): number {
    return this.lvlHead[side === MDEntryType.Bid ? this.bidLvl[i] : this.askLvl[i]];
  }
  bestBidPrice(): number {
    return this.bidCount > 0 ? -this.bidKey[0] : 0;
  }
  bestAskPrice(): number {
    return this.askCount > 0 ? this.askKey[0] : 0;
  }
  /** Orders currently held. */
  orderCount(): number {
    return this.maxOrders - this.freeOrderTop;
  }

  // ---- per-order view ------------------------------------------------------------------------------

  orderNext(slot: number): number {
    return this.ordNext[slot];
  }
  orderQty(slot: number): number {
    return this.ordQty[slot];
  }
  orderPrice(slot: number): number {
    return this.ordPrice[slot];
  }
  orderSide(slot: number): number {
    return this.ordSide[slot];
  }
  orderIdString(slot: number): string {
    return this.ids.idString(slot);
  }
  /** Slot of an order id, or -1. */
  findOrder(id: Uint8Array, off: number, len: number): number {
    if (len < 1 || len > this.ids.maxIdLength) return NIL;
    return this.ids.find(id, off, len, hashId(id, off, len));
  }
  findOrderStr(id: string): number {
    const n = this.ids.stringToScratch(id);
    return n < 0 ? NIL : this.findOrder(this.ids.scratchBuffer, 0, n);
  }
  /** 0-based place in its level's queue (walks the list: diagnostics, not hot). -1 if unknown. */
  queuePosition(slot: number): number {
    if (slot < 0) return NIL;
    let n = 0;
    for (let o = this.ordPrev[slot]; o !== NIL; o = this.ordPrev[o]) n++;
    return n;
  }

  /**
   * Puts this book's 5041 CRC in checksum.ts state: asks then bids, top 10 levels, every order of a
   * level in queue order contributing price then its qty ([ASSUME], see l3BookChecksum).
   */
  computeChecksumState(): void {
    crcStateReset();
    this.feedSide(this.askKey, this.askLvl, this.askCount, false);
    this.feedSide(this.bidKey, this.bidLvl, this.bidCount, true);
  }

  private feedSide(keys: Float64Array, lvls: Int32Array, n: number, negate: boolean): void {
    const m = n < CHECKSUM_LEVELS ? n : CHECKSUM_LEVELS;
    for (let i = 0; i < m; i++) {
      for (let o = this.lvlHead[lvls[i]]; o !== NIL; o = this.ordNext[o]) {
        crcStateFeed(keys, i, negate);
        crcStateFeed(this.ordQty, o, false);
      }
    }
  }

  // ---- mutations (price/qty from reg) -------------------------------------------------------------

  /** True when reg's 270 price is worse than the worst level of a full side (outside our window). */
  protected outsideWindow(side: number): boolean {
    const price = this.reg[0];
    const n = side === MDEntryType.Bid ? this.bidCount : this.askCount;
    if (n < this.depthCap || n === 0) return false;
    const worst = side === MDEntryType.Bid ? -this.bidKey[n - 1] : this.askKey[n - 1];
    return side === MDEntryType.Bid ? price < worst : price > worst;
  }

  /** Best bid >= best offer. */
  protected crossed(): boolean {
    return this.bidCount > 0 && this.askCount > 0 && -this.bidKey[0] >= this.askKey[0];
  }

  protected reset(): void {
    this.ids.clear();
    const mo = this.maxOrders;
    // Stack pops ascending slots first (cache-friendly right after a snapshot).
    for (let i = 0; i < mo; i++) this.freeOrders[i] = mo - 1 - i;
    this.freeOrderTop = mo;
    const nl = this.freeLevels.length;
    for (let i = 0; i < nl; i++) this.freeLevels[i] = nl - 1 - i;
    this.freeLevelTop = nl;
    this.bidCount = 0;
    this.askCount = 0;
  }

  /** New order from reg at the tail of its level. Ok, or CapacityExceeded (caller breaks the book). */
  protected add(side: number, id: Uint8Array, idOff: number, idLen: number, hash: number): BookStatus {
    if (this.freeOrderTop === 0) return BookStatus.CapacityExceeded;
    const lvl = this.levelFor(side);
    if (lvl < 0) {
      if (lvl === -2) return BookStatus.CapacityExceeded;
      this.ignoredOutsideDepth++; // worse than every level of a full side
      return BookStatus.Ok;
    }
    const slot = this.freeOrders[--this.freeOrderTop];
    this.ids.insert(slot, id, idOff, idLen, hash);
    this.ordPrice[slot] = this.reg[0];
    this.ordQty[slot] = this.reg[1];
    this.ordSide[slot] = side;
    this.link(slot, lvl);
    return BookStatus.Ok;
  }

  /** Change of price: leave the old queue, join the new level's tail. */
  protected move(slot: number): BookStatus {
    const side = this.ordSide[slot];
    this.unlink(slot);
    const lvl = this.levelFor(side);
    if (lvl < 0) {
      this.ids.remove(slot);
      this.freeOrders[this.freeOrderTop++] = slot;
      if (lvl === -2) return BookStatus.CapacityExceeded;
      this.ignoredOutsideDepth++;
      return BookStatus.Ok;
    }
    this.ordPrice[slot] = this.reg[0];
    this.ordQty[slot] = this.reg[1];
    this.link(slot, lvl);
    return BookStatus.Ok;
  }

  protected removeOrder(slot: number): void {
    this.unlink(slot);
    this.ids.remove(slot);
    this.freeOrders[this.freeOrderTop++] = slot;
  }

  /** Appends the order to the level's FIFO tail and to its aggregate. */
  private link(slot: number, lvl: number): void {
    const tail = this.lvlTail[lvl];
    this.ordLevel[slot] = lvl;
    this.ordPrev[slot] = tail;
    this.ordNext[slot] = NIL;
    if (tail === NIL) this.lvlHead[lvl] = slot;
    else this.ordNext[tail] = slot;
    this.lvlTail[lvl] = slot;
    this.lvlQty[lvl] += this.ordQty[slot];
    this.lvlCount[lvl]++;
  }

  /** Removes the order from its level; an emptied level leaves its side. */
  private unlink(slot: number): void {
    const lvl = this.ordLevel[slot];
    const prev = this.ordPrev[slot];
    const next = this.ordNext[slot];
    if (prev === NIL) this.lvlHead[lvl] = next;
    else this.ordNext[prev] = next;
    if (next === NIL) this.lvlTail[lvl] = prev;
    else this.ordPrev[next] = prev;
    this.lvlQty[lvl] -= this.ordQty[slot];
    if (--this.lvlCount[lvl] === 0) this.removeLevel(slot, lvl);
  }

  /** Level node for (side, reg price), created if needed. -1: outside a full side; -2: no capacity. */
  private levelFor(side: number): number {
    const bid = side === MDEntryType.Bid;
    const keys = bid ? this.bidKey : this.askKey;
    const lvls = bid ? this.bidLvl : this.askLvl;
    const n = bid ? this.bidCount : this.askCount;
    const key = bid ? -this.reg[0] : this.reg[0];
    const i = lowerBound(keys, n, key);
    if (i < n && keys[i] === key) return lvls[i];
    if (n === this.levelCapacity) {
      if (i === n) return -1;
      this.dropWorstLevel(side); // beyond depthCap anyway (capacity = depthCap + slack)
      return this.levelFor(side);
    }
    if (this.freeLevelTop === 0) return -2;
    const lvl = this.freeLevels[--this.freeLevelTop];
    this.lvlQty[lvl] = 0;
    this.lvlCount[lvl] = 0;
    this.lvlHead[lvl] = NIL;
    this.lvlTail[lvl] = NIL;
    if (i < n) {
      keys.copyWithin(i + 1, i, n);
      lvls.copyWithin(i + 1, i, n);
    }
    keys[i] = key;
    lvls[i] = lvl;
    if (bid) this.bidCount = n + 1;
    else this.askCount = n + 1;
    return lvl;
  }

  /** Removes level node `lvl`, emptied by order `slot` (whose ordPrice still names the level). */
  private removeLevel(slot: number, lvl: number): void {
    const bid = this.ordSide[slot] === MDEntryType.Bid;
    const keys = bid ? this.bidKey : this.askKey;
    const lvls = bid ? this.bidLvl : this.askLvl;
    const n = bid ? this.bidCount : this.askCount;
    const i = lowerBound(keys, n, bid ? -this.ordPrice[slot] : this.ordPrice[slot]);
    if (i < n - 1) {
      keys.copyWithin(i, i + 1, n);
      lvls.copyWithin(i, i + 1, n);
    }
    if (bid) this.bidCount = n - 1;
    else this.askCount = n - 1;
    this.freeLevels[this.freeLevelTop++] = lvl;
  }

  /** Drops the worst level of a side with all its orders. */
  protected dropWorstLevel(side: number): void {
    const bid = side === MDEntryType.Bid;
    const n = bid ? this.bidCount : this.askCount;
    const lvl = (bid ? this.bidLvl : this.askLvl)[n - 1];
    for (let o = this.lvlHead[lvl]; o !== NIL; ) {
      const next = this.ordNext[o];
      this.ids.remove(o);
      this.freeOrders[this.freeOrderTop++] = o;
      o = next;
    }
    if (bid) this.bidCount = n - 1;
    else this.askCount = n - 1;
    this.freeLevels[this.freeLevelTop++] = lvl;
    this.truncatedLevels++;
  }

}

function lowerBound(keys: Float64Array, n: number, key: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
