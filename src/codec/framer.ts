/**
 * Streaming FIX framer: TCP chunks of any size go in, complete validated messages come out in order
 * through a reusable MessageView. Bytes are copied once into a preallocated buffer (bounded by
 * maxMessageSize) and decoded in place. A garbled frame is reported with what was wrong and where,
 * then the stream resynchronises on the next `8=FIX`; nothing here throws or waits without bound.
 */
import { DIGIT_0, EQUALS, SOH } from './ascii.js';
import { checksum } from './checksum.js';
import type { FixDictionary } from './dictionary/index.js';
import { MessageView } from './message-view.js';

export const FramingErrorCode = {
  /** Bytes that do not start a message (`8=`), skipped up to the next `8=FIX`. */
  GARBAGE: 1,
  /** BeginString is not FIX.4.4 (the frame is consumed so a session can answer it). */
  BEGIN_STRING: 2,
  /** BodyLength missing, malformed, or not where the CheckSum field really is. */
  BODY_LENGTH: 3,
  /** CheckSum value wrong or not three digits. */
  CHECKSUM: 4,
  /** A field is not `digits=value` (no tag, non-digit tag, leading zero, missing `=`). */
  TAG_SYNTAX: 5,
  /** BodyLength above maxMessageSize. */
  MESSAGE_TOO_LARGE: 6,
  /** More fields than the view holds. */
  TOO_MANY_FIELDS: 7,
  /** The third field is not MsgType (35). */
  MSGTYPE_POSITION: 8,
  /** A new message began before this one's declared end: it was cut short. */
  TRUNCATED: 9,
} as const;
export type FramingErrorCode = (typeof FramingErrorCode)[keyof typeof FramingErrorCode];
export const FRAMING_ERROR_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(FramingErrorCode).map(([k, v]) => [v, k]),
);

export interface FramingError {
  code: FramingErrorCode;
  /** Stream offset (bytes since the framer started) where the bad frame or garbage begins. */
  frameOffset: number;
  /** Stream offset of the byte found wrong. */
  byteOffset: number;
  /** Bytes dropped from the stream because of this error. */
  skipped: number;
  detail: string;
}

export interface FramerHandler {
  onMessage(view: MessageView): void;
  onError(error: FramingError): void;
}

export interface FramerOptions {
  /** Largest accepted BodyLength; frames above it are rejected and skipped. Default 64 KiB. */
  maxMessageSize?: number;
  /** Capacity of the field arrays of the view. Default 1024. */
  maxFields?: number;
  /**
   * How to recover from a BodyLength that does not land on the CheckSum field:
   * 'scan' (default) restarts at the next `8=FIX` after the bad frame's start, so no later valid message
   * is lost; 'quickfix' consumes up to the next CheckSum field after the declared end, as QuickFIX does
   * (its acceptance tests expect a too-long frame to swallow the next message).
   */
  resync?: 'scan' | 'quickfix';
}

const BEGIN = [0x38, EQUALS, 0x46, 0x49, 0x58]; // "8=FIX"
const FIX44 = [0x46, 0x49, 0x58, 0x2e, 0x34, 0x2e, 0x34]; // "FIX.4.4"
const NEED_MORE = -1;

export class FixFramer {
  readonly view: MessageView;
  private readonly buf: Uint8Array;
  private readonly maxMessageSize: number;
  private readonly quickfixResync: boolean;
  private readonly dataTagOfLength: Int32Array;
  private head = 0;
  private tail = 0;
  /** Stream offset of buf[0]. */
  private base = 0;
  private handler: FramerHandler | null = null;

  constructor(dictionary: FixDictionary, options: FramerOptions = {}) {
    this.maxMessageSize = options.maxMessageSize ?? 65536;
    this.quickfixResync = options.resync === 'quickfix';
    this.view = new MessageView(dictionary, options.maxFields ?? 1024);
    this.dataTagOfLength = dictionary.dataTagOfLength;
    // Room for one maximal frame plus its header and trailer, twice, so compaction always makes space.
    this.buf = new Uint8Array(2 * (this.maxMessageSize + 64));
  }

