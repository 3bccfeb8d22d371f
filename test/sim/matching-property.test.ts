import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExecType, MdKind, OrdType, Reason, Side, StpMode, TimeInForce } from '../../src/sim/matching/constants.js';
import type { MatchingEngine } from '../../src/sim/matching/engine.js';
import { OrderFlag, OrderState, isOpenState } from '../../src/sim/matching/orders.js';
import { AmendRequest, OrderRequest } from '../../src/sim/matching/requests.js';
import { makeFixture } from '../../src/sim/matching/testkit.js';

const SEC = 1_000_000;
const ACCOUNTS = 4;

type Op =
  | { k: 'new'; acct: number; session: number; side: Side; type: OrdType; tif: TimeInForce; px: number; stop: number; qty: number; display: number; postOnly: boolean; stp: StpMode; perp: boolean; reduceOnly: boolean }
  | { k: 'cancel'; pick: number }
  | { k: 'amend'; pick: number; px: number; qty: number }
  | { k: 'time'; dt: number }
  | { k: 'mass'; session: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      k: fc.constant('new' as const),
      acct: fc.integer({ min: 0, max: ACCOUNTS - 1 }),
      session: fc.integer({ min: 0, max: 2 }),
      side: fc.constantFrom(Side.Buy, Side.Sell),
      type: fc.constantFrom(
        OrdType.Limit, OrdType.Limit, OrdType.Limit, OrdType.Limit, OrdType.Limit, OrdType.Limit, OrdType.Market, OrdType.Market,
        OrdType.StopLoss, OrdType.StopLossLimit,
        OrdType.TakeProfit, OrdType.TakeProfitLimit, OrdType.TrailingStop, OrdType.TrailingStopLimit,
      ),
      tif: fc.constantFrom(TimeInForce.GTC, TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK, TimeInForce.GTD),
      px: fc.integer({ min: 990, max: 1010 }),
      stop: fc.integer({ min: 1, max: 20 }),
      qty: fc.integer({ min: 1, max: 60 }),
      display: fc.integer({ min: 0, max: 3 }),
      postOnly: fc.boolean(),
      stp: fc.constantFrom(StpMode.CancelBoth, StpMode.CancelNewest, StpMode.CancelOldest),
      perp: fc.integer({ min: 0, max: 2 }).map((v) => v === 0),
      reduceOnly: fc.integer({ min: 0, max: 3 }).map((v) => v === 0),
    }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('amend' as const), pick: fc.nat(), px: fc.integer({ min: -5, max: 5 }), qty: fc.integer({ min: -2, max: 60 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('time' as const), dt: fc.integer({ min: 1, max: 20 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('mass' as const), session: fc.integer({ min: 0, max: 2 }) }) },
);

/** Replays public L3 events into a book of visible orders: key -> [side, price, qty]. */
function applyMd(e: MatchingEngine, l3: Map<number, [number, number, number]>): void {
  for (let i = 0; i < e.md.count; i++) {
    const m = e.md.get(i);
    if (m.kind === MdKind.Add) {
      expect(l3.has(m.ref)).toBe(false);
      l3.set(m.ref, [m.side, m.price, m.qty]);
    } else if (m.kind === MdKind.Modify) {
      const o = l3.get(m.ref)!;
      expect(o).toBeDefined();
      expect(m.qty).toBeLessThan(o[2]);
      o[2] = m.qty;
    } else if (m.kind === MdKind.Delete) {
      expect(l3.delete(m.ref)).toBe(true);
    }
  }
}

