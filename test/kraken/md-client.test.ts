// KrakenMdClient end to end on real encoded messages: W then X into L2 and L3 books, 5041 verified, breaks answered
// with unsubscribe + resubscribe under a new MDReqID, rejects, trades, InstrumentList y and TradingSessionStatus h.

import { describe, expect, it } from 'vitest';
import { BookState, BookStatus, MDEntryType, TradSesStatus } from '../../src/book/index.js';
import { InstrumentTable } from '../../src/kraken/index.js';
import { KrakenMdClient, type KrakenMdClientOptions, type MdEvent, type MdSubscription, SubState } from '../../src/kraken/md/index.js';
import { FakeSender, type Fields, encode, feedBytes, field, slowL2Checksum, slowL3Checksum } from './md-wire.js';

const BTC = { priceDecimals: 1, qtyDecimals: 8 };

interface Rig {
  md: KrakenMdClient;
  sender: FakeSender;
  events: MdEvent[];
  updates: { symbol: string; snapshot: boolean }[];
  trades: { symbol: string; price: number; qty: number; aggressor: number; ordType: number; id: string }[];
}

function rig(over: Partial<KrakenMdClientOptions> = {}): Rig {
  const sender = new FakeSender();
  const events: MdEvent[] = [];
  const updates: Rig['updates'] = [];
  const trades: Rig['trades'] = [];
  const md = new KrakenMdClient({
    sender,
    venue: 'spot',
    idPrefix: 'md',
    handler: {
      onEvent: (e) => events.push(e),
      onBookUpdate: (b, snapshot) => updates.push({ symbol: b.symbol, snapshot }),
      onTrade: (t) =>
        trades.push({
          symbol: t.symbol, price: t.price, qty: t.qty, aggressor: t.aggressorSide, ordType: t.takerOrdType,
          id: Buffer.from(t.buffer.subarray(t.idOff, t.idOff + t.idLen)).toString('latin1'),
        }),
    },
    ...over,
  });
  return { md, sender, events, updates, trades };
}

let seq = 1;
function feed(md: KrakenMdClient, msgType: string, fields: Fields): boolean {
  let handled = false;
  feedBytes(encode(msgType, fields, { seq: seq++ }), (v) => (handled = md.onMessage(v)));
  return handled;
}

function subscribeBtc(r: Rig, over: object = {}): MdSubscription {
  const s = r.md.subscribe({ symbols: ['BTC/USD'], depth: 10, decimals: { 'BTC/USD': BTC }, ...over });
  if (!s.ok) throw new Error(s.error.message);
  return s.value;
}

const L2_SNAPSHOT: Fields = [
  [268, '4'],
  [269, '0'], [278, 'B30299.9'], [270, '30299.9'], [271, '1.5'], [273, '14:09:32.902'],
  [269, '0'], [278, 'B30299.8'], [270, '30299.8'], [271, '0.25'], [273, '14:09:32.902'],
  [269, '1'], [278, 'O30300.0'], [270, '30300.0'], [271, '0.75'], [273, '14:09:32.902'],
  [269, '1'], [278, 'O30300.7'], [270, '30300.7'], [271, '2'], [273, '14:09:32.902'],
];

/** Book after the spec's example X (delete O30300.7, new O31941.0). */
const L2_AFTER_X = {
  asks: [[303000, 75_000_000], [319410, 317_460]] as [number, number][],
  bids: [[302999, 150_000_000], [302998, 25_000_000]] as [number, number][],
};
const L2_CS = String(slowL2Checksum(L2_AFTER_X.asks, L2_AFTER_X.bids, 1, 8));

function l2X(id: string, checksum: string): Fields {
  return [
    [262, id], [55, 'BTC/USD'], [268, '2'],
    [279, '2'], [269, '1'], [278, 'O30300.7'], [270, '30300.7'], [271, '0.0'], [273, '14:09:33.001'], [5041, checksum],
    [279, '0'], [269, '1'], [278, 'O31941.0'], [270, '31941.0'], [271, '0.0031746'], [273, '14:09:33.001'], [5041, checksum],
  ];
}

