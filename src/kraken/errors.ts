// Local validation errors: a discriminated union on `code`, always with a human message.
// Validation failures are values, never exceptions, so callers can count/route them cheaply.

import type { InstrumentStatus, TradingSessionState } from './instruments.js';

export type ValidationErrorCode =
  | 'UNKNOWN_SYMBOL'
  | 'CLORDID_INVALID'
  | 'CLORDID_REUSED'
  | 'MARKET_STATE'
  | 'UNSUPPORTED_ON_VENUE'
  | 'INVALID_FIELD'
  | 'FIELD_NOT_ALLOWED'
  | 'MISSING_PRICE'
  | 'MISSING_STOP_PX'
  | 'PRICE_NOT_ON_TICK'
  | 'QTY_BELOW_MIN'
  | 'QTY_ABOVE_MAX'
  | 'QTY_NOT_ON_LOT'
  | 'COST_BELOW_MIN'
  | 'DISPLAY_QTY_INVALID'
  | 'MISSING_EXPIRE_TIME'
  | 'EXPIRE_TIME_INVALID'
  | 'EFFECTIVE_TIME_INVALID'
  | 'VALID_UNTIL_OUT_OF_RANGE'
  | 'CONFLICTING_INSTRUCTIONS'
  | 'MISSING_ORDER_REF'
  | 'MISSING_SYMBOL'
  | 'NOT_AMENDABLE';

interface Base<C extends ValidationErrorCode> {
  readonly code: C;
  readonly message: string;
  /** Request field at fault (TypeScript name, e.g. 'price'), when one is. */
  readonly field?: string;
}

export type MarketStateError = Base<'MARKET_STATE'> & {
  /** The state that blocks the request: instrument 5032 status or Spot-wide 340 session state. */
  readonly state: InstrumentStatus | TradingSessionState;
  readonly source: 'instrument' | 'session';
};

export type ValidationError =
  | MarketStateError
  | Base<Exclude<ValidationErrorCode, 'MARKET_STATE'>>;

export function vErr(
  code: Exclude<ValidationErrorCode, 'MARKET_STATE'>,
  message: string,
  field?: string,
): { readonly ok: false; readonly error: ValidationError } {
  return { ok: false, error: field === undefined ? { code, message } : { code, message, field } };
}
