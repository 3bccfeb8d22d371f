// Gate order entry on market state (spec §9 last bullet): instrument status 5032 (§4.8) and the
// Spot-wide TradingSessionStatus 340 (§4.9). Checked locally so we do not burn rate-limit budget
// (the fixed cost is charged even on rejects) on requests Kraken will refuse.

import { LIMIT_ONLY_ALLOWS_ORD_TYPES } from './assumptions.js';
import type { MarketStateError } from './errors.js';
import type { Instrument, InstrumentTable } from './instruments.js';
import type { OrdTypeName } from './orders.js';

export type EntryAction =
  | { readonly kind: 'new'; readonly ordType: OrdTypeName; readonly postOnly: boolean; readonly reduceOnly: boolean }
  | { readonly kind: 'amend'; readonly postOnly: boolean }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'status' };

function blocked(
  state: MarketStateError['state'],
  source: MarketStateError['source'],
  symbol: string,
  why: string,
): MarketStateError {
  const where = source === 'instrument' ? `${symbol} is ${state}` : `Spot market session is ${state}`;
  return { code: 'MARKET_STATE', state, source, message: `${where}: ${why}` };
}

/** null = allowed. */
export function checkMarketState(inst: Instrument, table: InstrumentTable, action: EntryAction): MarketStateError | null {
  if (action.kind === 'status') return null;
  const s = inst.status;
  const sym = inst.symbol;
  // Instrument status first: it is the more specific signal.
  if (s === 'maintenance') return blocked(s, 'instrument', sym, 'no orders or cancels accepted');
  if (action.kind !== 'cancel') {
    if (s === 'hidden' || s === 'delisted') return blocked(s, 'instrument', sym, 'not tradable');
    if (s === 'cancel_only') return blocked(s, 'instrument', sym, 'only cancels accepted');
    if (s === 'post_only' && !action.postOnly) return blocked(s, 'instrument', sym, 'only post-only limit orders accepted');
    if (action.kind === 'new') {
      if (s === 'post_only' && action.ordType !== 'limit') return blocked(s, 'instrument', sym, 'only post-only limit orders accepted');
      if (s === 'limit_only' && !LIMIT_ONLY_ALLOWS_ORD_TYPES.includes(action.ordType)) {
        return blocked(s, 'instrument', sym, 'only limit orders accepted');
      }
      if (s === 'reduce_only' && !action.reduceOnly) return blocked(s, 'instrument', sym, 'only reduce-only orders accepted');
    }
  }
  if (inst.venue !== 'spot') return null;
  const ss = table.spotSessionState;
  if (ss === 'maintenance') return blocked(ss, 'session', sym, 'no orders or cancels accepted');
  if (action.kind === 'cancel') return null;
  if (ss === 'cancel_only') return blocked(ss, 'session', sym, 'only cancels accepted');
  if (ss === 'post_only') {
    const postOnlyLimit = action.postOnly && (action.kind === 'amend' || action.ordType === 'limit');
    if (!postOnlyLimit) return blocked(ss, 'session', sym, 'only post-only limit orders accepted');
  }
  return null;
}