function levels(r: Rig, symbol: string, side: number): [number, number][] {
  const b = r.md.book(symbol)!.l2!;
  const out: [number, number][] = [];
  for (let i = 0; i < b.depth(side); i++) out.push([b.levelPrice(side, i), b.levelQty(side, i)]);
  return out;
}

describe('L2: snapshot then incremental', () => {
  it('subscribes with 263=1 / 266=Y and applies W then X from byte ranges, 5041 verified', () => {
    const r = rig();
    const sub = subscribeBtc(r);
    expect(r.sender.sent).toHaveLength(1);
    const v = r.sender.sent[0]!;
    expect(v).toContain('|35=V|');
    expect(v).toMatch(/\|262=md1\|263=1\|264=10\|265=1\|266=Y\|267=2\|269=0\|269=1\|146=1\|55=BTC\/USD\|10=/);
    expect(sub.state).toBe(SubState.Requested);

    expect(feed(r.md, 'W', [[262, 'md1'], [55, 'BTC/USD'], ...L2_SNAPSHOT])).toBe(true);
    expect(sub.state).toBe(SubState.Live);
    expect(levels(r, 'BTC/USD', MDEntryType.Offer)).toEqual([[303000, 75_000_000], [303007, 200_000_000]]);
    expect(levels(r, 'BTC/USD', MDEntryType.Bid)).toEqual([[302999, 150_000_000], [302998, 25_000_000]]);

    feed(r.md, 'X', l2X('md1', L2_CS));
    expect(levels(r, 'BTC/USD', MDEntryType.Offer)).toEqual(L2_AFTER_X.asks);
    expect(levels(r, 'BTC/USD', MDEntryType.Bid)).toEqual(L2_AFTER_X.bids);
    const book = r.md.book('BTC/USD')!;
    expect(book.isLive()).toBe(true);
    expect(book.l2!.lastComputedChecksum).toBe(Number(L2_CS));
    expect(r.updates).toEqual([{ symbol: 'BTC/USD', snapshot: true }, { symbol: 'BTC/USD', snapshot: false }]);
    expect(r.md.stats).toMatchObject({ snapshots: 1, incrementals: 1, entries: 6, resubscribes: 0, checksumMismatches: 0 });
    expect(r.sender.sent).toHaveLength(1); // nothing but the subscribe
  });

  it('an empty snapshot (268=0) makes a live empty book', () => {
    const r = rig();
    subscribeBtc(r);
    feed(r.md, 'W', [[262, 'md1'], [55, 'BTC/USD'], [268, '0']]);
    const b = r.md.book('BTC/USD')!;
    expect(b.isLive()).toBe(true);
    expect(b.l2!.depth(0) + b.l2!.depth(1)).toBe(0);
  });

  it('one book per symbol per subscription; entries may carry their own 55', () => {
    const r = rig();
    const s = r.md.subscribe({
      symbols: ['BTC/USD', 'ETH/USD'], depth: 10,
      decimals: { 'BTC/USD': BTC, 'ETH/USD': { priceDecimals: 2, qtyDecimals: 3 } },
    });
    if (!s.ok) throw new Error(s.error.message);
    feed(r.md, 'W', [[262, 'md1'], [55, 'BTC/USD'], ...L2_SNAPSHOT]);
    feed(r.md, 'W', [[262, 'md1'], [55, 'ETH/USD'], [268, '2'], [269, '0'], [270, '2000.5'], [271, '1.5'], [269, '1'], [270, '2001'], [271, '0.002']]);
    expect(s.value.books.map((b) => [b.symbol, b.isLive(), b.bestBid(), b.bestAsk()])).toEqual([
      ['BTC/USD', true, 302999, 303000],
      ['ETH/USD', true, 200050, 200100],
    ]);
    // FIX 4.4 layout: no top-level 55, the symbol inside the entry.
    feed(r.md, 'X', [[262, 'md1'], [268, '1'], [279, '1'], [269, '0'], [55, 'ETH/USD'], [270, '2000.5'], [271, '3']]);
    expect(r.md.book('ETH/USD')!.l2!.bestBidQty()).toBe(3000);
    expect(r.md.book('BTC/USD')!.l2!.bestBidQty()).toBe(150_000_000);
  });
});

