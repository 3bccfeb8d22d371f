/**
 * Decimal rendering of engine integers for the gateway (cold-ish path: once per ExecutionReport field).
 */
import { formatRatio, formatScaled } from './decimal.js';
import type { Instrument } from './instrument.js';
import { wideToBigInt } from './wide.js';

/** Extra fractional digits AvgPx (6) carries beyond the pair's price decimals. */
export const AVG_PX_EXTRA_DECIMALS = 4;

/**
 * AvgPx = cumulative notional / CumQty, as a price with priceDecimals + extra digits, rounded half-up
 * (exact BigInt division; the only rounding in the engine's output). "0" digits when nothing filled.
 */
export function formatAvgPx(inst: Instrument, notionalHi: number, notionalLo: number, cumQty: number, extra = AVG_PX_EXTRA_DECIMALS): string {
  const decimals = inst.priceDecimals + extra;
  if (cumQty <= 0) return formatScaled(0, decimals);
  const num = wideToBigInt(notionalHi, notionalLo) * BigInt(inst.tickUnits);
  const den = BigInt(cumQty) * 10n ** BigInt(inst.priceDecimals);
  return formatRatio(num, den, decimals);
}

/** Quote amount (price * qty) of a notional in the pair's exact cost precision (priceDecimals + qtyDecimals). */
export function formatNotional(inst: Instrument, notionalHi: number, notionalLo: number): string {
  const v = wideToBigInt(notionalHi, notionalLo) * BigInt(inst.tickUnits) * BigInt(inst.lotUnits);
  return formatScaled(v, inst.priceDecimals + inst.qtyDecimals);
}
