/**
 * Simulator matching engine (pure, synchronous, deterministic).
 *
 * Owns: one price-time-priority book per instrument, every order's lifecycle (limit, market, stops,
 * take-profits, trailing stops, icebergs, post-only, reduce-only, IOC/FOK/GTD, scheduled start, STP,
 * atomic amend, cancel / mass cancel), spot balances with reservations, derivatives positions, trigger
 * evaluation, and the event streams (execution events per order transition, public L3/trade events).
 *
 * Must not touch: sockets, FIX bytes or tags, sessions and sequence numbers, rate limits, wall-clock time
 * or randomness (time comes in through advanceTime, the OrderID seed through the options). The gateway
 * turns `engine.exec` rows into ExecutionReports and non-None Reasons into BusinessMessageRejects (see
 * REASON_CLASS / REASON_380); the market-data feed builds L2/L3 from `engine.md` rows.
 */
export * from './constants.js';
export { MatchingEngine, type MatchingEngineOptions } from './engine.js';
export type { EngineOptions } from './core.js';
export { OrderRequest, AmendRequest } from './requests.js';
export { ExecEvents, MdEvents, X, M, EXEC_STRIDE, MD_STRIDE, type ExecEventView, type MdEventView } from './events.js';
export { Instrument, ScaleError, scaleErrorName, type InstrumentSpec, type InstrumentKind, type AssetInfo } from './instrument.js';
export { OrderState, isOpenState } from './orders.js';
export { OrderIdCodec, ORDER_ID_LENGTH } from './orderid.js';
export {
  DecimalError,
  parseScaled,
  parseScaledBytes,
  parseScaledBigInt,
  formatScaled,
  formatScaledTrim,
  formatRatio,
} from './decimal.js';
export { formatAvgPx, formatNotional, AVG_PX_EXTRA_DECIMALS } from './format.js';
export { MAX_GTD_MICROS, priceScaleReason, qtyScaleReason } from './validate.js';
