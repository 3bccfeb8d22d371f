/**
 * FIX encoder writing into one preallocated buffer. The body is written after a reserved gap; at
 * `finish` the `8=FIX.4.4|9=<len>|` prefix is written right-aligned into the gap, so BodyLength needs
 * no second pass and no copy. The CheckSum is fused into the writes: every method adds the bytes it
 * writes to a running sum (constant parts carry precomputed sums), so `finish` never re-reads the body.
 * Constants (CompID parts, tag prefixes, the cached timestamp) are stored as packed int32 words and
 * written with DataView word stores. Such a store may scribble up to 3 bytes past the field it writes;
 * the next field or the trailer always overwrites them, and the buffer keeps slack past `limit` for it.
 * Header order matches QuickFIX (35, 34, 49, 52, 56) so peers and acceptance tests see the usual layout.
 * Every write goes through these methods: a caller poking `buffer` directly would break the CheckSum.
 */
import { asciiBytes } from './ascii.js';

import { nativeHelperIfEnabled, type NativeHelper } from './native.js';
import { packBytes, writePacked, type PackedBytes } from './packed.js';
import { TimestampWriter, type TimestampPrecision } from './time.js';

// Local copies on purpose: V8 reloads an imported binding on every use, which slows per-byte loops.
const SOH = 0x01;
const EQUALS = 0x3d;
const DIGIT_0 = 0x30;
const MINUS = 0x2d;
const DOT = 0x2e;

const PREFIX_ROOM = 32; // "8=FIX.4.4|9=" (12) + up to 7 digits + SOH, rounded up
/**
 * Room checked before each field: the longest fixed-size field (5-byte tag, "=", a µs timestamp of
 * 24 bytes, SOH) fits, so after any field pos <= limit and the 7-byte trailer fits in the slack.
 */
const FIELD_ROOM = 32;
const SLACK = 16;
/** Byte sum of the header constants `35=`, SOH, `34=` written by begin. */
const HEADER_CONST_SUM = 0x33 + 0x35 + EQUALS + SOH + 0x33 + 0x34 + EQUALS;
/** `35=` as the low three bytes of a little-endian word, and SOH `34=` as a whole one. */
const MSGTYPE_WORD = 0x33 | (0x35 << 8) | (EQUALS << 16);
const SEQNUM_WORD = SOH | (0x33 << 8) | (0x34 << 16) | (EQUALS << 24);
/** `10=` as the low three bytes of a little-endian word. */
const CHECKSUM_WORD = 0x31 | (0x30 << 8) | (EQUALS << 16);
/** CheckSum value 0..255 as its three digits and SOH, a little-endian word. */
const CHECKSUM_TEXT = new Int32Array(256);
for (let v = 0; v < 256; v++) {
  CHECKSUM_TEXT[v] = (DIGIT_0 + ((v / 100) | 0)) | ((DIGIT_0 + (((v / 10) | 0) % 10)) << 8) | ((DIGIT_0 + (v % 10)) << 16) | (SOH << 24);
}

const POW10 = new Int32Array([1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000]);
/** "00".."99" as little-endian 16-bit words, with the pair's byte sum above bit 16 (setInt16 drops it). */
const DIGIT_PAIR = new Int32Array(100);
for (let r = 0; r < 100; r++) {
  const a = DIGIT_0 + ((r / 10) | 0);
  const b = DIGIT_0 + (r % 10);
  DIGIT_PAIR[r] = a | (b << 8) | ((a + b) << 16);
}

/**
 * `tag=` for tags 1..9999 as a little-endian word (the first 4 bytes; a 4-digit tag's "=" is a 5th
 * byte), and its length + 8 * byte sum. Built once at load (80 KB) so tagEq is two loads and a store.
 */
const TAG_TABLE_SIZE = 10000;
const TAG_WORD = new Int32Array(TAG_TABLE_SIZE);
const TAG_META = new Int32Array(TAG_TABLE_SIZE);
for (let t = 1; t < TAG_TABLE_SIZE; t++) {
  const text = `${t}=`;
  let sum = 0;
  let w = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    sum += c;
    if (i < 4) w |= c << (8 * i);
  }
  TAG_WORD[t] = w;
  TAG_META[t] = text.length | (sum << 3);
}

