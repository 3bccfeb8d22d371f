/**
 * Kraken book checksum (5041): CRC32 (ISO-HDLC: reflected poly 0xEDB88320, init and xorout 0xFFFFFFFF)
 * over the top 10 levels per side, asks ascending then bids descending, each level contributing
 * price then qty formatted with the instrument's decimals, '.' removed and leading zeros stripped.
 *
 * "Format with d decimals, drop '.', strip leading zeros" is exactly the decimal digits of the scaled
 * integer (30300.7 at 1 decimal -> "303007" = 303007; 0.0031 at 8 -> "310000"), so we feed the digits
 * of the integers we already hold straight into the CRC: no strings, no allocation.
 * A zero value strips to the empty string and contributes nothing (Kraken never sends zero-qty levels).
 */
import type { L2Book } from './l2-book.js';
import type { L3Book } from './l3-book.js';

/** Levels per side covered by the checksum, regardless of the subscribed depth. */
export const CHECKSUM_LEVELS = 10;

import { CRC32_INIT, crc32Byte, crc32Final } from '../codec/crc32.js';

export { CRC32_INIT, crc32Byte, crc32Bytes, crc32Final } from '../codec/crc32.js';

/** CRC32 of a string's char codes (Latin-1 / ASCII). Tests and tools; allocation-free but not hot. */
export function crc32String(s: string): number {
  let crc = CRC32_INIT;
  for (let i = 0; i < s.length; i++) crc = crc32Byte(crc, s.charCodeAt(i));
  return crc32Final(crc);
}

const DIGITS = new Uint8Array(20);
const SCRATCH = new Float64Array(1);

/**
 * Writes the decimal digits of the non-negative safe integer arr[i] (negated first when `negate`)
 * into DIGITS, least significant first; returns how many (0 for 0, i.e. "leading zeros stripped").
 * Values above int32 are split into hi * 10^8 + lo so all digit work stays in int32 arithmetic
 * (a double `%` is a slow runtime call in V8).
 */
function fillDigits(arr: Float64Array, i: number, negate: boolean): number {
  const v = negate ? -arr[i] : arr[i];
  let n = 0;
  let lo: number;
  let hi: number;
  if (v <= 0x7fffffff) {
    lo = v | 0;
    hi = 0;
  } else {
    let h = Math.floor(v / 1e8);
    let l = v - h * 1e8; // exact: both products are integers below 2^53
    if (l < 0) {
      h -= 1;
      l += 1e8;
    } else if (l >= 1e8) {
      h += 1;
      l -= 1e8;
    }
    lo = l | 0;
    hi = h | 0;
  }
  if (hi > 0) {
    for (let k = 0; k < 8; k++) {
      const q = (lo / 10) | 0;
      DIGITS[n++] = 0x30 + lo - q * 10;
      lo = q;
    }
    lo = hi;
  }
  while (lo > 0) {
    const q = (lo / 10) | 0;
    DIGITS[n++] = 0x30 + lo - q * 10;
    lo = q;
  }
  return n;
}

/**
 * Feeds the decimal digits of a non-negative safe integer, most significant first, no leading zeros
 * (0 feeds nothing). Public convenience; the books use the shared-state functions below.
 */
export function crc32Scaled(crc: number, value: number): number {
  SCRATCH[0] = value;
  let n = fillDigits(SCRATCH, 0, false);
  while (n > 0) crc = crc32Byte(crc, DIGITS[--n]!);
  return crc;
}

// ---- book-internal, allocation-free path ---------------------------------------------------------
// A running CRC is an int32 and half of all int32s are outside V8's small-integer range, so returning
// one from a call that is not inlined boxes it in a HeapNumber. The books' per-message verification
// therefore keeps the running state in this typed array and passes arrays + indices, never values.
const STATE = new Int32Array(1);

/** Starts a checksum in the shared state. */
export function crcStateReset(): void {
  STATE[0] = -1;
}

/** Final CRC of the shared state as an int32 (compare with `expected | 0`). */
export function crcStateFinalInt32(): number {
  return ~STATE[0];
}

/** Feeds one value held in arr[i] (negated when `negate`, for the books' bid keys). */
export function crcStateFeed(arr: Float64Array, i: number, negate: boolean): void {
  let n = fillDigits(arr, i, negate);
  let crc = STATE[0];
  while (n > 0) crc = crc32Byte(crc, DIGITS[--n]!);
  STATE[0] = crc;
}

/** Feeds levels [0, min(n, 10)) of parallel (price, qty) arrays: price then qty per level. */
export function crcStateFeedLevels(px: Float64Array, qty: Float64Array, n: number, negatePrice: boolean): void {
  const m = n < CHECKSUM_LEVELS ? n : CHECKSUM_LEVELS;
  for (let i = 0; i < m; i++) {
    crcStateFeed(px, i, negatePrice);
    crcStateFeed(qty, i, false);
  }
}

/** Copies the final CRC of the shared state (int32 bits) into out[i] (diagnostics). */
export function crcStateStore(out: Int32Array, i: number): void {
  out[i] = ~STATE[0];
}

/** 1 if the shared state's final CRC equals `expected` (0..2^32-1), else 0. */
export function crcStateMatches(expected: number): number {
  if (!(expected >= 0 && expected <= 0xffffffff) || Math.floor(expected) !== expected) return 0;
  return (~STATE[0] | 0) === (expected | 0) ? 1 : 0;
}

/**
 * Compares the shared state's final CRC with a 5041 value given as ASCII digits (straight from the
 * wire, so no 32-bit number crosses a call). 1 match, 0 mismatch, -1 not 1..10 digits below 2^32.
 */
export function crcStateMatchesBytes(buf: Uint8Array, off: number, len: number): number {
  if (len < 1 || len > 10 || off < 0 || off + len > buf.length) return -1;
  let v = 0;
  for (let i = off; i < off + len; i++) {
    const d = buf[i] - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  if (v > 0xffffffff) return -1;
  return (~STATE[0] | 0) === (v | 0) ? 1 : 0;
}

/** 5041 for an L2 book as it stands (call after applying all entries of a message). */
export function l2BookChecksum(book: L2Book): number {
  book.computeChecksumState();
  return crcStateFinalInt32() >>> 0;
}

/**
 * 5041 for an L3 book. [ASSUME] (spec §7): top 10 price levels per side, and within each level every
 * order in queue (time-priority) order contributes its price then its own qty, as Kraken's WS v2 L3
 * feed does. FIX L3 checksum is not separately documented; confirm in UAT.
 */
export function l3BookChecksum(book: L3Book): number {
  book.computeChecksumState();
  return crcStateFinalInt32() >>> 0;
}
