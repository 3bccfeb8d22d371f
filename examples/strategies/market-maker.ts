/**
 * Example: two-sided quoting around the mid with inventory skew.
 *
 * One bid and one ask, `halfSpreadTicks` away from the mid, shifted against inventory by
 * `skewTicksPerLot` ticks per lot held (long -> quotes move down: we sell more readily and buy less).
 * A side stops quoting at `maxPositionLots`. Quotes move by amend (OrderCancelReplaceRequest) once the
 * venue acknowledged them, at most every `minRequoteMs`, and only when the target moved by
 * `requoteTicks` or more. Everything is integer arithmetic in the instrument's units; onBook allocates
 * nothing. On stop, every order of the instrument is mass-cancelled.
 *
 * Params: symbol (default: first instrument), lots (order size in lots, default 1), halfSpreadTicks (2),
 * skewTicksPerLot (1), maxPositionLots (5), requoteTicks (1), minRequoteMs (20).
 */
import { defineStrategy, isReject, OrderState, type BookView, type StrategyContext } from '../../src/strategy/index.js';

interface Quote {
  id: number;
  /** ClOrdID before an amend in flight (the order table renames the order only when the venue confirms). */
  origId: number;
  price: number;
  acked: boolean;
}

const bid: Quote = { id: 0, origId: 0, price: 0, acked: false };
const ask: Quote = { id: 0, origId: 0, price: 0, acked: false };
let instrument = 0;
let tick = 1;
let lot = 1;
let qty = 1;
let halfSpread = 2;
let skewPerLot = 1;
let maxLots = 5;
let requote = 1;
let minRequoteMs = 20;
let lastQuoteMs = 0;
let rejects = 0;

function num(ctx: StrategyContext, name: string, dflt: number): number {
  const v = ctx.params[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : dflt;
}

function quoteSide(ctx: StrategyContext, q: Quote, side: 'buy' | 'sell', target: number, allowed: boolean): void {
  if (!allowed || target <= 0) {
    if (q.id !== 0 && q.acked) {
      ctx.cancel(q.id);
      q.id = 0;
    }
    return;
  }
  if (q.id === 0) {
    const r = ctx.placeLimit(instrument, side, target, qty, true);
    if (isReject(r)) {
      rejects++;
      return;
    }
    q.id = r;
    q.price = target;
    q.acked = false;
    return;
  }
  if (!q.acked || Math.abs(target - q.price) < requote * tick) return;
  const r = ctx.amend(q.id, { price: target });
  if (isReject(r)) {
    rejects++;
    return;
  }
  q.origId = q.id;
  q.id = r;
  q.price = target;
  q.acked = false;
}

function track(ctx: StrategyContext, q: Quote): void {
  if (q.id === 0) return;
  const at = ctx.orders.indexOf(q.id);
  if (at < 0) {
    // Still known by its old ClOrdID: the amend is in flight, the order is live. Never quote a second one.
    if (q.origId !== 0 && ctx.orders.indexOf(q.origId) >= 0) return;
    q.id = 0; // filled, cancelled or rejected: quote again on the next book
    q.origId = 0;
    return;
  }
  q.origId = 0;
  if (ctx.orders.state[at] === OrderState.Open) q.acked = true;
}

/** A refused amend leaves the order under its old ClOrdID: go back to it. */
function amendRefused(ctx: StrategyContext, q: Quote): void {
  if (q.origId !== 0 && ctx.orders.indexOf(q.id) < 0 && ctx.orders.indexOf(q.origId) >= 0) {
    q.id = q.origId;
    q.origId = 0;
    q.acked = true;
  }
}

function requoteFrom(ctx: StrategyContext, book: BookView): void {
  if (!book.live || book.instrumentId !== instrument || !ctx.sessionActive) return;
  const now = performance.now();
  if (now - lastQuoteMs < minRequoteMs) return;
  const bestBid = book.bestBid();
  const bestAsk = book.bestAsk();
  if (bestBid <= 0 || bestAsk <= 0) return;
  lastQuoteMs = now;
  const lots = Math.trunc(ctx.position(instrument) / lot);
  const mid2 = bestBid + bestAsk; // twice the mid keeps it an integer
  const skew = lots * skewPerLot * tick;
  // floor / ceil to the tick grid, never crossing the opposite best.
  let bidPx = Math.floor((mid2 / 2 - halfSpread * tick - skew) / tick) * tick;
  let askPx = Math.ceil((mid2 / 2 + halfSpread * tick - skew) / tick) * tick;
  if (bidPx >= bestAsk) bidPx = bestAsk - tick;
  if (askPx <= bestBid) askPx = bestBid + tick;
  quoteSide(ctx, bid, 'buy', bidPx, lots < maxLots);
  quoteSide(ctx, ask, 'sell', askPx, lots > -maxLots);
}

export default defineStrategy({
  timerMs: 250,
  onStart(ctx) {
    const symbol = typeof ctx.params.symbol === 'string' ? ctx.params.symbol : ctx.instruments[0]!.symbol;
    const inst = ctx.instrument(symbol);
    if (inst === undefined) throw new Error(`market-maker: unknown symbol ${symbol}`);
    instrument = inst.id;
    tick = inst.tick;
    lot = Math.max(inst.lot, inst.qtyMin);
    qty = num(ctx, 'lots', 1) * lot;
    halfSpread = num(ctx, 'halfSpreadTicks', 2);
    skewPerLot = num(ctx, 'skewTicksPerLot', 1);
    maxLots = num(ctx, 'maxPositionLots', 5);
    requote = num(ctx, 'requoteTicks', 1);
    minRequoteMs = num(ctx, 'minRequoteMs', 20);
    bid.id = ask.id = bid.origId = ask.origId = 0;
    lastQuoteMs = 0;
    rejects = 0;
    ctx.log(`quoting ${symbol}: ${qty} units, half spread ${halfSpread} ticks, skew ${skewPerLot} ticks/lot`);
  },
  onBook(ctx, book) {
    requoteFrom(ctx, book);
  },
  onExecution(ctx) {
    // The order table is already updated: a quote that left it was filled, cancelled or rejected.
    track(ctx, bid);
    track(ctx, ask);
  },
  onReject(ctx) {
    rejects++;
    amendRefused(ctx, bid);
    amendRefused(ctx, ask);
  },
  onTimer(ctx) {
    // Quiet book: make sure we still quote.
    requoteFrom(ctx, ctx.book(instrument));
  },
  onStop(ctx) {
    if (ctx.sessionActive) ctx.massCancel(instrument);
  },
});
