// StrategyRunner and its context on one thread, fed through the real queues: events in (ER, BookUpdate),
// commands out (Place, Cancel), local rejects, ClOrdID routing digits, the order table.
import { describe, expect, it } from 'vitest';
import { resolveEngineConfig } from '../../src/engine/config.js';
import { createEngineMemory } from '../../src/engine/memory.js';
import {
  BookEvent,
  ER,
  ExecutionReportFlyweight,
  MarketDataPublisher,
  openNeverDropProducer,
  PlaceFlyweight,
  CancelFlyweight,
  RecordType,
  RejectFlyweight,
  RJ,
  recordSize,
  SpscConsumer,
  type RecordBuffer,
} from '../../src/ipc/index.js';
import { defineStrategy, isReject, type BookView, type StrategyContext } from '../../src/strategy/index.js';
import { ClOrdIdSequence, Doorbell, ENGINE_SESSION_STATE_SLOT, MdFlag } from '../../src/strategy/protocol.js';
import { StrategyRunner } from '../../src/strategy/runner.js';
import { XBT } from '../engine/helpers.js';

function setup(hooks: Parameters<typeof defineStrategy>[0]) {
  const config = resolveEngineConfig({
    port: 1,
    senderCompID: 'C',
    targetCompID: 'K',
    instruments: [XBT],
    strategies: [{ name: 'a', module: '/x.ts', mode: 'inline' }, { name: 'b', module: '/y.ts', mode: 'inline' }],
  });
  const memory = createEngineMemory(config);
  new Float64Array(memory.counters)[ENGINE_SESSION_STATE_SLOT] = 3; // Active
  const wiring = memory.strategies[1]!;
  const runner = new StrategyRunner(defineStrategy(hooks), wiring);
  const events = openNeverDropProducer(wiring.events);
  const md = new MarketDataPublisher(wiring.md);
  const commands = new SpscConsumer(wiring.commands);
  return { runner, events, md, commands, memory, wiring };
}

function drain(q: SpscConsumer): Array<{ type: number; buf: RecordBuffer; off: number }> {
  const out: Array<{ type: number; buf: RecordBuffer; off: number }> = [];
  q.poll({ onRecord: (buf, off, type) => out.push({ type, buf, off }) });
  return out;
}