  /** Bytes held for an incomplete frame. */
  bufferedBytes(): number {
    return this.tail - this.head;
  }

  /** Drops buffered bytes (on disconnect). */
  reset(): void {
    this.base += this.tail;
    this.head = 0;
    this.tail = 0;
  }

  /** Feeds bytes; complete messages and errors are delivered to handler before this returns. */
  push(chunk: Uint8Array, handler: FramerHandler): void {
    this.handler = handler;
    let pos = 0;
    const n = chunk.length;
    while (pos < n) {
      if (this.tail === this.buf.length) this.compact();
      const take = Math.min(this.buf.length - this.tail, n - pos);
      this.buf.set(pos === 0 && take === n ? chunk : chunk.subarray(pos, pos + take), this.tail);
      this.tail += take;
      pos += take;
      this.drain();
    }
    if (this.tail === this.head) { this.base += this.tail; this.head = 0; this.tail = 0; }
    this.handler = null;
  }

  private compact(): void {
    const keep = this.tail - this.head;
    if (this.head === 0) {
      // A frame longer than the buffer cannot be valid: its BodyLength check already failed. Drop it.
      this.error(FramingErrorCode.MESSAGE_TOO_LARGE, this.head, this.head, keep, 'frame exceeds buffer');
      this.base += this.tail;
      this.head = this.tail = 0;
      return;
    }
    this.buf.copyWithin(0, this.head, this.tail);
    this.base += this.head;
    this.head = 0;
    this.tail = keep;
  }

  private drain(): void {
    while (this.tail - this.head > 0) {
      const consumed = this.frame(this.head);
      if (consumed === NEED_MORE) return;
      this.head += consumed;
    }
  }

  private error(code: FramingErrorCode, frameAt: number, byteAt: number, skipped: number, detail: string): void {
    this.handler!.onError({ code, frameOffset: this.base + frameAt, byteOffset: this.base + byteAt, skipped, detail });
  }

  /** Offset of the next `8=FIX` at or after `from`, or -1; keeps a possible partial prefix at the end. */
  private findBegin(from: number): number {
    const buf = this.buf;
    const last = this.tail - BEGIN.length;
    for (let i = from; i <= last; i++) {
      if (buf[i] === 0x38 && buf[i + 1] === EQUALS && buf[i + 2] === 0x46 && buf[i + 3] === 0x49 && buf[i + 4] === 0x58) return i;
    }
    return -1;
  }

  /** Skips garbage from s to the next candidate start; returns bytes consumed. */
  private skipTo(s: number, code: FramingErrorCode, byteAt: number, detail: string): number {
    const next = this.findBegin(s + 1);
    // Without a next start, keep the last few bytes: they may be the beginning of `8=FIX`.
    const to = next >= 0 ? next : Math.max(s + 1, this.tail - (BEGIN.length - 1));
    this.error(code, s, byteAt, to - s, detail);
    return to - s;
  }

