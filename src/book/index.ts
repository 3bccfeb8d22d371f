/**
 * Market-data books layer.
 *
 * Owns: client-side order books rebuilt from MarketData snapshots (35=W) and incrementals (35=X):
 * L2 (price-aggregated) and L3 (order-by-order) books in preallocated typed arrays, exact scaled-integer
 * prices/quantities (parsed from the wire's ASCII digits), Kraken's 5041 book checksum, consistency
 * checks that tell the caller to resubscribe, and the market-data view of instruments and market state.
 *
 * Must not touch: sockets, FIX sessions, message decoding, order entry. The API takes plain numbers and
 * byte ranges; the Kraken profile decodes messages and drives these books (begin / entries / end).
 */
export {
  MAX_SCALE,
  ScaledStatus,
  decimalsOption,
  formatScaled,
  parseScaled,
  parseScaledInto,
  parseScaledString,
  pow10,
  scaledStatusName,
} from './decimal.js';
export {
  BOOK_STATE_NAMES,
  BookState,
  BookStatus,
  MDEntryType,
  MDUpdateAction,
  NO_CHECKSUM,
  bookStatusName,
} from './types.js';
export {
  CHECKSUM_LEVELS,
  CRC32_INIT,
  crc32Byte,
  crc32Bytes,
  crc32Final,
  crc32Scaled,
  crc32String,
  crcStateMatches,
  crcStateMatchesBytes,
  l2BookChecksum,
  l3BookChecksum,
} from './checksum.js';
export { L2Book, type L2BookOptions } from './l2-book.js';
export { L3Book, type L3BookOptions } from './l3-book.js';
export {
  InstrumentStatus,
  MdInstrumentTable,
  TradSesStatus,
  acceptsNewOrders,
  isMatching,
  mdInstrumentFromFields,
  type InstrumentListEntryFields,
  type MdInstrument,
  type MdInstrumentResult,
} from './instruments.js';
