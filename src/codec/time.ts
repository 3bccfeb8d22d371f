/**
 * UTCTimestamp parsing and formatting without Date objects: the hot path stamps SendingTime on every
 * message, so the date and time down to the second are cached and only the fraction is written.
 */
import { wordAt } from './packed.js';

// Local copies on purpose: V8 reloads an imported binding on every use, which slows per-byte loops.
const DIGIT_0 = 0x30;

/** Injectable time source; tests and the simulator drive it by hand. */
export interface Clock {
  /** Wall-clock time in epoch microseconds. */
  nowMicros(): number;
}

/** System clock with microsecond resolution (performance.now has sub-ms precision, Date.now has not). */
export class SystemClock implements Clock {
  private readonly originMicros = performance.timeOrigin * 1000;
  nowMicros(): number {
    return Math.floor(this.originMicros + performance.now() * 1000);
  }
}

/** A clock tests set and advance explicitly. */
export class ManualClock implements Clock {
  constructor(public micros: number) {}
  nowMicros(): number {
    return this.micros;
  }
  advanceMs(ms: number): void {
    this.micros += ms * 1000;
  }
}

const MICROS_PER_DAY = 86_400_000_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number, out: Int32Array): void {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  out[0] = yoe + era * 400 + (m <= 2 ? 1 : 0);
  out[1] = m;
  out[2] = d;
}

