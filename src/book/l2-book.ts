/**
 * Price-aggregated (L2) book for one instrument, fed entry by entry from MarketData W / X messages.
 *
 * Storage: per side, two preallocated Float64Arrays (price, qty) sorted best-first, plus a count.
 * Bid prices are stored negated so both sides are ascending and share one binary search; index 0 is
 * always the best level. Insert/delete shift with copyWithin (memmove): at Kraken depths (<= 1000) a
 * shift near the top moves at most a few KB, and most traffic is qty changes that do not shift at all.
 * Values are scaled integers (see decimal.ts); nothing here allocates after construction.
 *
 * Depth: `depthCap` is the number of levels per side we keep (normally the subscribed 264 MarketDepth).
 * Arrays hold depthCap + slack so that a message may add levels before it deletes the ones that left
 * the depth; at the end of each message a side is truncated back to depthCap. A change/delete for a
 * price worse than our worst level while the side is at the cap refers to a level outside our window
 * and is ignored; anywhere else an unknown price is a consistency break.
 */
import { crcStateFeedLevels, crcStateReset } from './checksum.js';
import { ChecksumCheck } from './checksum-check.js';
import { decimalsOption, parseScaledInto } from './decimal.js';
import {
  BookEvent,
  BookState,
  BookStatus,
  MDEntryType,
  MDUpdateAction,
  nextBookState,
} from './types.js';

export interface L2BookOptions {
  /** Levels kept per side (10, 25, 100, 500, 1000 ...). */
  depthCap: number;
  /** Extra preallocated levels per side for within-message churn; default max(16, depthCap). */
  slack?: number;
  /** 2349 PriceDecimals / 5010 QtyDecimals: needed only for the *Bytes entry points. */
  priceDecimals?: number;
  qtyDecimals?: number;
  /** Compare 5041 when the caller passes one (default true). */
  verifyChecksum?: boolean;
  /**
   * Verify only every Nth message that carries a 5041 (default 1 = all). Kraken allows periodic
   * verification; a deep L3 top-10 costs a few hundred digit-CRC steps per check.
   */
  checksumInterval?: number;
}

export class L2Book {
  readonly depthCap: number;
  readonly capacity: number;
  /** -1 when not configured (then the *Bytes entry points report InvalidNumber). */
  readonly priceDecimals: number;
  readonly qtyDecimals: number;
  /**
   * Entry registers [price, qty]: both entry styles put the entry's numbers here and the internals
   * read them back, so a scaled value above 2^30 never crosses an internal call as a boxed double.
   */
  private readonly reg = new Float64Array(2);
  private readonly check: ChecksumCheck;

  // [0] = bids (negated prices), [1] = offers. Separate fields keep element kinds monomorphic.
  private readonly bidPx: Float64Array;
  private readonly bidQty: Float64Array;
  private readonly askPx: Float64Array;
  private readonly askQty: Float64Array;
  private bidCount = 0;
  private askCount = 0;

  private _state: BookState = BookState.AwaitingSnapshot;
  /** The status that broke the book (Ok while not Broken). */
  brokenReason: BookStatus = BookStatus.Ok;

  // Diagnostics counters (monotonic).
  messages = 0;
  entries = 0;
  ignoredOutsideDepth = 0;
  truncatedLevels = 0;
  evictedLevels = 0;

  constructor(opts: L2BookOptions) {
    const depthCap = opts.depthCap;
    if (!Number.isInteger(depthCap) || depthCap < 1 || depthCap > 1_000_000) {
      throw new RangeError(`depthCap must be an integer in 1..1000000, got ${depthCap}`);
    }
    const slack = opts.slack ?? Math.max(16, depthCap);
    if (!Number.isInteger(slack) || slack < 1) throw new RangeError(`slack must be a positive integer, got ${slack}`);
    this.depthCap = depthCap;
    this.capacity = depthCap + slack;
    this.check = new ChecksumCheck(opts.verifyChecksum, opts.checksumInterval);
    this.priceDecimals = decimalsOption('priceDecimals', opts.priceDecimals);
    this.qtyDecimals = decimalsOption('qtyDecimals', opts.qtyDecimals);
    this.bidPx = new Float64Array(this.capacity);
    this.bidQty = new Float64Array(this.capacity);
    this.askPx = new Float64Array(this.capacity);
    this.askQty = new Float64Array(this.capacity);
  }

  get state(): BookState {
    return this._state;
  }

