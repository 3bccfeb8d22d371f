import { describe, expect, it } from 'vitest';
import { BookState, BookStatus, L3Book, MDEntryType, MDUpdateAction, NO_CHECKSUM } from '../../src/book/index.js';
import { l3Levels, l3Queue } from './helpers.js';

const { Bid, Offer, Trade } = MDEntryType;
const { New, Change, Delete } = MDUpdateAction;

function book3(opts: Partial<{ depthCap: number; maxOrders: number }> = {}): L3Book {
  const b = new L3Book({ depthCap: opts.depthCap ?? 10, maxOrders: opts.maxOrders ?? 64, maxIdLength: 24 });
  b.beginSnapshot();
  b.applySnapshotEntryStr(Bid, 'OB1-AAAAA-000001', 1000, 5);
  b.applySnapshotEntryStr(Bid, 'OB2-AAAAA-000002', 1000, 7);
  b.applySnapshotEntryStr(Bid, 'OB3-AAAAA-000003', 990, 1);
  b.applySnapshotEntryStr(Offer, 'OA1-AAAAA-000004', 1010, 2);
  b.applySnapshotEntryStr(Offer, 'OA2-AAAAA-000005', 1010, 3);
  b.applySnapshotEntryStr(Offer, 'OA3-AAAAA-000006', 1010, 4);
  expect(b.endMessage(NO_CHECKSUM)).toBe(BookStatus.Ok);
  return b;
}

function inc(b: L3Book, entries: [number, number, string, number, number][]): number {
  let st: number = b.beginIncremental();
  if (st !== BookStatus.Ok) return st;
  for (const [a, s, id, p, q] of entries) {
    st = b.applyEntryStr(a, s, id, p, q);
    if (st !== BookStatus.Ok) return st;
  }
  return b.endMessage(NO_CHECKSUM);
}

