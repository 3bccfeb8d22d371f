// Kraken session profiles: how a generic FixSession becomes a Kraken Spot/Derivatives trading or MD session.
// Owns: the port/TargetCompID table and SessionConfig defaults (141=Y, gap-fill-all, light validation, 22:00 UTC
// rollover), the Logon hook (553/554/5025 signature over the Logon's own 34/49/56 and nonce, 8674, 109), the
// pre-logon clock-drift check, and the recovery rules after every (re)logon and rollover (instrument list, MD
// resubscription, OrderStatusRequest reconciliation).
// Must not touch: sockets/TLS (src/transport), session state machine internals (src/session), books (src/book).

export * from './profiles.js';
export * from './clock.js';
export * from './events.js';
export { KrakenSessionProfile, type KrakenSessionProfileOptions } from './profile.js';
export { createKrakenSession, type CreateKrakenSessionOptions, type KrakenSessionBundle } from './factory.js';
