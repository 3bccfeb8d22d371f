/**
 * Model-based checks: the typed-array books against naive Map-based reference models over random
 * event streams, and the L3 aggregated view against an L2 book fed the equivalent level events.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BookStatus,
  L2Book,
  L3Book,
  MDEntryType,
  MDUpdateAction,
  NO_CHECKSUM,
  crc32String,
  l2BookChecksum,
  l3BookChecksum,
} from '../../src/book/index.js';
import { l2Levels, l3Levels, l3Queue, slowChecksum } from './helpers.js';

const { Bid, Offer } = MDEntryType;
const { New, Change, Delete } = MDUpdateAction;
const PD = 2;
const QD = 4;

interface Op {
  kind: number; // 0 new, 1 change, 2 delete, 3 change to zero / price move (L3)
  side: number;
  sel: number;
  qty: number;
  zeroDeleteQty: boolean;
}

const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom(0, 0, 1, 1, 1, 2, 2, 3),
  side: fc.constantFrom(Bid, Offer),
  sel: fc.nat({ max: 10_000 }),
  qty: fc.integer({ min: 1, max: 5_000_000 }),
  zeroDeleteQty: fc.boolean(),
});
const streamArb = fc.record({
  depthCap: fc.constantFrom(3, 10, 25, 1000),
  snapshot: fc.array(opArb, { maxLength: 40 }),
  messages: fc.array(fc.array(opArb, { minLength: 1, maxLength: 16 }), { maxLength: 40 }),
  resnapAt: fc.integer({ min: -1, max: 40 }),
});

/** Bids live in 1..60, offers in 101..160: never crossed, and collisions are frequent. */
function priceFor(side: number, sel: number): number {
  return side === Bid ? 1 + (sel % 60) : 101 + (sel % 60);
}

function sortedSide(m: Map<number, number>, side: number): [number, number][] {
  const levels = [...m.entries()];
  levels.sort((a, b) => (side === Bid ? b[0] - a[0] : a[0] - b[0]));
  return levels;
}

class RefL2 {
  sides = [new Map<number, number>(), new Map<number, number>()];
  truncate(depth: number): void {
    for (const side of [Bid, Offer]) {
      const keep = sortedSide(this.sides[side], side).slice(0, depth);
      this.sides[side] = new Map(keep);
    }
  }
  checksum(): number {
    return slowChecksum(sortedSide(this.sides[Offer], Offer), sortedSide(this.sides[Bid], Bid), PD, QD);
  }
}

describe('L2Book vs Map reference model', () => {
  it('same levels and checksum after every message', () => {
    fc.assert(
      fc.property(streamArb, ({ depthCap, snapshot, messages, resnapAt }) => {
        const book = new L2Book({ depthCap, slack: 32 });
        const ref = new RefL2();
        const loadSnapshot = (ops: Op[]) => {
          ref.sides = [new Map(), new Map()];
          book.beginSnapshot();
          for (const o of ops) {
            const p = priceFor(o.side, o.sel);
            ref.sides[o.side].set(p, o.qty);
            expect(book.applySnapshotEntry(o.side, p, o.qty)).toBe(BookStatus.Ok);
          }
          ref.truncate(depthCap);
          expect(book.endMessage(ref.checksum())).toBe(BookStatus.Ok);
        };
        loadSnapshot(snapshot);
        messages.forEach((msg, mi) => {
          if (mi === resnapAt) loadSnapshot(msg);
          expect(book.beginIncremental()).toBe(BookStatus.Ok);
          for (const o of msg) {
            const m = ref.sides[o.side];
            const existing = sortedSide(m, o.side);
            let action = New;
            let price = priceFor(o.side, o.sel);
            let qty = o.qty;
            if (o.kind !== 0 && existing.length > 0) {
              price = existing[o.sel % existing.length][0];
              action = o.kind === 2 ? Delete : Change;
              if (o.kind === 3) qty = 0; // change to zero removes
              if (action === Delete) qty = o.zeroDeleteQty ? 0 : m.get(price)!;
            }
            if (action === Delete || qty === 0) m.delete(price);
            else m.set(price, qty);
            expect(book.applyEntry(action, o.side, price, qty)).toBe(BookStatus.Ok);
          }
          ref.truncate(depthCap);
          expect(book.endMessage(ref.checksum())).toBe(BookStatus.Ok);
          expect(l2Levels(book, Bid)).toEqual(sortedSide(ref.sides[Bid], Bid));
          expect(l2Levels(book, Offer)).toEqual(sortedSide(ref.sides[Offer], Offer));
          expect(l2BookChecksum(book)).toBe(ref.checksum());
        });
      }),
      { numRuns: 300 },
    );
  });
});

interface RefOrder {
  side: number;
  price: number;
  qty: number;
}

