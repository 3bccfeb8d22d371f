import { describe, expect, it } from 'vitest';
import { BookState, BookStatus, L2Book, MDEntryType, MDUpdateAction, NO_CHECKSUM } from '../../src/book/index.js';
import { applyL2Incremental, applyL2Snapshot, l2Levels } from './helpers.js';

const { Bid, Offer, Trade } = MDEntryType;
const { New, Change, Delete } = MDUpdateAction;
const PD = 1; // BTC/USD 2349
const QD = 8; // BTC/USD 5010

function btcBook(depthCap = 10): L2Book {
  const book = new L2Book({ depthCap });
  expect(
    applyL2Snapshot(book, PD, QD, [
      [Bid, '30299.9', '1.5'],
      [Offer, '30300.7', '0.25'],
      [Bid, '30298.0', '2'],
      [Offer, '30301.0', '3'],
      [Offer, '30305.5', '0.1'],
    ]),
  ).toBe(BookStatus.Ok);
  return book;
}

describe('L2Book snapshot + incrementals', () => {
  it('builds sorted sides from a snapshot (best first)', () => {
    const book = btcBook();
    expect(book.state).toBe(BookState.Live);
    expect(l2Levels(book, Bid)).toEqual([[302999, 150000000], [302980, 200000000]]);
    expect(l2Levels(book, Offer)).toEqual([[303007, 25000000], [303010, 300000000], [303055, 10000000]]);
    expect(book.bestBidPrice()).toBe(302999);
    expect(book.bestAskPrice()).toBe(303007);
    expect(book.bestBidQty()).toBe(150000000);
    expect(book.bestAskQty()).toBe(25000000);
  });

  it('applies new / change / delete in order', () => {
    const book = btcBook();
    const st = applyL2Incremental(book, PD, QD, [
      [New, Bid, '30299.5', '0.7'],
      [Change, Offer, '30301.0', '2.5'],
      [Delete, Bid, '30298.0', '0'],
      [New, Offer, '30300.9', '1'],
    ]);
    expect(st).toBe(BookStatus.Ok);
    expect(l2Levels(book, Bid)).toEqual([[302999, 150000000], [302995, 70000000]]);
    expect(l2Levels(book, Offer)).toEqual([
      [303007, 25000000],
      [303009, 100000000],
      [303010, 250000000],
      [303055, 10000000],
    ]);
    expect(book.qtyAt(Offer, 303010)).toBe(250000000);
    expect(book.qtyAt(Offer, 303011)).toBe(0);
  });

  it("applies the spec's incremental example (delete 30300.7 then new 31941.0 in one message)", () => {
    const book = btcBook();
    const st = applyL2Incremental(book, PD, QD, [
      [Delete, Offer, '30300.7', '0.0'],
      [New, Offer, '31941.0', '0.0031746'],
    ]);
    expect(st).toBe(BookStatus.Ok);
    expect(l2Levels(book, Offer)).toEqual([[303010, 300000000], [303055, 10000000], [319410, 317460]]);
  });

  it('handles a level created and deleted inside one message', () => {
    const book = btcBook();
    const st = applyL2Incremental(book, PD, QD, [
      [New, Bid, '30300.0', '0.1'],
      [Change, Bid, '30300.0', '0.2'],
      [Delete, Bid, '30300.0', '0'],
    ]);
    expect(st).toBe(BookStatus.Ok);
    expect(l2Levels(book, Bid)).toEqual([[302999, 150000000], [302980, 200000000]]);
  });

  it('treats delete with qty>0 (left subscribed depth) as removal', () => {
    const book = btcBook();
    expect(applyL2Incremental(book, PD, QD, [[Delete, Offer, '30305.5', '0.1']])).toBe(BookStatus.Ok);
    expect(book.depth(Offer)).toBe(2);
  });

  it('treats change to qty 0 as removal and ignores trade entries', () => {
    const book = btcBook();
    expect(applyL2Incremental(book, PD, QD, [[Change, Bid, '30298.0', '0'], [New, Trade, '30300.7', '0.01']])).toBe(
      BookStatus.Ok,
    );
    expect(l2Levels(book, Bid)).toEqual([[302999, 150000000]]);
  });

  it('accepts an empty snapshot and a snapshot after incrementals resets cleanly', () => {
    const book = btcBook();
    book.beginSnapshot();
    expect(book.endMessage(NO_CHECKSUM)).toBe(BookStatus.Ok);
    expect(book.depth(Bid) + book.depth(Offer)).toBe(0);
    expect(book.bestBidPrice()).toBe(0);
    expect(applyL2Incremental(book, PD, QD, [[New, Bid, '1.0', '1']])).toBe(BookStatus.Ok);
    expect(book.depth(Bid)).toBe(1);
  });

  it('topN copies into caller arrays', () => {
    const book = btcBook();
    const px = new Float64Array(2);
    const qty = new Float64Array(2);
    expect(book.topN(Offer, 5, px, qty)).toBe(2);
    expect(Array.from(px)).toEqual([303007, 303010]);
    expect(book.topN(Bid, 1, px, qty)).toBe(1);
    expect(px[0]).toBe(302999);
    expect(qty[0]).toBe(150000000);
  });
});

