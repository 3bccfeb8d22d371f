// Kraken profile — the Kraken-specific rules on top of the generic FIX layers.
// Owns: Logon authentication (signature, nonce, credentials, clock-drift check), ClOrdID generation and
// validation, the instrument table and local order validation, the exact FIX field lists of order-entry
// requests, our own order book (OMS: ExecutionReports, rejects, reconciliation) and rate-limit models.
// Must not touch: sockets/TLS (src/transport), sequence numbers and session state (src/session), wire
// encoding (src/codec), persistence beyond the small high-water store. It sits above codec and session,
// exchanges plain data with them ([tag, value] lists, decoded field records) and never does I/O on the
// hot path. All [ASSUME] choices from the spec live in ./assumptions.ts.

export * from './types.js';
export * from './tags.js';
export * as assumptions from './assumptions.js';
export * as decimal from './decimal.js';
export { type Decimal, parseDecimal, formatDecimal, formatDecimalTrimmed } from './decimal.js';
export * from './time.js';
export * from './credentials.js';
export * from './auth.js';
export * from './highwater.js';
export * from './clordid.js';
export * from './instruments.js';
export * from './orders.js';
export * from './errors.js';
export * from './marketstate.js';
export * from './validate.js';
export * from './fields.js';
export * from './rejects.js';
export * from './oms-table.js';
export * from './oms-types.js';
export * from './oms.js';
export * from './ratelimit.js';
