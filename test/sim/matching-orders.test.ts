import { describe, expect, it } from 'vitest';
import { InstrumentStatus, MdKind, OrdType, Reason, Side, TimeInForce } from '../../src/sim/matching/constants.js';
import { AmendRequest } from '../../src/sim/matching/requests.js';
import { execLines, execRows, makeFixture } from '../../src/sim/matching/testkit.js';

const SEC = 1_000_000;

function setup() {
  const fx = makeFixture(3);
  const e = fx.engine;
  const lines = () => execLines(e);
  return { fx, e, lines };
}

describe('limit and market orders', () => {
  it('rests, then fills partially and fully with exact CumQty/LeavesQty/AvgPx/LastPx/LastQty', () => {
    const { fx, e, lines } = setup();
    fx.submit({ account: 0, side: Side.Sell, price: '100.0', qty: '1' });
    fx.submit({ account: 0, side: Side.Sell, price: '100.5', qty: '2' });
    expect(lines()).toEqual(['0/0 cum=0 leaves=1', '0/0 cum=0 leaves=2']);
    fx.submit({ account: 1, side: Side.Buy, price: '101', qty: '2.5' });
    expect(lines()).toEqual([
      '0/0 cum=0 leaves=2.5',
      'F/1 cum=1 leaves=1.5 last=1@100.0 avg=100.0 taker',
      'F/2 cum=1 leaves=0 last=1@100.0 avg=100.0 maker',
      'F/2 cum=2.5 leaves=0 last=1.5@100.5 avg=100.3 taker',
      'F/1 cum=1.5 leaves=0.5 last=1.5@100.5 avg=100.5 maker',
    ]);
    expect(e.depth(fx.spot.id, Side.Sell)).toEqual([{ price: 1005, qty: fx.q('0.5'), total: fx.q('0.5'), count: 1 }]);
    expect(e.bestBid(fx.spot.id)).toBe(-1);
  });

  it('numbers trades per pair and marks both sides with the same trade id', () => {
    const { fx, e } = setup();
    fx.submit({ account: 0, side: Side.Sell, price: '100', qty: '1' });
    fx.submit({ account: 1, side: Side.Buy, price: '100', qty: '0.4' });
    fx.submit({ account: 1, side: Side.Buy, price: '100', qty: '0.6' });
    const trades = execRows(e).filter((r) => r.et === 'F');
    expect(trades.map((t) => t.tradeId)).toEqual([1, 1, 2, 2]);
    expect(trades.map((t) => t.liq)).toEqual([2, 1, 2, 1]);
  });

  it('market order sweeps levels, then cancels the rest', () => {
    const { fx, lines } = setup();
    fx.submit({ account: 0, side: Side.Buy, price: '99.0', qty: '1' });
    fx.submit({ account: 0, side: Side.Buy, price: '98.0', qty: '1' });
    lines();
    fx.submit({ account: 1, side: Side.Sell, type: OrdType.Market, qty: '3' });
    expect(lines()).toEqual([
      '0/0 cum=0 leaves=3',
      'F/1 cum=1 leaves=2 last=1@99.0 avg=99.0 taker',
      'F/2 cum=1 leaves=0 last=1@99.0 avg=99.0 maker',
      'F/1 cum=2 leaves=1 last=1@98.0 avg=98.5 taker',
      'F/2 cum=1 leaves=0 last=1@98.0 avg=98.0 maker',
      '4/4 cum=2 leaves=0 "EOrder:Immediate or cancel order not filled"',
    ]);
  });

  it('market order into an empty book is accepted then cancelled', () => {
    const { fx, lines } = setup();
    fx.submit({ account: 1, side: Side.Sell, type: OrdType.Market, qty: '1' });
    expect(lines()).toEqual(['0/0 cum=0 leaves=1', '4/4 cum=0 leaves=0 "EOrder:Insufficient liquidity"']);
  });

  it('publishes L3 adds/modifies/deletes and trades with the aggressor side', () => {
    const { fx, e } = setup();
    const s = fx.submit({ account: 0, side: Side.Sell, price: '100', qty: '1' });
    fx.submit({ account: 1, side: Side.Buy, price: '100', qty: '0.25' });
    const b = fx.submit({ account: 1, side: Side.Buy, price: '100', qty: '1' });
    const md = e.md.toArray().map((m) => [m.kind, m.ref, m.side, m.price, m.qty]);
    expect(md).toEqual([
      [MdKind.Add, s, Side.Sell, 1000, fx.q('1')],
      [MdKind.Trade, md[1][1], Side.Buy, 1000, fx.q('0.25')],
      [MdKind.Modify, s, Side.Sell, 1000, fx.q('0.75')],
      [MdKind.Trade, b, Side.Buy, 1000, fx.q('0.75')],
      [MdKind.Delete, s, Side.Sell, 1000, 0],
      [MdKind.Add, b, Side.Buy, 1000, fx.q('0.25')],
    ]);
    expect(e.md.get(1).aggressor).toBe(Side.Buy);
    expect(e.md.get(1).takerOrdType).toBe(OrdType.Limit);
  });
});