describe('L3: snapshot then incremental', () => {
  it('applies W (order ids) and X new/change/delete in order with the L3 checksum', () => {
    const r = rig({ level: 'L3' });
    const sub = subscribeBtc(r, { depth: 10 });
    expect(r.sender.sent[0]).toContain('|266=N|');
    const t = [[273, '14:09:32.902'], [5060, '2025-03-03T14:09:32.902000000Z'], [5273, '2025-03-03T14:09:30.000000000Z']] as const;
    feed(r.md, 'W', [
      [262, 'md1'], [55, 'BTC/USD'], [268, '4'],
      [269, '0'], [278, 'OAAAAA-00001-ZZZZZ1'], [270, '30299.9'], [271, '1'], ...t,
      [269, '0'], [278, 'OAAAAA-00002-ZZZZZ2'], [270, '30299.9'], [271, '0.5'], ...t,
      [269, '0'], [278, 'OAAAAA-00003-ZZZZZ3'], [270, '30299.5'], [271, '2'], ...t,
      [269, '1'], [278, 'OAAAAA-00004-ZZZZZ4'], [270, '30300.1'], [271, '0.3'], ...t,
    ]);
    expect(sub.state).toBe(SubState.Live);
    const cs = slowL3Checksum(
      [[303001, [30_000_000, 20_000_000]]],
      [[302999, [100_000_000, 40_000_000]]],
      1, 8,
    );
    feed(r.md, 'X', [
      [262, 'md1'], [55, 'BTC/USD'], [268, '3'],
      [279, '0'], [269, '1'], [278, 'OAAAAA-00005-ZZZZZ5'], [270, '30300.1'], [271, '0.2'], ...t, [5041, String(cs)],
      [279, '1'], [269, '0'], [278, 'OAAAAA-00002-ZZZZZ2'], [270, '30299.9'], [271, '0.4'], ...t, [5041, String(cs)],
      [279, '2'], [269, '0'], [278, 'OAAAAA-00003-ZZZZZ3'], [270, '30299.5'], [271, '0'], [273, '14:09:33.000'], [5041, String(cs)],
    ]);
    const l3 = r.md.book('BTC/USD')!.l3!;
    expect(l3.isLive()).toBe(true);
    expect(l3.lastComputedChecksum).toBe(cs);
    expect(l3.depth(MDEntryType.Bid)).toBe(1);
    expect(l3.levelQty(MDEntryType.Bid, 0)).toBe(140_000_000);
    expect(l3.levelOrderCount(MDEntryType.Offer, 0)).toBe(2);
    const slot = l3.findOrderStr('OAAAAA-00005-ZZZZZ5');
    expect(l3.queuePosition(slot)).toBe(1);
    expect(r.md.stats.resubscribes).toBe(0);
  });

  it('an X deleting an order we do not hold breaks the book and resubscribes', () => {
    const r = rig({ level: 'L3' });
    const sub = subscribeBtc(r);
    feed(r.md, 'W', [[262, 'md1'], [55, 'BTC/USD'], [268, '1'], [269, '0'], [278, 'O1'], [270, '100'], [271, '1']]);
    feed(r.md, 'X', [[262, 'md1'], [55, 'BTC/USD'], [268, '1'], [279, '2'], [269, '0'], [278, 'O9'], [270, '100'], [271, '0']]);
    expect(r.md.stats).toMatchObject({ consistencyBreaks: 1, resubscribes: 1 });
    const ev = r.events.find((e) => e.kind === 'resubscribe');
    expect(ev).toMatchObject({ status: BookStatus.UnknownOrder, statusName: 'UnknownOrder', oldMDReqID: 'md1', newMDReqID: 'md2' });
    expect(sub.mdReqID).toBe('md2');
  });
});

