/**
 * FIX encoder writing into one preallocated buffer. The body is written after a reserved gap; at
 * `finish` the `8=FIX.4.4|9=<len>|` prefix is written right-aligned into the gap, so BodyLength needs
 * no second pass and no copy, and the CheckSum is summed over the final bytes.
 * Header order matches QuickFIX (35, 34, 49, 52, 56) so peers and acceptance tests see the usual layout.
 */
import { asciiBytes } from './ascii.js';

import { checksum } from './checksum.js';
import { nativeHelperIfEnabled, type NativeHelper } from './native.js';
import { TimestampWriter, type TimestampPrecision } from './time.js';

// Local copies on purpose: V8 reloads an imported binding on every use, which slows per-byte loops.
const SOH = 0x01;
const EQUALS = 0x3d;
const DIGIT_0 = 0x30;
const MINUS = 0x2d;

const PREFIX_ROOM = 32; // "8=FIX.4.4|9=" (12) + up to 7 digits + SOH, rounded up

export interface EncoderOptions {
  senderCompID: string;
  targetCompID: string;
  beginString?: string;
  /** Largest message this encoder can produce. Default 64 KiB. */
  capacity?: number;
  /** SendingTime fraction digits: 3 (ms, default) or 6 (µs). */
  timestampPrecision?: TimestampPrecision;
  /** CheckSum trailer through the napi-rs helper; default: where bench:native measured it faster. */
  native?: NativeHelper | null;
}

export class FixEncoder {
  readonly buffer: Uint8Array;
  /** Offset of `8=` of the last finished message. */
  start = 0;
  /** Length of the last finished message. */
  length = 0;
  private pos = PREFIX_ROOM;
  private readonly beginPrefix: Uint8Array;
  private senderPart: Uint8Array; // SOH 49=<sender> SOH 52=
  private targetPart: Uint8Array; // SOH 56=<target> SOH
  private readonly time = new TimestampWriter();
  private readonly precision: TimestampPrecision;
  private readonly limit: number;
  private readonly native: NativeHelper | null;

  constructor(options: EncoderOptions) {
    const capacity = options.capacity ?? 65536;
    this.buffer = new Uint8Array(capacity + PREFIX_ROOM + 8);
    this.limit = this.buffer.length - 8;
    this.beginPrefix = asciiBytes(`8=${options.beginString ?? 'FIX.4.4'}\x019=`);
    this.senderPart = asciiBytes(`\x0149=${options.senderCompID}\x0152=`);
    this.targetPart = asciiBytes(`\x0156=${options.targetCompID}\x01`);
    this.precision = options.timestampPrecision ?? 3;
    this.native = options.native === undefined ? nativeHelperIfEnabled() : options.native;
  }

  /** Changes CompIDs (e.g. an acceptor learning its counterparty at logon). Not for the hot path. */
  setCompIDs(senderCompID: string, targetCompID: string): void {
    this.senderPart = asciiBytes(`\x0149=${senderCompID}\x0152=`);
    this.targetPart = asciiBytes(`\x0156=${targetCompID}\x01`);
  }

  /**
   * Starts a message with the standard header: 35, 34, 49, 52 (SendingTime from `sendingTimeMicros`), 56.
   * `msgType` is one or two ASCII characters packed as by msgTypeCode.
   */
  begin(msgTypeCode: number, msgSeqNum: number, sendingTimeMicros: number): this {
    const buf = this.buffer;
    let p = PREFIX_ROOM;
    buf[p++] = 0x33; buf[p++] = 0x35; buf[p++] = EQUALS;
    if (msgTypeCode > 255) buf[p++] = msgTypeCode >>> 8;
    buf[p++] = msgTypeCode & 0xff;
    buf[p++] = SOH;
    buf[p++] = 0x33; buf[p++] = 0x34; buf[p++] = EQUALS;
    p = writeUint(buf, p, msgSeqNum);
    p = copySmall(this.senderPart, buf, p);
    p = this.time.write(buf, p, sendingTimeMicros, this.precision);
    this.pos = copySmall(this.targetPart, buf, p);
    return this;
  }

  /** Starts a message whose header the caller writes field by field (tools, tests, replays). */
  beginRaw(): this {
    this.pos = PREFIX_ROOM;
    return this;
  }

  int(tag: number, value: number): this {
    let p = this.tagEq(tag);
    if (value < 0) { this.buffer[p++] = MINUS; value = -value; }
    p = writeUint(this.buffer, p, value);
    this.buffer[p] = SOH;
    this.pos = p + 1;
    return this;
  }

  char(tag: number, code: number): this {
    const p = this.tagEq(tag);
    this.buffer[p] = code;
    this.buffer[p + 1] = SOH;
    this.pos = p + 2;
    return this;
  }

  /** ASCII string value, copied char by char (no intermediate Buffer). */
  str(tag: number, value: string): this {
    let p = this.tagEq(tag);
    const n = value.length;
    if (p + n > this.limit) return this.overflow();
    const buf = this.buffer;
    for (let i = 0; i < n; i++) buf[p++] = value.charCodeAt(i);
    buf[p] = SOH;
    this.pos = p + 1;
    return this;
  }

