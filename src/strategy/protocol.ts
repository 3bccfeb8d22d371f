/**
 * What the engine's hot path and strategy threads agree on beyond the ipc record schema: extra record
 * flags, local reject codes, the command doorbell, the shared ClOrdID sequence and the per-strategy
 * control block. Everything here is shared memory with a fixed layout; nothing crosses as objects.
 */
import { RecordFlag } from '../ipc/index.js';

/** Header `flags` bits the engine adds to market-data records (ipc owns bits 0..2). */
export const MdFlag = {
  /** Entry of a snapshot (W): the book is rebuilt from the entries of this message. */
  Snapshot: 0x100,
  /** First record of a FIX message (begin of a W or X). */
  FirstInMessage: 0x200,
  LastInMessage: RecordFlag.LastInMessage,
} as const;

/** Reject records with this msgType were produced locally (engine or context), not by the venue. */
export const LOCAL_REJECT_MSG_TYPE = 0x4c; // 'L'

/**
 * Numeric codes of local rejects, carried in Reject.rejectReason. The first block mirrors
 * src/kraken's ValidationErrorCode; the rest are engine conditions.
 */
export const LocalRejectCode = {
  UNKNOWN_SYMBOL: 1,
  CLORDID_INVALID: 2,
  CLORDID_REUSED: 3,
  MARKET_STATE: 4,
  UNSUPPORTED_ON_VENUE: 5,
  INVALID_FIELD: 6,
  FIELD_NOT_ALLOWED: 7,
  MISSING_PRICE: 8,
  MISSING_STOP_PX: 9,
  PRICE_NOT_ON_TICK: 10,
  QTY_BELOW_MIN: 11,
  QTY_ABOVE_MAX: 12,
  QTY_NOT_ON_LOT: 13,
  COST_BELOW_MIN: 14,
  DISPLAY_QTY_INVALID: 15,
  MISSING_EXPIRE_TIME: 16,
  EXPIRE_TIME_INVALID: 17,
  EFFECTIVE_TIME_INVALID: 18,
  VALID_UNTIL_OUT_OF_RANGE: 19,
  CONFLICTING_INSTRUCTIONS: 20,
  MISSING_ORDER_REF: 21,
  MISSING_SYMBOL: 22,
  NOT_AMENDABLE: 23,
  // engine-only
  NOT_LOGGED_ON: 64,
  QUEUE_FULL: 65,
  CLORDID_OUT_OF_ORDER: 66,
  UNKNOWN_ORDER: 67,
  BAD_COMMAND: 68,
  SEND_FAILED: 69,
  /** Kraken's Spot rate counter for the pair would pass the tier's threshold (engine rateLimitTier). */
  RATE_LIMIT: 70,
} as const;
export type LocalRejectCode = (typeof LocalRejectCode)[keyof typeof LocalRejectCode];
export type LocalRejectName = keyof typeof LocalRejectCode;

const NAMES: string[] = [];
for (const k of Object.keys(LocalRejectCode) as LocalRejectName[]) NAMES[LocalRejectCode[k]] = k;

export function localRejectName(code: number): LocalRejectName {
  return (NAMES[code] ?? 'BAD_COMMAND') as LocalRejectName;
}

/** Fixed ASCII texts for rejects made on the hot path (no formatting there). */
const TEXT_BYTES: Uint8Array[] = [];
export function localRejectText(code: number): Uint8Array {
  let t = TEXT_BYTES[code];
  if (t === undefined) {
    const s = `engine: ${localRejectName(code)}`;
    t = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) t[i] = s.charCodeAt(i);
    TEXT_BYTES[code] = t;
  }
  return t;
}
// Built at load time so the hot path never allocates one.
for (const code of Object.values(LocalRejectCode)) localRejectText(code);

// ---------------------------------------------------------------- doorbell

const RING = 0;
const WAITING = 16; // own cache line

/**
 * One word the hot path can sleep on for all strategies' command queues at once (a thread can wait on
 * one address only). Producers ring after each command; the notify happens only while it sleeps.
 */
export class Doorbell {
  readonly sab: SharedArrayBuffer;
  readonly words: Int32Array;
  constructor(sab: SharedArrayBuffer = new SharedArrayBuffer(128)) {
    if (!(sab instanceof SharedArrayBuffer) || sab.byteLength < 128) throw new TypeError('Doorbell: expected a 128-byte SharedArrayBuffer');
    this.sab = sab;
    this.words = new Int32Array(sab, 0, 32);
  }
  ring(): void {
    Atomics.add(this.words, RING, 1);
    if (Atomics.load(this.words, WAITING) !== 0) Atomics.notify(this.words, RING, 1);
  }
  /** Value to wait on; call before the last emptiness check. */
  arm(): number {
    Atomics.store(this.words, WAITING, 1);
    return Atomics.load(this.words, RING);
  }
  disarm(): void {
    Atomics.store(this.words, WAITING, 0);
  }
}

// ---------------------------------------------------------------- ClOrdID sequence

/**
 * Slot of the FIX session state (src/session SessionState) in the engine's Float64 counters, which
 * strategies may read: a strategy (re)started mid-session learns the state there, not from an event.
 */
