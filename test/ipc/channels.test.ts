import { describe, expect, it } from 'vitest';
import {
  BacklogProducer,
  BookEvent,
  BookUpdateFlyweight,
  ConflatedBook,
  createMarketDataChannel,
  createNeverDropChannel,
  MarketDataPublisher,
  MarketDataSubscriber,
  openNeverDropProducer,
  queueStats,
  RecordBuffer,
  recordSize,
  RecordType,
  SpscConsumer,
  SpscProducer,
  StatusFlyweight,
  TradeFlyweight,
  type MarketDataHandler,
  type RecordHandler,
} from '../../src/ipc/index.js';

const fw = new StatusFlyweight();

function put(bp: BacklogProducer, n: number, size = 64): boolean {
  if (!bp.tryClaim(size)) return false;
  fw.wrapForWrite(bp.buffer, bp.claimedOffset, size);
  fw.c.seq = n;
  fw.instrumentId = n ^ 0x5555;
  bp.commit();
  return true;
}

class Seqs implements RecordHandler {
  seqs: number[] = [];
  bad = 0;
  onRecord(buf: RecordBuffer, offset: number): void {
    fw.wrap(buf, offset);
    if (fw.instrumentId !== (fw.c.seq ^ 0x5555)) this.bad++;
    this.seqs.push(fw.c.seq);
  }
}

describe('BacklogProducer (never-drop)', () => {
  it('keeps order and loses nothing while the ring is full', () => {
    const sab = createNeverDropChannel(1024);
    const bp = openNeverDropProducer(sab, 4096);
    const c = new SpscConsumer(sab);
    const h = new Seqs();
    let n = 0;
    // 16 records fill the ring; the next 40 go to the backlog.
    for (let i = 0; i < 56; i++) expect(put(bp, ++n)).toBe(true);
    expect(bp.pendingRecords).toBe(40);
    expect(bp.backloggedTotal).toBe(40);
    expect(queueStats(sab).fullCount).toBeGreaterThanOrEqual(1);
    // Interleave partial consumption and more writes: new records must queue behind the backlog
    // even when the ring has room for them.
    for (let round = 0; round < 200; round++) {
      c.poll(h, 1 + (round % 7));
      if (round % 2 === 0) put(bp, ++n);
      if (round % 5 === 0) bp.flush();
    }
    while (bp.pendingRecords > 0 || c.hasData()) {
      bp.flush();
      c.poll(h);
    }
    expect(h.bad).toBe(0);
    expect(h.seqs).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(bp.pendingBacklogBytes).toBe(0);
  });

  it('refuses (and counts) only when the backlog is full too, then recovers in order', () => {
    const sab = createNeverDropChannel(1024);
    const bp = new BacklogProducer(new SpscProducer(sab), 1024);
    const c = new SpscConsumer(sab);
    let n = 0;
    while (put(bp, n + 1)) n++;
    expect(n).toBe(32); // 16 in the ring + 16 in the backlog
    expect(bp.refusedTotal).toBe(1);
    expect(put(bp, n + 1)).toBe(false);
    expect(bp.refusedTotal).toBe(2);
    const h = new Seqs();
    c.poll(h);
    expect(put(bp, ++n)).toBe(true); // flushes the backlog first, then this one goes behind it
    while (bp.pendingRecords > 0 || c.hasData()) {
      bp.flush();
      c.poll(h);
    }
    expect(h.seqs).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  });

  it('abort leaves no trace in either buffer', () => {
    const sab = createNeverDropChannel(1024);
    const bp = openNeverDropProducer(sab, 1024);
    expect(bp.tryClaim(64)).toBe(true);
    bp.abort();
    expect(() => bp.commit()).toThrow(/nothing claimed/);
    expect(queueStats(sab).usedBytes).toBe(0);
  });
});

class MdLog implements MarketDataHandler {
  /** Per instrument: [seq, conflated?] in delivery order. */
  events: Map<number, Array<[number, boolean]>> = new Map();
  conflatedUpdates = 0;
  trades = 0;
  torn = 0;
  onBookUpdate(u: BookUpdateFlyweight): void {
    if (u.price !== u.c.seq * 3) this.torn++;
    this.add(u.instrumentId, u.c.seq, false);
  }
  onConflated(s: ConflatedBook): void {
    if (s.price !== s.seq * 3 || s.bidPx !== s.seq * 2 || !s.hasTop) this.torn++;
    this.conflatedUpdates += s.updatesConflated;
    this.add(s.instrumentId, s.seq, true);
  }
  onOther(_b: RecordBuffer, _o: number, type: number): void {
    if (type === RecordType.Trade) this.trades++;
  }
  private add(id: number, seq: number, conflated: boolean): void {
    let l = this.events.get(id);
    if (!l) this.events.set(id, (l = []));
    l.push([seq, conflated]);
  }
}

function publish(pub: MarketDataPublisher, ev: BookEvent, id: number, seq: number): boolean {
  ev.instrumentId = id;
  ev.seq = seq;
  ev.price = seq * 3;
  ev.priceScale = 1;
  ev.qty = 1;
  ev.hasTop = true;
  ev.bidPx = seq * 2;
  ev.askPx = seq * 2 + 1;
  return pub.publishBook(ev);
}