describe('time in force', () => {
  it('IOC fills what it can and cancels the residual', () => {
    const { fx, e, lines } = setup();
    fx.submit({ account: 0, side: Side.Sell, price: '100', qty: '1' });
    fx.submit({ account: 0, side: Side.Sell, price: '101', qty: '1' });
    lines();
    fx.submit({ account: 1, side: Side.Buy, price: '100.5', qty: '2', tif: TimeInForce.IOC });
    expect(lines()).toEqual([
      '0/0 cum=0 leaves=2',
      'F/1 cum=1 leaves=1 last=1@100.0 avg=100.0 taker',
      'F/2 cum=1 leaves=0 last=1@100.0 avg=100.0 maker',
      '4/4 cum=1 leaves=0 "EOrder:Immediate or cancel order not filled"',
    ]);
    expect(e.bestBid(fx.spot.id)).toBe(-1);
  });

  it('FOK is all or nothing', () => {
    const { fx, e, lines } = setup();
    fx.submit({ account: 0, side: Side.Sell, price: '100', qty: '1' });
    fx.submit({ account: 0, side: Side.Sell, price: '101', qty: '1' });
    lines();
    fx.submit({ account: 1, side: Side.Buy, price: '100.5', qty: '2', tif: TimeInForce.FOK });
    expect(lines()).toEqual(['0/0 cum=0 leaves=2', '4/4 cum=0 leaves=0 "EOrder:Fill or kill order not filled"']);
    expect(e.md.count).toBe(0);
    fx.submit({ account: 1, side: Side.Buy, price: '101', qty: '2', tif: TimeInForce.FOK });
    expect(lines()).toEqual([
      '0/0 cum=0 leaves=2',
      'F/1 cum=1 leaves=1 last=1@100.0 avg=100.0 taker',
      'F/2 cum=1 leaves=0 last=1@100.0 avg=100.0 maker',
      'F/2 cum=2 leaves=0 last=1@101.0 avg=100.5 taker',
      'F/2 cum=1 leaves=0 last=1@101.0 avg=101.0 maker',
    ]);
  });

  it('FOK counts hidden iceberg quantity but not liquidity behind an own order', () => {
    const { fx, lines } = setup();
    fx.submit({ account: 0, side: Side.Sell, price: '100', qty: '1.5', display: '0.1' });
    fx.submit({ account: 1, side: Side.Sell, price: '100', qty: '1' });
    lines();
    // Account 1 (default STP cancel-newest) would stop at its own order: only 0.1 shown before it.
    fx.submit({ account: 1, side: Side.Buy, price: '100', qty: '0.2', tif: TimeInForce.FOK });
    expect(lines()).toEqual(['0/0 cum=0 leaves=0.2', '4/4 cum=0 leaves=0 "EOrder:Fill or kill order not filled"']);
    fx.submit({ account: 2, side: Side.Buy, price: '100', qty: '2.5', tif: TimeInForce.FOK });
    const l = lines();
    expect(l[0]).toBe('0/0 cum=0 leaves=2.5');
    expect(l[l.length - 2]).toMatch(/^F\/2 cum=2.5 leaves=0 /);
  });

  it('GTD orders expire through the injected clock', () => {
    const { fx, e, lines } = setup();
    const t0 = e.now;
    const k = fx.submit({ account: 1, side: Side.Buy, price: '100', qty: '1', tif: TimeInForce.GTD, expireTime: t0 + 10 * SEC });
    expect(e.reserved(1, fx.usd)).toBe(100_000_000_000n);
    lines();
    e.advanceTime(t0 + 5 * SEC);
    expect(lines()).toEqual([]);
    e.advanceTime(t0 + 60 * SEC);
    const rows = execRows(e);
    expect(rows.map((r) => `${r.et}/${r.os} leaves=${r.leaves}`)).toEqual(['C/C leaves=0.00000000']);
    expect(e.exec.count).toBe(0);
    expect(e.isOpen(k)).toBe(false);
    expect(e.reserved(1, fx.usd)).toBe(0n);
    expect(e.bestBid(fx.spot.id)).toBe(-1);
    expect(e.now).toBe(t0 + 60 * SEC);
  });

  it('expiry events carry the expiry time, in time order', () => {
    const { fx, e } = setup();
    const t0 = e.now;
    fx.submit({ account: 1, side: Side.Buy, price: '100', qty: '1', tif: TimeInForce.GTD, expireTime: t0 + 3 * SEC, tag: 3 });
    fx.submit({ account: 1, side: Side.Buy, price: '100', qty: '1', tif: TimeInForce.GTD, expireTime: t0 + 2 * SEC, tag: 2 });
    e.exec.clear();
    e.advanceTime(t0 + 4 * SEC);
    expect(e.exec.toArray().map((x) => [x.tag, x.time])).toEqual([
      [2, t0 + 2 * SEC],
      [3, t0 + 3 * SEC],
    ]);
  });

  it('rejects GTD in the past or too far ahead', () => {
    const { fx, e } = setup();
    expect(e.submit(fx.order({ qty: '1', price: '100', tif: TimeInForce.GTD, expireTime: e.now }))).toBe(Reason.InvalidExpireTime);
    expect(e.submit(fx.order({ qty: '1', price: '100', tif: TimeInForce.GTD, expireTime: e.now + 40 * 86400 * SEC }))).toBe(Reason.InvalidExpireTime);
    expect(e.exec.count).toBe(0);
  });

  it('EffectiveTime orders are Pending New until their start', () => {
    const { fx, e, lines } = setup();
    fx.submit({ account: 0, side: Side.Sell, price: '100', qty: '1' });
    lines();
    const t0 = e.now;
    fx.submit({ account: 1, side: Side.Buy, price: '100', qty: '0.5', effectiveTime: t0 + SEC });
    expect(lines()).toEqual(['A/A cum=0 leaves=0.5']);
    expect(e.depth(fx.spot.id, Side.Buy)).toEqual([]);
    e.advanceTime(t0 + SEC);
    expect(lines()).toEqual([
      '0/0 cum=0 leaves=0.5',
      'F/2 cum=0.5 leaves=0 last=0.5@100.0 avg=100.0 taker',
      'F/1 cum=0.5 leaves=0.5 last=0.5@100.0 avg=100.0 maker',
    ]);
  });
});