  /** Handles the frame starting at s; returns bytes consumed or NEED_MORE. */
  private frame(s: number): number {
    const buf = this.buf;
    const end = this.tail;
    for (let k = 0; k < BEGIN.length; k++) {
      if (s + k >= end) return NEED_MORE;
      if (buf[s + k] !== BEGIN[k]) return this.skipTo(s, FramingErrorCode.GARBAGE, s + k, 'expected 8=FIX');
    }
    // BeginString value, then `9=<digits>SOH`.
    let p = s + 2;
    while (p < end && buf[p] !== SOH && p - s < 24) p++;
    if (p >= end) return NEED_MORE;
    if (buf[p] !== SOH) return this.skipTo(s, FramingErrorCode.BEGIN_STRING, p, 'BeginString not terminated');
    let beginOk = p - (s + 2) === FIX44.length;
    for (let k = 0; beginOk && k < FIX44.length; k++) beginOk = buf[s + 2 + k] === FIX44[k];
    p++;
    if (p + 2 > end) return NEED_MORE;
    if (buf[p] !== 0x39 || buf[p + 1] !== EQUALS) return this.skipTo(s, FramingErrorCode.BODY_LENGTH, p, 'second field is not BodyLength (9)');
    p += 2;
    let bodyLen = 0;
    const digitsAt = p;
    for (;;) {
      if (p >= end) return NEED_MORE;
      const b = buf[p]!;
      if (b === SOH) break;
      const d = b - DIGIT_0;
      if (d < 0 || d > 9 || p - digitsAt >= 7) return this.skipTo(s, FramingErrorCode.BODY_LENGTH, p, 'BodyLength is not a number');
      bodyLen = bodyLen * 10 + d;
      p++;
    }
    if (p === digitsAt) return this.skipTo(s, FramingErrorCode.BODY_LENGTH, p, 'BodyLength is empty');
    if (bodyLen > this.maxMessageSize) return this.skipTo(s, FramingErrorCode.MESSAGE_TOO_LARGE, digitsAt, `BodyLength ${bodyLen} above limit ${this.maxMessageSize}`);
    const bodyStart = p + 1;
    const trailer = bodyStart + bodyLen;
    if (trailer + 7 > end) return this.waitOrTruncated(s, bodyStart);
    if (!(buf[trailer - 1] === SOH && buf[trailer] === 0x31 && buf[trailer + 1] === 0x30 && buf[trailer + 2] === EQUALS)) {
      return this.bodyLengthMismatch(s, trailer, bodyLen);
    }
    const c0 = buf[trailer + 3]! - DIGIT_0, c1 = buf[trailer + 4]! - DIGIT_0, c2 = buf[trailer + 5]! - DIGIT_0;
    const frameLen = trailer + 7 - s;
    if (c0 < 0 || c0 > 9 || c1 < 0 || c1 > 9 || c2 < 0 || c2 > 9 || buf[trailer + 6] !== SOH) {
      this.error(FramingErrorCode.CHECKSUM, s, trailer + 3, frameLen, 'CheckSum is not three digits');
      return frameLen;
    }
    const expected = checksum(buf, s, trailer);
    if (c0 * 100 + c1 * 10 + c2 !== expected) {
      this.error(FramingErrorCode.CHECKSUM, s, trailer + 3, frameLen, `CheckSum ${c0}${c1}${c2} but bytes sum to ${expected}`);
      return frameLen;
    }
    if (!beginOk) {
      this.error(FramingErrorCode.BEGIN_STRING, s, s + 2, frameLen, 'BeginString is not FIX.4.4');
      return frameLen;
    }
    this.decode(s, digitsAt, p, bodyStart, trailer, frameLen);
    return frameLen;
  }

  private waitOrTruncated(s: number, bodyStart: number): number {
    if (this.quickfixResync) return NEED_MORE;
    // A new message starting inside this frame's body means this one was cut short: do not wait for it.
    const buf = this.buf;
    for (let i = bodyStart; i + 5 < this.tail; i++) {
      if (buf[i] === SOH && buf[i + 1] === 0x38 && buf[i + 2] === EQUALS && buf[i + 3] === 0x46 && buf[i + 4] === 0x49 && buf[i + 5] === 0x58) {
        this.error(FramingErrorCode.TRUNCATED, s, i + 1, i + 1 - s, 'next message starts before the declared end');
        return i + 1 - s;
      }
    }
    return NEED_MORE;
  }