describe('L2Book depth cap', () => {
  it('truncates each side to depthCap at the end of a message', () => {
    const book = new L2Book({ depthCap: 3, slack: 4 });
    book.beginSnapshot();
    for (let i = 1; i <= 6; i++) {
      book.applySnapshotEntry(Bid, 100 - i, i);
      book.applySnapshotEntry(Offer, 100 + i, i);
    }
    expect(book.endMessage(NO_CHECKSUM)).toBe(BookStatus.Ok);
    expect(l2Levels(book, Bid)).toEqual([[99, 1], [98, 2], [97, 3]]);
    expect(l2Levels(book, Offer)).toEqual([[101, 1], [102, 2], [103, 3]]);
    expect(book.truncatedLevels).toBe(6);
  });

  it('keeps within-message churn (add before the delete that makes room)', () => {
    const book = new L2Book({ depthCap: 3 });
    book.beginSnapshot();
    for (const p of [99, 98, 97]) book.applySnapshotEntry(Bid, p, 1);
    book.endMessage(NO_CHECKSUM);
    book.beginIncremental();
    expect(book.applyEntry(New, Bid, 100, 5)).toBe(BookStatus.Ok); // 4 levels mid-message
    expect(book.applyEntry(Delete, Bid, 97, 1)).toBe(BookStatus.Ok); // 97 left the depth
    expect(book.endMessage(NO_CHECKSUM)).toBe(BookStatus.Ok);
    expect(l2Levels(book, Bid)).toEqual([[100, 5], [99, 1], [98, 1]]);
  });

  it('ignores change/delete beyond the worst level of a full side, errors inside it', () => {
    const book = new L2Book({ depthCap: 2 });
    book.beginSnapshot();
    for (const p of [99, 97]) book.applySnapshotEntry(Bid, p, 1);
    book.endMessage(NO_CHECKSUM);
    book.beginIncremental();
    expect(book.applyEntry(Delete, Bid, 50, 1)).toBe(BookStatus.Ok);
    expect(book.ignoredOutsideDepth).toBe(1);
    expect(book.endMessage(NO_CHECKSUM)).toBe(BookStatus.Ok);
    book.beginIncremental();
    expect(book.applyEntry(Change, Bid, 98, 1)).toBe(BookStatus.UnknownLevel); // between held levels
  });

  it('evicts the worst level when even the slack is exhausted', () => {
    const book = new L2Book({ depthCap: 2, slack: 1 });
    book.beginSnapshot();
    for (const p of [10, 11, 12, 13]) expect(book.applySnapshotEntry(Offer, p, 1)).toBe(BookStatus.Ok);
    expect(book.endMessage(NO_CHECKSUM)).toBe(BookStatus.Ok);
    expect(l2Levels(book, Offer)).toEqual([[10, 1], [11, 1]]);
    expect(book.capacity).toBe(3);
  });

  it('supports the Kraken depths', () => {
    for (const d of [1, 10, 25, 100, 500, 1000]) {
      const book = new L2Book({ depthCap: d });
      book.beginSnapshot();
      for (let i = 0; i < d + 5; i++) book.applySnapshotEntry(Bid, 1_000_000 - i, i + 1);
      expect(book.endMessage(NO_CHECKSUM)).toBe(BookStatus.Ok);
      expect(book.depth(Bid)).toBe(d);
      expect(book.levelPrice(Bid, d - 1)).toBe(1_000_000 - d + 1);
    }
  });
});

