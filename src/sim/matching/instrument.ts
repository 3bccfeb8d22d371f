/**
 * Instrument definitions and the exact scaling between decimal strings and the engine's integers:
 * prices are integer ticks (price / tickSize), quantities integer lots (qty / lotSize).
 *
 * Balances are kept per asset in units of 10^-decimals of that asset. A fill of `lots` at `ticks` moves
 *   base:  lots * baseUnitsPerLot
 *   quote: ticks * lots * quoteUnitsPerNotional
 * Both factors must be integers, so registration rejects asset precisions too coarse for the pair
 * (exactness is never silently lost to rounding).
 */
import { InstrumentStatus } from './constants.js';
import { parseScaled, parseScaledBigInt, significantDecimals, formatScaled } from './decimal.js';
import { MAX_FACTOR, MAX_MULTIPLICAND } from './wide.js';

export type InstrumentKind = 'spot' | 'derivative';

export interface InstrumentSpec {
  symbol: string;
  kind: InstrumentKind;
  /** Spot: base and quote asset ids (from engine.addAsset). Ignored for derivatives. */
  baseAsset?: number;
  quoteAsset?: number;
  tickSize: string;
  lotSize: string;
  /** 2349 and 5010. */
  priceDecimals: number;
  qtyDecimals: number;
  /** 5011, 5013 (quote currency). */
  minQty: string;
  minCost: string;
  /** 5012; default and ceiling: the engine's exact range. */
  maxQty?: string;
  /** Price band ceiling; default and ceiling: the engine's exact range. */
  maxPrice?: string;
  /** Derivatives: cap on |position| + open exposure per account, in qty units. Default: maxQty * 1000. */
  maxPosition?: string;
  status?: InstrumentStatus;
}

export interface AssetInfo {
  name: string;
  decimals: number;
}

/** Error codes a price/qty conversion can return (negative, so valid values stay >= 0). */
export const enum ScaleError {
  Malformed = -1,
  TooPrecise = -2,
  TooLarge = -3,
  NotOnTick = -4,
  NotOnLot = -5,
}

export class Instrument {
  readonly id: number;
  readonly symbol: string;
  readonly kind: InstrumentKind;
  readonly isSpot: boolean;
  status: InstrumentStatus;
  readonly priceDecimals: number;
  readonly qtyDecimals: number;
  /** tickSize and lotSize in units of 10^-priceDecimals / 10^-qtyDecimals. */
  readonly tickUnits: number;
  readonly lotUnits: number;
  readonly baseAsset: number;
  readonly quoteAsset: number;
  readonly baseUnitsPerLot: number;
  readonly quoteUnitsPerNotional: number;
  readonly minQtyLots: number;
  /** Smallest ticks*lots product meeting the minimum cost. */
  readonly minCostNotional: number;
  readonly maxQtyLots: number;
  readonly maxPriceTicks: number;
  readonly maxPositionLots: number;
  /** Per-pair trade sequence (527). */
  tradeSeq = 0;
  /** Last trade price in ticks, -1 before the first trade. */
  lastPx = -1;