describe('post-only', () => {
  it('is cancelled instead of taking, rests otherwise', () => {
    const { fx, e, lines } = setup();
    fx.submit({ account: 0, side: Side.Sell, price: '100', qty: '1' });
    lines();
    fx.submit({ account: 1, side: Side.Buy, price: '100', qty: '1', postOnly: true });
    expect(lines()).toEqual(['0/0 cum=0 leaves=1', '4/4 cum=0 leaves=0 "EOrder:Post only order"']);
    expect(e.reserved(1, fx.usd)).toBe(0n);
    fx.submit({ account: 1, side: Side.Buy, price: '99.9', qty: '1', postOnly: true });
    expect(lines()).toEqual(['0/0 cum=0 leaves=1']);
    expect(e.bestBid(fx.spot.id)).toBe(999);
  });

  it('only post-only limits are accepted in post_only mode', () => {
    const { fx, e } = setup();
    e.setInstrumentStatus(fx.spot.id, InstrumentStatus.PostOnly);
    expect(e.submit(fx.order({ qty: '1', price: '100' }))).toBe(Reason.MarketPostOnly);
    expect(e.submit(fx.order({ qty: '1', price: '100', postOnly: true }))).toBe(Reason.None);
  });
});

describe('iceberg', () => {
  it('shows only the display quantity; a refresh goes to the back of the level', () => {
    const { fx, e, lines } = setup();
    const ice = fx.submit({ account: 0, side: Side.Sell, price: '100', qty: '1', display: '0.1' });
    const plain = fx.submit({ account: 1, side: Side.Sell, price: '100', qty: '0.5' });
    expect(e.depth(fx.spot.id, Side.Sell)).toEqual([{ price: 1000, qty: fx.q('0.6'), total: fx.q('1.5'), count: 2 }]);
    expect(e.queue(fx.spot.id, Side.Sell, 1000)).toEqual([ice, plain]);
    lines();
    e.md.clear();
    fx.submit({ account: 2, side: Side.Buy, price: '100', qty: '0.1' });
    expect(lines()).toEqual([
      '0/0 cum=0 leaves=0.1',
      'F/2 cum=0.1 leaves=0 last=0.1@100.0 avg=100.0 taker',
      'F/1 cum=0.1 leaves=0.9 last=0.1@100.0 avg=100.0 maker',
    ]);
    expect(e.queue(fx.spot.id, Side.Sell, 1000)).toEqual([plain, ice]);
    fx.submit({ account: 2, side: Side.Buy, price: '100', qty: '0.3' });
    expect(lines()).toEqual([
      '0/0 cum=0 leaves=0.3',
      'F/2 cum=0.3 leaves=0 last=0.3@100.0 avg=100.0 taker',
      'F/1 cum=0.3 leaves=0.2 last=0.3@100.0 avg=100.0 maker',
    ]);
    // A large taker drains the level in queue order, refreshing the iceberg as many times as needed.
    fx.submit({ account: 2, side: Side.Buy, price: '100', qty: '1.1' });
    const r = execRows(e).filter((x) => x.et === 'F' && x.liq === 1);
    expect(r.map((x) => [x.ref === ice ? 'ice' : 'plain', x.lastQty])).toEqual([
      ['plain', '0.20000000'],
      ['ice', '0.10000000'],
      ['ice', '0.10000000'],
      ['ice', '0.10000000'],
      ['ice', '0.10000000'],
      ['ice', '0.10000000'],
      ['ice', '0.10000000'],
      ['ice', '0.10000000'],
      ['ice', '0.10000000'],
      ['ice', '0.10000000'],
    ]);
    expect(e.depth(fx.spot.id, Side.Sell)).toEqual([]);
  });

  it('publishes a refresh as delete + add (new queue position), hidden quantity never', () => {
    const { fx, e } = setup();
    const ice = fx.submit({ account: 0, side: Side.Sell, price: '100', qty: '1', display: '0.25' });
    fx.submit({ account: 2, side: Side.Buy, price: '100', qty: '0.25' });
    const md = e.md.toArray().filter((m) => m.ref === ice).map((m) => [m.kind, m.qty]);
    expect(md).toEqual([
      [MdKind.Add, fx.q('0.25')],
      [MdKind.Delete, 0],
      [MdKind.Add, fx.q('0.25')],
    ]);
  });

  it('validates the display quantity (>= 1/15 of the order, limit only)', () => {
    const { fx, e } = setup();
    expect(e.submit(fx.order({ qty: '1.5', price: '100', display: '0.09' }))).toBe(Reason.InvalidDisplayQty);
    expect(e.submit(fx.order({ qty: '1.5', price: '100', display: '0.1' }))).toBe(Reason.None);
    expect(e.submit(fx.order({ qty: '1', type: OrdType.Market, display: '0.1' }))).toBe(Reason.InvalidDisplayQty);
  });
});

