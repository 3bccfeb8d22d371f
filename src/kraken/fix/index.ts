// Kraken FIX binding: the Kraken profile (src/kraken) meets the codec. Owns encoding of Kraken requests into a
// FixEncoder the session has begun, decoding of Kraken's inbound messages from a MessageView into the profile's
// typed inputs, and KrakenClient, the strategy-facing facade over one trading session.
// Must not touch: sockets, timers, sequence numbers or session state (the FixSender port stands for the
// session), and the profile's own rules (validation, OMS, rate limits stay in src/kraken).

export * from './encode.js';
export * from './decode.js';
export * from './requests.js';
export * from './client.js';
