/**
 * Example: take liquidity when the book leans.
 *
 * imbalance = (bid qty - ask qty) / (bid qty + ask qty) over the top `levels` levels. Above `threshold`
 * buy at the best ask, below -threshold sell at the best bid, with an IOC limit order (never a market
 * order: the price is the worst we accept). `cooldownMs` between takes, and no take that would push the
 * position beyond `maxPositionLots`. onBook allocates nothing.
 *
 * Params: symbol (default: first instrument), levels (3), threshold (0.6), lots (1), cooldownMs (200),
 * maxPositionLots (5).
 */
import { defineStrategy, isReject, type StrategyContext } from '../../src/strategy/index.js';

let instrument = 0;
let levels = 3;
let threshold = 0.6;
let lot = 1;
let qty = 1;
let cooldownMs = 200;
let maxLots = 5;
let lastTakeMs = 0;
let takes = 0;
let rejects = 0;

function num(ctx: StrategyContext, name: string, dflt: number): number {
  const v = ctx.params[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : dflt;
}

export default defineStrategy({
  timerMs: 1000,
  onStart(ctx) {
    const symbol = typeof ctx.params.symbol === 'string' ? ctx.params.symbol : ctx.instruments[0]!.symbol;
    const inst = ctx.instrument(symbol);
    if (inst === undefined) throw new Error(`imbalance-taker: unknown symbol ${symbol}`);
    instrument = inst.id;
    lot = Math.max(inst.lot, inst.qtyMin);
    levels = num(ctx, 'levels', 3);
    threshold = num(ctx, 'threshold', 0.6);
    qty = num(ctx, 'lots', 1) * lot;
    cooldownMs = num(ctx, 'cooldownMs', 200);
    maxLots = num(ctx, 'maxPositionLots', 5);
    lastTakeMs = 0;
    takes = rejects = 0;
  },
  onBook(ctx, book) {
    if (!book.live || book.instrumentId !== instrument || !ctx.sessionActive) return;
    const now = performance.now();
    if (now - lastTakeMs < cooldownMs) return;
    let bidQty = 0;
    let askQty = 0;
    const nb = Math.min(levels, book.bidDepth());
    const na = Math.min(levels, book.askDepth());
    for (let i = 0; i < nb; i++) bidQty += book.bidQty(i);
    for (let i = 0; i < na; i++) askQty += book.askQty(i);
    if (bidQty + askQty === 0) return;
    const imbalance = (bidQty - askQty) / (bidQty + askQty);
    const lots = ctx.position(instrument) / lot;
    let side: 'buy' | 'sell' | null = null;
    if (imbalance > threshold && lots + qty / lot <= maxLots && book.bestAsk() > 0) side = 'buy';
    else if (imbalance < -threshold && lots - qty / lot >= -maxLots && book.bestBid() > 0) side = 'sell';
    if (side === null) return;
    lastTakeMs = now;
    const r = ctx.place({
      instrument,
      side,
      ordType: 'limit',
      timeInForce: 'IOC',
      price: side === 'buy' ? book.bestAsk() : book.bestBid(),
      qty,
    });
    if (isReject(r)) rejects++;
    else takes++;
  },
  onTimer(ctx) {
    if (ctx.params.verbose === true) ctx.log(`takes ${takes}, rejects ${rejects}, position ${ctx.position(instrument)}`);
  },
});