function digits(buf: Uint8Array, off: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = buf[off + i]! - DIGIT_0;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Parses `YYYYMMDD-HH:MM:SS[.s{1,9}]` to epoch microseconds (fraction beyond µs truncated);
 * NaN when malformed or out of range.
 */
export function parseUtcTimestamp(buf: Uint8Array, off: number, len: number): number {
  if (len < 17 || buf[off + 8] !== 0x2d || buf[off + 11] !== 0x3a || buf[off + 14] !== 0x3a) return NaN;
  const y = digits(buf, off, 4), mo = digits(buf, off + 4, 2), d = digits(buf, off + 6, 2);
  const h = digits(buf, off + 9, 2), mi = digits(buf, off + 12, 2), s = digits(buf, off + 15, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60) return NaN;
  let micros = 0;
  if (len > 17) {
    const fracLen = len - 18;
    if (buf[off + 17] !== 0x2e || fracLen < 1 || fracLen > 9) return NaN;
    const frac = digits(buf, off + 18, fracLen);
    if (frac < 0) return NaN;
    micros = fracLen <= 6 ? frac * 10 ** (6 - fracLen) : Math.floor(frac / 10 ** (fracLen - 6));
  }
  if (d > daysInMonth(y, mo)) return NaN;
  return daysFromCivil(y, mo, d) * MICROS_PER_DAY + ((h * 60 + mi) * 60 + s) * 1_000_000 + micros;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** ".000" .. ".999" as little-endian words, and their byte sums: the ms fraction is one lookup. */
const MS_TEXT = new Int32Array(1000);
const MS_SUM = new Int32Array(1000);
for (let ms = 0; ms < 1000; ms++) {
  const a = DIGIT_0 + ((ms / 100) | 0);
  const b = DIGIT_0 + (((ms / 10) | 0) % 10);
  const c = DIGIT_0 + (ms % 10);
  MS_TEXT[ms] = 0x2e | (a << 8) | (b << 16) | (c << 24);
  MS_SUM[ms] = 0x2e + a + b + c;
}

/** Fraction digits written after the seconds: 0, 3 (ms, FIX 4.4's usual) or 6 (µs). */
export type TimestampPrecision = 0 | 3 | 6;

/** Bytes a timestamp of this precision takes: 17, 21 or 24. */
function timestampLength(precision: TimestampPrecision): number {
  return precision === 0 ? 17 : precision === 3 ? 21 : 24;
}

const scratchYmd = new Int32Array(3);

/**
 * Writes `YYYYMMDD-HH:MM:SS` of an epoch second (17 bytes) at `off`; returns their byte sum.
 * Not for the hot path: callers cache the result for the whole second.
 */
function formatSecond(epochSecond: number, out: Uint8Array, off: number): number {
  const days = Math.floor(epochSecond / 86_400);
  const secOfDay = epochSecond - days * 86_400;
  civilFromDays(days, scratchYmd);
  put(out, off, scratchYmd[0]!, 4);
  put(out, off + 4, scratchYmd[1]!, 2);
  put(out, off + 6, scratchYmd[2]!, 2);
  out[off + 8] = 0x2d;
  put(out, off + 9, Math.floor(secOfDay / 3600), 2);
  out[off + 11] = 0x3a;
  put(out, off + 12, Math.floor(secOfDay / 60) % 60, 2);
  out[off + 14] = 0x3a;
  put(out, off + 15, secOfDay % 60, 2);
  let s = 0;
  for (let i = off; i < off + 17; i++) s += out[i]!;
  return s;
}

/**
 * Writes the fraction (nothing, ".mmm" or ".uuuuuu") of `inSecond` µs, in [0, 1e6), at `off`;
 * returns its byte sum. Word stores that end exactly at the fraction's last byte.
 */
function writeFraction(view: DataView, off: number, inSecond: number, precision: TimestampPrecision): number {
  // |0 is exact here: inSecond is in [0, 1e6) (a fractional µs is truncated).
  const frac = inSecond | 0;
  const ms = (frac / 1000) | 0;
  if (precision === 3) {
    view.setInt32(off, MS_TEXT[ms]!, true);
    return MS_SUM[ms]!;
  }
  if (precision === 0) return 0;
  // ".mmm" then "muuu" overlapping its last digit: 7 bytes in two stores.
  const us = frac - ms * 1000;
  const word = MS_TEXT[us]!;
  view.setInt32(off, MS_TEXT[ms]!, true);
  view.setInt32(off + 3, (MS_TEXT[ms]! >>> 24) | (word & ~0xff), true);
  return MS_SUM[ms]! + MS_SUM[us]! - 0x2e;
}

/**
 * Formats UTCTimestamps into a buffer. The `YYYYMMDD-HH:MM:SS` part is cached per second (a session
 * stamps many messages per second) as packed words, so the hot path is one range check, five word
 * stores and the fraction (one table word for ms), all in int32 arithmetic. `sum` is the byte sum of
 * the last timestamp written, which the encoder folds into its running CheckSum instead of re-reading.
 */
export class TimestampWriter {
  /** Sum of the bytes of the last timestamp written (not reduced mod 256). */
  sum = 0;
  /** Epoch micros at which the cached second starts; NaN until the first write. */
  private secondStart = NaN;
  private readonly prefix = new Uint8Array(17);
  private prefixSum = 0;
  // The cached prefix as little-endian words: bytes [0,4) [4,8) [8,12) [12,16) and [13,17).
  private w0 = 0;
  private w1 = 0;
  private w2 = 0;
  private w3 = 0;
  private wTail = 0;
  // A DataView over the last buffer written to (the encoder always passes the same one).
  private viewBuf: Uint8Array = new Uint8Array(0);
  private view = new DataView(this.viewBuf.buffer);

  /**
   * Writes the timestamp at `off` (timestampLength(precision) bytes, none past them); returns the
   * offset after it. A buffer too short for it gets a RangeError.
   */
  write(buf: Uint8Array, off: number, micros: number, precision: TimestampPrecision): number {
    const inSecond = micros - this.secondStart;
    // Kept small so TurboFan inlines it: ms precision, same buffer, within the cached second. The
    // negated range test also sends NaN (first call, a NaN clock) to the slow path.
    if (!(inSecond >= 0 && inSecond < 1_000_000) || precision !== 3 || buf !== this.viewBuf) {
      return this.writeSlow(buf, off, micros, precision);
    }
    const view = this.view;
    view.setInt32(off, this.w0, true);
    view.setInt32(off + 4, this.w1, true);
    view.setInt32(off + 8, this.w2, true);
    view.setInt32(off + 12, this.w3, true);
    view.setInt32(off + 13, this.wTail, true);
    const ms = ((inSecond | 0) / 1000) | 0;
    view.setInt32(off + 17, MS_TEXT[ms]!, true);
    this.sum = this.prefixSum + MS_SUM[ms]!;
    return off + 21;
  }

  private writeSlow(buf: Uint8Array, off: number, micros: number, precision: TimestampPrecision): number {
    let inSecond = micros - this.secondStart;
    if (!(inSecond >= 0 && inSecond < 1_000_000)) inSecond = this.refill(micros);
    const view = buf === this.viewBuf ? this.view : this.bind(buf);
    view.setInt32(off, this.w0, true);
    view.setInt32(off + 4, this.w1, true);
    view.setInt32(off + 8, this.w2, true);
    view.setInt32(off + 12, this.w3, true);
    view.setInt32(off + 13, this.wTail, true);
    this.sum = this.prefixSum + writeFraction(view, off + 17, inSecond, precision);
    return off + timestampLength(precision);
  }

  private bind(buf: Uint8Array): DataView {
    this.viewBuf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    return this.view;
  }

  /** Caches the second of `micros`; returns micros' offset into it (0 if unusable: NaN, beyond 2^53). */
  private refill(micros: number): number {
    const second = Math.floor(micros / 1_000_000);
    this.secondStart = second * 1_000_000;
    const p = this.prefix;
    this.prefixSum = formatSecond(second, p, 0);
    this.w0 = wordAt(p, 0);
    this.w1 = wordAt(p, 4);
    this.w2 = wordAt(p, 8);
    this.w3 = wordAt(p, 12);
    this.wTail = wordAt(p, 13);
    const inSecond = micros - this.secondStart;
    return inSecond >= 0 && inSecond < 1_000_000 ? inSecond : 0;
  }
}

function put(buf: Uint8Array, off: number, v: number, width: number): void {
  for (let i = width - 1; i >= 0; i--) {
    buf[off + i] = DIGIT_0 + (v % 10);
    v = Math.floor(v / 10);
  }
}

/** Convenience for tests and logs (allocates). */
export function formatUtcTimestamp(micros: number, precision: TimestampPrecision = 3): string {
  const buf = new Uint8Array(32);
  const end = new TimestampWriter().write(buf, 0, micros, precision);
  return Buffer.from(buf.subarray(0, end)).toString('latin1');
}
