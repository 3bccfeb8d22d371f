/**
 * The simulator's instrument catalog: realistic Kraken-like Spot pairs and Derivatives contracts with
 * the precisions InstrumentList (35=y) publishes (562, 5010, 5011, 5012, 5013, 2349, 5022, 5032), the
 * assets the spot pairs settle in, and the reference prices the synthetic order flow starts from.
 * Numbers are close to Kraken's public values; exact production figures come from InstrumentList.
 */
import type { InstrumentStatus } from './matching/index.js';
import type { Venue } from '../kraken/types.js';

export interface SimAsset {
  name: string;
  /** Ledger precision. Must cover lot decimals (base) and lot + tick decimals (quote) of every pair. */
  decimals: number;
}

export interface SimInstrument {
  symbol: string;
  venue: Venue;
  /** Spot only. */
  base?: string;
  quote?: string;
  tickSize: string;
  priceDecimals: number;
  /** 562: minimum quantity increment (the lot). */
  lotSize: string;
  qtyDecimals: number;
  /** 5011 / 5012 / 5013. */
  minQty: string;
  maxQty: string;
  minCost: string;
  status?: InstrumentStatus;
  /** Where the synthetic flow centres its book at start (price text). */
  referencePrice: string;
  /** Typical synthetic order size (qty text); sizes are drawn around it. */
  typicalQty: string;
}

export const DEFAULT_ASSETS: readonly SimAsset[] = [
  { name: 'USD', decimals: 10 },
  { name: 'XBT', decimals: 10 },
  { name: 'ETH', decimals: 10 },
];

export const DEFAULT_INSTRUMENTS: readonly SimInstrument[] = [
  {
    symbol: 'XBT/USD', venue: 'spot', base: 'XBT', quote: 'USD',
    tickSize: '0.1', priceDecimals: 1, lotSize: '0.00000001', qtyDecimals: 8,
    minQty: '0.0001', maxQty: '10000', minCost: '0.5', referencePrice: '60000.0', typicalQty: '0.05',
  },
  {
    symbol: 'ETH/USD', venue: 'spot', base: 'ETH', quote: 'USD',
    tickSize: '0.01', priceDecimals: 2, lotSize: '0.00000001', qtyDecimals: 8,
    minQty: '0.002', maxQty: '100000', minCost: '0.5', referencePrice: '3000.00', typicalQty: '0.5',
  },
  {
    symbol: 'PI_XBTUSD', venue: 'derivatives',
    tickSize: '0.5', priceDecimals: 1, lotSize: '1', qtyDecimals: 0,
    minQty: '1', maxQty: '1000000', minCost: '0', referencePrice: '60000.0', typicalQty: '2000',
  },
  {
    symbol: 'PF_XBTUSD', venue: 'derivatives',
    tickSize: '1', priceDecimals: 0, lotSize: '0.0001', qtyDecimals: 4,
    minQty: '0.0001', maxQty: '1000', minCost: '0', referencePrice: '60000', typicalQty: '0.05',
  },
  {
    symbol: 'PF_ETHUSD', venue: 'derivatives',
    tickSize: '0.1', priceDecimals: 1, lotSize: '0.001', qtyDecimals: 3,
    minQty: '0.001', maxQty: '10000', minCost: '0', referencePrice: '3000.0', typicalQty: '0.5',
  },
];
