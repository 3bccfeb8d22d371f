/**
 * Hostile peers at the simulator's acceptors: what is counted when one is cut off (SimulatorStats.hostile),
 * the throttle on repeated failed trading logons per SenderCompID, and the operational log line.
 * The cutting itself happens below: connection caps, the Logon deadline and pre-logon garbage in
 * src/transport/acceptor.ts, garbled or oversize input of a logged-on peer in the session
 * (SessionConfig.garbledInputLimit, disconnectOnOversize); this file only maps those reasons to counters.
 */
import type { AcceptorCutOff, AcceptorCutOffReason } from '../transport/index.js';

export interface HostileStats {
  /** Connections cut off for bytes that do not frame as FIX (before or after logon; failed TLS handshakes). */
  garbage: number;
  /** Connections cut off for a frame above the size limit, or 64 KiB without a complete Logon. */
  oversize: number;
  /** Connections closed at accept for a connection cap (total, pending, pending per address). */
  connectionsRefused: number;
  /** Connections closed for sending no Logon within the logon timeout. */
  logonTimeouts: number;
  /**
   * Logons refused: bad credentials or nonce, unknown CompID, a first message that is not a Logon, a
   * second connection for a logged-on CompID, throttled CompIDs.
   */
  badLogons: number;
  /** Of badLogons: refused unchecked because the CompID failed too often (LogonThrottle). */
  logonsThrottled: number;
}

export type HostileKind = Exclude<keyof HostileStats, 'logonsThrottled'>;

export function newHostileStats(): HostileStats {
  return { garbage: 0, oversize: 0, connectionsRefused: 0, logonTimeouts: 0, badLogons: 0, logonsThrottled: 0 };
}

const KIND_OF_CUT: Record<AcceptorCutOffReason, HostileKind> = {
  'connection-limit': 'connectionsRefused',
  garbage: 'garbage',
  oversize: 'oversize',
  'logon-timeout': 'logonTimeouts',
  'not-logon': 'badLogons',
  'unknown-session': 'badLogons',
  duplicate: 'badLogons',
};

export function hostileKindOfCut(cut: AcceptorCutOff): HostileKind {
  return KIND_OF_CUT[cut.reason];
}

/** Session event kinds that mean the session cut its peer off (src/session). */
export function hostileKindOfSessionEvent(kind: string): HostileKind | null {
  if (kind === 'garbled-input') return 'garbage';
  if (kind === 'oversize-input') return 'oversize';
  return null;
}

export interface BadLogonLimit {
  /** More failed logons than this for one SenderCompID within windowMs... */
  failures: number;
  /** ...refuses that CompID's logons unchecked for this long (and is the counting window). */
  windowMs: number;
}

/**
 * 10 failures a minute: far more than a client fixing its key or clock needs, far fewer than a guessing
 * attack sends. The price: a peer that knows a CompID can lock its owner out of new logons for a minute
 * (a logged-on owner is not disturbed: a second connection is refused anyway).
 */
export const DEFAULT_BAD_LOGON_LIMIT: Readonly<BadLogonLimit> = { failures: 10, windowMs: 60_000 };

/**
 * Failed logons per key (the configured SenderCompIDs only, so memory is bounded by the account list):
 * a fixed window of failures; past the limit the key is blocked until the window's end plus windowMs.
 */
export class LogonThrottle {
  private readonly windows = new Map<string, { start: number; failures: number; blockedUntil: number }>();

  constructor(private readonly limit: BadLogonLimit | false) {}

  /** True while `key` is blocked at `nowMicros`. */
  blocked(key: string, nowMicros: number): boolean {
    const w = this.windows.get(key);
    return w !== undefined && nowMicros < w.blockedUntil;
  }

  /** One failed logon for `key`; true when this failure tripped the block. */
  fail(key: string, nowMicros: number): boolean {
    if (this.limit === false) return false;
    const windowMicros = this.limit.windowMs * 1000;
    let w = this.windows.get(key);
    if (w === undefined) this.windows.set(key, (w = { start: nowMicros, failures: 0, blockedUntil: 0 }));
    if (nowMicros - w.start >= windowMicros) {
      w.start = nowMicros;
      w.failures = 0;
    }
    w.failures++;
    if (w.failures <= this.limit.failures || nowMicros < w.blockedUntil) return false;
    w.blockedUntil = nowMicros + windowMicros;
    return true;
  }
}

/** Lines per second before the log summarises: the log must not become the flood's amplifier. */
const LOG_LINES_PER_SEC = 10;

/** Writes one line per cut-off with the running counts, at most LOG_LINES_PER_SEC a second (wall clock). */
export class HostileLog {
  private second = 0;
  private lines = 0;
  private suppressed = 0;

  constructor(private readonly write: ((line: string) => void) | undefined) {}

  line(what: string, counts: HostileStats): void {
    if (this.write === undefined) return;
    const sec = Math.floor(Date.now() / 1000);
    if (sec !== this.second) {
      this.second = sec;
      this.lines = 0;
    }
    if (this.lines >= LOG_LINES_PER_SEC) {
      this.suppressed++;
      return;
    }
    this.lines++;
    const more = this.suppressed > 0 ? ` (${this.suppressed} similar lines suppressed)` : '';
    this.suppressed = 0;
    const c = counts;
    this.write(
      `kfix sim: hostile peer ${what}${more}; totals garbage=${c.garbage} oversize=${c.oversize} connectionsRefused=${c.connectionsRefused} ` +
        `logonTimeouts=${c.logonTimeouts} badLogons=${c.badLogons} logonsThrottled=${c.logonsThrottled}`,
    );
  }
}