export interface EncoderOptions {
  senderCompID: string;
  targetCompID: string;
  beginString?: string;
  /** Largest message this encoder can produce. Default 64 KiB. */
  capacity?: number;
  /** SendingTime fraction digits: 3 (ms, default) or 6 (µs). */
  timestampPrecision?: TimestampPrecision;
  /**
   * CheckSum trailer through the napi-rs helper, which re-reads the message instead of using the running
   * sum. Default: only where `npm run bench:native` measured the whole encode faster that way (or
   * KFIX_NATIVE=1); pass one to cross-check the running sum.
   */
  native?: NativeHelper | null;
}

export class FixEncoder {
  readonly buffer: Uint8Array;
  private readonly view: DataView;
  /** Offset of `8=` of the last finished message. */
  start = 0;
  /** Length of the last finished message. */
  length = 0;
  private pos = PREFIX_ROOM;
  /** Sum of the body bytes written since begin, kept mod 256. */
  private sum = 0;
  private readonly beginPrefix: PackedBytes; // 8=<BeginString> SOH 9=
  private senderPart: PackedBytes; // SOH 49=<sender> SOH 52=
  private targetPart: PackedBytes; // SOH 56=<target> SOH
  private readonly time = new TimestampWriter();
  private readonly precision: TimestampPrecision;
  private readonly limit: number;
  private readonly native: NativeHelper | null;

  constructor(options: EncoderOptions) {
    const capacity = options.capacity ?? 65536;
    this.buffer = new Uint8Array(capacity + PREFIX_ROOM + SLACK);
    this.view = new DataView(this.buffer.buffer);
    this.limit = this.buffer.length - SLACK;
    this.beginPrefix = packBytes(asciiBytes(`8=${options.beginString ?? 'FIX.4.4'}\x019=`));
    if (this.beginPrefix.length + 8 > PREFIX_ROOM) throw new RangeError(`BeginString too long: ${options.beginString}`);
    this.senderPart = this.targetPart = this.beginPrefix;
    this.setCompIDs(options.senderCompID, options.targetCompID);
    this.precision = options.timestampPrecision ?? 3;
    this.native = options.native !== undefined ? options.native : nativeHelperIfEnabled();
  }

  /** Changes CompIDs (e.g. an acceptor learning its counterparty at logon). Not for the hot path. */
  setCompIDs(senderCompID: string, targetCompID: string): void {
    this.senderPart = packBytes(asciiBytes(`\x0149=${senderCompID}\x0152=`));
    this.targetPart = packBytes(asciiBytes(`\x0156=${targetCompID}\x01`));
  }

  /**
   * Starts a message with the standard header: 35, 34, 49, 52 (SendingTime from `sendingTimeMicros`), 56.
   * `msgType` is one or two ASCII characters packed as by msgTypeCode.
   */
  begin(msgTypeCode: number, msgSeqNum: number, sendingTimeMicros: number): this {
    const buf = this.buffer;
    const view = this.view;
    const sender = this.senderPart;
    const target = this.targetPart;
    if (PREFIX_ROOM + 64 + sender.length + target.length > this.limit) this.overflow();
    let p = PREFIX_ROOM;
    const lo = msgTypeCode & 0xff;
    if (msgTypeCode > 255) {
      const hi = (msgTypeCode >>> 8) & 0xff;
      view.setInt32(p, MSGTYPE_WORD | (hi << 24), true);
      view.setInt32(p + 4, lo | (SEQNUM_WORD << 8), true);
      buf[p + 8] = EQUALS;
      p += 9;
      this.sum = HEADER_CONST_SUM + hi + lo;
    } else {
      view.setInt32(p, MSGTYPE_WORD | (lo << 24), true);
      view.setInt32(p + 4, SEQNUM_WORD, true);
      p += 8;
      this.sum = HEADER_CONST_SUM + lo;
    }
    p = this.uint(buf, p, msgSeqNum);
    p = writePacked(view, p, sender);
    p = this.time.write(buf, p, sendingTimeMicros, this.precision);
    p = writePacked(view, p, target);
    this.sum = (this.sum + sender.sum + this.time.sum + target.sum) & 0xff;
    this.pos = p;
    return this;
  }

