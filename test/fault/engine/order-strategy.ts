/**
 * Test strategy of the engine fault campaign: places resting buy limits (far under the market, so
 * nothing trades), cancels some of them once acknowledged, and writes everything it does and sees to
 * an append-only log (params.logPath) that the invariant checker reads back:
 *   P <ClOrdID>                                   place() returned this ClOrdID
 *   C <ClOrdID> <OrigClOrdID>                     cancel() returned this ClOrdID for that order
 *   E <ClOrdID> <OrigClOrdID|-> <150> <39> <ExecID> <PossDup 0|1> <OrderID>   an ExecutionReport
 *   J <ClOrdID|-> <35 of the reject> <text>       a venue or engine reject
 *   S <SessionStatus.state> <event>               session status
 * Writes are synchronous (appendFileSync), so a SIGKILL loses at most the line being written. An ER is
 * logged before the strategy does anything else with it (a crash right after still counts it as seen).
 *
 * params: logPath (string), control (SharedArrayBuffer, Int32 words: [0] orders placed so far, shared
 * by every restart of this strategy; [1] set to 1 by the harness = cancel everything now; [2] ERs seen
 * so far; [3] faults injected so far), orders (budget), perTick (orders per timer tick, default 1),
 * cancelEvery (cancel every k-th acknowledged order, 0 = never; default 3), basePrice (price units),
 * intervalMs (at least this long between placing ticks; default 0),
 * fault: none | crash | stall | slow, faultAtEr (the n-th ER triggers the fault), faults (how many
 * times; default 1), stallMs (stall length), slowMs (busy time per event for 'slow'),
 * placeWhileDown (keep placing while the session is not active: the engine must refuse at once).
 */
import { appendFileSync } from 'node:fs';
import type { ExecutionReportFlyweight, RejectFlyweight } from '../../../src/ipc/index.js';
import { defineStrategy, isReject, type StrategyContext } from '../../../src/strategy/index.js';

const W_PLACED = 0;
const W_CANCEL_ALL = 1;
const W_ERS = 2;
const W_FAULTS = 3;

let acked = 0;
let massCancelSent = false;
let lastPlaceMs = 0;

function ctl(ctx: StrategyContext): Int32Array {
  return new Int32Array(ctx.params.control as SharedArrayBuffer);
}

function num(ctx: StrategyContext, name: string, dflt: number): number {
  const v = ctx.params[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : dflt;
}

function log(ctx: StrategyContext, line: string): void {
  appendFileSync(ctx.params.logPath as string, line + '\n');
}

function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // a strategy that is slow (or stuck) on purpose
  }
}

/** The configured fault, when this event is the one that triggers it. */
function maybeFault(ctx: StrategyContext, seen: number): void {
  const fault = ctx.params.fault;
  if (fault === 'slow') return busy(num(ctx, 'slowMs', 2));
  if (fault !== 'crash' && fault !== 'stall') return;
  const c = ctl(ctx);
  const at = num(ctx, 'faultAtEr', 3);
  if (seen < at || Atomics.load(c, W_FAULTS) >= num(ctx, 'faults', 1)) return;
  Atomics.add(c, W_FAULTS, 1);
  if (fault === 'crash') throw new Error(`order-strategy: injected crash at ER ${seen}`);
  busy(num(ctx, 'stallMs', 300));
}

export default defineStrategy({
  timerMs: 2,
  onStart() {
    acked = 0;
    massCancelSent = false;
    lastPlaceMs = 0;
  },
  onTimer(ctx) {
    const c = ctl(ctx);
    if (Atomics.load(c, W_CANCEL_ALL) === 1) {
      if (!massCancelSent && ctx.sessionActive) {
        const r = ctx.massCancel();
        if (!isReject(r)) {
          massCancelSent = true;
          log(ctx, `M ${r}`);
        }
      }
      return;
    }
    if (!ctx.sessionActive && ctx.params.placeWhileDown !== true) return;
    const now = performance.now();
    if (now - lastPlaceMs < num(ctx, 'intervalMs', 0)) return;
    lastPlaceMs = now;
    const budget = num(ctx, 'orders', 10);
    const perTick = num(ctx, 'perTick', 1);
    const inst = ctx.instruments[0]!;
    const base = num(ctx, 'basePrice', 300_000);
    for (let k = 0; k < perTick; k++) {
      const n = Atomics.add(c, W_PLACED, 1);
      if (n >= budget) {
        Atomics.sub(c, W_PLACED, 1);
        return;
      }
      const r = ctx.placeLimit(0, 'buy', base + (n % 500) * inst.tick, inst.qtyMin);
      if (isReject(r)) {
        log(ctx, `J - L ${r.code}`);
        continue;
      }
      log(ctx, `P ${r}`);
    }
  },
  onExecution(ctx, er: ExecutionReportFlyweight) {
    const id = er.clOrdID();
    const orig = er.origClOrdID();
    log(ctx, `E ${id} ${orig === '' ? '-' : orig} ${String.fromCharCode(er.execType)} ${String.fromCharCode(er.ordStatus)} ${er.execID()} ${er.c.flags & 1} ${er.orderID() || '-'}`);
    const seen = Atomics.add(ctl(ctx), W_ERS, 1) + 1;
    maybeFault(ctx, seen);
    if (er.execType !== 0x30) return;
    acked++;
    const every = num(ctx, 'cancelEvery', 3);
    if (every > 0 && acked % every === 0 && Atomics.load(ctl(ctx), W_CANCEL_ALL) === 0) {
      const target = Number(id);
      const r = ctx.cancel(target);
      if (isReject(r)) log(ctx, `J ${id} L ${r.code}`);
      else log(ctx, `C ${r} ${id}`);
    }
  },
  onReject(ctx, rj: RejectFlyweight) {
    log(ctx, `J ${rj.clOrdID() || '-'} ${String.fromCharCode(rj.msgType)} ${rj.text().replace(/\s+/g, '_') || '-'}`);
  },
  onSessionStatus(ctx, s) {
    log(ctx, `S ${s.state} ${s.event}`);
  },
});