describe('validation and balances', () => {
  it('rejects below minimums and bad prices before the engine (no events)', () => {
    const { fx, e } = setup();
    expect(e.submit(fx.order({ qty: '0.00009', price: '100' }))).toBe(Reason.OrderMinimum);
    expect(e.submit(fx.order({ qty: '0.0001', price: '1' }))).toBe(Reason.CostMinimum);
    expect(e.submit(fx.order({ qty: '1', type: OrdType.Limit }))).toBe(Reason.InvalidPrice);
    const unknown = fx.order({ qty: '1', price: '100' });
    unknown.instrument = 9;
    expect(e.submit(unknown)).toBe(Reason.UnknownInstrument);
    expect(e.submit(fx.order({ qty: '1', price: '100', account: 99 }))).toBe(Reason.UnknownAccount);
    const r = fx.order({ qty: '1', price: '100' });
    r.qty = 1.5;
    expect(e.submit(r)).toBe(Reason.InvalidVolume);
    expect(e.exec.count).toBe(0);
    expect(e.openOrders()).toEqual([]);
  });

  it('rejects unaffordable orders with EOrder:Insufficient funds, counting reservations', () => {
    const { fx, e } = setup();
    expect(e.submit(fx.order({ side: Side.Sell, qty: '100.00000001', price: '100' }))).toBe(Reason.InsufficientFunds);
    expect(e.submit(fx.order({ side: Side.Buy, qty: '20.00000001', price: '50000' }))).toBe(Reason.InsufficientFunds);
    expect(e.submit(fx.order({ side: Side.Buy, qty: '10', price: '50000' }))).toBe(Reason.None);
    expect(e.reserved(0, fx.usd)).toBe(500_000n * 10n ** 9n);
    expect(e.submit(fx.order({ side: Side.Buy, qty: '10.00000001', price: '50000' }))).toBe(Reason.InsufficientFunds);
    expect(e.submit(fx.order({ side: Side.Buy, qty: '10', price: '50000' }))).toBe(Reason.None);
    expect(e.available(0, fx.usd)).toBe(0n);
  });

  it('checks market buys against the cost of sweeping the book', () => {
    const { fx, e } = setup();
    fx.submit({ account: 1, side: Side.Sell, price: '60000', qty: '20' });
    expect(e.submit(fx.order({ account: 0, side: Side.Buy, type: OrdType.Market, qty: '17' }))).toBe(Reason.InsufficientFunds);
    expect(e.submit(fx.order({ account: 0, side: Side.Buy, type: OrdType.Market, qty: '16' }))).toBe(Reason.None);
    expect(e.balance(0, fx.usd)).toBe((1_000_000n - 960_000n) * 10n ** 9n);
  });

  it('moves assets exactly, releases price improvement, conserves totals', () => {
    const { fx, e } = setup();
    fx.submit({ account: 0, side: Side.Sell, price: '100.3', qty: '0.12345678' });
    fx.submit({ account: 1, side: Side.Buy, price: '101', qty: '0.12345678' });
    // cost = 100.3 * 0.12345678 = 12.382715034 USD
    expect(e.balance(1, fx.usd)).toBe(1_000_000_000_000_000n - 12_382_715_034n);
    expect(e.balance(0, fx.usd)).toBe(1_000_000_000_000_000n + 12_382_715_034n);
    expect(e.balance(1, fx.btc)).toBe(10_000_000_000n + 12_345_678n);
    expect(e.reserved(1, fx.usd)).toBe(0n);
    expect(e.reserved(0, fx.btc)).toBe(0n);
    for (const asset of [fx.usd, fx.btc]) {
      const sum = [0, 1, 2].reduce((s, a) => s + e.balance(a, asset), 0n);
      expect(sum).toBe(e.ledger.supplyOf(asset));
    }
  });

  it('gates order entry and cancels on the market state', () => {
    const { fx, e } = setup();
    const k = fx.submit({ qty: '1', price: '100' });
    e.setInstrumentStatus(fx.spot.id, InstrumentStatus.CancelOnly);
    expect(e.submit(fx.order({ qty: '1', price: '100' }))).toBe(Reason.MarketCancelOnly);
    e.setInstrumentStatus(fx.spot.id, InstrumentStatus.Maintenance);
    expect(e.cancel(k)).toBe(Reason.MarketUnavailable);
    e.setInstrumentStatus(fx.spot.id, InstrumentStatus.LimitOnly);
    expect(e.submit(fx.order({ qty: '1', type: OrdType.Market }))).toBe(Reason.MarketLimitOnly);
    e.setInstrumentStatus(fx.spot.id, InstrumentStatus.Delisted);
    expect(e.submit(fx.order({ qty: '1', price: '100' }))).toBe(Reason.UnknownInstrument);
  });
});