function checkInvariants(e: MatchingEngine, l3Books: Map<number, [number, number, number]>, trades: Map<string, number[]>): void {
  // 1. Exec events: per trade id both sides report the same qty and price; cum + leaves = qty while open.
  const x = e.exec;
  for (let i = 0; i < x.count; i++) {
    const ev = x.get(i);
    expect(ev.cumQty).toBeLessThanOrEqual(ev.orderQty);
    const terminal = ev.leavesQty === 0;
    if (!terminal) expect(ev.cumQty + ev.leavesQty).toBe(ev.orderQty);
    if (ev.execType === ExecType.Trade) {
      const key = `${ev.instrument}:${ev.tradeId}`;
      const t = trades.get(key) ?? [];
      t.push(ev.lastQty, ev.lastPx, ev.liquidity);
      trades.set(key, t);
    }
  }
  for (const [, t] of trades) {
    if (t.length === 6) {
      expect(t[0]).toBe(t[3]);
      expect(t[1]).toBe(t[4]);
      expect(t[2] + t[5]).toBe(3); // one maker, one taker
    }
  }

  // 2. Book never crossed; level sums match their orders; L3 replay equals the book.
  const o = e.orders;
  for (const inst of e.instruments) {
    const bid = e.bestBid(inst.id);
    const ask = e.bestAsk(inst.id);
    if (bid >= 0 && ask >= 0) expect(bid).toBeLessThan(ask);
    for (const side of [Side.Buy, Side.Sell]) {
      for (const lvl of e.depth(inst.id, side)) {
        let vis = 0;
        let tot = 0;
        for (const k of e.queue(inst.id, side, lvl.price)) {
          const v = e.orderView(k)!;
          expect(v.visible).toBeGreaterThan(0);
          expect(v.visible).toBeLessThanOrEqual(v.leaves);
          vis += v.visible;
          tot += v.leaves;
          const seen = l3Books.get(k);
          expect(seen).toEqual([side, lvl.price, v.visible]);
        }
        expect([lvl.qty, lvl.total]).toEqual([vis, tot]);
      }
    }
  }
  let inBook = 0;
  const reserved = new Map<string, bigint>();
  for (let s = 0; s < o.highWater; s++) {
    if (!isOpenState(o.state[s] as OrderState)) continue;
    const qty = o.qty[s];
    const cum = o.cum[s];
    expect(cum).toBeGreaterThanOrEqual(0);
    expect(cum).toBeLessThan(qty);
    if ((o.flags[s] & OrderFlag.InBook) !== 0) inBook++;
    const inst = e.instruments[o.instrument[s]];
    if (inst.isSpot && (o.flags[s] & OrderFlag.Reserves) !== 0) {
      const buy = o.side[s] === Side.Buy;
      const asset = buy ? inst.quoteAsset : inst.baseAsset;
      const amt = BigInt(qty - cum) * BigInt(buy ? o.price[s] * inst.quoteUnitsPerNotional : inst.baseUnitsPerLot);
      const key = `${o.account[s]}:${asset}`;
      reserved.set(key, (reserved.get(key) ?? 0n) + amt);
    }
  }
  expect(l3Books.size).toBe(inBook);

  // 3. Balances conserved, reservations exact, nothing negative.
  for (let asset = 0; asset < e.assets.length; asset++) {
    let sum = 0n;
    for (let a = 0; a < ACCOUNTS; a++) {
      sum += e.balance(a, asset);
      expect(e.reserved(a, asset)).toBe(reserved.get(`${a}:${asset}`) ?? 0n);
      expect(e.available(a, asset) >= 0n).toBe(true);
    }
    expect(sum).toBe(e.ledger.supplyOf(asset));
  }
  // 4. Positions net to zero.
  for (const inst of e.instruments) {
    if (inst.isSpot) continue;
    let net = 0;
    for (let a = 0; a < ACCOUNTS; a++) net += e.position(a, inst.id);
    expect(net).toBe(0);
  }
}

const stats = new Map<string | number, number>();

