// Shared steps of local validation (validate.ts): symbol lookup, ClOrdID, enums, decimals, tick/lot,
// iceberg and time-window checks. Each returns a typed failure or null/ok, never throws.

import { validateClOrdId } from './clordid.js';
import { type Decimal, cmp, isMultipleOf, isPositive, mul, parseDecimal } from './decimal.js';
import { type ValidationError, vErr } from './errors.js';
import type { Instrument, InstrumentTable } from './instruments.js';
import { type EntryAction, checkMarketState } from './marketstate.js';
import type { OrdTypeName } from './orders.js';
import { type Result, type Venue, ok } from './types.js';

export interface ValidationContext {
  readonly instruments: InstrumentTable;
  /** Venue of the trading session the request will go out on. */
  readonly venue: Venue;
  /** Current wall time (ms), ideally corrected by the measured drift to Kraken's clock. */
  readonly nowMs: number;
  /** True when a ClOrdID was already used (open orders / this session). */
  readonly isClOrdIdInUse?: (clOrdID: string) => boolean;
  /** Also check the COMB timestamp is inside Kraken's ±120 s window (default true). */
  readonly checkClOrdIdTimestamp?: boolean;
}

export type Fail = { readonly ok: false; readonly error: ValidationError };

export function lookup(ctx: ValidationContext, symbol: unknown): Result<Instrument, ValidationError> {
  if (typeof symbol !== 'string' || symbol === '') return vErr('UNKNOWN_SYMBOL', 'symbol is missing', 'symbol');
  const inst = ctx.instruments.get(symbol);
  if (inst === undefined) return vErr('UNKNOWN_SYMBOL', `unknown symbol ${JSON.stringify(symbol.slice(0, 40))}`, 'symbol');
  if (inst.venue !== ctx.venue) {
    return vErr('UNSUPPORTED_ON_VENUE', `${symbol} is a ${inst.venue} instrument; this is a ${ctx.venue} session`, 'symbol');
  }
  return ok(inst);
}

export function checkClOrdID(ctx: ValidationContext, id: unknown, field = 'clOrdID'): Fail | null {
  if (typeof id !== 'string') return vErr('CLORDID_INVALID', `${field} must be a string`, field);
  const nowMs = ctx.checkClOrdIdTimestamp === false ? undefined : ctx.nowMs;
  const r = validateClOrdId(id, ctx.venue, nowMs === undefined ? {} : { nowMs });
  if (!r.ok) return vErr('CLORDID_INVALID', r.error.message, field);
  if (ctx.isClOrdIdInUse?.(id) === true) return vErr('CLORDID_REUSED', `ClOrdID ${id} was already used`, field);
  return null;
}

export function checkMarket(ctx: ValidationContext, inst: Instrument, action: EntryAction): Fail | null {
  const e = checkMarketState(inst, ctx.instruments, action);
  return e === null ? null : { ok: false, error: e };
}

export function checkEnum<T extends string>(table: Readonly<Record<T, string>>, v: unknown, field: string): Fail | null {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(table, v)
    ? null
    : vErr('INVALID_FIELD', `${field} has invalid value ${JSON.stringify(v)}`, field);
}

export function checkTime(v: unknown, field: string): Fail | null {
  return typeof v === 'number' && Number.isFinite(v) && v > 0
    ? null
    : vErr('INVALID_FIELD', `${field} must be epoch milliseconds`, field);
}

export function checkText(v: unknown, field: string): Fail | null {
  // SOH would split the field on the wire; '=' is legal but empty strings are not.
  return typeof v === 'string' && v.length > 0 && v.length <= 64 && !v.includes('\x01')
    ? null
    : vErr('INVALID_FIELD', `${field} must be 1-64 characters without SOH`, field);
}

export function positiveDecimal(v: unknown, field: string): Result<Decimal, ValidationError> {
  const d = typeof v === 'string' ? parseDecimal(v) : null;
  if (d === null || !isPositive(d)) return vErr('INVALID_FIELD', `${field} must be a positive decimal string`, field);
  return ok(d);
}

