/**
 * Order-by-order (L3) book for one instrument, fed from MarketData W / X with 266 AggregatedBook=N:
 * the message protocol (snapshot / incremental / end with 5041) over the storage in l3-orders.ts.
 *
 * Depth handling matches L2Book: levels beyond `depthCap` are dropped (with their orders) at the end
 * of each message; an entry for an unknown order whose 270 price is worse than our worst level on a
 * full side is outside our window and ignored. Nothing allocates after construction.
 */
import { ChecksumCheck } from './checksum-check.js';
import { decimalsOption, parseScaledInto } from './decimal.js';
import { L3OrderStore, NIL } from './l3-orders.js';
import { hashId } from './order-index.js';
import {
  BookEvent,
  BookState,
  BookStatus,
  MDEntryType,
  MDUpdateAction,
  nextBookState,
} from './types.js';

export interface L3BookOptions {
  /** Price levels kept per side. */
  depthCap: number;
  /** Preallocated order slots (all sides). Exceeding it reports CapacityExceeded. */
  maxOrders: number;
  /** Extra level nodes per side for within-message churn; default max(16, depthCap). */
  levelSlack?: number;
  /** Longest 278 order id accepted, bytes (default 48). */
  maxIdLength?: number;
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

export class L3Book extends L3OrderStore {
  private readonly check: ChecksumCheck;
  readonly priceDecimals: number;
  readonly qtyDecimals: number;

  private _state: BookState = BookState.AwaitingSnapshot;
  brokenReason: BookStatus = BookStatus.Ok;
  messages = 0;
  entries = 0;

  constructor(opts: L3BookOptions) {
    super(opts.depthCap, opts.levelSlack, opts.maxOrders, opts.maxIdLength ?? 48);
    this.check = new ChecksumCheck(opts.verifyChecksum, opts.checksumInterval);
    this.priceDecimals = decimalsOption('priceDecimals', opts.priceDecimals);
    this.qtyDecimals = decimalsOption('qtyDecimals', opts.qtyDecimals);
  }

  get state(): BookState {
    return this._state;
  }

  isLive(): boolean {
    return this._state === BookState.Live;
  }

  clear(): void {
    this.reset();
    this._state = BookState.AwaitingSnapshot;
    this.brokenReason = BookStatus.Ok;
  }

  // ---- message protocol (same contract as L2Book) -------------------------------------------------

  beginSnapshot(): BookStatus {
    this._state = nextBookState(this._state, BookEvent.BeginSnapshot) as BookState;
    this.reset();
    this.brokenReason = BookStatus.Ok;
    this.check.rearm();
    return BookStatus.Ok;
  }

  beginIncremental(): BookStatus {
    const next = nextBookState(this._state, BookEvent.BeginIncremental);
    if (next === BookState.InIncremental) {
      this._state = BookState.InIncremental;
      return BookStatus.Ok;
    }
    return this.fail(next < 0 ? BookStatus.Misuse : BookStatus.NoSnapshot);
  }

  /**
   * One W entry; the order joins the tail of its level. [ASSUME] W lists each level's orders in queue
   * order (the caller can sort by 5273 queue-entry time first if Kraken ever does not).
   */
  applySnapshotEntry(side: number, id: Uint8Array, idOff: number, idLen: number, price: number, qty: number): BookStatus {
    this.reg[0] = price;
    this.reg[1] = qty;
    return this.snapshotEntry(side, id, idOff, idLen);
  }

  /** applySnapshotEntry with 278/270/271 all as byte ranges of the message buffer. */
  applySnapshotEntryBytes(
    side: number,
    buf: Uint8Array,
    idOff: number,
    idLen: number,
    pxOff: number,
    pxLen: number,
    qtyOff: number,
    qtyLen: number,
  ): BookStatus {
    this.parseRegs(buf, pxOff, pxLen, qtyOff, qtyLen);
    return this.snapshotEntry(side, buf, idOff, idLen);
  }