describe('conflating market-data channel', () => {
  it('queues below the high-water mark, conflates above it, and keeps per-instrument order', () => {
    // 1024 B ring = 12 BookUpdates (80 B); conflate above 320 B (4 records).
    const mem = createMarketDataChannel({ capacity: 1024, instruments: 3, highWaterBytes: 320 });
    const pub = new MarketDataPublisher(mem);
    const sub = new MarketDataSubscriber(mem);
    const log = new MdLog();
    const ev = new BookEvent();
    const last = [0, 0, 0];
    let seq = 0;
    for (let i = 0; i < 30; i++) {
      const id = i % 3;
      publish(pub, ev, id, ++seq);
      last[id] = seq;
    }
    expect(pub.queuedTotal).toBe(5); // 0..320 B allowed: the 5th lands at exactly 400 > 320 afterwards
    expect(pub.conflatedTotal).toBe(25);
    sub.poll(log);
    expect(log.torn).toBe(0);
    for (let id = 0; id < 3; id++) {
      const evs = log.events.get(id)!;
      const seqs = evs.map((e) => e[0]);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b)); // strictly increasing
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(evs[evs.length - 1]).toEqual([last[id], true]); // latest state arrives, flagged conflated
      expect(sub.conflatedCount(id)).toBe(pub.conflatedCount(id));
    }
    expect(log.conflatedUpdates).toBe(25); // every update is either delivered or counted as folded
    expect(sub.conflatedDeliveries).toBe(3);
  });

  it('after the consumer catches up, updates flow through the ring again', () => {
    const mem = createMarketDataChannel({ capacity: 1024, instruments: 2, highWaterBytes: 160 });
    const pub = new MarketDataPublisher(mem);
    const sub = new MarketDataSubscriber(mem);
    const ev = new BookEvent();
    for (let s = 1; s <= 10; s++) publish(pub, ev, 0, s);
    const log = new MdLog();
    sub.poll(log);
    expect(publish(pub, ev, 0, 11)).toBe(true);
    sub.poll(log);
    expect(log.events.get(0)!.slice(-2)).toEqual([[10, true], [11, false]]);
  });

  it('never delivers a slot ahead of records queued before it', () => {
    const mem = createMarketDataChannel({ capacity: 1024, instruments: 2, highWaterBytes: 240 });
    const pub = new MarketDataPublisher(mem);
    const sub = new MarketDataSubscriber(mem);
    const ev = new BookEvent();
    const log = new MdLog();
    publish(pub, ev, 1, 1); // queued
    for (let s = 2; s <= 5; s++) publish(pub, ev, 0, s); // 3 queued, then above HWM
    publish(pub, ev, 1, 6); // conflated: its slot must wait for seq 1 (queued) to be delivered
    expect(pub.conflatedTotal).toBe(2);
    sub.poll(log, 0); // consume nothing: slot 1 written after 4 queued records must be deferred
    expect(log.events.size).toBe(0);
    expect(sub.hasWork()).toBe(true);
    sub.poll(log, 1);
    expect(log.events.get(1)).toEqual([[1, false]]);
    sub.poll(log);
    expect(log.events.get(1)).toEqual([[1, false], [6, true]]);
    expect(sub.hasWork()).toBe(false);
  });

  it('keeps conflating an instrument whose slot is untaken, even after the ring drains below the mark', () => {
    const mem = createMarketDataChannel({ capacity: 1024, instruments: 1, highWaterBytes: 160 });
    const pub = new MarketDataPublisher(mem);
    const sub = new MarketDataSubscriber(mem);
    const ev = new BookEvent();
    const log = new MdLog();
    for (let s = 1; s <= 4; s++) publish(pub, ev, 0, s); // 1..3 queued, 4 conflated
    sub.poll(log, 2); // ring now 80 B (< mark); slot 4 still waits for seq 3
    expect(publish(pub, ev, 0, 5)).toBe(false); // must not overtake slot 4 through the ring
    sub.poll(log);
    expect(log.events.get(0)).toEqual([[1, false], [2, false], [3, false], [5, true]]);
    expect(log.conflatedUpdates).toBe(2);
    expect(publish(pub, ev, 0, 6)).toBe(true); // slot taken: back to the ring
  });

  it('other records share the ring and are dropped (counted) only when it is full', () => {
    const mem = createMarketDataChannel({ capacity: 1024, instruments: 1 });
    const pub = new MarketDataPublisher(mem);
    const sub = new MarketDataSubscriber(mem);
    const t = new TradeFlyweight();
    const size = recordSize(RecordType.Trade);
    let ok = 0;
    for (let i = 0; i < 20; i++) {
      if (!pub.tryClaim(size)) continue;
      t.wrapForWrite(pub.buffer, pub.claimedOffset, size).setPrice(1, 0);
      pub.commit();
      ok++;
    }
    expect(ok).toBe(Math.floor(1024 / size));
    expect(pub.droppedTotal).toBe(20 - ok);
    const log = new MdLog();
    sub.poll(log);
    expect(log.trades).toBe(ok);
  });

  it('rejects bad arguments clearly', () => {
    expect(() => createMarketDataChannel({ capacity: 1024, instruments: 0 })).toThrow(/instruments/);
    expect(() => createMarketDataChannel({ capacity: 1024, instruments: 1, highWaterBytes: 4096 })).toThrow(/highWaterBytes/);
    const mem = createMarketDataChannel({ capacity: 1024, instruments: 2 });
    const pub = new MarketDataPublisher(mem);
    const ev = new BookEvent();
    ev.instrumentId = 2;
    expect(() => pub.publishBook(ev)).toThrow(/instrumentId 2 outside 0..1/);
    expect(() => new MarketDataSubscriber({ ...mem, instruments: 3 })).toThrow(/createMarketDataChannel/);
  });
});