describe('L2Book consistency', () => {
  it('reports an incremental before any snapshot', () => {
    const book = new L2Book({ depthCap: 10 });
    expect(book.beginIncremental()).toBe(BookStatus.NoSnapshot);
    expect(book.state).toBe(BookState.Broken);
    expect(book.applyEntry(New, Bid, 1, 1)).toBe(BookStatus.NoSnapshot);
  });

  it('reports change/delete of an unknown level and stays broken until a snapshot', () => {
    const book = btcBook();
    expect(applyL2Incremental(book, PD, QD, [[Change, Bid, '30000.0', '1']])).toBe(BookStatus.UnknownLevel);
    expect(book.brokenReason).toBe(BookStatus.UnknownLevel);
    expect(book.beginIncremental()).toBe(BookStatus.NoSnapshot);
    expect(applyL2Snapshot(book, PD, QD, [[Bid, '1.0', '1']])).toBe(BookStatus.Ok);
    expect(book.isLive()).toBe(true);
    expect(book.brokenReason).toBe(BookStatus.Ok);
    expect(l2Levels(book, Bid)).toEqual([[10, 100000000]]);
    expect(book.depth(Offer)).toBe(0);
    const fresh = btcBook();
    expect(applyL2Incremental(fresh, PD, QD, [[Delete, Offer, '30300.8', '0']])).toBe(BookStatus.UnknownLevel);
  });

  it('reports a crossed book only after the full message', () => {
    const book = btcBook();
    // Crossed mid-message, uncrossed by the end: fine.
    expect(
      applyL2Incremental(book, PD, QD, [
        [New, Bid, '30301.0', '1'],
        [Delete, Offer, '30300.7', '0'],
        [Delete, Offer, '30301.0', '0'],
      ]),
    ).toBe(BookStatus.Ok);
    // Crossed at the end: break.
    expect(applyL2Incremental(book, PD, QD, [[New, Offer, '30300.0', '1']])).toBe(BookStatus.Crossed);
    expect(book.isLive()).toBe(false);
    // Locked (bid == ask) counts as crossed too.
    const locked = btcBook();
    expect(applyL2Incremental(locked, PD, QD, [[New, Bid, '30300.7', '1']])).toBe(BookStatus.Crossed);
  });

  it('rejects invalid entries and numbers', () => {
    expect(applyL2Incremental(btcBook(), PD, QD, [[7, Bid, '1.0', '1']])).toBe(BookStatus.InvalidEntry);
    expect(applyL2Incremental(btcBook(), PD, QD, [[New, 5, '1.0', '1']])).toBe(BookStatus.InvalidEntry);
    // A parse failure (negative status) reaching the book is an InvalidNumber, never a level.
    expect(applyL2Incremental(btcBook(), PD, QD, [[New, Bid, '1.05', '1']])).toBe(BookStatus.InvalidNumber);
    const book = btcBook();
    book.beginIncremental();
    expect(book.applyEntry(New, Bid, 1.5, 1)).toBe(BookStatus.InvalidNumber);
    expect(btcBook().applyEntry(New, Bid, 0, 1)).toBe(BookStatus.Misuse);
  });

  it('reports protocol misuse (entry outside a message, end without begin)', () => {
    const book = btcBook();
    expect(book.endMessage(NO_CHECKSUM)).toBe(BookStatus.Misuse);
    expect(book.state).toBe(BookState.Broken);
    const b2 = btcBook();
    b2.beginIncremental();
    expect(b2.beginIncremental()).toBe(BookStatus.Misuse);
  });
});

describe('L2Book byte-range entry points (decoder path)', () => {
  const enc = new TextEncoder();
  /** Returns [offset, length] of the value of `tag=` after `from` in a '|'-separated FIX-like string. */
  function field(msg: string, tag: string, from = 0): [number, number] {
    const start = msg.indexOf(`|${tag}=`, from) + tag.length + 2;
    const end = msg.indexOf('|', start);
    return [start, (end < 0 ? msg.length : end) - start];
  }

  it('parses 270/271 straight from the message bytes with the instrument decimals', () => {
    const book = new L2Book({ depthCap: 10, priceDecimals: 1, qtyDecimals: 8 });
    const w = '|269=0|270=30299.9|271=1.5|269=1|270=30300.7|271=0.25|';
    const wb = enc.encode(w);
    book.beginSnapshot();
    let pos = 0;
    for (let k = 0; k < 2; k++) {
      const px = field(w, '270', pos);
      const q = field(w, '271', pos);
      expect(book.applySnapshotEntryBytes(k === 0 ? Bid : Offer, wb, px[0], px[1], q[0], q[1])).toBe(BookStatus.Ok);
      pos = q[0];
    }
    expect(book.endMessage(NO_CHECKSUM)).toBe(BookStatus.Ok);
    const x = '|279=2|269=1|270=30300.7|271=0.0|279=0|269=1|270=31941.0|271=0.0031746|';
    const xb = enc.encode(x);
    book.beginIncremental();
    const p1 = field(x, '270');
    const q1 = field(x, '271');
    expect(book.applyEntryBytes(Delete, Offer, xb, p1[0], p1[1], q1[0], q1[1])).toBe(BookStatus.Ok);
    const p2 = field(x, '270', q1[0]);
    const q2 = field(x, '271', q1[0]);
    expect(book.applyEntryBytes(New, Offer, xb, p2[0], p2[1], q2[0], q2[1])).toBe(BookStatus.Ok);
    expect(book.endMessage(NO_CHECKSUM)).toBe(BookStatus.Ok);
    expect(l2Levels(book, Offer)).toEqual([[319410, 317460]]);
    expect(l2Levels(book, Bid)).toEqual([[302999, 150000000]]);
  });

  it('reports bad digits (or missing decimals options) as InvalidNumber', () => {
    const book = new L2Book({ depthCap: 10, priceDecimals: 1, qtyDecimals: 8 });
    book.beginSnapshot();
    const b = enc.encode('30299.95|1');
    expect(book.applySnapshotEntryBytes(Bid, b, 0, 8, 9, 1)).toBe(BookStatus.InvalidNumber);
    const noDecimals = new L2Book({ depthCap: 10 });
    noDecimals.beginSnapshot();
    expect(noDecimals.applySnapshotEntryBytes(Bid, b, 0, 5, 9, 1)).toBe(BookStatus.InvalidNumber);
    expect(() => new L2Book({ depthCap: 10, priceDecimals: 16 })).toThrow(RangeError);
  });
});
