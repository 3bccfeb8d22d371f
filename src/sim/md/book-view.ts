/**
 * Read-only views of the matching engine's books for market data: the top N price levels per side
 * (shown quantity only, as L2 publishes), the orders of a level in queue order (L3), and Kraken's
 * 5041 book checksum over the top 10 levels (§7; L3: every order of those levels in queue order,
 * [ASSUME] as the WS v2 L3 guide does). Also the text forms of MD timestamps.
 */
import { CRC32_INIT, crc32Final, crc32Scaled } from '../../book/checksum.js';
import { Side, type Instrument, type MatchingEngine } from '../matching/index.js';

export const CHECKSUM_LEVELS = 10;

/** Fills px/qty (ticks/lots, best first) with up to `max` levels of one side; returns the count. */
export function topLevels(e: MatchingEngine, instrument: number, side: Side, max: number, px: number[], qty: number[]): number {
  const sb = e.books[instrument]!.sideOf(side);
  let n = 0;
  for (let i = sb.n - 1; i >= 0 && n < max; i--, n++) {
    const l = sb.levels[i]!;
    px[n] = e.levels.price[l]!;
    qty[n] = e.levels.vis[l]!;
  }
  px.length = n;
  qty.length = n;
  return n;
}

/** Visits the orders of the top `max` levels of a side, best level first, queue order within a level. */
export function forEachOrder(e: MatchingEngine, instrument: number, side: Side, max: number, visit: (key: number, ticks: number, lots: number, queueTime: number) => void): void {
  const sb = e.books[instrument]!.sideOf(side);
  const o = e.orders;
  for (let i = sb.n - 1, k = 0; i >= 0 && k < max; i--, k++) {
    const l = sb.levels[i]!;
    const price = e.levels.price[l]!;
    for (let s = e.levels.head[l]!; s !== -1; s = o.next[s]!) visit(o.keyOf(s), price, o.visible[s]!, o.queueTime[s]!);
  }
}

/** 5041: asks ascending then bids descending, top 10 levels (L3: each order), price then qty digits. */
export function bookChecksum(e: MatchingEngine, inst: Instrument, l3: boolean): number {
  let crc = CRC32_INIT;
  const tu = inst.tickUnits;
  const lu = inst.lotUnits;
  for (const side of [Side.Sell, Side.Buy]) {
    const sb = e.books[inst.id]!.sideOf(side);
    for (let i = sb.n - 1, k = 0; i >= 0 && k < CHECKSUM_LEVELS; i--, k++) {
      const l = sb.levels[i]!;
      const price = e.levels.price[l]! * tu;
      if (!l3) {
        crc = crc32Scaled(crc32Scaled(crc, price), e.levels.vis[l]! * lu);
        continue;
      }
      for (let s = e.levels.head[l]!; s !== -1; s = e.orders.next[s]!) {
        crc = crc32Scaled(crc32Scaled(crc, price), e.orders.visible[s]! * lu);
      }
    }
  }
  return crc32Final(crc);
}

/** 273 MDEntryTime: time only, `HH:MM:SS.sss` UTC. */
export function timeOnly(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString().slice(11, 23);
}

/** 5060 / 5273: ISO-8601 UTC with nanoseconds. */
export function isoNanos(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const sub = String(Math.floor(micros - ms * 1000)).padStart(3, '0');
  return `${new Date(ms).toISOString().slice(0, 23)}${sub}000Z`;
}