  /** Raw value bytes (precomputed constants, values copied from a parsed message). */
  bytes(tag: number, src: Uint8Array, off = 0, len = src.length): this {
    let p = this.tagEq(tag);
    if (p + len > this.limit) return this.overflow();
    this.buffer.set(len === src.length && off === 0 ? src : src.subarray(off, off + len), p);
    p += len;
    this.buffer[p] = SOH;
    this.pos = p + 1;
    return this;
  }

  /** Exact decimal mantissa / 10^scale, written without going through a float or a string. */
  decimal(tag: number, mantissa: number, scale: number): this {
    let p = this.tagEq(tag);
    const buf = this.buffer;
    if (mantissa < 0) { buf[p++] = MINUS; mantissa = -mantissa; }
    if (scale <= 0) {
      p = writeUint(buf, p, mantissa);
      for (let i = 0; i < -scale; i++) buf[p++] = DIGIT_0;
    } else {
      const digits = countDigits(mantissa);
      if (digits <= scale) {
        buf[p++] = DIGIT_0;
        buf[p++] = 0x2e;
        for (let i = digits; i < scale; i++) buf[p++] = DIGIT_0;
        p = writeUint(buf, p, mantissa);
      } else {
        const end = p + digits + 1;
        let v = mantissa;
        let q = end - 1;
        for (let i = 0; i < scale; i++) { buf[q--] = DIGIT_0 + (v % 10); v = Math.floor(v / 10); }
        buf[q--] = 0x2e;
        while (q >= p) { buf[q--] = DIGIT_0 + (v % 10); v = Math.floor(v / 10); }
        p = end;
      }
    }
    buf[p] = SOH;
    this.pos = p + 1;
    return this;
  }

  timestamp(tag: number, micros: number, precision: TimestampPrecision = this.precision): this {
    const p = this.time.write(this.buffer, this.tagEq(tag), micros, precision);
    this.buffer[p] = SOH;
    this.pos = p + 1;
    return this;
  }

  /** Writes BodyLength and CheckSum; the message is buffer[start, start + length). Returns length. */
  finish(): number {
    const buf = this.buffer;
    const bodyLen = this.pos - PREFIX_ROOM;
    // Right-align "8=FIX.4.4|9=<len>|" so it ends exactly where the body starts.
    let p = PREFIX_ROOM - 1;
    buf[p--] = SOH;
    let v = bodyLen;
    do { buf[p--] = DIGIT_0 + (v % 10); v = Math.floor(v / 10); } while (v > 0);
    const start = p + 1 - this.beginPrefix.length;
    copySmall(this.beginPrefix, buf, start);
    let q: number;
    if (this.native !== null) {
      q = this.native.writeTrailer(buf, start, this.pos);
    } else {
      const sum = checksum(buf, start, this.pos);
      q = this.pos;
      buf[q++] = 0x31; buf[q++] = 0x30; buf[q++] = EQUALS;
      buf[q++] = DIGIT_0 + Math.floor(sum / 100);
      buf[q++] = DIGIT_0 + (Math.floor(sum / 10) % 10);
      buf[q++] = DIGIT_0 + (sum % 10);
      buf[q++] = SOH;
    }
    this.start = start;
    this.length = q - start;
    return this.length;
  }

  /** The last finished message (a view into the encoder's buffer, valid until the next begin). */
  message(): Uint8Array {
    return this.buffer.subarray(this.start, this.start + this.length);
  }

  private tagEq(tag: number): number {
    if (this.pos + 24 > this.limit) { this.overflow(); return this.pos; }
    const p = writeUint(this.buffer, this.pos, tag);
    this.buffer[p] = EQUALS;
    return p + 1;
  }

  private overflow(): this {
    throw new RangeError(`FIX message exceeds encoder capacity of ${this.limit - PREFIX_ROOM} bytes`);
  }
}

/** Copies a short constant (CompID parts, prefixes): a loop beats TypedArray.set at this size. */
function copySmall(src: Uint8Array, dst: Uint8Array, at: number): number {
  const n = src.length;
  for (let i = 0; i < n; i++) dst[at + i] = src[i]!;
  return at + n;
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
    // Int32 arithmetic: no float division on the common path (sequence numbers, tags, lengths).
    let n = 1;
    for (let t = v; t >= 10; t = (t / 10) | 0) n++;
    let q = p + n - 1;
    let x = v | 0;
    while (x >= 10) { const d = (x / 10) | 0; buf[q--] = DIGIT_0 + (x - d * 10); x = d; }
    buf[q] = DIGIT_0 + x;
    return p + n;
  }
  const n = countDigits(v);
  let q = p + n - 1;
  while (v >= 10) { const d = Math.floor(v / 10); buf[q--] = DIGIT_0 + (v - d * 10); v = d; }
  buf[q] = DIGIT_0 + v;
  return p + n;
}
