/**
 * Strategy used by bench/engine.bench.ts: every book message produces exactly one command (place a
 * limit order ten ticks away from the touch, or cancel the one it has), so each market-data message
 * yields one wire-to-strategy sample and one strategy-to-wire sample. Allocation-free.
 */
import { defineStrategy, isReject } from '../../strategy/index.js';

let open = 0;
let acked = false;

export default defineStrategy({
  onStart() {
    open = 0;
    acked = false;
  },
  onBook(ctx, book) {
    if (!book.live || !ctx.sessionActive) return;
    if (open !== 0) {
      if (!acked) return;
      const r = ctx.cancel(open);
      if (!isReject(r)) open = 0;
      return;
    }
    const inst = ctx.instruments[book.instrumentId]!;
    const r = ctx.placeLimit(book.instrumentId, 'buy', book.bestBid() - 10 * inst.tick, inst.qtyMin);
    if (!isReject(r)) {
      open = r;
      acked = false;
    }
  },
  onExecution(ctx) {
    if (open !== 0 && ctx.orders.indexOf(open) >= 0 && ctx.orders.state[ctx.orders.indexOf(open)] === 1) acked = true;
  },
});