export const ENGINE_SESSION_STATE_SLOT = 22;
const SESSION_ACTIVE = 3;
const SESSION_RESENDING = 4;
export function sessionActiveIn(counters: Float64Array): boolean {
  const s = counters[ENGINE_SESSION_STATE_SLOT];
  return s === SESSION_ACTIVE || s === SESSION_RESENDING;
}

/** Strategies per session: the strategy index is the last decimal digit of each ClOrdID. */
export const MAX_STRATEGIES = 10;

/**
 * Spot integer ClOrdIDs shared by every strategy of one session: a microsecond epoch whose last digit is
 * the strategy index, so an ExecutionReport is routed back by `ClOrdID % 10` without any table. The
 * 10-µs unit is `max(now, last + 1)` under a spin lock (three words; Atomics only works on Int32 and
 * BigInt64, and BigInt would allocate). IDs therefore increase in issue order within a session.
 */
export class ClOrdIdSequence {
  readonly sab: SharedArrayBuffer;
  private readonly w: Int32Array;
  constructor(sab: SharedArrayBuffer = new SharedArrayBuffer(64)) {
    this.sab = sab;
    this.w = new Int32Array(sab, 0, 4);
  }
  /** Next ClOrdID for `strategyIndex` (0..9), from wall-clock microseconds. */
  next(nowUs: number, strategyIndex: number): number {
    const w = this.w;
    while (Atomics.compareExchange(w, 0, 0, 1) !== 0) {
      // Held for a few instructions by another strategy thread.
    }
    const last = w[1]! * 4294967296 + (w[2]! >>> 0);
    const now = Math.floor(nowUs / 10);
    const unit = now > last ? now : last + 1;
    w[1] = Math.floor(unit / 4294967296);
    w[2] = unit >>> 0;
    Atomics.store(w, 0, 0);
    return unit * 10 + strategyIndex;
  }
  /** Last 10-µs unit issued (tests, diagnostics). */
  last(): number {
    return Atomics.load(this.w, 1) * 4294967296 + (Atomics.load(this.w, 2) >>> 0);
  }
}

/** Wall-clock microseconds without Date (sub-ms resolution). */
export function wallClockUs(): number {
  return (performance.timeOrigin + performance.now()) * 1000;
}

// ---------------------------------------------------------------- per-strategy control block

/** Int32 words (bytes 0..63). */
export const Ctl = { STOP: 0, STATE: 1, RESTARTS: 2 } as const;
/** Float64 counters (from byte 64), written by the strategy thread only. */
export const StratCounter = {
  EVENTS: 0,
  EXECUTIONS: 1,
  BOOKS: 2,
  TRADES: 3,
  COMMANDS: 4,
  LOCAL_REJECTS: 5,
  BACKLOGGED: 6,
  POISON_SKIPPED: 7,
  CONFLATED: 8,
  TIMERS: 9,
  /** Event-queue position of the record being handled, NaN when none (crash forensics / poison skip). */
  IN_FLIGHT_POS: 10,
  /** Position of the last record skipped as poison. */
  SKIPPED_POS: 11,
} as const;
export const STRAT_COUNTER_NAMES = [
  'events', 'executions', 'books', 'trades', 'commands', 'localRejects', 'backlogged', 'poisonSkipped', 'conflated', 'timers',
] as const;
export const StrategyState = { Idle: 0, Starting: 1, Running: 2, Stopped: 3, Crashed: 4 } as const;
export const STRATEGY_STATE_NAMES = ['idle', 'starting', 'running', 'stopped', 'crashed'] as const;

export class StrategyControl {
  readonly sab: SharedArrayBuffer;
  readonly ctl: Int32Array;
  readonly counters: Float64Array;
  /** Attaches to an existing block (another thread made it with create()). */
  constructor(sab: SharedArrayBuffer) {
    if (!(sab instanceof SharedArrayBuffer) || sab.byteLength !== 64 + 16 * 8) throw new TypeError('StrategyControl: bad control block');
    this.sab = sab;
    this.ctl = new Int32Array(sab, 0, 16);
    this.counters = new Float64Array(sab, 64, 16);
  }
  static create(): StrategyControl {
    const c = new StrategyControl(new SharedArrayBuffer(64 + 16 * 8));
    c.counters[StratCounter.IN_FLIGHT_POS] = NaN;
    c.counters[StratCounter.SKIPPED_POS] = NaN;
    return c;
  }
  get stopRequested(): boolean {
    return Atomics.load(this.ctl, Ctl.STOP) !== 0;
  }
  requestStop(): void {
    Atomics.store(this.ctl, Ctl.STOP, 1);
  }
  get state(): number {
    return Atomics.load(this.ctl, Ctl.STATE);
  }
  setState(s: number): void {
    Atomics.store(this.ctl, Ctl.STATE, s);
  }
  snapshot(): Record<(typeof STRAT_COUNTER_NAMES)[number], number> {
    const out = {} as Record<(typeof STRAT_COUNTER_NAMES)[number], number>;
    STRAT_COUNTER_NAMES.forEach((n, i) => (out[n] = this.counters[i]!));
    return out;
  }
}