  private bodyLengthMismatch(s: number, trailer: number, bodyLen: number): number {
    if (!this.quickfixResync) return this.skipTo(s, FramingErrorCode.BODY_LENGTH, trailer, `BodyLength ${bodyLen} does not end at the CheckSum field`);
    // QuickFIX: the frame runs to the first `SOH10=...SOH` at or after the declared end.
    const buf = this.buf;
    for (let i = trailer - 1; i + 3 < this.tail; i++) {
      if (buf[i] === SOH && buf[i + 1] === 0x31 && buf[i + 2] === 0x30 && buf[i + 3] === EQUALS) {
        let j = i + 4;
        while (j < this.tail && buf[j] !== SOH) j++;
        if (j >= this.tail) return NEED_MORE;
        this.error(FramingErrorCode.BODY_LENGTH, s, trailer, j + 1 - s, `BodyLength ${bodyLen} does not end at the CheckSum field`);
        return j + 1 - s;
      }
      if (i - s > this.maxMessageSize) break;
    }
    if (this.tail - s <= this.maxMessageSize) return NEED_MORE;
    return this.skipTo(s, FramingErrorCode.BODY_LENGTH, trailer, `BodyLength ${bodyLen}: no CheckSum field found`);
  }

  /** Splits the verified frame into fields and hands the view to the handler. */
  private decode(s: number, lenAt: number, lenEnd: number, bodyStart: number, trailer: number, frameLen: number): void {
    const buf = this.buf;
    const view = this.view;
    view.reset(buf, s);
    view.streamOffset = this.base + s;
    view.length = frameLen;
    view.add(8, s + 2, lenAt - 2 - (s + 2) - 1);
    view.add(9, lenAt, lenEnd - lenAt);
    const dataTags = this.dataTagOfLength;
    const maxTag = dataTags.length;
    let dataTag = 0;
    let dataLen = 0;
    let p = bodyStart;
    while (p < trailer) {
      const tagAt = p;
      let tag = 0;
      let b = buf[p]!;
      if (b === DIGIT_0) { this.error(FramingErrorCode.TAG_SYNTAX, s, p, frameLen, 'tag with a leading zero'); return; }
      while (b !== EQUALS) {
        const d = b - DIGIT_0;
        if (d < 0 || d > 9 || p - tagAt > 9) { this.error(FramingErrorCode.TAG_SYNTAX, s, p, frameLen, 'tag is not a number followed by ='); return; }
        tag = tag * 10 + d;
        b = buf[++p]!;
      }
      if (p === tagAt) { this.error(FramingErrorCode.TAG_SYNTAX, s, p, frameLen, 'empty tag'); return; }
      const valueAt = ++p;
      if (tag === dataTag && dataLen >= 0 && valueAt + dataLen < trailer) {
        p = valueAt + dataLen; // DATA values may contain SOH: their length comes from the preceding field
        if (buf[p] !== SOH) { this.error(FramingErrorCode.TAG_SYNTAX, s, p, frameLen, `data field ${tag} longer than its length field`); return; }
      } else {
        while (buf[p] !== SOH) p++;
      }
      if (!view.add(tag, valueAt, p - valueAt)) { this.error(FramingErrorCode.TOO_MANY_FIELDS, s, tagAt, frameLen, `more than ${view.maxFields} fields`); return; }
      dataTag = 0;
      if (tag < maxTag && dataTags[tag] !== 0) {
        dataTag = dataTags[tag]!;
        dataLen = view.intAt(view.count - 1);
        if (dataLen !== dataLen) dataLen = -1;
      }
      p++;
    }
    if (view.tags[2] !== 35 || view.count < 3) { this.error(FramingErrorCode.MSGTYPE_POSITION, s, bodyStart, frameLen, 'third field is not MsgType (35)'); return; }
    view.add(10, trailer + 3, 3);
    const mtOff = view.offsets[2]!;
    const mtLen = view.lengths[2]!;
    view.msgTypeCode = mtLen === 1 ? buf[mtOff]! : mtLen === 2 ? buf[mtOff]! * 256 + buf[mtOff + 1]! : -1;
    this.handler!.onMessage(view);
  }
}
