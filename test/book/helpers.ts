/** Test helpers: slow, string-based reference checksum and message drivers. */
import {
  BookStatus,
  L2Book,
  L3Book,
  NO_CHECKSUM,
  crc32String,
  formatScaled,
  parseScaledString,
} from '../../src/book/index.js';

/** Kraken's recipe done literally on strings: format, drop '.', strip leading zeros, concat, CRC32. */
export function slowChecksum(
  asks: readonly (readonly [number, number])[], // ascending, scaled
  bids: readonly (readonly [number, number])[], // descending, scaled
  priceDecimals: number,
  qtyDecimals: number,
): number {
  const part = (v: number, d: number) => formatScaled(v, d).replace('.', '').replace(/^0+/, '');
  let s = '';
  for (const [p, q] of asks.slice(0, 10)) s += part(p, priceDecimals) + part(q, qtyDecimals);
  for (const [p, q] of bids.slice(0, 10)) s += part(p, priceDecimals) + part(q, qtyDecimals);
  return crc32String(s);
}

export type L2Entry = [action: number, side: number, price: string, qty: string];

/** Applies one X built from decimal strings; returns the first non-Ok status or endMessage's. */
export function applyL2Incremental(book: L2Book, pd: number, qd: number, entries: L2Entry[], checksum = NO_CHECKSUM): number {
  let st: number = book.beginIncremental();
  if (st !== BookStatus.Ok) return st;
  for (const [a, s, p, q] of entries) {
    st = book.applyEntry(a, s, parseScaledString(p, pd), parseScaledString(q, qd));
    if (st !== BookStatus.Ok) return st;
  }
  return book.endMessage(checksum);
}

export function applyL2Snapshot(book: L2Book, pd: number, qd: number, entries: [side: number, price: string, qty: string][], checksum = NO_CHECKSUM): number {
  book.beginSnapshot();
  for (const [s, p, q] of entries) {
    const st = book.applySnapshotEntry(s, parseScaledString(p, pd), parseScaledString(q, qd));
    if (st !== BookStatus.Ok) return st;
  }
  return book.endMessage(checksum);
}

export function l2Levels(book: L2Book, side: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < book.depth(side); i++) out.push([book.levelPrice(side, i), book.levelQty(side, i)]);
  return out;
}

export function l3Levels(book: L3Book, side: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let i = 0; i < book.depth(side); i++) {
    out.push([book.levelPrice(side, i), book.levelQty(side, i), book.levelOrderCount(side, i)]);
  }
  return out;
}

/** Order ids at level i, front of the queue first. */
export function l3Queue(book: L3Book, side: number, i: number): string[] {
  const ids: string[] = [];
  for (let o = book.levelHead(side, i); o >= 0; o = book.orderNext(o)) ids.push(book.orderIdString(o));
  return ids;
}