describe('L3Book', () => {
  it('aggregates orders into levels and keeps snapshot queue order', () => {
    const b = book3();
    expect(b.state).toBe(BookState.Live);
    expect(l3Levels(b, Bid)).toEqual([[1000, 12, 2], [990, 1, 1]]);
    expect(l3Levels(b, Offer)).toEqual([[1010, 9, 3]]);
    expect(l3Queue(b, Offer, 0)).toEqual(['OA1-AAAAA-000004', 'OA2-AAAAA-000005', 'OA3-AAAAA-000006']);
    expect(b.orderCount()).toBe(6);
    expect(b.bestBidPrice()).toBe(1000);
    expect(b.bestAskPrice()).toBe(1010);
  });

  it('new orders join the back of the queue; deletes close the gap; qty changes keep position', () => {
    const b = book3();
    expect(
      inc(b, [
        [New, Offer, 'OA4-AAAAA-000007', 1010, 1],
        [Delete, Offer, 'OA2-AAAAA-000005', 1010, 0],
        [Change, Offer, 'OA1-AAAAA-000004', 1010, 1],
      ]),
    ).toBe(BookStatus.Ok);
    expect(l3Queue(b, Offer, 0)).toEqual(['OA1-AAAAA-000004', 'OA3-AAAAA-000006', 'OA4-AAAAA-000007']);
    expect(l3Levels(b, Offer)).toEqual([[1010, 6, 3]]);
    expect(b.queuePosition(b.findOrderStr('OA4-AAAAA-000007'))).toBe(2);
    expect(b.queuePosition(b.findOrderStr('OA1-AAAAA-000004'))).toBe(0);
    expect(b.orderQty(b.findOrderStr('OA1-AAAAA-000004'))).toBe(1);
  });

  it('a price change re-queues the order at the tail of its new level', () => {
    const b = book3();
    expect(inc(b, [[Change, Bid, 'OB1-AAAAA-000001', 990, 5]])).toBe(BookStatus.Ok);
    expect(l3Levels(b, Bid)).toEqual([[1000, 7, 1], [990, 6, 2]]);
    expect(l3Queue(b, Bid, 1)).toEqual(['OB3-AAAAA-000003', 'OB1-AAAAA-000001']);
  });

  it('removes a level when its last order goes, and creates+deletes within one message', () => {
    const b = book3();
    expect(
      inc(b, [
        [Delete, Bid, 'OB3-AAAAA-000003', 990, 1], // qty>0: left the depth, still removed
        [New, Bid, 'OTMP', 995, 3],
        [Delete, Bid, 'OTMP', 995, 0],
      ]),
    ).toBe(BookStatus.Ok);
    expect(l3Levels(b, Bid)).toEqual([[1000, 12, 2]]);
    expect(b.findOrderStr('OTMP')).toBe(-1);
    expect(b.orderCount()).toBe(5);
  });

  it('ignores trades, treats change to 0 as delete', () => {
    const b = book3();
    expect(inc(b, [[New, Trade, 'T1', 1010, 1], [Change, Offer, 'OA3-AAAAA-000006', 1010, 0]])).toBe(BookStatus.Ok);
    expect(l3Levels(b, Offer)).toEqual([[1010, 5, 2]]);
  });

  it('truncates to depthCap with the orders of dropped levels', () => {
    const b = book3({ depthCap: 1 });
    expect(l3Levels(b, Bid)).toEqual([[1000, 12, 2]]);
    expect(b.findOrderStr('OB3-AAAAA-000003')).toBe(-1);
    expect(b.orderCount()).toBe(5);
    // A delete for an order beyond the window (price worse than our worst on a full side) is ignored.
    expect(inc(b, [[Delete, Bid, 'OB3-AAAAA-000003', 990, 1]])).toBe(BookStatus.Ok);
    expect(b.ignoredOutsideDepth).toBe(1);
  });

  it('reuses slots and keeps the id map correct under heavy churn', () => {
    const b = new L3Book({ depthCap: 1000, maxOrders: 32 });
    b.beginSnapshot();
    expect(b.endMessage(NO_CHECKSUM)).toBe(BookStatus.Ok);
    const live = new Map<string, number>();
    let next = 0;
    for (let round = 0; round < 2000; round++) {
      b.beginIncremental();
      if (live.size < 30 && (round % 3 !== 0 || live.size === 0)) {
        const id = `O${next++}`;
        const price = 100 + (next % 7);
        expect(b.applyEntryStr(New, Bid, id, price, 1 + (next % 5))).toBe(BookStatus.Ok);
        live.set(id, price);
      } else {
        const victim = [...live.keys()][round % live.size];
        expect(b.applyEntryStr(Delete, Bid, victim, live.get(victim)!, 0)).toBe(BookStatus.Ok);
        live.delete(victim);
      }
      expect(b.endMessage(NO_CHECKSUM)).toBe(BookStatus.Ok);
    }
    expect(b.orderCount()).toBe(live.size);
    for (const id of live.keys()) expect(b.findOrderStr(id)).toBeGreaterThanOrEqual(0);
    expect(b.findOrderStr('O-missing')).toBe(-1);
  });
});