  /**
   * One X entry: 279 action, 269 side, 278 id bytes, 270 price, 271 qty, applied in order.
   * New: DuplicateOrder if the id exists. Change: qty (queue position kept) and/or price (re-queued).
   * Delete: removes whatever 271 says. Change to qty 0 is a delete. Trades (269=2) are ignored.
   */
  applyEntry(
    action: number,
    side: number,
    id: Uint8Array,
    idOff: number,
    idLen: number,
    price: number,
    qty: number,
  ): BookStatus {
    this.reg[0] = price;
    this.reg[1] = qty;
    return this.incrementalEntry(action, side, id, idOff, idLen);
  }

  /** applyEntry with 278/270/271 all as byte ranges of the message buffer. Allocation-free. */
  applyEntryBytes(
    action: number,
    side: number,
    buf: Uint8Array,
    idOff: number,
    idLen: number,
    pxOff: number,
    pxLen: number,
    qtyOff: number,
    qtyLen: number,
  ): BookStatus {
    this.parseRegs(buf, pxOff, pxLen, qtyOff, qtyLen);
    return this.incrementalEntry(action, side, buf, idOff, idLen);
  }

  /** String-id convenience (tests, tools): ASCII ids only; copies into a reused scratch buffer. */
  applySnapshotEntryStr(side: number, id: string, price: number, qty: number): BookStatus {
    const n = this.ids.stringToScratch(id);
    if (n < 0) return this.fail(BookStatus.InvalidOrderId);
    return this.applySnapshotEntry(side, this.ids.scratchBuffer, 0, n, price, qty);
  }

  applyEntryStr(action: number, side: number, id: string, price: number, qty: number): BookStatus {
    const n = this.ids.stringToScratch(id);
    if (n < 0) return this.fail(BookStatus.InvalidOrderId);
    return this.applyEntry(action, side, this.ids.scratchBuffer, 0, n, price, qty);
  }

  /** End of W or X: truncate to depthCap, then crossed and (if given) 5041 checks. See L2Book.endMessage. */
  endMessage(checksum: number): BookStatus {
    const st = this.closeMessage();
    return st !== BookStatus.Ok ? st : this.settle(this.check.checkNumber(this, checksum));
  }

  /** endMessage with 5041 as ASCII digits buf[off, off+len); len 0 = none. Allocation-free. */
  endMessageChecksumBytes(buf: Uint8Array, off: number, len: number): BookStatus {
    const st = this.closeMessage();
    return st !== BookStatus.Ok ? st : this.settle(this.check.checkBytes(this, buf, off, len));
  }

  /** Our CRC at the last verified message, NO_CHECKSUM if none yet (diagnostics). */
  get lastComputedChecksum(): number {
    return this.check.last;
  }

  private settle(status: BookStatus): BookStatus {
    if (status !== BookStatus.Ok) return this.fail(status);
    this._state = BookState.Live;
    return BookStatus.Ok;
  }

  private closeMessage(): BookStatus {
    const st = this._state;
    if (st === BookState.Broken) return BookStatus.NoSnapshot;
    if (st !== BookState.InSnapshot && st !== BookState.InIncremental) return this.fail(BookStatus.Misuse);
    this.messages++;
    while (this.bidCount > this.depthCap) this.dropWorstLevel(MDEntryType.Bid);
    while (this.askCount > this.depthCap) this.dropWorstLevel(MDEntryType.Offer);
    if (this.crossed()) return this.fail(BookStatus.Crossed);
    return BookStatus.Ok;
  }

  // ---- internals (price/qty come from this.reg) --------------------------------------------------

  /** Parses price/qty into the registers; a failure leaves -1 there, which validation rejects. */
  private parseRegs(buf: Uint8Array, pxOff: number, pxLen: number, qtyOff: number, qtyLen: number): void {
    const reg = this.reg;
    if (this.priceDecimals < 0 || parseScaledInto(buf, pxOff, pxLen, this.priceDecimals, reg, 0) < 0) reg[0] = -1;
    if (this.qtyDecimals < 0 || parseScaledInto(buf, qtyOff, qtyLen, this.qtyDecimals, reg, 1) < 0) reg[1] = -1;
  }

