// Every [ASSUME] choice from /work/shared/spec/kraken-fix.md, in one place, so a UAT finding changes one line.
// Also holds the undocumented or third-party-only numbers the profile relies on ([3P], [SEED]).
// Each constant names the spec section it comes from.

// ---- §1 Connectivity ----
/** §1: Spot L3 market data (port 4005) uses the same TargetCompID as L2. */
export const SPOT_MD_L3_TARGET_COMP_ID = 'KRAKEN-MD';
/** §1: connect with TLS 1.3 and send SNI (host name). */
export const TLS_USE_SNI = true;

// ---- §2 Authentication ----
/** §2 [DOC]: nonce must be within ±5 s of Kraken server time. */
export const NONCE_WINDOW_MS = 5_000;
/** §2 [ASSUME]: simulator Logout texts on failed auth (exact Kraken texts undocumented). */
export const LOGON_REJECT_TEXT = {
  badSignature: 'Invalid signature',
  nonceOutOfWindow: 'Nonce out of window',
  nonceNotIncreasing: 'Nonce not increasing',
} as const;

// ---- §3 Session ----
/** §3 [ASSUME]: daily rollover at 22:00 UTC; expect Logout/disconnect then reconnect ~30 s later with 141=Y. */
export const ROLLOVER_UTC_HOUR = 22;
export const ROLLOVER_RECONNECT_DELAY_MS = 30_000;
/** §3 [ASSUME]: whether the rollover disconnect triggers cancel-on-disconnect (undocumented; assume yes, safer). */
export const ROLLOVER_TRIGGERS_COD = true;
/** §3 [ASSUME]: send TestRequest after HeartBtInt * (1 + this) of silence. */
export const TEST_REQUEST_GRACE_FRACTION = 0.2;
/** §3 [ASSUME]: wait for the Logon answer this long. */
export const LOGON_RESPONSE_TIMEOUT_MS = 15_000;
/** §3 [ASSUME]: parsable-but-invalid inbound -> 35=3; unparsable bytes are dropped. */
export const REJECT_PARSABLE_GARBLED = true;

// ---- §4 Application messages ----
/** §4.3 [ASSUME]: amend priority — qty decrease keeps queue priority; price change or qty increase loses it. */
export const AMEND_QTY_DECREASE_KEEPS_PRIORITY = true;
/** §4.6 [ASSUME]: Derivatives OrderID is a UUID (Spot: `OKWUQF-YPJM2-DTAJHH`). */
export const DERIVATIVES_ORDER_ID_IS_UUID = true;
/** §4.12 [3P atjte]: Kraken validates the ClOrdID's embedded timestamp against its clock, ~±120 s. */
export const CLORDID_TIMESTAMP_WINDOW_MS = 120_000;
/** §4.12 [DOC]: integer ClOrdID max length. */
export const CLORDID_INTEGER_MAX_DIGITS = 18;
/** §4.13 [ASSUME]: SenderSubID is the optional header tag 50; only sent when explicitly configured. */
export const SENDER_SUB_ID_IN_HEADER = true;

// ---- §5 Order types ----
/** §5 [ASSUME]: for trailing types (U/V) StopPx 99 carries the trailing distance in quote currency. */
export const TRAILING_STOPPX_IS_DISTANCE = true;
/** §10 [3P]: one client treats FOK as Spot-only; we assume Derivatives accepts FOK (verify in UAT). */
export const DERIVATIVES_ALLOW_FOK = true;
/**
 * §4.8 5032=5 limit-only is not specified further; we assume only OrdType limit (40=2) is accepted.
 * (Not marked [ASSUME] in the spec, but it is our interpretation.)
 */
export const LIMIT_ONLY_ALLOWS_ORD_TYPES: readonly string[] = ['limit'];
/** §4.1 [DOC]: ExpireTime at most one month ahead; we take "one month" as 31 days [ASSUME]. */
export const GTD_MAX_AHEAD_MS = 31 * 24 * 3600 * 1000;

// ---- §6 Lifecycle ----
/** §6 [ASSUME]: scheduled (168) orders report 150=A/39=A and later 150=0. */
export const SCHEDULED_ACK_THEN_NEW = true;
/** §6 [ASSUME]: a marketable IOC that partially fills gets 150=F ... then 150=4 for the residual. */
export const IOC_RESIDUAL_CANCEL_ER = true;

// ---- §7 Market data ----
/** §7 [ASSUME]: the L3 checksum iterates individual orders per level in queue order. */
export const L3_CHECKSUM_PER_ORDER = true;

// ---- §8 Rate limits ----
/** §8 [ASSUME]: the Spot counter never goes below zero. */
export const SPOT_COUNTER_FLOOR = 0;
/** §8 [ASSUME]: a transaction is rejected when counter + cost > threshold (equal is allowed). */
export const SPOT_REJECT_WHEN_ABOVE_THRESHOLD = true;
/** §8 [ASSUME]: cancels are accepted over the limit (risk-reducing); new/amend are rejected. */
export const SPOT_CANCEL_ACCEPTED_OVER_LIMIT = true;
/** §8 [ASSUME]: Derivatives FIX limit is a token bucket, capacity 500, refill 50/s, per session/CompID. */
export const DERIVATIVES_BUCKET_CAPACITY = 500;
export const DERIVATIVES_BUCKET_REFILL_PER_SEC = 50;
export const DERIVATIVES_COST_ORDER_ACTION = 10;
export const DERIVATIVES_COST_MASS_CANCEL = 25;
/** §8 [SEED]: error-rate disconnect threshold is undocumented; conservative default rejects/second. */
export const ERROR_RATE_DEFAULT_LIMIT_PER_SEC = 10;
/** Throttle when this fraction of the error-rate limit is reached (our safety margin). */
export const ERROR_RATE_THROTTLE_FRACTION = 0.5;

// ---- §9 Safeguards ----
/** §9 [ASSUME]: a clean Logout may also cancel open orders (COD), possibly after a short delay. */
export const CLEAN_LOGOUT_TRIGGERS_COD = true;