describe('cancel and mass cancel', () => {
  it('cancels with the request tag as ClOrdID and the order tag as OrigClOrdID', () => {
    const { fx, e } = setup();
    const k = fx.submit({ qty: '1', price: '100', tag: 11 });
    e.exec.clear();
    expect(e.cancel(k, Reason.UserCancel, 12)).toBe(Reason.None);
    const ev = e.exec.get(0);
    expect([String.fromCharCode(ev.execType), String.fromCharCode(ev.ordStatus), ev.tag, ev.origTag, ev.leavesQty]).toEqual(['4', '4', 12, 11, 0]);
    expect(e.cancel(k)).toBe(Reason.UnknownOrder);
    expect(e.reserved(0, fx.usd)).toBe(0n);
    expect(e.keyOfOrderId(e.orderIdOf(k))).toBe(k);
  });

  it('mass cancels by session+symbol, session and account; includes untriggered and scheduled orders', () => {
    const { fx, e } = setup();
    const a = fx.submit({ account: 0, session: 1, qty: '1', price: '100' });
    const b = fx.submit({ account: 0, session: 1, instrument: fx.perp.id, qty: '1', price: '100' });
    const c = fx.submit({ account: 0, session: 2, qty: '1', price: '100', type: OrdType.StopLossLimit, stopPx: '120' });
    const d = fx.submit({ account: 1, session: 3, qty: '1', price: '100', effectiveTime: e.now + SEC });
    const f = fx.submit({ account: 1, session: 4, qty: '1', price: '100' });
    expect(e.massCancel(-1, 1, fx.spot.id)).toBe(1);
    expect(e.isOpen(a)).toBe(false);
    expect(e.isOpen(b)).toBe(true);
    expect(e.massCancel(-1, 1, -1)).toBe(1);
    expect(e.massCancel(0, -1, -1)).toBe(1);
    expect(e.isOpen(c)).toBe(false);
    e.exec.clear();
    expect(e.massCancel(-1, 3, -1, Reason.CancelOnDisconnect)).toBe(1);
    expect(e.isOpen(d)).toBe(false);
    expect(execRows(e).map((r) => r.text)).toEqual(['EOrder:Cancel on disconnect']);
    expect(e.openOrders()).toEqual([f]);
  });
});