  /** Starts a message whose header the caller writes field by field (tools, tests, replays). */
  beginRaw(): this {
    this.pos = PREFIX_ROOM;
    this.sum = 0;
    return this;
  }

  int(tag: number, value: number): this {
    const buf = this.buffer;
    let p = this.tagEq(buf, tag);
    if (value < 0) {
      buf[p++] = MINUS;
      this.sum += MINUS;
      value = -value;
    }
    p = this.uint(buf, p, value);
    buf[p] = SOH;
    this.sum = (this.sum + SOH) & 0xff;
    this.pos = p + 1;
    return this;
  }

  char(tag: number, code: number): this {
    const p = this.pos;
    const t = tag | 0;
    if (t !== tag || t < 10 || t > 99 || p + FIELD_ROOM > this.limit) return this.charSlow(tag, code);
    // Two-digit tag: "tt=c" is one word store, SOH one byte.
    this.view.setInt32(p, TAG_WORD[t]! | ((code & 0xff) << 24), true);
    this.buffer[p + 4] = SOH;
    this.sum = (this.sum + (TAG_META[t]! >> 3) + code + SOH) & 0xff;
    this.pos = p + 5;
    return this;
  }

  private charSlow(tag: number, code: number): this {
    const buf = this.buffer;
    const v = this.tagEq(buf, tag);
    buf[v] = code;
    buf[v + 1] = SOH;
    // The byte stored is code & 0xff; adding code itself is the same mod 256.
    this.sum = (this.sum + code + SOH) & 0xff;
    this.pos = v + 2;
    return this;
  }