  /** True when the contents are consistent as of the last completed message. */
  isLive(): boolean {
    return this._state === BookState.Live;
  }

  /** Forgets everything; the next message must be a snapshot. */
  clear(): void {
    this.bidCount = 0;
    this.askCount = 0;
    this._state = BookState.AwaitingSnapshot;
    this.brokenReason = BookStatus.Ok;
  }

  // ---- message protocol ---------------------------------------------------------------------------

  /** Start of a W (snapshot): the book is emptied and rebuilt from the entries that follow. */
  beginSnapshot(): BookStatus {
    this._state = nextBookState(this._state, BookEvent.BeginSnapshot) as BookState;
    this.bidCount = 0;
    this.askCount = 0;
    this.brokenReason = BookStatus.Ok;
    this.check.rearm();
    return BookStatus.Ok;
  }

  /** Start of an X (incremental). NoSnapshot if there is no consistent book to apply it to. */
  beginIncremental(): BookStatus {
    const next = nextBookState(this._state, BookEvent.BeginIncremental);
    if (next === BookState.InIncremental) {
      this._state = BookState.InIncremental;
      return BookStatus.Ok;
    }
    return this.fail(next < 0 ? BookStatus.Misuse : BookStatus.NoSnapshot);
  }

  /** One W entry (269 side, 270 price, 271 qty), scaled integers. Zero qty entries are skipped. */
  applySnapshotEntry(side: number, price: number, qty: number): BookStatus {
    this.reg[0] = price;
    this.reg[1] = qty;
    return this.snapshotEntry(side);
  }

  /** applySnapshotEntry with 270/271 as ASCII byte ranges of `buf` (needs the decimals options). */
  applySnapshotEntryBytes(side: number, buf: Uint8Array, pxOff: number, pxLen: number, qtyOff: number, qtyLen: number): BookStatus {
    this.parseRegs(buf, pxOff, pxLen, qtyOff, qtyLen);
    return this.snapshotEntry(side);
  }

  /**
   * One X entry: 279 action, 269 side, 270 price, 271 qty (scaled integers), applied in order.
   * Delete removes the level whatever 271 says (qty > 0 = left the subscribed depth, 0 = gone).
   * A New/Change to qty 0 is treated as a delete. Trade entries (269=2) are ignored.
   * Values above 2^30 passed as numbers may be boxed by V8 at the caller's call site if this call is
   * not inlined; applyEntryBytes is allocation-free whatever the values.
   */
  applyEntry(action: number, side: number, price: number, qty: number): BookStatus {
    this.reg[0] = price;
    this.reg[1] = qty;
    return this.incrementalEntry(action, side);
  }

  /** applyEntry with 270/271 as ASCII byte ranges of the message buffer (needs the decimals options). */
  applyEntryBytes(
    action: number,
    side: number,
    buf: Uint8Array,
    pxOff: number,
    pxLen: number,
    qtyOff: number,
    qtyLen: number,
  ): BookStatus {
    this.parseRegs(buf, pxOff, pxLen, qtyOff, qtyLen);
    return this.incrementalEntry(action, side);
  }

  /**
   * End of a W or X. Truncates to depthCap, then checks the book is not crossed and, when `checksum`
   * is a 5041 value (not NO_CHECKSUM), that our CRC32 matches it.
   * A 5041 above 2^30 passed as a number may be boxed by V8 at a non-inlined call site; the decoder
   * path should prefer endMessageChecksumBytes, which is allocation-free whatever the value.
   */
  endMessage(checksum: number): BookStatus {
    const st = this.closeMessage();
    return st !== BookStatus.Ok ? st : this.settle(this.check.checkNumber(this, checksum));
  }

  /** endMessage with 5041 as its ASCII digits buf[off, off+len); len 0 = no checksum in the message. */
  endMessageChecksumBytes(buf: Uint8Array, off: number, len: number): BookStatus {
    const st = this.closeMessage();
    return st !== BookStatus.Ok ? st : this.settle(this.check.checkBytes(this, buf, off, len));
  }

  /** Our CRC at the last verified message, NO_CHECKSUM if none yet (diagnostics; allocates a number). */
  get lastComputedChecksum(): number {
    return this.check.last;
  }

  /** The message's last step: Live when its checks held, broken otherwise. */
  private settle(status: BookStatus): BookStatus {
    if (status !== BookStatus.Ok) return this.fail(status);
    this._state = BookState.Live;
    return BookStatus.Ok;
  }

