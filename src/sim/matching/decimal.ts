/**
 * Exact decimal string <-> scaled integer conversion. Money never goes through binary floating point:
 * "0.1" at 8 decimals is the integer 10_000_000, built digit by digit.
 *
 * parseScaled returns a non-negative integer, or a negative DecimalError so the hot path needs neither
 * exceptions nor result objects.
 */

export const enum DecimalError {
  Malformed = -1,
  TooPrecise = -2,
  TooLarge = -3,
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Parses an unsigned decimal ("12", "12.5", "0.00010", ".5" is malformed) into value * 10^decimals.
 * Trailing zeros beyond `decimals` are accepted (the value is still exact); other extra digits are TooPrecise.
 */
export function parseScaled(s: string, decimals: number): number {
  const n = s.length;
  if (n === 0) return DecimalError.Malformed;
  let v = 0;
  let i = 0;
  let intDigits = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2e) break;
    if (c < 0x30 || c > 0x39) return DecimalError.Malformed;
    v = v * 10 + (c - 0x30);
    intDigits++;
    if (v > MAX_SAFE) return DecimalError.TooLarge;
  }
  if (intDigits === 0) return DecimalError.Malformed;
  let frac = 0;
  if (i < n) {
    i++; // '.'
    if (i === n) return DecimalError.Malformed;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return DecimalError.Malformed;
      if (frac < decimals) {
        v = v * 10 + (c - 0x30);
        frac++;
        if (v > MAX_SAFE) return DecimalError.TooLarge;
      } else if (c !== 0x30) {
        // Keep scanning so a malformed tail is reported as Malformed, not TooPrecise.
        for (i++; i < n; i++) {
          const d = s.charCodeAt(i);
          if (d < 0x30 || d > 0x39) return DecimalError.Malformed;
        }
        return DecimalError.TooPrecise;
      }
    }
  }
  for (; frac < decimals; frac++) {
    v *= 10;
    if (v > MAX_SAFE) return DecimalError.TooLarge;
  }
  return v;
}

/** Same as parseScaled for ASCII bytes buf[start, end) (the gateway parses fields in place). */
export function parseScaledBytes(buf: Uint8Array, start: number, end: number, decimals: number): number {
  if (end <= start) return DecimalError.Malformed;
  let v = 0;
  let i = start;
  for (; i < end; i++) {
    const c = buf[i];
    if (c === 0x2e) break;
    if (c < 0x30 || c > 0x39) return DecimalError.Malformed;
    v = v * 10 + (c - 0x30);
    if (v > MAX_SAFE) return DecimalError.TooLarge;
  }
  if (i === start) return DecimalError.Malformed;
  let frac = 0;
  if (i < end) {
    i++;
    if (i === end) return DecimalError.Malformed;
    let tooPrecise = false;
    for (; i < end; i++) {
      const c = buf[i];
      if (c < 0x30 || c > 0x39) return DecimalError.Malformed;
      if (frac < decimals) {
        v = v * 10 + (c - 0x30);
        frac++;
        if (v > MAX_SAFE) return DecimalError.TooLarge;
      } else if (c !== 0x30) tooPrecise = true;
    }
    if (tooPrecise) return DecimalError.TooPrecise;
  }
  for (; frac < decimals; frac++) {
    v *= 10;
    if (v > MAX_SAFE) return DecimalError.TooLarge;
  }
  return v;
}

/** Unbounded variant for configuration (deposits, instrument specs). Accepts a leading '-'. */
export function parseScaledBigInt(s: string, decimals: number): bigint | DecimalError {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (m === null) return DecimalError.Malformed;
  const frac = m[3] ?? '';
  const extra = frac.slice(decimals);
  if (/[^0]/.test(extra)) return DecimalError.TooPrecise;
  const digits = m[2] + frac.slice(0, decimals).padEnd(decimals, '0');
  const v = BigInt(digits);
  return m[1] === '-' ? -v : v;
}

const POW10: number[] = [];
for (let i = 0, p = 1; i <= 15; i++, p *= 10) POW10.push(p);

/** 10^k as a number, k <= 15. */
export function pow10(k: number): number {
  if (k < 0 || k > 15) throw new RangeError(`pow10(${k}) out of exact range`);
  return POW10[k];
}

/** Formats value * 10^-decimals with exactly `decimals` fractional digits ("0.10000000"). */
export function formatScaled(value: number | bigint, decimals: number): string {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`not an exact integer: ${value}`);
  const neg = value < 0;
  let digits = (neg ? -BigInt(value) : BigInt(value)).toString();
  if (decimals === 0) return (neg ? '-' : '') + digits;
  if (digits.length <= decimals) digits = digits.padStart(decimals + 1, '0');
  const cut = digits.length - decimals;
  return (neg ? '-' : '') + digits.slice(0, cut) + '.' + digits.slice(cut);
}

/** Like formatScaled but without trailing fractional zeros ("0.1", "100"). */
export function formatScaledTrim(value: number | bigint, decimals: number): string {
  const s = formatScaled(value, decimals);
  if (decimals === 0) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 0x30) end--;
  if (s.charCodeAt(end - 1) === 0x2e) end--;
  return s.slice(0, end);
}

/**
 * num / den as a decimal with `decimals` fractional digits, rounded half-up (away from zero for the
 * positive values the engine produces). Exact: integer division on BigInt.
 */
export function formatRatio(num: bigint, den: bigint, decimals: number): string {
  if (den === 0n) throw new RangeError('division by zero');
  const neg = num < 0n !== den < 0n;
  const n = num < 0n ? -num : num;
  const d = den < 0n ? -den : den;
  const scaled = n * 10n ** BigInt(decimals);
  let q = scaled / d;
  if ((scaled % d) * 2n >= d) q += 1n;
  return formatScaled(neg && q !== 0n ? -q : q, decimals);
}

/** Number of fractional digits a decimal string carries after trimming trailing zeros ("0.10" -> 1). */
export function significantDecimals(s: string): number {
  const dot = s.indexOf('.');
  if (dot < 0) return 0;
  let end = s.length;
  while (end > dot + 1 && s.charCodeAt(end - 1) === 0x30) end--;
  return end - dot - 1;
}