describe('amend (atomic, Spot)', () => {
  function two() {
    const s = setup();
    const a = s.fx.submit({ account: 0, side: Side.Buy, price: '100', qty: '1', tag: 1 });
    const b = s.fx.submit({ account: 1, side: Side.Buy, price: '100', qty: '1', tag: 2 });
    s.lines();
    s.e.md.clear();
    return { ...s, a, b, am: new AmendRequest() };
  }

  it('qty decrease keeps priority, OrderID and reports Replaced with the new ClOrdID', () => {
    const { fx, e, a, b, am, lines } = two();
    am.qty = fx.q('0.5');
    am.tag = 5;
    expect(e.amend(a, am)).toBe(Reason.None);
    const ev = e.exec.get(0);
    expect([ev.ref, ev.tag, ev.origTag]).toEqual([a, 5, 1]);
    expect(lines()).toEqual(['5/5 cum=0 leaves=0.5']);
    expect(e.queue(fx.spot.id, Side.Buy, 1000)).toEqual([a, b]);
    expect(e.reserved(0, fx.usd)).toBe(50_000_000_000n);
    expect(e.depth(fx.spot.id, Side.Buy)[0].qty).toBe(fx.q('1.5'));
  });

  it('qty increase and price change lose priority', () => {
    const { fx, e, a, b, am } = two();
    am.qty = fx.q('1.5');
    e.amend(a, am);
    expect(e.queue(fx.spot.id, Side.Buy, 1000)).toEqual([b, a]);
    am.reset();
    am.price = fx.p('99.9');
    e.amend(b, am);
    am.price = fx.p('100');
    e.amend(b, am);
    expect(e.queue(fx.spot.id, Side.Buy, 1000)).toEqual([a, b]);
    expect(e.md.toArray().slice(0, 2).map((m) => m.kind)).toEqual([MdKind.Delete, MdKind.Add]);
  });

  it('qty below the filled qty: qty becomes the filled qty, the remainder is cancelled', () => {
    const { fx, e, a, am, lines } = two();
    fx.submit({ account: 2, side: Side.Sell, price: '100', qty: '0.6' });
    lines();
    am.qty = fx.q('0.5');
    expect(e.amend(a, am)).toBe(Reason.None);
    expect(lines()).toEqual(['5/5 cum=0.6 leaves=0', '4/4 cum=0.6 leaves=0 "EOrder:Amended below filled quantity"']);
    expect(e.isOpen(a)).toBe(false);
    expect(e.reserved(0, fx.usd)).toBe(0n);
  });

  it('a price amend that crosses trades immediately', () => {
    const { fx, e, a, am, lines } = two();
    fx.submit({ account: 2, side: Side.Sell, price: '100.5', qty: '0.4' });
    lines();
    am.price = fx.p('100.5');
    e.amend(a, am);
    expect(lines()).toEqual([
      '5/5 cum=0 leaves=1',
      'F/1 cum=0.4 leaves=0.6 last=0.4@100.5 avg=100.5 taker',
      'F/2 cum=0.4 leaves=0 last=0.4@100.5 avg=100.5 maker',
    ]);
    expect(e.bestBid(fx.spot.id)).toBe(1005);
  });

  it('rejects post-only amends that would take, unaffordable amends, and unknown orders', () => {
    const { fx, e, a, am } = two();
    fx.submit({ account: 2, side: Side.Sell, price: '100.5', qty: '0.4' });
    am.price = fx.p('100.5');
    am.postOnly = true;
    expect(e.amend(a, am)).toBe(Reason.PostOnlyAmendWouldTake);
    am.reset();
    am.qty = fx.q('10001');
    expect(e.amend(a, am)).toBe(Reason.InsufficientFunds);
    expect(e.reserved(0, fx.usd)).toBe(100_000_000_000n);
    expect(e.amend(a + 1234567, am)).toBe(Reason.UnknownOrder);
    const perp = fx.submit({ instrument: fx.perp.id, qty: '1', price: '100' });
    expect(e.amend(perp, am)).toBe(Reason.AmendNotAllowed);
  });

  it('amends an iceberg display quantity', () => {
    const { fx, e } = setup();
    const req = new AmendRequest();
    const ice = fx.submit({ account: 0, side: Side.Sell, price: '100', qty: '1.5', display: '0.5' });
    req.displayQty = fx.q('0.2');
    expect(e.amend(ice, req)).toBe(Reason.None);
    expect(e.depth(fx.spot.id, Side.Sell)[0].qty).toBe(fx.q('0.2'));
    req.displayQty = fx.q('0.05');
    expect(e.amend(ice, req)).toBe(Reason.InvalidDisplayQty);
  });
});