  /** Puts this book's 5041 CRC (top 10: asks ascending, then bids descending) in checksum.ts state. */
  computeChecksumState(): void {
    crcStateReset();
    crcStateFeedLevels(this.askPx, this.askQty, this.askCount, false);
    crcStateFeedLevels(this.bidPx, this.bidQty, this.bidCount, true);
  }

  /** Shared end-of-message work: state check, truncation, crossed check. Ok leaves the state as is. */
  private closeMessage(): BookStatus {
    const st = this._state;
    if (st === BookState.Broken) return BookStatus.NoSnapshot;
    if (st !== BookState.InSnapshot && st !== BookState.InIncremental) return this.misuse();
    this.messages++;
    if (this.bidCount > this.depthCap) {
      this.truncatedLevels += this.bidCount - this.depthCap;
      this.bidCount = this.depthCap;
    }
    if (this.askCount > this.depthCap) {
      this.truncatedLevels += this.askCount - this.depthCap;
      this.askCount = this.depthCap;
    }
    if (this.bidCount > 0 && this.askCount > 0 && -this.bidPx[0] >= this.askPx[0]) {
      return this.fail(BookStatus.Crossed);
    }
    return BookStatus.Ok;
  }

  // ---- accessors (index 0 = best; prices/qtys are scaled integers) --------------------------------

  /** Levels held on a side (0 bid, 1 offer). */
  depth(side: number): number {
    return side === MDEntryType.Bid ? this.bidCount : this.askCount;
  }

  levelPrice(side: number, i: number): number {
    return side === MDEntryType.Bid ? -this.bidPx[i] : this.askPx[i];
  }

  levelQty(side: number, i: number): number {
    return side === MDEntryType.Bid ? this.bidQty[i] : this.askQty[i];
  }

  /** Best bid price, or 0 when there are no bids. */
  bestBidPrice(): number {
    return this.bidCount > 0 ? -this.bidPx[0] : 0;
  }
  bestBidQty(): number {
    return this.bidCount > 0 ? this.bidQty[0] : 0;
  }
  /** Best offer price, or 0 when there are no offers. */
  bestAskPrice(): number {
    return this.askCount > 0 ? this.askPx[0] : 0;
  }
  bestAskQty(): number {
    return this.askCount > 0 ? this.askQty[0] : 0;
  }

  /** Qty at an exact price, 0 if no such level. */
  qtyAt(side: number, price: number): number {
    const i = this.find(side, price);
    return i >= 0 ? this.levelQty(side, i) : 0;
  }

  /** Copies the top min(n, depth) levels into caller-owned arrays; returns how many were copied. */
  topN(side: number, n: number, outPrice: Float64Array, outQty: Float64Array): number {
    const m = Math.min(n, this.depth(side), outPrice.length, outQty.length);
    if (side === MDEntryType.Bid) {
      for (let i = 0; i < m; i++) {
        outPrice[i] = -this.bidPx[i];
        outQty[i] = this.bidQty[i];
      }
    } else {
      outPrice.set(this.askPx.subarray(0, m));
      outQty.set(this.askQty.subarray(0, m));
    }
    return m;
  }

  // ---- internals (numbers come from this.reg) -------------------------------------------------------

  /** Parses price/qty into the registers; a failure leaves -1 there, which validation rejects. */
  private parseRegs(buf: Uint8Array, pxOff: number, pxLen: number, qtyOff: number, qtyLen: number): void {
    const reg = this.reg;
    if (this.priceDecimals < 0 || parseScaledInto(buf, pxOff, pxLen, this.priceDecimals, reg, 0) < 0) reg[0] = -1;
    if (this.qtyDecimals < 0 || parseScaledInto(buf, qtyOff, qtyLen, this.qtyDecimals, reg, 1) < 0) reg[1] = -1;
  }

  /** False if reg does not hold a price > 0 and a qty >= 0, both safe integers. */
  private regsValid(): boolean {
    const price = this.reg[0];
    const qty = this.reg[1];
    return price > 0 && qty >= 0 && Number.isSafeInteger(price) && Number.isSafeInteger(qty);
  }

  private snapshotEntry(side: number): BookStatus {
    if (this._state !== BookState.InSnapshot) return this.misuse();
    this.entries++;
    if (side === MDEntryType.Trade) return BookStatus.Ok;
    if (side !== MDEntryType.Bid && side !== MDEntryType.Offer) return this.fail(BookStatus.InvalidEntry);
    if (!this.regsValid()) return this.fail(BookStatus.InvalidNumber);
    if (this.reg[1] === 0) return BookStatus.Ok;
    this.upsert(side);
    return BookStatus.Ok;
  }

