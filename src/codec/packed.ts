/**
 * Short constant byte strings (CompID parts, BeginString prefix, tag prefixes, cached timestamp parts)
 * packed into little-endian int32 words, so the encoder copies them with a few DataView.setInt32
 * stores instead of a byte loop (TurboFan inlines DataView accesses into plain moves).
 */

/** A byte string of length >= 4 as words, plus the byte sum the encoder adds to its CheckSum. */
export interface PackedBytes {
  /** floor(n / 4) full words, then (when n % 4 !== 0) one word holding bytes [n - 4, n). */
  readonly words: Int32Array;
  readonly length: number;
  readonly sum: number;
}

/** Little-endian word of bytes [at, at + 4) (missing bytes read as 0). */
export function wordAt(bytes: Uint8Array, at: number): number {
  return (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16) | ((bytes[at + 3] ?? 0) << 24);
}

export function packBytes(bytes: Uint8Array): PackedBytes {
  const n = bytes.length;
  if (n < 4) throw new RangeError(`packBytes needs at least 4 bytes, got ${n}`);
  const full = n >>> 2;
  const words = new Int32Array(full + ((n & 3) === 0 ? 0 : 1));
  for (let k = 0; k < full; k++) words[k] = wordAt(bytes, 4 * k);
  if ((n & 3) !== 0) words[full] = wordAt(bytes, n - 4);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += bytes[i]!;
  return { words, length: n, sum };
}

/**
 * Writes the packed bytes at `at` exactly (no byte past at + length is touched: the tail word overlaps
 * the last full one instead of running over); returns at + length.
 */
export function writePacked(view: DataView, at: number, p: PackedBytes): number {
  const words = p.words;
  const n = p.length;
  const full = n >>> 2;
  for (let k = 0; k < full; k++) view.setInt32(at + 4 * k, words[k]!, true);
  if ((n & 3) !== 0) view.setInt32(at + n - 4, words[full]!, true);
  return at + n;
}