describe('L3Book aggregated view vs L2Book fed the same events', () => {
  it('levels, queues and checksums agree after every message', () => {
    fc.assert(
      fc.property(streamArb, ({ snapshot, messages }) => {
        const l3 = new L3Book({ depthCap: 1000, maxOrders: 1024, maxIdLength: 16 });
        const l2 = new L2Book({ depthCap: 1000 });
        const orders = new Map<string, RefOrder>();
        const queues = new Map<string, string[]>(); // `${side}:${price}` -> ids, front first
        const totals = [new Map<number, number>(), new Map<number, number>()];
        let nextId = 0;
        const qkey = (side: number, price: number) => `${side}:${price}`;
        const enqueue = (id: string, o: RefOrder) => {
          const k = qkey(o.side, o.price);
          const q = queues.get(k) ?? [];
          q.push(id);
          queues.set(k, q);
        };
        const dequeue = (id: string, o: RefOrder) => {
          const k = qkey(o.side, o.price);
          const q = queues.get(k)!.filter((x) => x !== id);
          if (q.length) queues.set(k, q);
          else queues.delete(k);
        };
        /** Emits the L2 entry for a level whose total moved from `before` to its current value. */
        const emitLevel = (side: number, price: number, before: number) => {
          const after = totals[side].get(price) ?? 0;
          if (before === after) return;
          const action = before === 0 ? New : after === 0 ? Delete : Change;
          expect(l2.applyEntry(action, side, price, after)).toBe(BookStatus.Ok);
        };
        const addTotal = (side: number, price: number, d: number) => {
          const v = (totals[side].get(price) ?? 0) + d;
          if (v === 0) totals[side].delete(price);
          else totals[side].set(price, v);
        };
        const refChecksum = () => {
          let s = '';
          for (const side of [Offer, Bid]) {
            const levels = sortedSide(totals[side], side).slice(0, 10);
            for (const [price] of levels) {
              for (const id of queues.get(qkey(side, price))!) {
                s += String(price) + String(orders.get(id)!.qty);
              }
            }
          }
          return crc32String(s);
        };

        l3.beginSnapshot();
        l2.beginSnapshot();
        for (const o of snapshot) {
          const id = `S${nextId++}`;
          const ro = { side: o.side, price: priceFor(o.side, o.sel), qty: o.qty };
          orders.set(id, ro);
          enqueue(id, ro);
          addTotal(ro.side, ro.price, ro.qty);
          expect(l3.applySnapshotEntryStr(ro.side, id, ro.price, ro.qty)).toBe(BookStatus.Ok);
        }
        for (const side of [Bid, Offer]) {
          for (const [p, q] of totals[side]) expect(l2.applySnapshotEntry(side, p, q)).toBe(BookStatus.Ok);
        }
        expect(l3.endMessage(refChecksum())).toBe(BookStatus.Ok);
        expect(l2.endMessage(NO_CHECKSUM)).toBe(BookStatus.Ok);

        for (const msg of messages) {
          expect(l3.beginIncremental()).toBe(BookStatus.Ok);
          expect(l2.beginIncremental()).toBe(BookStatus.Ok);
          for (const o of msg) {
            const ids = [...orders.keys()].filter((id) => orders.get(id)!.side === o.side);
            if (o.kind === 0 || ids.length === 0) {
              const id = `N${nextId++}`;
              const ro = { side: o.side, price: priceFor(o.side, o.sel), qty: o.qty };
              const before = totals[ro.side].get(ro.price) ?? 0;
              orders.set(id, ro);
              enqueue(id, ro);
              addTotal(ro.side, ro.price, ro.qty);
              expect(l3.applyEntryStr(New, ro.side, id, ro.price, ro.qty)).toBe(BookStatus.Ok);
              emitLevel(ro.side, ro.price, before);
              continue;
            }
            const id = ids[o.sel % ids.length];
            const ro = orders.get(id)!;
            const before = totals[ro.side].get(ro.price) ?? 0;
            if (o.kind === 2) {
              orders.delete(id);
              dequeue(id, ro);
              addTotal(ro.side, ro.price, -ro.qty);
              expect(l3.applyEntryStr(Delete, ro.side, id, ro.price, o.zeroDeleteQty ? 0 : ro.qty)).toBe(BookStatus.Ok);
              emitLevel(ro.side, ro.price, before);
            } else if (o.kind === 1) {
              addTotal(ro.side, ro.price, o.qty - ro.qty);
              ro.qty = o.qty; // queue position unchanged
              expect(l3.applyEntryStr(Change, ro.side, id, ro.price, o.qty)).toBe(BookStatus.Ok);
              emitLevel(ro.side, ro.price, before);
            } else {
              // Price move: leaves its queue, joins the tail of the new level.
              let newPrice = priceFor(ro.side, o.sel + 1);
              if (newPrice === ro.price) newPrice = priceFor(ro.side, o.sel + 2);
              const oldPrice = ro.price;
              const beforeNew = totals[ro.side].get(newPrice) ?? 0;
              dequeue(id, ro);
              addTotal(ro.side, oldPrice, -ro.qty);
              ro.price = newPrice;
              ro.qty = o.qty;
              enqueue(id, ro);
              addTotal(ro.side, newPrice, o.qty);
              expect(l3.applyEntryStr(Change, ro.side, id, newPrice, o.qty)).toBe(BookStatus.Ok);
              emitLevel(ro.side, oldPrice, before);
              emitLevel(ro.side, newPrice, beforeNew);
            }
          }
          expect(l3.endMessage(refChecksum())).toBe(BookStatus.Ok);
          expect(l2.endMessage(NO_CHECKSUM)).toBe(BookStatus.Ok);
          for (const side of [Bid, Offer]) {
            const l3View = l3Levels(l3, side);
            expect(l3View.map(([p, q]) => [p, q])).toEqual(l2Levels(l2, side));
            for (let i = 0; i < l3View.length; i++) {
              const q = queues.get(qkey(side, l3View[i][0]))!;
              expect(l3View[i][2]).toBe(q.length);
              expect(l3Queue(l3, side, i)).toEqual(q);
            }
          }
          expect(l3BookChecksum(l3)).toBe(refChecksum());
          expect(l3.orderCount()).toBe(orders.size);
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });
});
