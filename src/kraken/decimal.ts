// Exact decimals for prices and quantities: a scaled integer (bigint mantissa + decimal scale).
// Floats are never used for money or quantities because tick/lot checks must be exact
// (0.1 + 0.2 style errors would wrongly reject or accept orders).

export interface Decimal {
  /** value = m / 10^s */
  readonly m: bigint;
  /** number of decimal places, >= 0 */
  readonly s: number;
}

const DECIMAL_RE = /^(-)?(\d+)(?:\.(\d+))?$/;
/** Upper bound on digits we accept; protects against absurd inputs (bigint would cope, but they are bugs). */
const MAX_DIGITS = 40;

export const ZERO: Decimal = { m: 0n, s: 0 };

/** Parse a plain decimal string ("12", "0.0001", "-3.5"). No exponent, no sign '+', no spaces. */
export function parseDecimal(text: string): Decimal | null {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_DIGITS + 2) return null;
  const match = DECIMAL_RE.exec(text);
  if (match === null) return null;
  const intPart = match[2]!;
  const fracPart = match[3] ?? '';
  const m = BigInt(intPart + fracPart);
  return { m: match[1] === '-' ? -m : m, s: fracPart.length };
}

const POW10: bigint[] = [];
export function pow10(n: number): bigint {
  let p = POW10[n];
  if (p === undefined) {
    p = 10n ** BigInt(n);
    POW10[n] = p;
  }
  return p;
}

/** Same value expressed with scale `s` (s >= d.s). */
function rescaleUp(d: Decimal, s: number): bigint {
  return d.m * pow10(s - d.s);
}

/**
 * Mantissa of `d` at scale `s`, or null when `d` has non-zero digits beyond `s` decimals
 * (i.e. it cannot be represented exactly with `s` decimals).
 */
export function toScaled(d: Decimal, s: number): bigint | null {
  if (s >= d.s) return rescaleUp(d, s);
  const div = pow10(d.s - s);
  if (d.m % div !== 0n) return null;
  return d.m / div;
}

export function cmp(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const s = Math.max(a.s, b.s);
  const x = rescaleUp(a, s);
  const y = rescaleUp(b, s);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function add(a: Decimal, b: Decimal): Decimal {
  const s = Math.max(a.s, b.s);
  return { m: rescaleUp(a, s) + rescaleUp(b, s), s };
}

export function sub(a: Decimal, b: Decimal): Decimal {
  const s = Math.max(a.s, b.s);
  return { m: rescaleUp(a, s) - rescaleUp(b, s), s };
}

export function mul(a: Decimal, b: Decimal): Decimal {
  return { m: a.m * b.m, s: a.s + b.s };
}

/** a / b rounded toward zero to `scale` decimals; null if b is zero. */
export function divTrunc(a: Decimal, b: Decimal, scale: number): Decimal | null {
  if (b.m === 0n) return null;
  // a.m/10^a.s / (b.m/10^b.s) * 10^scale = a.m * 10^(b.s + scale) / (b.m * 10^a.s)
  const num = a.m * pow10(b.s + scale);
  const den = b.m * pow10(a.s);
  return { m: num / den, s: scale };
}

/** True when `value` is an exact integer multiple of `step` (step > 0). */
export function isMultipleOf(value: Decimal, step: Decimal): boolean {
  if (step.m <= 0n) return false;
  const s = Math.max(value.s, step.s);
  return rescaleUp(value, s) % rescaleUp(step, s) === 0n;
}

export function isZero(d: Decimal): boolean {
  return d.m === 0n;
}

export function isPositive(d: Decimal): boolean {
  return d.m > 0n;
}

export function max(a: Decimal, b: Decimal): Decimal {
  return cmp(a, b) >= 0 ? a : b;
}

/** Canonical text: keeps the scale (trailing zeros stay, so "0.10" at scale 2 prints "0.10"). */
export function formatDecimal(d: Decimal): string {
  const neg = d.m < 0n;
  const digits = (neg ? -d.m : d.m).toString();
  if (d.s === 0) return (neg ? '-' : '') + digits;
  const padded = digits.padStart(d.s + 1, '0');
  const cut = padded.length - d.s;
  return (neg ? '-' : '') + padded.slice(0, cut) + '.' + padded.slice(cut);
}

/** Text with trailing fractional zeros removed ("1.2300" -> "1.23", "5.0" -> "5"). */
export function formatDecimalTrimmed(d: Decimal): string {
  let m = d.m;
  let s = d.s;
  while (s > 0 && m % 10n === 0n) {
    m /= 10n;
    s--;
  }
  return formatDecimal({ m, s });
}

/** Format with exactly `scale` decimals; null if that would lose digits. */
export function formatAtScale(d: Decimal, scale: number): string | null {
  const m = toScaled(d, scale);
  return m === null ? null : formatDecimal({ m, s: scale });
}

/** Parse or throw — only for constants in code and tests, never for external input. */
export function dec(text: string): Decimal {
  const d = parseDecimal(text);
  if (d === null) throw new Error(`invalid decimal literal in code: ${JSON.stringify(text)}`);
  return d;
}