describe('status and determinism', () => {
  it('reports an open order with ExecType I in its current status', () => {
    const { fx, e } = setup();
    fx.submit({ account: 0, side: Side.Sell, price: '100', qty: '1' });
    const k = fx.submit({ account: 1, side: Side.Buy, price: '100', qty: '1.5', tag: 7 });
    e.exec.clear();
    expect(e.reportStatus(k, 8)).toBe(Reason.None);
    const ev = e.exec.get(0);
    expect([String.fromCharCode(ev.execType), String.fromCharCode(ev.ordStatus), ev.cumQty, ev.tag, ev.origTag]).toEqual([
      'I',
      '1',
      fx.q('1'),
      8,
      7,
    ]);
    expect(e.reportStatus(k + 1)).toBe(Reason.UnknownOrder);
  });

  it('same seed and inputs give identical events and OrderIDs', () => {
    const runOnce = () => {
      const { fx, e } = setup();
      const ids: string[] = [];
      for (let i = 0; i < 50; i++) {
        const r = fx.order({ account: i % 3, side: i % 2 ? Side.Buy : Side.Sell, price: String(100 + (i % 7) / 10), qty: '0.25' });
        if (e.submit(r) === Reason.None) ids.push(e.orderIdOf(e.lastRef));
        if (i % 5 === 0) e.advanceTime(e.now + SEC);
      }
      return { ids, events: e.exec.toArray(), md: e.md.toArray() };
    };
    expect(runOnce()).toEqual(runOnce());
  });
});

