/**
 * UTCTimestamp parsing and formatting without Date objects: the hot path stamps SendingTime on every
 * message, so the date part is cached per minute and only seconds and the fraction are written.
 */
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

/** Fraction digits written after the seconds: 0, 3 (ms, FIX 4.4's usual) or 6 (µs). */
export type TimestampPrecision = 0 | 3 | 6;

/** Formats UTCTimestamps into a buffer, caching the `YYYYMMDD-HH:MM:` part per minute. */
export class TimestampWriter {
  private cachedMinute = -1;
  private readonly prefix = new Uint8Array(15);
  private readonly ymd = new Int32Array(3);

  /** Writes the timestamp at `off`; returns the offset after it. */
  write(buf: Uint8Array, off: number, micros: number, precision: TimestampPrecision): number {
    const minute = Math.floor(micros / 60_000_000);
    if (minute !== this.cachedMinute) this.fillPrefix(minute);
    buf.set(this.prefix, off);
    off += 15;
    const inMinute = micros - minute * 60_000_000;
    const sec = Math.floor(inMinute / 1_000_000);
    buf[off++] = DIGIT_0 + Math.floor(sec / 10);
    buf[off++] = DIGIT_0 + (sec % 10);
    if (precision === 0) return off;
    buf[off++] = 0x2e;
    let frac = inMinute - sec * 1_000_000;
    let width = 6;
    if (precision === 3) { frac = Math.floor(frac / 1000); width = 3; }
    for (let i = width - 1; i >= 0; i--) {
      buf[off + i] = DIGIT_0 + (frac % 10);
      frac = Math.floor(frac / 10);
    }
    return off + width;
  }

  private fillPrefix(minute: number): void {
    this.cachedMinute = minute;
    const days = Math.floor(minute / 1440);
    const minOfDay = minute - days * 1440;
    civilFromDays(days, this.ymd);
    const p = this.prefix;
    put(p, 0, this.ymd[0]!, 4);
    put(p, 4, this.ymd[1]!, 2);
    put(p, 6, this.ymd[2]!, 2);
    p[8] = 0x2d;
    put(p, 9, Math.floor(minOfDay / 60), 2);
    p[11] = 0x3a;
    put(p, 12, minOfDay % 60, 2);
    p[14] = 0x3a;
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
