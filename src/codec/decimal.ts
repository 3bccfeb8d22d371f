/**
 * Exact decimals for prices and quantities: a safe-integer mantissa and a base-10 scale (value =
 * mantissa / 10^scale). Parsing refuses anything that would not fit exactly, so no binary floating
 * point ever touches a price or a quantity on the wire path.
 */
// Local copies on purpose: V8 reloads an imported binding on every use, which slows per-byte loops.
const DIGIT_0 = 0x30;
const DOT = 0x2e;
const MINUS = 0x2d;

/** Mutable out-parameter so the hot path reads decimals without allocating. */
export class Decimal {
  mantissa = 0;
  scale = 0;
  set(mantissa: number, scale: number): this {
    this.mantissa = mantissa;
    this.scale = scale;
    return this;
  }
  toString(): string {
    return formatDecimal(this.mantissa, this.scale);
  }
}

/** Parses ASCII decimal bytes; false on bad syntax or more precision than a safe integer holds. */
export function parseDecimal(buf: Uint8Array, off: number, len: number, out: Decimal): boolean {
  let i = off;
  const end = off + len;
  let negative = false;
  if (i < end && buf[i] === MINUS) { negative = true; i++; }
  let mantissa = 0;
  let scale = -1;
  let digits = 0;
  for (; i < end; i++) {
    const b = buf[i]!;
    if (b === DOT) {
      if (scale >= 0) return false;
      scale = 0;
      continue;
    }
    const d = b - DIGIT_0;
    if (d < 0 || d > 9) return false;
    mantissa = mantissa * 10 + d;
    digits++;
    if (scale >= 0) scale++;
  }
  if (digits === 0 || mantissa > Number.MAX_SAFE_INTEGER) return false;
  out.mantissa = negative ? -mantissa : mantissa;
  out.scale = scale < 0 ? 0 : scale;
  return true;
}

export function parseDecimalString(s: string, out: Decimal = new Decimal()): Decimal | undefined {
  const b = Buffer.from(s, 'latin1');
  return parseDecimal(b, 0, b.length, out) ? out : undefined;
}

export function formatDecimal(mantissa: number, scale: number): string {
  const neg = mantissa < 0;
  let digits = String(neg ? -mantissa : mantissa);
  if (scale > 0) {
    if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
    digits = digits.slice(0, digits.length - scale) + '.' + digits.slice(digits.length - scale);
  }
  return neg ? '-' + digits : digits;
}

/** Compares two decimals exactly (-1, 0, 1), scaling the smaller-scale side up with integer math. */
export function compareDecimal(m1: number, s1: number, m2: number, s2: number): number {
  let a = BigInt(m1);
  let b = BigInt(m2);
  if (s1 < s2) a *= 10n ** BigInt(s2 - s1);
  else if (s2 < s1) b *= 10n ** BigInt(s1 - s2);
  return a < b ? -1 : a > b ? 1 : 0;
}