  private regsValid(): boolean {
    const price = this.reg[0];
    const qty = this.reg[1];
    return price > 0 && qty >= 0 && Number.isSafeInteger(price) && Number.isSafeInteger(qty);
  }

  private snapshotEntry(side: number, id: Uint8Array, idOff: number, idLen: number): BookStatus {
    if (this._state !== BookState.InSnapshot) return this.fail(BookStatus.Misuse);
    this.entries++;
    if (side === MDEntryType.Trade) return BookStatus.Ok;
    if (side !== MDEntryType.Bid && side !== MDEntryType.Offer) return this.fail(BookStatus.InvalidEntry);
    if (!this.regsValid()) return this.fail(BookStatus.InvalidNumber);
    if (idLen < 1 || idLen > this.ids.maxIdLength) return this.fail(BookStatus.InvalidOrderId);
    if (this.reg[1] === 0) return BookStatus.Ok;
    const hash = hashId(id, idOff, idLen);
    // A repeated id inside one W would corrupt the id map: treat it like a duplicate New.
    if (this.ids.find(id, idOff, idLen, hash) !== NIL) return this.fail(BookStatus.DuplicateOrder);
    return this.breakUnlessOk(this.add(side, id, idOff, idLen, hash));
  }

  private incrementalEntry(action: number, side: number, id: Uint8Array, idOff: number, idLen: number): BookStatus {
    if (this._state !== BookState.InIncremental) {
      return this._state === BookState.Broken ? BookStatus.NoSnapshot : this.fail(BookStatus.Misuse);
    }
    this.entries++;
    if (side === MDEntryType.Trade) return BookStatus.Ok;
    if (side !== MDEntryType.Bid && side !== MDEntryType.Offer) return this.fail(BookStatus.InvalidEntry);
    if (!this.regsValid()) return this.fail(BookStatus.InvalidNumber);
    if (idLen < 1 || idLen > this.ids.maxIdLength) return this.fail(BookStatus.InvalidOrderId);
    const hash = hashId(id, idOff, idLen);
    const slot = this.ids.find(id, idOff, idLen, hash);
    const qty = this.reg[1];
    if (action === MDUpdateAction.New) {
      if (slot !== NIL) return this.fail(BookStatus.DuplicateOrder);
      if (qty === 0) return BookStatus.Ok;
      return this.breakUnlessOk(this.add(side, id, idOff, idLen, hash));
    }
    if (action !== MDUpdateAction.Change && action !== MDUpdateAction.Delete) {
      return this.fail(BookStatus.InvalidEntry);
    }
    if (slot === NIL) {
      if (!this.outsideWindow(side)) return this.fail(BookStatus.UnknownOrder);
      this.ignoredOutsideDepth++;
      return BookStatus.Ok;
    }
    if (this.ordSide[slot] !== side) return this.fail(BookStatus.InvalidEntry);
    if (action === MDUpdateAction.Delete || qty === 0) {
      this.removeOrder(slot);
      return BookStatus.Ok;
    }
    if (this.reg[0] !== this.ordPrice[slot]) return this.breakUnlessOk(this.move(slot));
    const lvl = this.ordLevel[slot];
    this.lvlQty[lvl] += qty - this.ordQty[slot];
    this.ordQty[slot] = qty;
    return BookStatus.Ok;
  }

  private breakUnlessOk(status: BookStatus): BookStatus {
    return status === BookStatus.Ok ? status : this.fail(status);
  }

  private fail(status: BookStatus): BookStatus {
    this._state = BookState.Broken;
    if (this.brokenReason === BookStatus.Ok) this.brokenReason = status;
    return status;
  }
}
