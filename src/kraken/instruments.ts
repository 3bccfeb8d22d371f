// Instrument table built from InstrumentList `y` (spec §4.8) plus TradingSessionStatus `h` (§4.9).
// All increments and limits are exact decimals (text as received + scaled integer), never floats.

import { type Decimal, cmp, formatDecimal, isPositive, parseDecimal, toScaled } from './decimal.js';
import { TAG } from './tags.js';
import { type FixField, type Result, type Venue, err, ok } from './types.js';

/** 5032 InstrumentStatus. */
export type InstrumentStatus =
  | 'hidden'
  | 'online'
  | 'maintenance'
  | 'cancel_only'
  | 'post_only'
  | 'limit_only'
  | 'delisted'
  | 'reduce_only';

export const INSTRUMENT_STATUS_BY_CODE: Readonly<Record<string, InstrumentStatus>> = {
  '0': 'hidden',
  '1': 'online',
  '2': 'maintenance',
  '3': 'cancel_only',
  '4': 'post_only',
  '5': 'limit_only',
  '6': 'delisted',
  '7': 'reduce_only',
};

/** 340 TradSesStatus on Spot's TradingSessionStatus `h`: applies to the whole Spot market. */
export type TradingSessionState = 'unknown' | 'maintenance' | 'online' | 'cancel_only' | 'post_only';

export const TRADING_SESSION_STATE_BY_CODE: Readonly<Record<string, TradingSessionState>> = {
  '0': 'unknown',
  '1': 'maintenance',
  '2': 'online',
  '101': 'cancel_only',
  '102': 'post_only',
};

/** Raw definition, as text — the way InstrumentList delivers it. */
export interface InstrumentSpec {
  readonly symbol: string;
  readonly venue: Venue;
  /** 5022 */
  readonly tickSize: string;
  /** 2349 */
  readonly priceDecimals: number;
  /** 562 minimum quantity increment (lot) */
  readonly qtyIncrement: string;
  /** 5010 */
  readonly qtyDecimals: number;
  /** 5011 */
  readonly qtyMin: string;
  /** 5012 (absent: no maximum) */
  readonly qtyMax?: string;
  /** 5013 in quote currency (absent: no minimum cost) */
  readonly minCost?: string;
  /** 5032 (default online) */
  readonly status?: InstrumentStatus;
}

export interface Instrument {
  readonly spec: InstrumentSpec;
  readonly symbol: string;
  readonly venue: Venue;
  readonly priceDecimals: number;
  readonly qtyDecimals: number;
  readonly tickSize: Decimal;
  readonly qtyIncrement: Decimal;
  readonly qtyMin: Decimal;
  readonly qtyMax: Decimal | null;
  readonly minCost: Decimal | null;
  /** Tick size as an integer count of 10^-priceDecimals units. */
  readonly tickUnits: bigint;
  /** Lot size as an integer count of 10^-qtyDecimals units. */
  readonly lotUnits: bigint;
  status: InstrumentStatus;
}

export interface InstrumentError {
  readonly code: 'INSTRUMENT_INVALID';
  readonly field: string;
  readonly message: string;
}

function bad(symbol: string, field: string, why: string): { ok: false; error: InstrumentError } {
  return err({ code: 'INSTRUMENT_INVALID', field, message: `instrument ${symbol}: ${field} ${why}` });
}

function isDecimalCount(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 18;
}

export function defineInstrument(spec: InstrumentSpec): Result<Instrument, InstrumentError> {
  const sym = spec.symbol;
  if (typeof sym !== 'string' || sym.length === 0 || sym.includes('\x01')) return bad(String(sym), 'symbol', 'is empty or invalid');
  if (!isDecimalCount(spec.priceDecimals)) return bad(sym, 'priceDecimals', 'must be an integer 0..18');
  if (!isDecimalCount(spec.qtyDecimals)) return bad(sym, 'qtyDecimals', 'must be an integer 0..18');
  const tick = parseDecimal(spec.tickSize);
  if (tick === null || !isPositive(tick)) return bad(sym, 'tickSize', 'must be a positive decimal');
  const tickUnits = toScaled(tick, spec.priceDecimals);
  if (tickUnits === null) return bad(sym, 'tickSize', `has more than ${spec.priceDecimals} decimals`);
  const lot = parseDecimal(spec.qtyIncrement);
  if (lot === null || !isPositive(lot)) return bad(sym, 'qtyIncrement', 'must be a positive decimal');
  const lotUnits = toScaled(lot, spec.qtyDecimals);
  if (lotUnits === null) return bad(sym, 'qtyIncrement', `has more than ${spec.qtyDecimals} decimals`);
  const qtyMin = parseDecimal(spec.qtyMin);
  if (qtyMin === null || qtyMin.m < 0n) return bad(sym, 'qtyMin', 'must be a decimal >= 0');
  let qtyMax: Decimal | null = null;
  if (spec.qtyMax !== undefined) {
    qtyMax = parseDecimal(spec.qtyMax);
    if (qtyMax === null || cmp(qtyMax, qtyMin) < 0) return bad(sym, 'qtyMax', 'must be a decimal >= qtyMin');
  }
  let minCost: Decimal | null = null;
  if (spec.minCost !== undefined) {
    minCost = parseDecimal(spec.minCost);
    if (minCost === null || minCost.m < 0n) return bad(sym, 'minCost', 'must be a decimal >= 0');
  }
  return ok({
    spec,
    symbol: sym,
    venue: spec.venue,
    priceDecimals: spec.priceDecimals,
    qtyDecimals: spec.qtyDecimals,
    tickSize: tick,
    qtyIncrement: lot,
    qtyMin,
    qtyMax,
    minCost,
    tickUnits,
    lotUnits,
    status: spec.status ?? 'online',
  });
}