describe('L3Book consistency', () => {
  it('unknown order, duplicate order, incremental before snapshot, crossed', () => {
    expect(inc(book3(), [[Change, Bid, 'NOPE', 1000, 1]])).toBe(BookStatus.UnknownOrder);
    expect(inc(book3(), [[Delete, Offer, 'NOPE', 1010, 0]])).toBe(BookStatus.UnknownOrder);
    expect(inc(book3(), [[New, Bid, 'OB1-AAAAA-000001', 1000, 1]])).toBe(BookStatus.DuplicateOrder);
    expect(inc(book3(), [[New, Bid, 'X', 1010, 1]])).toBe(BookStatus.Crossed);
    expect(inc(book3(), [[Change, Offer, 'OB1-AAAAA-000001', 1000, 1]])).toBe(BookStatus.InvalidEntry); // side flip
    const fresh = new L3Book({ depthCap: 10, maxOrders: 8 });
    expect(fresh.beginIncremental()).toBe(BookStatus.NoSnapshot);
  });

  it('rejects over-long or empty ids and reports capacity exhaustion', () => {
    const b = book3();
    expect(inc(b, [[New, Bid, 'x'.repeat(25), 999, 1]])).toBe(BookStatus.InvalidOrderId);
    expect(inc(book3(), [[New, Bid, '', 999, 1]])).toBe(BookStatus.InvalidOrderId);
    const small = book3({ maxOrders: 7 });
    expect(inc(small, [[New, Bid, 'N1', 999, 1], [New, Bid, 'N2', 999, 1]])).toBe(BookStatus.CapacityExceeded);
  });

  it('a new snapshot resets a broken book cleanly', () => {
    const b = book3();
    expect(inc(b, [[Change, Bid, 'NOPE', 1000, 1]])).toBe(BookStatus.UnknownOrder);
    expect(b.applyEntryStr(New, Bid, 'Z', 1, 1)).toBe(BookStatus.NoSnapshot);
    b.beginSnapshot();
    b.applySnapshotEntryStr(Offer, 'OB1-AAAAA-000001', 2000, 1); // id reused on the other side
    expect(b.endMessage(NO_CHECKSUM)).toBe(BookStatus.Ok);
    expect(b.isLive()).toBe(true);
    expect(b.depth(Bid)).toBe(0);
    expect(l3Levels(b, Offer)).toEqual([[2000, 1, 1]]);
    expect(b.orderCount()).toBe(1);
    expect(b.findOrderStr('OB2-AAAAA-000002')).toBe(-1);
  });

  it('byte-range ids are read only within their range', () => {
    const b = book3();
    const buf = new TextEncoder().encode('278=OB2-AAAAA-000002\x01');
    expect(b.findOrder(buf, 4, 16)).toBe(b.findOrderStr('OB2-AAAAA-000002'));
    b.beginIncremental();
    expect(b.applyEntry(Delete, Bid, buf, 4, 16, 1000, 0)).toBe(BookStatus.Ok);
    expect(b.endMessage(NO_CHECKSUM)).toBe(BookStatus.Ok);
    expect(l3Levels(b, Bid)[0]).toEqual([1000, 5, 1]);
  });
});

describe('L3Book byte-range entry points (decoder path)', () => {
  it('takes 278/270/271 as ranges of one message buffer', () => {
    const b = new L3Book({ depthCap: 10, maxOrders: 16, priceDecimals: 1, qtyDecimals: 8 });
    const msg = new TextEncoder().encode('|278=OABC12-DEF34-GHI567|270=30300.7|271=0.5|');
    b.beginSnapshot();
    expect(b.applySnapshotEntryBytes(Offer, msg, 5, 19, 29, 7, 41, 3)).toBe(BookStatus.Ok);
    expect(b.endMessage(NO_CHECKSUM)).toBe(BookStatus.Ok);
    expect(l3Levels(b, Offer)).toEqual([[303007, 50000000, 1]]);
    expect(b.orderIdString(b.findOrderStr('OABC12-DEF34-GHI567'))).toBe('OABC12-DEF34-GHI567');
    b.beginIncremental();
    expect(b.applyEntryBytes(Delete, Offer, msg, 5, 19, 29, 7, 41, 3)).toBe(BookStatus.Ok);
    expect(b.endMessage(NO_CHECKSUM)).toBe(BookStatus.Ok);
    expect(b.depth(Offer)).toBe(0);
    b.beginIncremental();
    expect(b.applyEntryBytes(New, Offer, msg, 5, 19, 29, 8, 41, 3)).toBe(BookStatus.InvalidNumber); // "30300.7|"
  });

  it('rejects a repeated order id inside one snapshot', () => {
    const b = new L3Book({ depthCap: 10, maxOrders: 16 });
    b.beginSnapshot();
    expect(b.applySnapshotEntryStr(Bid, 'A', 10, 1)).toBe(BookStatus.Ok);
    expect(b.applySnapshotEntryStr(Bid, 'A', 11, 1)).toBe(BookStatus.DuplicateOrder);
  });
});