function run(ops: Op[]): void {
  const fx = makeFixture(ACCOUNTS);
  const e = fx.engine;
  // Small balances so that funds rejects and fill-time funds checks happen too.
  for (let a = 0; a < ACCOUNTS; a++) {
    e.deposit(a, fx.usd, '-999800');
    e.deposit(a, fx.btc, '-99');
  }
  // Opposite perp positions (net zero) so reduce-only orders have something to reduce.
  [30, -30, 10, -10].forEach((lots, a) => e.setPosition(a, fx.perp.id, lots));
  const req = new OrderRequest();
  const am = new AmendRequest();
  const keys: number[] = [];
  const l3 = new Map<number, [number, number, number]>();
  const trades = new Map<string, number[]>();
  const lot = fx.spot.qtyToLots('0.01');
  for (const op of ops) {
    e.exec.clear();
    e.md.clear();
    if (op.k === 'new') {
      const inst = op.perp ? fx.perp : fx.spot;
      req.reset();
      req.instrument = inst.id;
      req.account = op.acct;
      req.session = op.session;
      req.side = op.side;
      req.ordType = op.type;
      req.tif = op.tif;
      req.qty = op.qty * (op.perp ? 1 : lot);
      req.price = op.type === OrdType.TrailingStopLimit ? op.stop % 5 : op.px * (op.perp ? 2 : 1);
      req.stopPx = op.type >= OrdType.TrailingStop ? op.stop : (op.px + (op.side === Side.Buy ? op.stop : -op.stop)) * (op.perp ? 2 : 1);
      req.displayQty = op.display > 0 && op.type === OrdType.Limit && !op.perp ? Math.max(Math.ceil(req.qty / 15), Math.floor(req.qty / (op.display + 1))) : 0;
      req.postOnly = op.postOnly && op.type === OrdType.Limit;
      req.reduceOnly = op.perp && op.reduceOnly;
      req.stp = op.stp;
      req.expireTime = op.tif === TimeInForce.GTD ? e.now + 5 * SEC : 0;
      if (req.displayQty < lot && req.displayQty > 0) req.displayQty = 0;
      const r = e.submit(req);
      stats.set(r, (stats.get(r) ?? 0) + 1);
      if (r === Reason.None) {
        keys.push(e.lastRef);
        expect(e.exec.count).toBeGreaterThan(0);
      } else expect(e.exec.count).toBe(0);
    } else if (op.k === 'cancel' && keys.length > 0) {
      const k = keys[op.pick % keys.length];
      const r = e.cancel(k);
      expect(r === Reason.None || r === Reason.UnknownOrder).toBe(true);
    } else if (op.k === 'amend' && keys.length > 0) {
      const k = keys[op.pick % keys.length];
      const v = e.orderView(k);
      am.reset();
      if (v !== undefined) {
        if (op.px !== 0 && v.ordType === OrdType.Limit) am.price = Math.max(1, v.price + op.px * (v.side === Side.Buy ? 1 : -1));
        if (op.qty >= 0) am.qty = op.qty * (e.instrumentOf(k) === fx.perp.id ? 1 : lot);
      }
      const before = e.exec.count;
      if (e.amend(k, am) !== Reason.None) expect(e.exec.count).toBe(before);
    } else if (op.k === 'time') {
      e.advanceTime(e.now + op.dt * SEC);
    } else if (op.k === 'mass') {
      e.massCancel(-1, op.session, -1, Reason.CancelOnDisconnect);
    }
    for (let i = 0; i < e.exec.count; i++) {
      const ev = e.exec.get(i);
      const k = ev.execType === ExecType.Trade ? 'trade' : `reason:${ev.reason}`;
      stats.set(k, (stats.get(k) ?? 0) + 1);
    }
    applyMd(e, l3);
    checkInvariants(e, l3, trades);
  }
}

describe('random order flow keeps the engine invariants', () => {
  it('book uncrossed, cum + leaves = qty, both sides of every fill equal, balances conserved', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 40, maxLength: 120 }), (ops) => {
        run(ops);
      }),
      { numRuns: 60, seed: 20240607 },
    );
    // The flow must actually reach the interesting paths (guards against a generator that only makes rejects).
    const n = (k: string | number) => stats.get(k) ?? 0;
    expect(n(Reason.None)).toBeGreaterThan(1000);
    expect(n('trade')).toBeGreaterThan(300);
    for (const r of [Reason.SelfTradePrevention, Reason.PostOnlyWouldTake, Reason.FokNotFilled, Reason.IocNotFilled, Reason.Expired, Reason.CancelOnDisconnect, Reason.ReduceOnlyCancelled]) {
      expect(n(`reason:${r}`), `reason ${r}`).toBeGreaterThan(0);
    }
    for (const r of [Reason.InsufficientFunds, Reason.ReduceOnlyNoPosition]) expect(n(r), `reject ${r}`).toBeGreaterThan(0);
  });
});