/** Parse + tick check for 44 / 99; `needed` decides MISSING_* vs FIELD_NOT_ALLOWED. */
export function priceField(
  inst: Instrument,
  v: string | undefined,
  needed: boolean,
  field: 'price' | 'stopPx',
  ordType: OrdTypeName,
): Result<Decimal | null, ValidationError> {
  if (v === undefined) {
    if (!needed) return ok(null);
    return field === 'price'
      ? vErr('MISSING_PRICE', `${ordType} order requires price (44)`, field)
      : vErr('MISSING_STOP_PX', `${ordType} order requires stopPx (99)`, field);
  }
  if (!needed) return vErr('FIELD_NOT_ALLOWED', `${field} is not used by ${ordType} orders`, field);
  const d = positiveDecimal(v, field);
  if (!d.ok) return d;
  if (!isMultipleOf(d.value, inst.tickSize)) {
    return vErr('PRICE_NOT_ON_TICK', `${field} ${v} is not a multiple of tick size ${inst.spec.tickSize} for ${inst.symbol}`, field);
  }
  return d;
}

export function qtyChecks(inst: Instrument, qty: Decimal, text: string, checkMin: boolean): Fail | null {
  if (!isMultipleOf(qty, inst.qtyIncrement)) {
    return vErr('QTY_NOT_ON_LOT', `orderQty ${text} is not a multiple of ${inst.spec.qtyIncrement} for ${inst.symbol}`, 'orderQty');
  }
  if (checkMin && cmp(qty, inst.qtyMin) < 0) {
    return vErr('QTY_BELOW_MIN', `orderQty ${text} is below the minimum ${inst.spec.qtyMin} for ${inst.symbol}`, 'orderQty');
  }
  if (inst.qtyMax !== null && cmp(qty, inst.qtyMax) > 0) {
    return vErr('QTY_ABOVE_MAX', `orderQty ${text} is above the maximum ${inst.spec.qtyMax} for ${inst.symbol}`, 'orderQty');
  }
  return null;
}

export function displayQtyCheck(inst: Instrument, v: string, qty: Decimal, ordType: OrdTypeName): Result<Decimal, ValidationError> {
  if (ordType !== 'limit') return vErr('DISPLAY_QTY_INVALID', 'displayQty (iceberg) is only for limit orders', 'displayQty');
  const d = typeof v === 'string' ? parseDecimal(v) : null;
  if (d === null || !isPositive(d)) return vErr('DISPLAY_QTY_INVALID', 'displayQty must be a positive decimal string', 'displayQty');
  if (cmp(d, qty) > 0) return vErr('DISPLAY_QTY_INVALID', `displayQty ${v} exceeds orderQty`, 'displayQty');
  // §4.1: visible part >= 1/15 of the order: 15 * display >= qty, exact.
  if (cmp(mul(d, { m: 15n, s: 0 }), qty) < 0) {
    return vErr('DISPLAY_QTY_INVALID', `displayQty ${v} is below 1/15 of orderQty`, 'displayQty');
  }
  if (!isMultipleOf(d, inst.qtyIncrement)) {
    return vErr('DISPLAY_QTY_INVALID', `displayQty ${v} is not a multiple of ${inst.spec.qtyIncrement}`, 'displayQty');
  }
  return ok(d);
}

export function validUntilCheck(ctx: ValidationContext, v: number | undefined): Fail | null {
  if (v === undefined) return null;
  const bad = checkTime(v, 'validUntilTime');
  if (bad) return bad;
  const ahead = v - ctx.nowMs;
  if (ahead < 2_000 || ahead > 60_000) {
    return vErr('VALID_UNTIL_OUT_OF_RANGE', `validUntilTime must be 2-60 s in the future (is ${Math.round(ahead)} ms)`, 'validUntilTime');
  }
  return null;
}

export function unsupported(field: string, what: string): Fail {
  return vErr('UNSUPPORTED_ON_VENUE', `${what} is Spot only`, field);
}