  /** ASCII string value, copied char by char (no intermediate Buffer). */
  str(tag: number, value: string): this {
    const buf = this.buffer;
    let p = this.tagEq(buf, tag);
    const n = value.length;
    if (p + n > this.limit) return this.overflow();
    let s = SOH;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i) & 0xff; // what the Uint8Array store keeps
      buf[p++] = c;
      s += c;
    }
    buf[p] = SOH;
    this.sum = (this.sum + s) & 0xff;
    this.pos = p + 1;
    return this;
  }

  /** Raw value bytes (precomputed constants, values copied from a parsed message). */
  bytes(tag: number, src: Uint8Array, off = 0, len = src.length): this {
    const buf = this.buffer;
    let p = this.tagEq(buf, tag);
    if (p + len > this.limit) return this.overflow();
    // One pass copies and sums; TypedArray.set would be a builtin call plus a second pass to sum.
    // Four bytes per word store: the loads stay byte-wise (src may be any view, at any offset).
    const view = this.view;
    let s = SOH;
    let i = 0;
    for (; i + 4 <= len; i += 4) {
      const c0 = src[off + i]!;
      const c1 = src[off + i + 1]!;
      const c2 = src[off + i + 2]!;
      const c3 = src[off + i + 3]!;
      view.setInt32(p + i, c0 | (c1 << 8) | (c2 << 16) | (c3 << 24), true);
      s += c0 + c1 + c2 + c3;
    }
    for (; i < len; i++) {
      const c = src[off + i]!;
      buf[p + i] = c;
      s += c;
    }
    p += len;
    buf[p] = SOH;
    this.sum = (this.sum + s) & 0xff;
    this.pos = p + 1;
    return this;
  }

  /** Exact decimal mantissa / 10^scale, written without going through a float or a string. */
  decimal(tag: number, mantissa: number, scale: number): this {
    const p = this.pos;
    let x = mantissa | 0;
    // Fast path (kept small so it inlines): int32 mantissa (not -2^31, whose negation is not int32).
    if (x !== mantissa || x === -0x80000000 || scale <= 0 || scale > 9 || p + FIELD_ROOM > this.limit) {
      return this.decimalSlow(tag, mantissa, scale);
    }
    const buf = this.buffer;
    let v = this.tagEq(buf, tag);
    let s = DOT + SOH;
    if (x < 0) {
      buf[v++] = MINUS;
      s += MINUS;
      x = -x;
    }
    // Integer part (at least "0"), the point, then exactly `scale` fraction digits, zero-padded.
    const pow = POW10[scale]!;
    const whole = (x / pow) | 0;
    const dot = v + digitCount32(whole);
    const end = dot + 1 + scale;
    const view = this.view;
    s += digitsBefore(view, buf, dot, whole, dot - v) + digitsBefore(view, buf, end, x - whole * pow, scale);
    buf[dot] = DOT;
    buf[end] = SOH;
    this.sum = (this.sum + s) & 0xff;
    this.pos = end + 1;
    return this;
  }

  /** Every other decimal: integral (scale <= 0), scale above 9, mantissa beyond int32. */
  private decimalSlow(tag: number, mantissa: number, scale: number): this {
    const buf = this.buffer;
    // The value is at most a sign, 16 digits, a point and |scale| padding zeros.
    if (this.pos + FIELD_ROOM + (scale < 0 ? -scale : scale) > this.limit) return this.overflow();
    let p = this.tagEq(buf, tag);
    let s = SOH;
    if (mantissa < 0) {
      buf[p++] = MINUS;
      s += MINUS;
      mantissa = -mantissa;
    }
    if (scale <= 0) {
      p = this.uint(buf, p, mantissa);
      for (let i = 0; i < -scale; i++) buf[p++] = DIGIT_0;
      s -= scale * DIGIT_0;
    } else {
      p = this.wideDecimal(buf, p, mantissa, scale);
    }
    buf[p] = SOH;
    this.sum = (this.sum + s) & 0xff;
    this.pos = p + 1;
    return this;
  }

  timestamp(tag: number, micros: number, precision: TimestampPrecision = this.precision): this {
    const buf = this.buffer;
    const time = this.time;
    const p = time.write(buf, this.tagEq(buf, tag), micros, precision);
    buf[p] = SOH;
    this.sum = (this.sum + time.sum + SOH) & 0xff;
    this.pos = p + 1;
    return this;
  }

  /** Writes BodyLength and CheckSum; the message is buffer[start, start + length). Returns length. */
  finish(): number {
    const buf = this.buffer;
    const view = this.view;
    const end = this.pos;
    const prefix = this.beginPrefix;
    // Right-align "8=FIX.4.4|9=<len>|" so it ends exactly where the body starts.
    const bodyLength = end - PREFIX_ROOM;
    const n = digitCount32(bodyLength);
    const start = PREFIX_ROOM - 1 - n - prefix.length;
    writePacked(view, start, prefix);
    const s = this.sum + prefix.sum + SOH + digitsBefore(view, buf, PREFIX_ROOM - 1, bodyLength, n);
    buf[PREFIX_ROOM - 1] = SOH;
    this.start = start;
    if (this.native !== null) return this.nativeTrailer(start, end);
    // "10=" and the first digit, then the three digits and SOH overlapping it: two stores, none past
    // the message. CHECKSUM_TEXT[sum] holds the three digits and SOH, low byte first.
    const text = CHECKSUM_TEXT[s & 0xff]!;
    view.setInt32(end, CHECKSUM_WORD | (text << 24), true);
    view.setInt32(end + 3, text, true);
    this.length = end + 7 - start;
    return this.length;
  }

  private nativeTrailer(start: number, end: number): number {
    this.length = this.native!.writeTrailer(this.buffer, start, end) - start;
    return this.length;
  }

  /** The last finished message (a view into the encoder's buffer, valid until the next begin). */
  message(): Uint8Array {
    return this.buffer.subarray(this.start, this.start + this.length);
  }

  /** Writes `tag=` at pos and adds it to the sum; returns the offset of the value. */
  private tagEq(buf: Uint8Array, tag: number): number {
    const p = this.pos;
    if (p + FIELD_ROOM > this.limit) { this.overflow(); return p; }
    const t = tag | 0;
    if (t === tag && t > 0 && t < TAG_TABLE_SIZE) {
      const meta = TAG_META[t]!;
      this.view.setInt32(p, TAG_WORD[t]!, true);
      buf[p + 4] = EQUALS; // a 4-digit tag's "="; after a shorter tag, a later write overwrites it
      this.sum += meta >> 3;
      return p + (meta & 7);
    }
    const v = this.uint(buf, p, tag);
    buf[v] = EQUALS;
    this.sum += EQUALS;
    return v + 1;
  }

  /** Writes a non-negative integer's digits at p and adds them to the sum; returns the offset after. */
  private uint(buf: Uint8Array, p: number, v: number): number {
    if (v >= 0 && v <= 0x7fffffff) {
      // Int32 arithmetic: no float division on the common path (sequence numbers, tags, lengths).
      const end = p + digitCount32(v);
      this.sum += digitsBefore(this.view, buf, end, v, end - p);
      return end;
    }
    const end = writeUint(buf, p, v);
    this.sum += byteSum(buf, p, end);
    return end;
  }

  /** Positive scale, when the fast path does not apply: float division, exact below 2^53. */
  private wideDecimal(buf: Uint8Array, p: number, mantissa: number, scale: number): number {
    const from = p;
    const digits = countDigits(mantissa);
    if (digits <= scale) {
      buf[p++] = DIGIT_0;
      buf[p++] = DOT;
      for (let i = digits; i < scale; i++) buf[p++] = DIGIT_0;
      p = writeUint(buf, p, mantissa);
    } else {
      const end = p + digits + 1;
      let v = mantissa;
      let q = end - 1;
      for (let i = 0; i < scale; i++) { buf[q--] = DIGIT_0 + (v % 10); v = Math.floor(v / 10); }
      buf[q--] = DOT;
      while (q >= p) { buf[q--] = DIGIT_0 + (v % 10); v = Math.floor(v / 10); }
      p = end;
    }
    this.sum += byteSum(buf, from, p);
    return p;
  }

  private overflow(): this {
    throw new RangeError(`FIX message exceeds encoder capacity of ${this.limit - PREFIX_ROOM} bytes`);
  }
}