/**
 * One entry of the InstrumentList 146 group as [tag, value] pairs (55, 562, 5010, 5011, 5012, 5013, 2349,
 * 5022, 5032). Unknown tags are ignored so new Kraken fields do not break us.
 */
export function instrumentFromListEntry(fields: readonly FixField[], venue: Venue): Result<Instrument, InstrumentError> {
  const get = (tag: number): string | undefined => {
    for (const [t, v] of fields) if (t === tag) return v;
    return undefined;
  };
  const symbol = get(TAG.Symbol) ?? '';
  const required = (tag: number, name: string): string | InstrumentError => {
    const v = get(tag);
    return v === undefined
      ? { code: 'INSTRUMENT_INVALID', field: name, message: `instrument ${symbol || '?'}: missing ${name} (${tag})` }
      : v;
  };
  const tick = required(TAG.TickSize, 'tickSize');
  if (typeof tick !== 'string') return err(tick);
  const lot = required(TAG.MinTradeVol, 'qtyIncrement');
  if (typeof lot !== 'string') return err(lot);
  const pd = required(TAG.PricePrecision, 'priceDecimals');
  if (typeof pd !== 'string') return err(pd);
  const qd = required(TAG.QtyPrecision, 'qtyDecimals');
  if (typeof qd !== 'string') return err(qd);
  const statusCode = get(TAG.InstrumentStatus);
  const status = statusCode === undefined ? 'online' : INSTRUMENT_STATUS_BY_CODE[statusCode];
  if (status === undefined) return bad(symbol, 'status', `has unknown 5032 value ${JSON.stringify(statusCode)}`);
  if (!/^\d{1,2}$/.test(pd)) return bad(symbol, 'priceDecimals', 'is not an integer');
  if (!/^\d{1,2}$/.test(qd)) return bad(symbol, 'qtyDecimals', 'is not an integer');
  const qtyMax = get(TAG.QtyMax);
  const minCost = get(TAG.MinimumCost);
  return defineInstrument({
    symbol,
    venue,
    tickSize: tick,
    priceDecimals: Number(pd),
    qtyIncrement: lot,
    qtyDecimals: Number(qd),
    qtyMin: get(TAG.QtyMin) ?? '0',
    ...(qtyMax !== undefined ? { qtyMax } : {}),
    ...(minCost !== undefined ? { minCost } : {}),
    status,
  });
}

export class InstrumentTable {
  readonly #bySymbol = new Map<string, Instrument>();
  /** Spot-wide state from TradingSessionStatus (340); Derivatives have no such message. */
  spotSessionState: TradingSessionState = 'online';

  add(instrument: Instrument): void {
    this.#bySymbol.set(instrument.symbol, instrument);
  }

  /** Define and add; returns the error instead of adding an invalid instrument. */
  define(spec: InstrumentSpec): Result<Instrument, InstrumentError> {
    const r = defineInstrument(spec);
    if (r.ok) this.add(r.value);
    return r;
  }

  get(symbol: string): Instrument | undefined {
    return this.#bySymbol.get(symbol);
  }

  setStatus(symbol: string, status: InstrumentStatus): boolean {
    const i = this.#bySymbol.get(symbol);
    if (i === undefined) return false;
    i.status = status;
    return true;
  }

  symbols(): string[] {
    return [...this.#bySymbol.keys()];
  }

  get size(): number {
    return this.#bySymbol.size;
  }
}

/** Price text for the wire at the instrument's price decimals (null if off-precision). */
export function formatPrice(inst: Instrument, price: Decimal): string | null {
  const m = toScaled(price, inst.priceDecimals);
  return m === null ? null : formatDecimal({ m, s: inst.priceDecimals });
}