describe('breaks: unsubscribe + resubscribe with a new MDReqID', () => {
  it('a 5041 mismatch sends exactly V 263=2 (old 262) then V 263=1 (new 262)', () => {
    const r = rig();
    const sub = subscribeBtc(r);
    feed(r.md, 'W', [[262, 'md1'], [55, 'BTC/USD'], ...L2_SNAPSHOT]);
    feed(r.md, 'X', l2X('md1', String((Number(L2_CS) + 1) % 2 ** 32)));
    const vs = r.sender.ofType('V');
    expect(vs).toHaveLength(3);
    const body = (s: string) => s.slice(s.indexOf('|262='), s.lastIndexOf('|10=') + 1);
    expect(body(vs[1]!)).toBe('|262=md1|263=2|264=10|265=1|266=Y|267=2|269=0|269=1|146=1|55=BTC/USD|');
    expect(body(vs[2]!)).toBe('|262=md2|263=1|264=10|265=1|266=Y|267=2|269=0|269=1|146=1|55=BTC/USD|');
    expect(r.md.stats).toMatchObject({ checksumMismatches: 1, resubscribes: 1, consistencyBreaks: 0 });
    expect(sub.state).toBe(SubState.Requested);
    expect(sub.mdReqID).toBe('md2');
    expect(sub.history).toEqual(['md1', 'md2']);
    const book = r.md.book('BTC/USD')!;
    expect(book.l2!.state).toBe(BookState.AwaitingSnapshot);

    // Still in flight under the old id: ignored, counted.
    feed(r.md, 'X', l2X('md1', L2_CS));
    expect(r.md.stats.staleMessages).toBe(1);
    expect(book.isLive()).toBe(false);
    // The new snapshot heals it.
    feed(r.md, 'W', [[262, 'md2'], [55, 'BTC/USD'], ...L2_SNAPSHOT]);
    expect(book.isLive()).toBe(true);
    expect(sub.state).toBe(SubState.Live);
    feed(r.md, 'X', l2X('md2', L2_CS));
    expect(levels(r, 'BTC/USD', MDEntryType.Offer)).toEqual(L2_AFTER_X.asks);
    expect(r.md.stats.resubscribes).toBe(1);
  });

  it('X before any snapshot and a change for an unknown level are consistency breaks', () => {
    const r = rig();
    subscribeBtc(r);
    feed(r.md, 'X', l2X('md1', L2_CS)); // no snapshot yet
    expect(r.events.filter((e) => e.kind === 'resubscribe').map((e) => (e as { status: number }).status)).toEqual([BookStatus.NoSnapshot]);
    feed(r.md, 'W', [[262, 'md2'], [55, 'BTC/USD'], ...L2_SNAPSHOT]);
    feed(r.md, 'X', [[262, 'md2'], [55, 'BTC/USD'], [268, '1'], [279, '1'], [269, '0'], [270, '30000.1'], [271, '1']]);
    expect(r.md.stats).toMatchObject({ consistencyBreaks: 2, resubscribes: 2 });
    expect(r.md.subscriptions[0]!.mdReqID).toBe('md3');
  });

  it('checksumInterval skips verification between checked messages', () => {
    const r = rig({ checksumInterval: 3 });
    subscribeBtc(r);
    feed(r.md, 'W', [[262, 'md1'], [55, 'BTC/USD'], ...L2_SNAPSHOT]);
    const bad = String((Number(L2_CS) + 7) % 2 ** 32);
    // First checksummed message after a snapshot is always verified; here it is right.
    feed(r.md, 'X', l2X('md1', L2_CS));
    // Re-add the level so the same X applies again, with wrong checksums: 2 unchecked, the 3rd checked.
    const readd: Fields = [[262, 'md1'], [55, 'BTC/USD'], [268, '2'],
      [279, '2'], [269, '1'], [270, '31941.0'], [271, '0'], [5041, bad],
      [279, '0'], [269, '1'], [270, '30300.7'], [271, '2'], [5041, bad]];
    feed(r.md, 'X', readd);
    feed(r.md, 'X', l2X('md1', bad));
    expect(r.md.stats.checksumMismatches).toBe(0);
    feed(r.md, 'X', readd);
    expect(r.md.stats.checksumMismatches).toBe(1);
  });

  it('gives up after too many breaks per minute (no resubscribe loop)', () => {
    const r = rig({ maxResubscribesPerMinute: 2, nowMs: () => 1_000_000 });
    const sub = subscribeBtc(r);
    for (let i = 1; i <= 3; i++) feed(r.md, 'X', l2X(`md${i}`, L2_CS));
    expect(sub.state).toBe(SubState.Failed);
    expect(r.events.some((e) => e.kind === 'subscription-failed')).toBe(true);
    const vs = r.sender.ofType('V');
    expect(field(vs[vs.length - 1]!, 263)).toBe('2'); // last action: unsubscribe, no new subscribe
    expect(r.md.stats.resubscribes).toBe(2);
  });
});

