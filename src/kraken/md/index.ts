// Kraken market data: the client side of Kraken's MD sessions (spec §7, §4.8-4.10).
// Owns: MarketDataRequest subscribe/unsubscribe with MDReqIDs, applying W/X to src/book's L2Book/L3Book (one per
// symbol per subscription) straight from MessageView byte ranges, trades, rejects, resubscribe on any book break,
// InstrumentList y and TradingSessionStatus h into the instrument tables / market state.
// Must not touch: sockets, timers, sequence numbers (the session behind FixSender does), book internals (src/book).

export { KrakenMdClient, type KrakenMdClientOptions, type MdRecoveryCounts } from './client.js';
export { MdSubscription } from './subscription.js';
export { MdSymbolBook, type MdBookOptions } from './symbol-book.js';
export { MdWalker, WalkResult } from './walker.js';
export * from './types.js';
export { applySecurityList, applyTradingSessionStatus, type SecurityListApplied, type MarketStateApplied } from './reference.js';
