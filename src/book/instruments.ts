/**
 * Market-data view of instruments: what a book needs from InstrumentList (35=y) entries and the
 * per-market TradingSessionStatus (35=h). Plain data built from plain strings, so the Kraken profile
 * can fill it from decoded messages; the profile's own (order-entry) instrument model is separate.
 */
import { MAX_SCALE, parseScaledString, scaledStatusName } from './decimal.js';

/** 5032 instrument status (Kraken). */
export const InstrumentStatus = {
  Hidden: 0,
  Online: 1,
  Maintenance: 2,
  CancelOnly: 3,
  PostOnly: 4,
  LimitOnly: 5,
  Delisted: 6,
  ReduceOnly: 7,
} as const;
export type InstrumentStatus = (typeof InstrumentStatus)[keyof typeof InstrumentStatus];

/** 340 TradSesStatus as Kraken uses it (101 and 102 are Kraken extensions). */
export const TradSesStatus = {
  Unknown: 0,
  /** No orders, no cancels. */
  Maintenance: 1,
  Online: 2,
  /** Cancels only, no matching. */
  CancelOnly: 101,
  /** Only post-only limit orders, no matching. */
  PostOnly: 102,
} as const;
export type TradSesStatus = (typeof TradSesStatus)[keyof typeof TradSesStatus];

const TRAD_SES_VALUES = new Set<number>(Object.values(TradSesStatus));

/** One InstrumentList NoRelatedSym entry, as decoded strings (absent fields undefined). */
export interface InstrumentListEntryFields {
  symbol: string; // 55
  minQtyIncrement?: string; // 562
  qtyDecimals: string; // 5010
  qtyMin?: string; // 5011
  qtyMax?: string; // 5012
  minimumCost?: string; // 5013
  priceDecimals: string; // 2349
  tickSize?: string; // 5022
  status?: string; // 5032
}

/**
 * Book-relevant instrument data. Quantities are scaled by 10^qtyDecimals, tickSize by
 * 10^priceDecimals; minimumCost (quote currency, no published precision) stays a decimal string.
 * A missing optional field is 0 (scaled) / '' (string).
 */
export interface MdInstrument {
  readonly symbol: string;
  readonly priceDecimals: number;
  readonly qtyDecimals: number;
  readonly minQtyIncrement: number;
  readonly qtyMin: number;
  readonly qtyMax: number;
  readonly minimumCost: string;
  readonly tickSize: number;
  readonly status: InstrumentStatus;
}

export type MdInstrumentResult = { ok: true; instrument: MdInstrument } | { ok: false; error: string };

/** Validates and scales one InstrumentList entry. Never throws. */
export function mdInstrumentFromFields(f: InstrumentListEntryFields): MdInstrumentResult {
  if (!f.symbol) return { ok: false, error: '55 Symbol missing' };
  const pd = parseDecimals(f.priceDecimals);
  if (pd < 0) return { ok: false, error: `${f.symbol}: bad 2349 PriceDecimals '${f.priceDecimals}'` };
  const qd = parseDecimals(f.qtyDecimals);
  if (qd < 0) return { ok: false, error: `${f.symbol}: bad 5010 QtyDecimals '${f.qtyDecimals}'` };
  const fields: [string, string | undefined, number][] = [
    ['562 MinQtyIncrement', f.minQtyIncrement, qd],
    ['5011 QtyMin', f.qtyMin, qd],
    ['5012 QtyMax', f.qtyMax, qd],
    ['5022 TickSize', f.tickSize, pd],
  ];
  const scaled: number[] = [];
  for (const [name, raw, scale] of fields) {
    if (raw === undefined || raw === '') {
      scaled.push(0);
      continue;
    }
    const v = parseScaledString(raw, scale);
    if (v < 0) return { ok: false, error: `${f.symbol}: bad ${name} '${raw}' (${scaledStatusName(v)})` };
    scaled.push(v);
  }
  let status: InstrumentStatus = InstrumentStatus.Online;
  if (f.status !== undefined && f.status !== '') {
    if (!/^[0-7]$/.test(f.status)) return { ok: false, error: `${f.symbol}: bad 5032 status '${f.status}'` };
    status = Number(f.status) as InstrumentStatus;
  }
  return {
    ok: true,
    instrument: {
      symbol: f.symbol,
      priceDecimals: pd,
      qtyDecimals: qd,
      minQtyIncrement: scaled[0],
      qtyMin: scaled[1],
      qtyMax: scaled[2],
      minimumCost: f.minimumCost ?? '',
      tickSize: scaled[3],
      status,
    },
  };
}

function parseDecimals(s: string | undefined): number {
  if (s === undefined || !/^\d{1,2}$/.test(s)) return -1;
  const n = Number(s);
  return n <= MAX_SCALE ? n : -1;
}

/** Instruments by symbol plus TradingSessionStatus per market (336 TradingSessionID). */
export class MdInstrumentTable {
  private readonly bySymbol = new Map<string, MdInstrument>();
  private readonly sessions = new Map<string, TradSesStatus>();

  /** Adds or replaces (InstrumentList is re-requested on every reconnect). */
  upsert(inst: MdInstrument): void {
    this.bySymbol.set(inst.symbol, inst);
  }

  /** Parses and upserts an entry; returns the error text or undefined. */
  upsertFields(f: InstrumentListEntryFields): string | undefined {
    const r = mdInstrumentFromFields(f);
    if (!r.ok) return r.error;
    this.upsert(r.instrument);
    return undefined;
  }

  get(symbol: string): MdInstrument | undefined {
    return this.bySymbol.get(symbol);
  }

  size(): number {
    return this.bySymbol.size;
  }

  symbols(): IterableIterator<string> {
    return this.bySymbol.keys();
  }

  /** Records a 340 value for a market; false (and no change) for a value Kraken does not define. */
  setTradingSessionStatus(tradingSessionId: string, tradSesStatus: number): boolean {
    if (!TRAD_SES_VALUES.has(tradSesStatus)) return false;
    this.sessions.set(tradingSessionId, tradSesStatus as TradSesStatus);
    return true;
  }

  /** Last 340 for the market, Unknown if never reported. */
  tradingSessionStatus(tradingSessionId: string): TradSesStatus {
    return this.sessions.get(tradingSessionId) ?? TradSesStatus.Unknown;
  }
}

/** Whether the exchange is matching orders in this market state (book prices can move by trades). */
export function isMatching(s: TradSesStatus): boolean {
  return s === TradSesStatus.Online;
}

/** Whether new (non post-only) orders can be accepted in this market state. */
export function acceptsNewOrders(s: TradSesStatus, postOnly: boolean): boolean {
  return s === TradSesStatus.Online || (s === TradSesStatus.PostOnly && postOnly);
}