  private incrementalEntry(action: number, side: number): BookStatus {
    if (this._state !== BookState.InIncremental) {
      return this._state === BookState.Broken ? BookStatus.NoSnapshot : this.misuse();
    }
    this.entries++;
    if (side === MDEntryType.Trade) return BookStatus.Ok;
    if (side !== MDEntryType.Bid && side !== MDEntryType.Offer) return this.fail(BookStatus.InvalidEntry);
    if (!this.regsValid()) return this.fail(BookStatus.InvalidNumber);
    const zero = this.reg[1] === 0;
    if (action === MDUpdateAction.New) {
      if (zero) return this.remove(side, false);
      this.upsert(side);
      return BookStatus.Ok;
    }
    if (action === MDUpdateAction.Change) return zero ? this.remove(side, true) : this.change(side);
    if (action === MDUpdateAction.Delete) return this.remove(side, true);
    return this.fail(BookStatus.InvalidEntry);
  }

  /** Index of the level at `price`, or -1 (diagnostic accessor path). */
  private find(side: number, price: number): number {
    const bid = side === MDEntryType.Bid;
    const px = bid ? this.bidPx : this.askPx;
    const n = bid ? this.bidCount : this.askCount;
    const key = bid ? -price : price;
    const i = lowerBound(px, n, key);
    return i < n && px[i] === key ? i : -1;
  }

  private upsert(side: number): void {
    const bid = side === MDEntryType.Bid;
    const px = bid ? this.bidPx : this.askPx;
    const qt = bid ? this.bidQty : this.askQty;
    let n = bid ? this.bidCount : this.askCount;
    const key = bid ? -this.reg[0] : this.reg[0];
    const qty = this.reg[1];
    const i = lowerBound(px, n, key);
    if (i < n && px[i] === key) {
      qt[i] = qty;
      return;
    }
    const cap = this.capacity;
    if (n === cap) {
      // Full even with slack: the worst level (index cap-1 >= depthCap) is outside our window.
      if (i === n) {
        this.ignoredOutsideDepth++;
        return;
      }
      n--;
      this.evictedLevels++;
    }
    if (i < n) {
      px.copyWithin(i + 1, i, n);
      qt.copyWithin(i + 1, i, n);
    }
    px[i] = key;
    qt[i] = qty;
    if (bid) this.bidCount = n + 1;
    else this.askCount = n + 1;
  }

  private change(side: number): BookStatus {
    const bid = side === MDEntryType.Bid;
    const px = bid ? this.bidPx : this.askPx;
    const n = bid ? this.bidCount : this.askCount;
    const key = bid ? -this.reg[0] : this.reg[0];
    const i = lowerBound(px, n, key);
    if (i < n && px[i] === key) {
      (bid ? this.bidQty : this.askQty)[i] = this.reg[1];
      return BookStatus.Ok;
    }
    return this.unknown(i, n);
  }

  private remove(side: number, mustExist: boolean): BookStatus {
    const bid = side === MDEntryType.Bid;
    const px = bid ? this.bidPx : this.askPx;
    const n = bid ? this.bidCount : this.askCount;
    const key = bid ? -this.reg[0] : this.reg[0];
    const i = lowerBound(px, n, key);
    if (i < n && px[i] === key) {
      if (i < n - 1) {
        px.copyWithin(i, i + 1, n);
        (bid ? this.bidQty : this.askQty).copyWithin(i, i + 1, n);
      }
      if (bid) this.bidCount = n - 1;
      else this.askCount = n - 1;
      return BookStatus.Ok;
    }
    return mustExist ? this.unknown(i, n) : BookStatus.Ok;
  }

  /** An entry for a price we do not hold: fine beyond the worst level of a full side, else a break. */
  private unknown(insertAt: number, n: number): BookStatus {
    if (insertAt === n && n >= this.depthCap) {
      this.ignoredOutsideDepth++;
      return BookStatus.Ok;
    }
    return this.fail(BookStatus.UnknownLevel);
  }

  private misuse(): BookStatus {
    return this.fail(BookStatus.Misuse);
  }

  private fail(status: BookStatus): BookStatus {
    this._state = BookState.Broken;
    if (this.brokenReason === BookStatus.Ok) this.brokenReason = status;
    return status;
  }
}

/** First index in px[0, n) with px[i] >= key. */
function lowerBound(px: Float64Array, n: number, key: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (px[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