/**
 * Writes exactly `count` digits of x (an int32 >= 0 below 10^count; zero-padded) ending just before
 * `end`, two at a time; returns their byte sum.
 */
function digitsBefore(view: DataView, buf: Uint8Array, end: number, x: number, count: number): number {
  let s = 0;
  let q = end;
  for (; count >= 2; count -= 2) {
    const d = (x / 100) | 0;
    const pair = DIGIT_PAIR[x - d * 100]!;
    q -= 2;
    view.setInt16(q, pair, true);
    s += pair >> 16;
    x = d;
  }
  if (count === 1) {
    const c = DIGIT_0 + x;
    buf[q - 1] = c;
    s += c;
  }
  return s;
}

function byteSum(buf: Uint8Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += buf[i]!;
  return s;
}

/**
 * Decimal digits of an int32 in [0, 2^31): floor(log10) from the bit length (1233 / 4096 ~ log10 2),
 * corrected by one comparison. Small and branch-free so it inlines everywhere. x | 1 changes no digit
 * count and makes 0 count as one digit.
 */
function digitCount32(x: number): number {
  const y = x | 1;
  const t = ((32 - Math.clz32(y)) * 1233) >> 12;
  return t + (y >= POW10[t]! ? 1 : 0);
}

function countDigits(v: number): number {
  let n = 1;
  while (v >= 10) { v = Math.floor(v / 10); n++; }
  return n;
}

/** Writes a non-negative integer as ASCII digits; returns the offset after it. */
export function writeUint(buf: Uint8Array, p: number, v: number): number {
  if (v < 10) { buf[p] = DIGIT_0 + v; return p + 1; }
  if (v <= 0x7fffffff) {
    let q = p + digitCount32(v) - 1;
    const end = q + 1;
    let x = v | 0;
    while (x >= 10) { const d = (x / 10) | 0; buf[q--] = DIGIT_0 + (x - d * 10); x = d; }
    buf[q] = DIGIT_0 + x;
    return end;
  }
  const n = countDigits(v);
  let q = p + n - 1;
  while (v >= 10) { const d = Math.floor(v / 10); buf[q--] = DIGIT_0 + (v - d * 10); v = d; }
  buf[q] = DIGIT_0 + v;
  return p + n;
}