describe('rejects, trades, unsubscribe', () => {
  it('MarketDataRequestReject Y is surfaced with its 281 reason and the subscription is Rejected', () => {
    const r = rig();
    const s = r.md.subscribe({ symbols: ['TEST/TEST'], depth: 10, decimals: { 'TEST/TEST': BTC } });
    if (!s.ok) throw new Error('subscribe');
    feed(r.md, 'Y', [[262, 'md1'], [281, '0'], [58, 'MarketData subscription failed due to unsupported symbol: TEST/TEST']]);
    const ev = r.events.find((e) => e.kind === 'reject');
    expect(ev).toMatchObject({
      kind: 'reject', mdReqID: 'md1', reason: '0', reasonText: 'unknown symbol',
      text: 'MarketData subscription failed due to unsupported symbol: TEST/TEST',
    });
    expect((ev as { sub: MdSubscription }).sub).toBe(s.value);
    expect(s.value.state).toBe(SubState.Rejected);
    expect(r.md.stats.rejects).toBe(1);
    // A reject for an id that is not ours is still reported, with no subscription.
    feed(r.md, 'Y', [[262, 'other'], [281, 'B']]);
    expect(r.events.filter((e) => e.kind === 'reject').pop()).toMatchObject({ sub: null, reasonText: 'L3 not available' });
  });

  it('trade entries (269=2) are surfaced as trades and do not touch the book', () => {
    const r = rig();
    subscribeBtc(r, { trades: true });
    expect(r.sender.sent[0]).toContain('|267=3|269=0|269=1|269=2|');
    feed(r.md, 'W', [[262, 'md1'], [55, 'BTC/USD'], ...L2_SNAPSHOT]);
    const cs = slowL2Checksum([[303000, 70_000_000], [303007, 200_000_000]], [[302999, 150_000_000], [302998, 25_000_000]], 1, 8);
    feed(r.md, 'X', [
      [262, 'md1'], [55, 'BTC/USD'], [268, '2'],
      [279, '0'], [269, '2'], [278, 'T42'], [270, '30300.0'], [271, '0.05'], [273, '14:09:33.5'], [40, '2'], [2446, '1'],
      [279, '1'], [269, '1'], [278, 'O30300.0'], [270, '30300.0'], [271, '0.7'], [5041, String(cs)],
    ]);
    expect(r.trades).toEqual([{ symbol: 'BTC/USD', price: 303000, qty: 5_000_000, aggressor: 1, ordType: 2, id: 'T42' }]);
    expect(r.md.book('BTC/USD')!.l2!.bestAskQty()).toBe(70_000_000);
    expect(r.md.stats).toMatchObject({ trades: 1, checksumMismatches: 0 });
  });

  it('unsubscribe sends 263=2 with the same MDReqID and closes the handle', () => {
    const r = rig();
    const sub = subscribeBtc(r);
    expect(r.md.unsubscribe(sub).ok).toBe(true);
    const vs = r.sender.ofType('V');
    expect(vs.map((v) => [field(v, 262), field(v, 263)])).toEqual([['md1', '1'], ['md1', '2']]);
    expect(sub.state).toBe(SubState.Closed);
    expect(r.md.unsubscribe(sub)).toMatchObject({ ok: false, error: { code: 'CLOSED' } });
    feed(r.md, 'W', [[262, 'md1'], [55, 'BTC/USD'], ...L2_SNAPSHOT]);
    expect(r.md.stats.staleMessages).toBe(1);
  });

  it('refuses bad requests with typed errors', () => {
    const r = rig();
    expect(r.md.subscribe({ symbols: [], depth: 10 })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(r.md.subscribe({ symbols: ['A/B'], depth: 7 as 10 })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(r.md.subscribe({ symbols: ['A/B'], depth: 10, level: 'L3', trades: true })).toMatchObject({ ok: false });
    expect(r.md.subscribe({ symbols: ['A/B', 'A/B'], depth: 10 })).toMatchObject({ ok: false });
    expect(r.sender.sent).toHaveLength(0);
  });

  it('malformed W/X never throw: unknown symbol and stray group fields are decode errors', () => {
    const r = rig();
    subscribeBtc(r);
    feed(r.md, 'W', [[262, 'md1'], [55, 'XRP/USD'], [268, '0']]);
    expect(r.events.some((e) => e.kind === 'decode-error')).toBe(true);
    feed(r.md, 'W', [[262, 'md1'], [55, 'BTC/USD'], [268, '1'], [270, '1'], [269, '0'], [271, '1']]);
    expect(r.md.stats.decodeErrors).toBe(2);
    expect(r.md.stats.resubscribes).toBe(1);
  });
});

describe('InstrumentList y and TradingSessionStatus h', () => {
  const LIST: Fields = [
    [320, 'il1'], [322, 'r1'], [560, '0'], [146, '2'],
    [55, 'BTC/USD'], [562, '0.00000001'], [5010, '8'], [5011, '0.0001'], [2349, '1'], [5022, '0.1'], [5032, '1'],
    [55, 'ETH/USD'], [562, '0.001'], [5010, '3'], [5011, '0.002'], [5013, '5'], [2349, '2'], [5022, '0.01'], [5032, '4'],
  ];

  it('y fills the book-side and order-entry tables; a subscription waiting for decimals goes out', () => {
    const orderEntry = new InstrumentTable();
    const r = rig({ orderEntryInstruments: orderEntry });
    const s = r.md.subscribe({ symbols: ['ETH/USD'], depth: 25 });
    if (!s.ok) throw new Error('subscribe');
    expect(s.value.state).toBe(SubState.Pending);
    expect(r.sender.sent).toHaveLength(0);
    feed(r.md, 'y', LIST);
    expect(r.md.instruments.get('BTC/USD')).toMatchObject({ priceDecimals: 1, qtyDecimals: 8, tickSize: 1, qtyMin: 10_000 });
    expect(r.md.instruments.get('ETH/USD')).toMatchObject({ priceDecimals: 2, qtyDecimals: 3, status: 4, minimumCost: '5' });
    expect(orderEntry.get('ETH/USD')?.status).toBe('post_only');
    expect(r.events.find((e) => e.kind === 'instruments')).toMatchObject({ added: 2, errors: [], lastFragment: true });
    expect(s.value.state).toBe(SubState.Requested);
    expect(r.events.find((e) => e.kind === 'subscribe-sent')).toMatchObject({ cause: 'instruments' });
    expect(s.value.books[0]!.priceDecimals).toBe(2);
  });

  it('a symbol absent from the complete list is reported', () => {
    const r = rig();
    r.md.subscribe({ symbols: ['NOPE/USD'], depth: 10 });
    feed(r.md, 'y', LIST);
    expect(r.events.find((e) => e.kind === 'unknown-instrument')).toMatchObject({ symbol: 'NOPE/USD' });
    expect(r.sender.sent).toHaveLength(0);
  });

  it('h sets the market state', () => {
    const orderEntry = new InstrumentTable();
    const r = rig({ orderEntryInstruments: orderEntry });
    feed(r.md, 'h', [[335, 'ts1'], [336, 'SESSION'], [340, '101']]);
    expect(r.md.instruments.tradingSessionStatus('SESSION')).toBe(TradSesStatus.CancelOnly);
    expect(orderEntry.spotSessionState).toBe('cancel_only');
    expect(r.events).toContainEqual({ kind: 'market-state', tradingSessionID: 'SESSION', status: 101, known: true });
    feed(r.md, 'h', [[335, 'ts1'], [336, 'SESSION'], [340, '2']]);
    expect(r.md.instruments.tradingSessionStatus('SESSION')).toBe(TradSesStatus.Online);
    feed(r.md, 'h', [[335, 'ts1'], [340, '2']]); // no 336
    expect(r.md.stats.decodeErrors).toBe(1);
  });

  it('other message types are not handled', () => {
    const r = rig();
    expect(feed(r.md, '8', [[37, 'x']])).toBe(false);
  });
});
