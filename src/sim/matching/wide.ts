/**
 * Exact integers wider than 2^53 without BigInt (which allocates on every operation).
 *
 * A wide value is two float64 slots of a Float64Array: value = hi * W + lo, W = 2^24, normalised so that
 * 0 <= lo < W and |hi| < 2^53. Capacity is about +-2^77, enough for price*qty products of every
 * instrument the engine accepts and for any sum of them.
 *
 * The only multiplication is small x big: x < 2^29 (price ticks times a unit factor) and 0 <= y < 2^48
 * (lots). Split y = yh * W + yl; x*yl < 2^53 and x*yh < 2^53 are both exact in float64, so the product
 * is exact. Callers guarantee those bounds (checked once when an instrument is registered and on every
 * order's price/qty range check).
 */

export const W = 16777216; // 2^24
export const MAX_FACTOR = 536870911; // 2^29 - 1: largest x for mulAdd
export const MAX_MULTIPLICAND = 281474976710655; // 2^48 - 1: largest y for mulAdd
const W_BIG = 16777216n;

/** a[i] (hi) and a[i+1] (lo) += sign * x * y. */
export function mulAdd(a: Float64Array, i: number, x: number, y: number, sign: number): void {
  const yh = Math.floor(y / W);
  const yl = y - yh * W;
  let lo = a[i + 1] + sign * x * yl;
  const carry = Math.floor(lo / W);
  lo -= carry * W;
  a[i] += sign * x * yh + carry;
  a[i + 1] = lo;
}

/** a[i..] += sign * b[j..]. */
export function addWide(a: Float64Array, i: number, b: Float64Array, j: number, sign: number): void {
  let lo = a[i + 1] + sign * b[j + 1];
  const carry = Math.floor(lo / W);
  lo -= carry * W;
  a[i] += sign * b[j] + carry;
  a[i + 1] = lo;
}

/** Sign of (a[i..] - b[j..]). Both normalised. */
export function cmpWide(a: Float64Array, i: number, b: Float64Array, j: number): number {
  const d = a[i] - b[j];
  if (d !== 0) return d > 0 ? 1 : -1;
  const e = a[i + 1] - b[j + 1];
  return e > 0 ? 1 : e < 0 ? -1 : 0;
}

export function setWide(a: Float64Array, i: number, hi: number, lo: number): void {
  a[i] = hi;
  a[i + 1] = lo;
}

export function isZeroWide(a: Float64Array, i: number): boolean {
  return a[i] === 0 && a[i + 1] === 0;
}

/**
 * floor(a[i..] / d) for 0 < d <= MAX_FACTOR, clamped to `cap` (a plain safe integer). Negative values give 0.
 * Used to turn an available balance into an affordable lot count.
 */
export function divFloorClamp(a: Float64Array, i: number, d: number, cap: number): number {
  const hi = a[i];
  if (hi < 0) return 0;
  const qh = Math.floor(hi / d);
  if (qh >= W * 2) return cap; // quotient >= 2^49 > any lot cap
  const rem = hi - qh * d;
  const ql = Math.floor((rem * W + a[i + 1]) / d);
  const q = qh * W + ql;
  return q < cap ? q : cap;
}

export function wideToBigInt(hi: number, lo: number): bigint {
  return BigInt(hi) * W_BIG + BigInt(lo);
}

/** Writes v into a[i..]; throws if |v| exceeds the wide range (configuration paths only). */
export function bigIntToWide(v: bigint, a: Float64Array, i: number): void {
  let hi = v / W_BIG;
  let lo = v - hi * W_BIG;
  if (lo < 0n) {
    lo += W_BIG;
    hi -= 1n;
  }
  if (hi > 9007199254740991n || hi < -9007199254740991n) throw new RangeError('value exceeds exact engine range');
  a[i] = Number(hi);
  a[i + 1] = Number(lo);
}
