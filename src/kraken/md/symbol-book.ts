// One symbol of one subscription: its preallocated L2 or L3 book plus the per-message scratch state the W/X
// walker needs (touched stamp, first error, 5041 byte range). Built off the hot path (subscribe / instrument
// list); the walker only reads and writes numbers here.

import { asciiBytes } from '../../codec/index.js';
import { BookStatus, L2Book, L3Book } from '../../book/index.js';
import type { MdInstrumentTable } from '../../book/index.js';
import type { MdSubscription } from './subscription.js';
import type { MdLevel } from './types.js';

export interface MdBookOptions {
  readonly level: MdLevel;
  /** 264 as subscribed (0 = full). */
  readonly depth: number;
  readonly priceDecimals: number;
  readonly qtyDecimals: number;
  readonly verifyChecksum: boolean;
  readonly checksumInterval: number;
  /** L3 only: order slots per book. */
  readonly l3MaxOrders: number;
  /** Levels kept when depth is 0 (full): L2 is capped at 1000 by Kraken; L3 has no documented cap. */
  readonly fullDepthLevels: number;
}

export class MdSymbolBook {
  readonly symbol: string;
  readonly symbolBytes: Uint8Array;
  readonly level: MdLevel;
  readonly priceDecimals: number;
  readonly qtyDecimals: number;
  /** Exactly one of l2 / l3 is set, by level. */
  readonly l2: L2Book | null;
  readonly l3: L3Book | null;

  // ---- per-message scratch (owned by the walker) ----
  /** Message generation this book was begun in. */
  touchedGen = 0;
  /** First non-Ok status in the current message (Ok while fine). */
  error: BookStatus = BookStatus.Ok;
  /** Last 5041 seen for this book in the current message (len 0 = none). */
  csOff = 0;
  csLen = 0;

  constructor(symbol: string, o: MdBookOptions) {
    this.symbol = symbol;
    this.symbolBytes = asciiBytes(symbol);
    this.level = o.level;
    this.priceDecimals = o.priceDecimals;
    this.qtyDecimals = o.qtyDecimals;
    const depthCap = o.depth === 0 ? o.fullDepthLevels : o.depth;
    // Kraken's 5041 covers the top 10 of the whole book: with fewer levels held it cannot be reproduced.
    const verifyChecksum = o.verifyChecksum && depthCap >= 10;
    const common = {
      depthCap,
      priceDecimals: o.priceDecimals,
      qtyDecimals: o.qtyDecimals,
      verifyChecksum,
      checksumInterval: o.checksumInterval,
    };
    this.l2 = o.level === 'L2' ? new L2Book(common) : null;
    this.l3 = o.level === 'L3' ? new L3Book({ ...common, maxOrders: o.l3MaxOrders }) : null;
  }

  /** True when the book is consistent as of its last message. */
  isLive(): boolean {
    return this.l2 !== null ? this.l2.isLive() : this.l3!.isLive();
  }

  /** Forgets the contents (connection lost, resubscribe): the next message must be a snapshot. */
  clear(): void {
    if (this.l2 !== null) this.l2.clear();
    else this.l3!.clear();
  }

  /** Best bid / offer prices as scaled integers (0 when the side is empty). */
  bestBid(): number {
    return this.l2 !== null ? this.l2.bestBidPrice() : this.l3!.bestBidPrice();
  }
  bestAsk(): number {
    return this.l2 !== null ? this.l2.bestAskPrice() : this.l3!.bestAskPrice();
  }

  /** Whether `buf[off, off+len)` is this symbol (no allocation). */
  matches(buf: Uint8Array, off: number, len: number): boolean {
    const s = this.symbolBytes;
    if (len !== s.length) return false;
    for (let k = 0; k < len; k++) if (buf[off + k] !== s[k]) return false;
    return true;
  }
}

export interface BookDecimals {
  readonly priceDecimals: number;
  readonly qtyDecimals: number;
}

/** Client-wide book settings (the per-subscription part comes from the subscription). */
export interface BookSettings {
  readonly verifyChecksum: boolean;
  readonly checksumInterval: number;
  readonly l3MaxOrders: number;
  readonly fullDepthLevels: number;
}

/** Decimals of a symbol: given in the subscription spec, else from the instrument list; null while unknown. */
export function decimalsFor(sub: MdSubscription, symbol: string, instruments: MdInstrumentTable): BookDecimals | null {
  const given = sub.spec.decimals?.[symbol];
  if (given !== undefined) return given;
  return instruments.get(symbol) ?? null;
}

/** One book per symbol of the subscription, or [] while a symbol's decimals are unknown. */
export function buildBooks(sub: MdSubscription, instruments: MdInstrumentTable, settings: BookSettings): MdSymbolBook[] {
  const books: MdSymbolBook[] = [];
  for (const s of sub.symbols) {
    const d = decimalsFor(sub, s, instruments);
    if (d === null) return [];
    books.push(new MdSymbolBook(s, { ...settings, level: sub.level, depth: sub.spec.depth, priceDecimals: d.priceDecimals, qtyDecimals: d.qtyDecimals }));
  }
  return books;
}