describe('StrategyRunner and context', () => {
  it('place writes a validated Place record, rings the doorbell and tracks the order', () => {
    let ctx!: StrategyContext;
    const { runner, commands, memory } = setup({ onStart: (c) => (ctx = c) });
    runner.start();
    const bell = new Doorbell(memory.doorbell);
    const rings = Atomics.load(bell.words, 0);
    const id = ctx.placeLimit(0, 'buy', 300_005, 20_000, true);
    expect(isReject(id)).toBe(false);
    expect((id as number) % 10).toBe(1); // strategy index 1
    expect(Atomics.load(bell.words, 0)).toBe(rings + 1);
    const recs = drain(commands);
    expect(recs).toHaveLength(1);
    const pl = new PlaceFlyweight().wrap(recs[0]!.buf, recs[0]!.off);
    expect(pl.price).toBe(300_005);
    expect(pl.priceScale).toBe(1);
    expect(pl.orderQty).toBe(20_000);
    expect(pl.orderQtyScale).toBe(8);
    expect(pl.side).toBe(0x31);
    expect(pl.ordType).toBe(0x32);
    expect(pl.orderFlags).toBe(1);
    expect(pl.clOrdID()).toBe(String(id));
    expect(pl.c.tEnqueued).toBeGreaterThan(0);
    expect(ctx.orders.count).toBe(1);
  });

  it('refuses a bad order synchronously with the profile reject and queues nothing', () => {
    let ctx!: StrategyContext;
    const { runner, commands } = setup({ onStart: (c) => (ctx = c) });
    runner.start();
    const r = ctx.place({ instrument: 'XBT/USD', side: 'buy', price: 300_000, qty: 1 });
    expect(isReject(r)).toBe(true);
    if (isReject(r)) {
      expect(r.code).toBe('QTY_BELOW_MIN');
      expect(r.message).toMatch(/below the minimum 0\.0001/);
    }
    const unknown = ctx.place({ instrument: 'DOGE/USD', side: 'buy', price: 1, qty: 1 });
    expect(isReject(unknown) && unknown.code).toBe('UNKNOWN_SYMBOL');
    const noOrder = ctx.cancel(12345);
    expect(isReject(noOrder) && noOrder.code).toBe('UNKNOWN_ORDER');
    expect(drain(commands)).toHaveLength(0);
    expect(runner.control.snapshot().localRejects).toBe(3);
  });

  it('delivers ExecutionReports after updating the order table, and cancels by OrigClOrdID', () => {
    let ctx!: StrategyContext;
    const seen: number[] = [];
    const { runner, events, commands } = setup({ onStart: (c) => (ctx = c), onExecution: (_c, er) => seen.push(er.execType) });
    runner.start();
    const id = ctx.placeLimit(0, 'sell', 300_010, 10_000) as number;
    drain(commands);
    const er = new ExecutionReportFlyweight();
    const put = (execType: number, ordStatus: number, clOrdID: string, orig: string | null) => {
      const vars = clOrdID.length + 2 + (orig?.length ?? 0);
      const size = recordSize(RecordType.ExecutionReport, vars);
      expect(events.tryClaim(size)).toBe(true);
      er.wrapForWrite(events.buffer, events.claimedOffset, size);
      er.execType = execType;
      er.ordStatus = ordStatus;
      er.instrumentId = 0;
      er.setOrderQty(1, 4).setLeavesQty(1, 4).setPrice(300_010, 1);
      er.putAscii(ER.clOrdID, clOrdID).putAscii(ER.orderID, 'O1');
      if (orig) er.putAscii(ER.origClOrdID, orig);
      er.c.tSocketRead = 1;
      events.commit();
    };
    put(0x30, 0x30, String(id), null);
    expect(runner.poll()).toBe(1);
    expect(seen).toEqual([0x30]);
    expect(ctx.orders.state[ctx.orders.indexOf(id)]).toBe(1); // Open
    const cancelId = ctx.cancel(id) as number;
    const cx = drain(commands)[0]!;
    const c = new CancelFlyweight().wrap(cx.buf, cx.off);
    expect(c.origClOrdID()).toBe(String(id));
    expect(c.orderID()).toBe('O1');
    expect(c.clOrdID()).toBe(String(cancelId));
    expect(cancelId).toBeGreaterThan(id);
    put(0x34, 0x34, String(cancelId), String(id));
    runner.poll();
    expect(seen).toEqual([0x30, 0x34]);
    expect(ctx.orders.count).toBe(0);
  });

  it('a rejected cancel (OrderCancelReject: its own ClOrdID, the order in OrigClOrdID) leaves the order open, not pending', () => {
    let ctx!: StrategyContext;
    const rejects: string[] = [];
    const { runner, events, commands } = setup({ onStart: (c) => (ctx = c), onReject: (_c, rj) => rejects.push(rj.origClOrdID()) });
    runner.start();
    const id = ctx.placeLimit(0, 'buy', 300_000, 10_000) as number;
    drain(commands);
    const er = new ExecutionReportFlyweight();
    const erSize = recordSize(RecordType.ExecutionReport, String(id).length + 2);
    expect(events.tryClaim(erSize)).toBe(true);
    er.wrapForWrite(events.buffer, events.claimedOffset, erSize);
    er.execType = 0x30;
    er.ordStatus = 0x30;
    er.setOrderQty(1, 4).setLeavesQty(1, 4).setPrice(300_000, 1);
    er.putAscii(ER.clOrdID, String(id)).putAscii(ER.orderID, 'O1');
    events.commit();
    runner.poll();
    const cancelId = ctx.cancel(id) as number;
    drain(commands);
    expect(ctx.orders.state[ctx.orders.indexOf(id)]).toBe(2); // PendingCancel
    const rj = new RejectFlyweight();
    const size = recordSize(RecordType.Reject, String(cancelId).length + String(id).length);
    expect(events.tryClaim(size)).toBe(true);
    rj.wrapForWrite(events.buffer, events.claimedOffset, size);
    rj.msgType = 0x39;
    rj.putAscii(RJ.clOrdID, String(cancelId)).putAscii(RJ.origClOrdID, String(id));
    events.commit();
    runner.poll();
    expect(rejects).toEqual([String(id)]);
    expect(ctx.orders.count).toBe(1);
    expect(ctx.orders.state[ctx.orders.indexOf(id)]).toBe(1); // Open again
  });

  it('builds the book from BookUpdate records and calls onBook once per message', () => {
    const books: Array<[number, number, boolean]> = [];
    const { runner, md } = setup({ onBook: (_c, b: BookView) => books.push([b.bestBid(), b.bestAsk(), b.live]) });
    runner.start();
    const ev = new BookEvent();
    const entry = (side: number, price: number, qty: number, flags: number) => {
      ev.instrumentId = 0;
      ev.side = side;
      ev.action = 0;
      ev.price = price;
      ev.priceScale = 1;
      ev.qty = qty;
      ev.qtyScale = 8;
      ev.flags = flags;
      md.publishBook(ev);
    };
    entry(0, 299_999, 5, MdFlag.Snapshot | MdFlag.FirstInMessage);
    entry(1, 300_001, 7, MdFlag.Snapshot);
    entry(1, 300_002, 7, MdFlag.Snapshot | MdFlag.LastInMessage);
    runner.poll();
    expect(books).toEqual([[299_999, 300_001, true]]);
  });

  it('issues increasing ClOrdIDs across strategies, each ending in its index', () => {
    const seq = new ClOrdIdSequence();
    const now = 1_700_000_000_000_000;
    const a = seq.next(now, 3);
    const b = seq.next(now, 7);
    const c = seq.next(now - 1_000_000, 0);
    expect(a % 10).toBe(3);
    expect(b % 10).toBe(7);
    expect(c % 10).toBe(0);
    expect(b).toBeGreaterThan(a);
    expect(c).toBeGreaterThan(b);
    expect(Math.abs(a - now)).toBeLessThan(100);
  });
});
