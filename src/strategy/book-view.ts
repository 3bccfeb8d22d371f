/**
 * A strategy's L2 book of one instrument, rebuilt from BookUpdate records (src/book L2Book), with prices
 * and quantities as integer units at the instrument's scales. One instance per instrument, reused.
 */
import { L2Book, MDEntryType, NO_CHECKSUM } from '../book/index.js';
import { BookStatus } from '../book/index.js';
import type { GateInstrument } from './gate.js';

export class BookView {
  readonly book: L2Book;
  readonly instrumentId: number;
  readonly symbol: string;
  readonly priceScale: number;
  readonly qtyScale: number;
  /** Set when updates were conflated away (a slow strategy): depth is unknown until the next snapshot. */
  stale = false;
  /** BookStatus of the last failed apply (0 = fine). */
  lastError = 0;
  /** socket-read time (monoNs) of the message that produced the current state. */
  tSocketRead = 0;

  constructor(inst: GateInstrument, depth: number) {
    this.book = new L2Book({ depthCap: depth, verifyChecksum: false });
    this.instrumentId = inst.id;
    this.symbol = inst.symbol;
    this.priceScale = inst.priceScale;
    this.qtyScale = inst.qtyScale;
  }

  /** Consistent and usable for decisions. */
  get live(): boolean {
    return !this.stale && this.book.isLive();
  }
  bestBid(): number {
    return this.book.bestBidPrice();
  }
  bestAsk(): number {
    return this.book.bestAskPrice();
  }
  bestBidQty(): number {
    return this.book.bestBidQty();
  }
  bestAskQty(): number {
    return this.book.bestAskQty();
  }
  bidDepth(): number {
    return this.book.depth(MDEntryType.Bid);
  }
  askDepth(): number {
    return this.book.depth(MDEntryType.Offer);
  }
  bidPrice(level: number): number {
    return this.book.levelPrice(MDEntryType.Bid, level);
  }
  askPrice(level: number): number {
    return this.book.levelPrice(MDEntryType.Offer, level);
  }
  bidQty(level: number): number {
    return this.book.levelQty(MDEntryType.Bid, level);
  }
  askQty(level: number): number {
    return this.book.levelQty(MDEntryType.Offer, level);
  }
  /** Mid in price units (may be fractional); 0 when one side is empty. */
  mid(): number {
    const b = this.book.bestBidPrice();
    const a = this.book.bestAskPrice();
    return b > 0 && a > 0 ? (a + b) / 2 : 0;
  }

  // ---- fed by the runner ----

  begin(snapshot: boolean): void {
    if (snapshot) {
      this.stale = false;
      this.book.beginSnapshot();
    } else {
      const st = this.book.beginIncremental();
      if (st !== BookStatus.Ok) this.lastError = st;
    }
  }

  apply(snapshot: boolean, action: number, side: number, price: number, qty: number): void {
    const st = snapshot ? this.book.applySnapshotEntry(side, price, qty) : this.book.applyEntry(action, side, price, qty);
    if (st !== BookStatus.Ok) this.lastError = st;
  }

  /** True when the message left a live book. */
  end(): boolean {
    const st = this.book.endMessage(NO_CHECKSUM);
    if (st !== BookStatus.Ok) this.lastError = st;
    return st === BookStatus.Ok;
  }

  markStale(): void {
    this.stale = true;
    this.book.clear();
  }
}
