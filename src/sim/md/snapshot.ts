/**
 * MarketDataSnapshotFullRefresh (35=W, §7): 262, 55, 268, then bids and offers (269 0/1 only, trades
 * never), each {269, 278, 270, 271, 273} plus 5060/5273 on L3. L2's 278 is side letter + price
 * (`B30299.9`), L3's the order's OrderID. An empty book gives an empty snapshot (268=0).
 * The subscription's published L2 view starts from what the snapshot showed.
 */
import type { FixSession } from '../../session/index.js';
import type { Exchange } from '../exchange.js';
import { Side } from '../matching/index.js';
import { MT } from '../wire.js';
import { forEachOrder, isoNanos, timeOnly, topLevels } from './book-view.js';

export interface L2View {
  readonly rt: { inst: import('../matching/index.js').Instrument; venue: string };
  readonly mdReqID: string;
  readonly depth: number;
  bidPx: number[];
  bidQty: number[];
  askPx: number[];
  askQty: number[];
}

export function writeSnapshot(s: FixSession, ex: Exchange, x: L2View, l3: boolean): void {
  const e = ex.engine;
  const inst = x.rt.inst;
  const now = e.now;
  const enc = s.beginMessage(MT.Snapshot);
  enc.str(262, x.mdReqID).str(55, inst.symbol);
  if (l3) {
    const rows: [number, number, number, number, number][] = [];
    for (const side of [Side.Buy, Side.Sell]) {
      forEachOrder(e, inst.id, side, x.depth, (key, ticks, lots, queueTime) => rows.push([side, key, ticks, lots, queueTime]));
    }
    enc.int(268, rows.length);
    const spot = x.rt.venue === 'spot';
    for (const [side, key, ticks, lots, queueTime] of rows) {
      enc.char(269, side === Side.Buy ? 0x30 : 0x31);
      enc.str(278, ex.ids.encode(key, spot));
      enc.decimal(270, ticks * inst.tickUnits, inst.priceDecimals);
      enc.decimal(271, lots * inst.lotUnits, inst.qtyDecimals);
      enc.str(273, timeOnly(now));
      enc.str(5060, isoNanos(now));
      enc.str(5273, isoNanos(queueTime));
    }
    s.send();
    return;
  }
  const nb = topLevels(e, inst.id, Side.Buy, x.depth, x.bidPx, x.bidQty);
  const na = topLevels(e, inst.id, Side.Sell, x.depth, x.askPx, x.askQty);
  enc.int(268, nb + na);
  const entry = (type: number, ticks: number, lots: number) => {
    const px = inst.formatPrice(ticks);
    enc.char(269, 0x30 + type);
    enc.str(278, `${type === 0 ? 'B' : 'O'}${px}`);
    enc.str(270, px);
    enc.decimal(271, lots * inst.lotUnits, inst.qtyDecimals);
    enc.str(273, timeOnly(now));
  };
  for (let i = 0; i < nb; i++) entry(0, x.bidPx[i]!, x.bidQty[i]!);
  for (let i = 0; i < na; i++) entry(1, x.askPx[i]!, x.askQty[i]!);
  s.send();
}
