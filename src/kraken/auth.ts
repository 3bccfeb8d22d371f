// Trading-session Logon authentication (spec §2): password signature, nonce source, and a pre-logon
// clock-drift check. Clock drift is Kraken's most common logon failure, so we detect it before connecting.

import { createHash, createHmac } from 'node:crypto';
import { CLORDID_TIMESTAMP_WINDOW_MS, NONCE_WINDOW_MS } from './assumptions.js';
import type { Credentials } from './credentials.js';
import { TAG } from './tags.js';
import { parseUTCTimestamp } from './time.js';
import { type FixField, type Result, err, ok } from './types.js';

const SOH = '\x01';

export interface LogonSignatureInput {
  readonly msgSeqNum: number;
  readonly senderCompID: string;
  readonly targetCompID: string;
  /** Exactly the text sent in 5025. */
  readonly nonce: string;
}

/**
 * §2: MessageInput = "35=A|34=seq|49=sender|56=target|553=key|" (SOH-terminated, this fixed order),
 * digest = SHA256(MessageInput + nonce), password = base64(HMAC-SHA512(base64decode(secret), digest)).
 */
export function krakenLogonPassword(credentials: Credentials, p: LogonSignatureInput): string {
  const input =
    `35=A${SOH}34=${p.msgSeqNum}${SOH}49=${p.senderCompID}${SOH}56=${p.targetCompID}${SOH}` +
    `553=${credentials.apiKey()}${SOH}`;
  const digest = createHash('sha256').update(input + p.nonce, 'utf8').digest();
  return createHmac('sha512', credentials.secretKeyBytes()).update(digest).digest('base64');
}

export interface LogonAuthOptions extends LogonSignatureInput {
  readonly credentials: Credentials;
  /** 8674: true -> `0` (cancel on disconnect, Kraken default), false -> `1`. Omitted -> tag not sent. */
  readonly cancelOrdersOnDisconnect?: boolean;
  /** 109: links this connection to another (trading <-> MD). */
  readonly clientID?: string;
  /** 5030: emergency-only reset of Kraken's ClOrdID sequence check. */
  readonly forceResetClOrdID?: boolean;
}

/**
 * The Kraken-specific Logon body fields (553, 554, 5025 and optional 8674/109/5030), in that order.
 * The session adds 98, 108 and 141. The signature commits to msgSeqNum, so build this after the
 * session has assigned the Logon's 34.
 */
export function logonAuthFields(o: LogonAuthOptions): FixField[] {
  const fields: FixField[] = [
    [TAG.Username, o.credentials.apiKey()],
    [TAG.Password, krakenLogonPassword(o.credentials, o)],
    [TAG.Nonce, o.nonce],
  ];
  if (o.cancelOrdersOnDisconnect !== undefined) {
    fields.push([TAG.CancelOrdersOnDisconnect, o.cancelOrdersOnDisconnect ? '0' : '1']);
  }
  if (o.clientID !== undefined) fields.push([TAG.ClientID, o.clientID]);
  if (o.forceResetClOrdID === true) fields.push([TAG.ForceResetClOrdID, 'Y']);
  return fields;
}

/**
 * Epoch-millisecond nonces, strictly increasing even when called twice in the same millisecond or when
 * the wall clock steps back (Kraken rejects a nonce <= the last one for the key).
 */
