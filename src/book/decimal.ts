/**
 * Exact decimal <-> scaled-integer conversion for prices and quantities.
 *
 * A price with 2349 PriceDecimals = d is held as the integer price * 10^d (qty likewise with 5010).
 * The integer lives in a JS number (and in Float64Array slots): every integer up to 2^53 - 1 is exact
 * there, and 2^53 covers e.g. 90 million BTC at 8 decimals, so no binary fraction ever enters a price.
 * BigInt would allocate on every read, which the hot path cannot afford.
 *
 * Parsing is unsigned: book prices and sizes are never negative on Kraken. A parse returns the value,
 * or a negative ScaledStatus code; callers test `v < 0`.
 */

/** Negative results of parseScaled; any value >= 0 is a successfully parsed scaled integer. */
export const ScaledStatus = {
  /** No digits at all ("", ".", or len 0). */
  Empty: -1,
  /** A byte that is not 0-9 or a single '.' (includes '+', 'e', spaces, a second '.'). */
  InvalidChar: -2,
  /** A non-zero digit beyond `scale` decimals: the value is not representable exactly at this scale. */
  TooManyDecimals: -3,
  /** Scaled value above Number.MAX_SAFE_INTEGER. */
  Overflow: -4,
  /** Leading '-': negative prices/sizes are not valid in a book. */
  Negative: -5,
  /** scale outside 0..MAX_SCALE. */
  BadScale: -6,
} as const;
export type ScaledStatus = (typeof ScaledStatus)[keyof typeof ScaledStatus];

export const MAX_SCALE = 15;

const POW10: Float64Array = (() => {
  const t = new Float64Array(MAX_SCALE + 1);
  let p = 1;
  for (let i = 0; i <= MAX_SCALE; i++) {
    t[i] = p;
    p *= 10;
  }
  return t;
})();

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** Largest v for which v * 10 + 9 is still exact; above it we do the precise check. */
const SAFE_ACC = Math.floor((MAX_SAFE - 9) / 10);

/** 10^scale as an exact number (scale 0..15). */
export function pow10(scale: number): number {
  return POW10[scale];
}

/**
 * Parses ASCII decimal `buf[off, off+len)` into an integer scaled by 10^scale, stored in out[idx].
 * Accepts "123", "123.", ".5", "0.10"; digits beyond `scale` must be zeros ("30300.70" at scale 1 is fine).
 * Returns 0 on success or a ScaledStatus (< 0, out untouched). Never allocates, never throws; the value
 * travels through the typed array so no double above 2^30 is boxed crossing a call.
 */
export function parseScaledInto(
  buf: Uint8Array,
  off: number,
  len: number,
  scale: number,
  out: Float64Array,
  idx: number,
): number {
  if (!(scale >= 0 && scale <= MAX_SCALE) || (scale | 0) !== scale) return ScaledStatus.BadScale;
  if (len <= 0) return ScaledStatus.Empty;
  const end = off + len;
  if (off < 0 || end > buf.length) return ScaledStatus.Empty;
  if (buf[off] === 0x2d /* - */) return ScaledStatus.Negative;
  let v = 0;
  let digits = 0;
  let frac = -1; // number of fraction digits consumed into v; -1 until '.'
  for (let i = off; i < end; i++) {
    const c = buf[i];
    const d = c - 0x30;
    if (d >= 0 && d <= 9) {
      digits++;
      if (frac >= 0) {
        if (frac === scale) {
          if (d !== 0) return ScaledStatus.TooManyDecimals;
          continue;
        }
        frac++;
      }
      if (v > SAFE_ACC && v > (MAX_SAFE - d) / 10) return ScaledStatus.Overflow;
      v = v * 10 + d;
    } else if (c === 0x2e /* . */ && frac < 0) {
      frac = 0;
    } else {
      return ScaledStatus.InvalidChar;
    }
  }
  if (digits === 0) return ScaledStatus.Empty;
  const pad = scale - (frac < 0 ? 0 : frac);
  if (pad > 0) {
    const m = POW10[pad];
    if (v > MAX_SAFE / m) return ScaledStatus.Overflow;
    v *= m;
  }
  out[idx] = v;
  return 0;
}

const PARSE_OUT = new Float64Array(1);

/**
 * parseScaledInto returning the value: >= 0 is the scaled integer, < 0 a ScaledStatus. Convenient;
 * a result above 2^30 may be boxed by V8 if this call is not inlined (use parseScaledInto on hot paths).
 */
export function parseScaled(buf: Uint8Array, off: number, len: number, scale: number): number {
  const st = parseScaledInto(buf, off, len, scale, PARSE_OUT, 0);
  return st < 0 ? st : PARSE_OUT[0];
}

/** String twin of parseScaled (tests, config, InstrumentList fields): the same parser over the string's bytes. */
export function parseScaledString(s: string, scale: number): number {
  const bytes = new Uint8Array(s.length);
  // A character beyond one byte becomes 0xff, which is invalid in the same position as the character.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    bytes[i] = c > 0xff ? 0xff : c;
  }
  return parseScaled(bytes, 0, bytes.length, scale);
}

/** Formats a scaled integer with exactly `scale` decimals ("30300.7"). Allocates: not for the hot path. */
export function formatScaled(value: number, scale: number): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a non-negative safe integer: ${value}`);
  if (scale === 0) return String(value);
  const s = String(value).padStart(scale + 1, '0');
  return `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`;
}

/** Name of a ScaledStatus code, for error messages. */
export function scaledStatusName(code: number): string {
  for (const k of Object.keys(ScaledStatus) as (keyof typeof ScaledStatus)[]) {
    if (ScaledStatus[k] === code) return k;
  }
  return code >= 0 ? 'Ok' : `Unknown(${code})`;
}

/** Validates an optional decimals option; -1 when absent. */
export function decimalsOption(name: string, v: number | undefined): number {
  if (v === undefined) return -1;
  if (!Number.isInteger(v) || v < 0 || v > MAX_SCALE) throw new RangeError(`${name} must be an integer in 0..${MAX_SCALE}, got ${v}`);
  return v;
}
