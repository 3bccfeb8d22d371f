/**
 * The parser's inner loop: one pass over a frame that splits `tag=value<SOH>` fields into the view's
 * arrays and sums the bytes for the CheckSum. A plain function over plain arguments (no `this`, no
 * calls, no strings) so the JIT keeps it small and tight; the framer turns its result into errors.
 */
import { INDEXED_TAGS as VIEW_INDEXED_TAGS } from './message-view.js';

// Local copies on purpose: V8 reloads (and hole-checks) an imported binding on every use, which halves
// the speed of a per-byte loop.
const SOH = 0x01;
const EQUALS = 0x3d;
const DIGIT_0 = 0x30;
const MINUS = 0x2d;
const INDEXED_TAGS = 16384;
if (VIEW_INDEXED_TAGS !== INDEXED_TAGS) throw new Error('split.ts: INDEXED_TAGS out of sync with message-view.ts');

export const SplitError = {
  EMPTY_TAG: 1,
  LEADING_ZERO: 2,
  TAG_NOT_NUMBER: 3,
  DATA_TOO_LONG: 4,
  TOO_MANY_FIELDS: 5,
  /** A field `8=FIX...` after the first: the next message began inside this frame. */
  EMBEDDED_BEGIN: 6,
} as const;

/** Results besides the returned sum: [field count, error kind, error byte offset]. Single-threaded scratch. */
export const splitResult = new Int32Array(3);

/** Returned by splitFast when the frame needs splitFields: a DATA field, an odd tag, a full view. */
export const SPLIT_SLOW = -2;

/**
 * The common case, body only: fields 0 and 1 (BeginString, BodyLength) were checked and stored by the
 * framer. Plain digit tags and values up to SOH; any tag marked in `special` (LENGTH fields of DATA
 * fields, a second BeginString), a leading zero, a malformed tag or a full view returns SPLIT_SLOW
 * and the frame is split again by splitFields, which knows every rule.
 */
export function splitFast(
  buf: Uint8Array, bodyStart: number, trailer: number,
  tags: Int32Array, offsets: Int32Array, lengths: Int32Array,
  stamp: Uint32Array, firstIndex: Int32Array, generation: number, lastField: number, special: Uint8Array,
): number {
  const nSpecial = special.length;
  let sum = 0;
  let i = 2;
  let p = bodyStart;
  while (p < trailer) {
    const tagAt = p;
    let b = buf[p]!;
    let tag = 0;
    if (b === DIGIT_0) return SPLIT_SLOW;
    for (;;) {
      const d = b - DIGIT_0;
      if (d < 0 || d > 9 || p - tagAt > 8) return SPLIT_SLOW;
      tag = tag * 10 + d;
      sum += b;
      b = buf[++p]!;
      if (b === EQUALS) break;
    }
    sum += EQUALS;
    const valueAt = ++p;
    // Stops at trailer - 1 at the latest, which is SOH.
    while ((b = buf[p]!) !== SOH) { sum += b; p++; }
    sum += SOH;
    if (i === lastField || (tag < nSpecial && special[tag] !== 0)) return SPLIT_SLOW;
    tags[i] = tag;
    offsets[i] = valueAt;
    lengths[i] = p - valueAt;
    if (tag < INDEXED_TAGS && stamp[tag] !== generation) {
      stamp[tag] = generation;
      firstIndex[tag] = i;
    }
    i++;
    p++;
  }
  splitResult[0] = i;
  return sum;
}

/**
 * Splits buf[s, trailer) (trailer - 1 must be SOH) into tags/offsets/lengths and the first-occurrence
 * index; returns the byte sum, or -1 with splitResult[1..2] set.
 */
export function splitFields(
  buf: Uint8Array, s: number, trailer: number,
  tags: Int32Array, offsets: Int32Array, lengths: Int32Array,
  stamp: Uint32Array, firstIndex: Int32Array, generation: number, lastField: number,
  dataTags: Int32Array, quickfixTags: boolean, detectBegin: boolean,
): number {
  const maxTag = dataTags.length;
  let dataTag = 0;
  let dataLen = -1;
  let sum = 0;
  let i = 0;
  let p = s;
  while (p < trailer) {
    const tagAt = p;
    let b = buf[p]!;
    let tag = 0;
    let negative = false;
    if (b === DIGIT_0 || b === MINUS || b === EQUALS) {
      if (b === EQUALS) return fail(SplitError.EMPTY_TAG, p);
      if (!quickfixTags) return fail(b === DIGIT_0 ? SplitError.LEADING_ZERO : SplitError.TAG_NOT_NUMBER, p);
      if (b === MINUS) {
        if (buf[p + 1] === EQUALS) return fail(SplitError.TAG_NOT_NUMBER, p);
        negative = true;
        sum += b;
        b = buf[++p]!;
      }
    }
    for (;;) {
      const d = b - DIGIT_0;
      // Cannot run past the frame: buf[trailer - 1] is SOH, which is not a digit.
      // Nine digits at most: tags are stored in an Int32Array, and a wrapped tag could smuggle in another field.
      if (d < 0 || d > 9 || p - tagAt > 8) return fail(SplitError.TAG_NOT_NUMBER, p);
      tag = tag * 10 + d;
      sum += b;
      b = buf[++p]!;
      if (b === EQUALS) break;
    }
    if (negative) tag = -tag;
    sum += EQUALS;
    const valueAt = ++p;
    if (tag === dataTag && dataLen >= 0 && valueAt + dataLen < trailer) {
      // DATA values may contain SOH: their length comes from the preceding field.
      const stop = valueAt + dataLen;
      for (; p < stop; p++) sum += buf[p]!;
      if (buf[p] !== SOH) return fail(SplitError.DATA_TOO_LONG, p);
    } else {
      while ((b = buf[p]!) !== SOH) { sum += b; p++; }
    }
    sum += SOH;
    if (i === lastField) return fail(SplitError.TOO_MANY_FIELDS, tagAt);
    if (tag === 8 && i > 0 && detectBegin && p - valueAt >= 3 && buf[valueAt] === 0x46 && buf[valueAt + 1] === 0x49 && buf[valueAt + 2] === 0x58) {
      return fail(SplitError.EMBEDDED_BEGIN, tagAt);
    }
    tags[i] = tag;
    offsets[i] = valueAt;
    lengths[i] = p - valueAt;
    if (tag < INDEXED_TAGS && tag >= 0 && stamp[tag] !== generation) {
      stamp[tag] = generation;
      firstIndex[tag] = i;
    }
    i++;
    dataTag = 0;
    if (tag < maxTag && tag > 0 && dataTags[tag] !== 0) {
      dataTag = dataTags[tag]!;
      dataLen = parseLength(buf, valueAt, p);
    }
    p++;
  }
  splitResult[0] = i;
  return sum;
}

function fail(kind: number, at: number): number {
  splitResult[1] = kind;
  splitResult[2] = at;
  return -1;
}

/** Non-negative integer in [off, end), or -1 (a LENGTH field that is not a number guards nothing). */
function parseLength(buf: Uint8Array, off: number, end: number): number {
  if (off === end || end - off > 9) return -1;
  let v = 0;
  for (let p = off; p < end; p++) {
    const d = buf[p]! - DIGIT_0;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}