describe('bad input', () => {
  it('gets a business reject or a no-op, never an exception or a state change', () => {
    const { fx, e } = setup();
    const keep = fx.submit({ account: 1, side: Side.Buy, price: '100', qty: '1' });
    const bad = [NaN, Infinity, -1, 1.5, 2 ** 60];
    const r = fx.order({ qty: '1', price: '100' });
    for (const field of ['instrument', 'account', 'side', 'ordType', 'tif', 'price', 'stopPx', 'qty', 'displayQty', 'stp', 'expireTime', 'effectiveTime'] as const) {
      for (const v of bad) {
        fx.order({ qty: '1', price: '100', tif: field === 'expireTime' ? TimeInForce.GTD : TimeInForce.GTC, type: field === 'stopPx' ? OrdType.StopLossLimit : OrdType.Limit });
        (r as unknown as Record<string, number>)[field] = v;
        const res = e.submit(r);
        expect(res, `${field}=${v}`).not.toBe(Reason.None);
      }
    }
    const am = new AmendRequest();
    for (const field of ['price', 'stopPx', 'qty', 'displayQty'] as const) {
      for (const v of [NaN, Infinity, -2, 1.5]) {
        am.reset();
        am[field] = v;
        expect(e.amend(keep, am), `${field}=${v}`).not.toBe(Reason.None);
      }
    }
    for (const k of bad) expect(e.cancel(k)).toBe(Reason.UnknownOrder);
    expect(e.massCancel(NaN, -1, -1)).toBe(0);
    expect(e.massCancel(-1, 1.5, -1)).toBe(0);
    const now = e.now;
    e.advanceTime(NaN);
    e.advanceTime(Infinity);
    expect(e.now).toBe(now);
    expect(e.openOrders()).toEqual([keep]);
    expect(e.orderView(keep)?.qty).toBe(fx.q('1'));
  });
});