export class NonceSource {
  #last: number;
  readonly #nowMs: () => number;
  /** `lastIssued` lets a caller carry the high-water mark across restarts. */
  constructor(nowMs: () => number = Date.now, lastIssued = 0) {
    this.#nowMs = nowMs;
    this.#last = lastIssued;
  }
  next(): number {
    const now = Math.floor(this.#nowMs());
    const n = now > this.#last ? now : this.#last + 1;
    this.#last = n;
    return n;
  }
  nextString(): string {
    return String(this.next());
  }
  get lastIssued(): number {
    return this.#last;
  }
}

// ---- clock drift ----

/** One observation of Kraken's clock: server time `serverMs` was current at local wall time `localMs`. */
export interface ServerTimeSample {
  readonly serverMs: number;
  readonly localMs: number;
  /** How wrong the sample may be (e.g. one-way latency bound, SendingTime resolution). Default 0. */
  readonly uncertaintyMs?: number;
}

/**
 * Sample from a received message's SendingTime (52). The message left Kraken before we saw it, so the
 * server time at receipt is SendingTime + one-way latency; the latency bound becomes the uncertainty.
 */
export function sampleFromSendingTime(
  sendingTime: string,
  receivedAtLocalMs: number,
  oneWayLatencyMs = 0,
): ServerTimeSample | null {
  const t = parseUTCTimestamp(sendingTime);
  if (t === null) return null;
  // +1 ms: SendingTime is truncated to milliseconds.
  return { serverMs: t + oneWayLatencyMs, localMs: receivedAtLocalMs, uncertaintyMs: oneWayLatencyMs + 1 };
}

export type ClockDriftErrorCode = 'CLOCK_DRIFT_NONCE_WINDOW' | 'CLOCK_DRIFT_CLORDID_WINDOW' | 'INVALID_SAMPLE';

export interface ClockDriftError {
  readonly code: ClockDriftErrorCode;
  /** local - server, ms (positive: our clock is ahead). */
  readonly driftMs: number;
  readonly limitMs: number;
  readonly message: string;
}

export interface ClockDriftOptions {
  /** Safety margin subtracted from each window (default 1000 ms for the nonce, same for ClOrdID). */
  readonly marginMs?: number;
  readonly nonceWindowMs?: number;
  readonly clOrdIdWindowMs?: number;
}

/**
 * Decide before logon whether our clock is close enough to Kraken's. The worst case |drift| + uncertainty
 * must stay inside each window minus a margin. The ClOrdID error is reported when both fail (it is worse:
 * even a relaxed nonce would not save order entry).
 */
export function checkClockDrift(
  sample: ServerTimeSample,
  options: ClockDriftOptions = {},
): Result<{ driftMs: number }, ClockDriftError> {
  const margin = options.marginMs ?? 1_000;
  const nonceWindow = options.nonceWindowMs ?? NONCE_WINDOW_MS;
  const clOrdIdWindow = options.clOrdIdWindowMs ?? CLORDID_TIMESTAMP_WINDOW_MS;
  const uncertainty = sample.uncertaintyMs ?? 0;
  if (!Number.isFinite(sample.serverMs) || !Number.isFinite(sample.localMs) || !(uncertainty >= 0)) {
    return err({ code: 'INVALID_SAMPLE', driftMs: NaN, limitMs: 0, message: 'server time sample is not a finite number' });
  }
  const driftMs = sample.localMs - sample.serverMs;
  const worst = Math.abs(driftMs) + uncertainty;
  const direction = driftMs > 0 ? 'ahead of' : 'behind';
  if (worst > clOrdIdWindow - margin) {
    return err({
      code: 'CLOCK_DRIFT_CLORDID_WINDOW',
      driftMs,
      limitMs: clOrdIdWindow,
      message:
        `local clock is ${Math.abs(driftMs)} ms ${direction} Kraken (±${uncertainty} ms): outside the ` +
        `±${clOrdIdWindow} ms ClOrdID timestamp window and the ±${nonceWindow} ms nonce window; sync NTP before logon`,
    });
  }
  if (worst > nonceWindow - margin) {
    return err({
      code: 'CLOCK_DRIFT_NONCE_WINDOW',
      driftMs,
      limitMs: nonceWindow,
      message:
        `local clock is ${Math.abs(driftMs)} ms ${direction} Kraken (±${uncertainty} ms): Logon nonce would ` +
        `fall outside the ±${nonceWindow} ms window; sync NTP before logon`,
    });
  }
  return ok({ driftMs });
}