  constructor(id: number, spec: InstrumentSpec, assets: readonly AssetInfo[]) {
    const fail = (m: string): never => {
      throw new RangeError(`instrument ${spec.symbol}: ${m}`);
    };
    this.id = id;
    this.symbol = spec.symbol;
    this.kind = spec.kind;
    this.isSpot = spec.kind === 'spot';
    this.status = spec.status ?? InstrumentStatus.Online;
    const pd = spec.priceDecimals;
    const qd = spec.qtyDecimals;
    if (!Number.isInteger(pd) || pd < 0 || pd > 12) fail('priceDecimals must be 0..12');
    if (!Number.isInteger(qd) || qd < 0 || qd > 12) fail('qtyDecimals must be 0..12');
    this.priceDecimals = pd;
    this.qtyDecimals = qd;
    const tick = parseScaled(spec.tickSize, pd);
    if (tick <= 0) fail(`tickSize ${spec.tickSize} not representable with ${pd} decimals`);
    const lot = parseScaled(spec.lotSize, qd);
    if (lot <= 0) fail(`lotSize ${spec.lotSize} not representable with ${qd} decimals`);
    this.tickUnits = tick;
    this.lotUnits = lot;

    let bpl = 1;
    let qpn = 1;
    let baseAsset = -1;
    let quoteAsset = -1;
    if (this.isSpot) {
      baseAsset = spec.baseAsset ?? -1;
      quoteAsset = spec.quoteAsset ?? -1;
      const base = assets[baseAsset];
      const quote = assets[quoteAsset];
      if (base === undefined || quote === undefined) fail('spot instrument needs registered baseAsset and quoteAsset');
      // lotSize * 10^baseDecimals and tickSize * lotSize * 10^quoteDecimals must be integers.
      const lotDec = significantDecimals(spec.lotSize);
      const tickDec = significantDecimals(spec.tickSize);
      if (lotDec > base!.decimals) fail(`base asset ${base!.name} needs >= ${lotDec} decimals for exact amounts`);
      if (lotDec + tickDec > quote!.decimals) {
        fail(`quote asset ${quote!.name} needs >= ${lotDec + tickDec} decimals for exact cost`);
      }
      bpl = scaleFactor(BigInt(lot), qd, base!.decimals, fail);
      qpn = scaleFactor(BigInt(tick) * BigInt(lot), pd + qd, quote!.decimals, fail);
    }
    this.baseAsset = baseAsset;
    this.quoteAsset = quoteAsset;
    this.baseUnitsPerLot = bpl;
    this.quoteUnitsPerNotional = qpn;
    if (bpl > MAX_FACTOR) fail('lot too large relative to base asset precision');

    const minQty = this.qtyToLotsCeil(spec.minQty, 'minQty', fail);
    this.minQtyLots = minQty;
    const minCost = parseScaledBigInt(spec.minCost, pd + qd);
    if (typeof minCost !== 'bigint' || minCost < 0n) fail(`minCost ${spec.minCost} not representable`);
    // minCost / (tick*lot), rounded up: notional >= that is exactly cost >= minCost.
    const unit = BigInt(tick) * BigInt(lot);
    const mcn = ((minCost as bigint) + unit - 1n) / unit;
    if (mcn > BigInt(Number.MAX_SAFE_INTEGER)) fail('minCost too large');
    this.minCostNotional = Number(mcn);

    const rangeMaxTicks = Math.floor(MAX_FACTOR / qpn);
    let maxTicks = rangeMaxTicks;
    if (spec.maxPrice !== undefined) {
      const p = this.priceToTicks(spec.maxPrice);
      if (p <= 0) fail(`maxPrice ${spec.maxPrice} invalid`);
      if (p > rangeMaxTicks) fail(`maxPrice exceeds exact range (${rangeMaxTicks} ticks)`);
      maxTicks = p;
    }
    this.maxPriceTicks = maxTicks;
    const rangeMaxLots = MAX_MULTIPLICAND;
    let maxLots = rangeMaxLots;
    if (spec.maxQty !== undefined) {
      const q = this.qtyToLots(spec.maxQty);
      if (q <= 0) fail(`maxQty ${spec.maxQty} invalid`);
      if (q > rangeMaxLots) fail('maxQty exceeds exact range');
      maxLots = q;
    }
    this.maxQtyLots = maxLots;
    let maxPos = Math.min(maxLots * 1000, MAX_MULTIPLICAND);
    if (spec.maxPosition !== undefined) {
      const q = this.qtyToLots(spec.maxPosition);
      if (q <= 0) fail(`maxPosition ${spec.maxPosition} invalid`);
      maxPos = Math.min(q, MAX_MULTIPLICAND);
    }
    this.maxPositionLots = maxPos;
  }

  /** Price string -> ticks, or a negative ScaleError. */
  priceToTicks(s: string): number {
    const u = parseScaled(s, this.priceDecimals);
    if (u < 0) return u;
    const t = u / this.tickUnits;
    return Number.isInteger(t) ? t : ScaleError.NotOnTick;
  }

  /** Quantity string -> lots, or a negative ScaleError. */
  qtyToLots(s: string): number {
    const u = parseScaled(s, this.qtyDecimals);
    if (u < 0) return u;
    const l = u / this.lotUnits;
    return Number.isInteger(l) ? l : ScaleError.NotOnLot;
  }

  /** Units -> ticks/lots for values the gateway already parsed with parseScaledBytes. */
  priceUnitsToTicks(units: number): number {
    if (units < 0) return units;
    const t = units / this.tickUnits;
    return Number.isInteger(t) ? t : ScaleError.NotOnTick;
  }

  qtyUnitsToLots(units: number): number {
    if (units < 0) return units;
    const l = units / this.lotUnits;
    return Number.isInteger(l) ? l : ScaleError.NotOnLot;
  }

  formatPrice(ticks: number): string {
    return formatScaled(ticks * this.tickUnits, this.priceDecimals);
  }

  formatQty(lots: number): string {
    return formatScaled(lots * this.lotUnits, this.qtyDecimals);
  }

  private qtyToLotsCeil(s: string, what: string, fail: (m: string) => never): number {
    const u = parseScaled(s, this.qtyDecimals);
    if (u < 0) fail(`${what} ${s} not representable with ${this.qtyDecimals} decimals`);
    return Math.ceil(u / this.lotUnits);
  }
}

/** Converts `units` at `fromDecimals` into an integer count at `toDecimals`; fails if not integral. */
function scaleFactor(b: bigint, fromDecimals: number, toDecimals: number, fail: (m: string) => never): number {
  let r: bigint;
  if (toDecimals >= fromDecimals) r = b * 10n ** BigInt(toDecimals - fromDecimals);
  else {
    const d = 10n ** BigInt(fromDecimals - toDecimals);
    if (b % d !== 0n) fail('asset precision too coarse for exact amounts');
    r = b / d;
  }
  if (r > BigInt(MAX_FACTOR)) fail('unit factor exceeds exact range');
  return Number(r);
}

/** Converts a ScaleError to a human description (tests, logs). */
export function scaleErrorName(e: number): string {
  switch (e) {
    case ScaleError.Malformed:
      return 'malformed';
    case ScaleError.TooPrecise:
      return 'too precise';
    case ScaleError.TooLarge:
      return 'too large';
    case ScaleError.NotOnTick:
      return 'not on tick';
    case ScaleError.NotOnLot:
      return 'not on lot';
    default:
      return e >= 0 ? 'ok' : 'unknown';
  }
}
