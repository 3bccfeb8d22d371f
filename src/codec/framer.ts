/**
 * Streaming FIX framer: TCP chunks of any size go in, complete validated messages come out in order
 * through a reusable MessageView. Whole frames are decoded in place over the pushed chunk; only an
 * incomplete tail is copied into a preallocated buffer (bounded by maxMessageSize) to wait for the rest.
 * Checksum and field splitting are one pass. A garbled frame is reported with what was wrong and
 * where, then the stream resynchronises on the next `8=FIX`; nothing here throws or waits without bound.
 */
import { checksum } from './checksum.js';
import type { FixDictionary } from './dictionary/index.js';
import { FramingErrorCode, type FramingError } from './framing-errors.js';
import { MessageView } from './message-view.js';
import { SPLIT_SLOW, splitFast, splitFields, SplitError, splitResult } from './split.js';

export { FramingErrorCode, FRAMING_ERROR_NAMES, type FramingError } from './framing-errors.js';

export interface FramerHandler {
  /** The view is valid only during this call: it points into the pushed chunk or the framer's buffer. */
  onMessage(view: MessageView): void;
  onError(error: FramingError): void;
}

export interface FramerOptions {
  /** Largest accepted BodyLength; frames above it are rejected and skipped. Default 64 KiB. */
  maxMessageSize?: number;
  /** Capacity of the field arrays of the view. Default 1024. */
  maxFields?: number;
  /**
   * How to recover from a bad frame:
   * 'scan' (default) restarts at the next `8=FIX` after the bad frame's start (also one found inside a
   * frame whose length looked right), so no later valid message is lost; a frame still waiting for bytes
   * is cut short as soon as `8=FIX.` appears inside it (the price: a message whose text contains
   * `8=FIX.` and that arrives in pieces is reported TRUNCATED); 'quickfix' consumes up to the
   * next CheckSum field after the declared end, as QuickFIX does (its acceptance tests expect a too-long
   * frame to swallow the next message).
   */
  resync?: 'scan' | 'quickfix';
  /**
   * 'strict' (default): a tag is digits without a leading zero, anything else garbles the frame.
   * 'quickfix': a tag is whatever QuickFIX reads as an integer (a leading '-', leading zeros), so `0=x`
   * and `-1=x` reach the session, which rejects them with `Invalid tag number` as QuickFIX does.
   */
  tagSyntax?: 'strict' | 'quickfix';
}

// Local copies on purpose: V8 reloads an imported binding on every use, which slows per-byte loops.
const SOH = 0x01;
const EQUALS = 0x3d;
const DIGIT_0 = 0x30;
const NEED_MORE = -1;
const BEGIN = Uint8Array.of(0x38, EQUALS, 0x46, 0x49, 0x58); // "8=FIX"
/** Copy granularity while a partial frame waits: small enough that the rest of a chunk is decoded in place. */
const MIN_FEED = 256;

export class FixFramer {
  readonly view: MessageView;
  /** Size of the internal buffer: the most bytes ever held between pushes. */
  readonly capacity: number;
  private readonly buf: Uint8Array;
  private readonly maxMessageSize: number;
  private readonly quickfixResync: boolean;
  private readonly quickfixTags: boolean;
  private readonly dataTagOfLength: Int32Array;
  /** Tags that send a frame to the full splitter: LENGTH fields of DATA fields, BeginString. */
  private readonly special: Uint8Array;
  /** Pending bytes are buf[head, tail); base is the stream offset of buf[0]. */
  private head = 0;
  private tail = 0;
  private base = 0;
  /** Stream offset of the next byte pushed. */
  private received = 0;
  /** The bytes frames are read from right now (the chunk, or buf), its end and its stream offset. */
  private cur: Uint8Array;
  private end = 0;
  private curBase = 0;
  /** Bytes the pending frame needs in total (a hint for how much to copy). */
  private needLen = 0;
  /** Where a scan over a pending frame stopped, so a frame fed byte by byte is not rescanned (stream offsets). */
  private resumeFrame = -1;
  private resumeAt = 0;
  private handler: FramerHandler | null = null;

  constructor(dictionary: FixDictionary, options: FramerOptions = {}) {
    this.maxMessageSize = options.maxMessageSize ?? 65536;
    this.quickfixResync = options.resync === 'quickfix';
    this.quickfixTags = options.tagSyntax === 'quickfix';
    this.view = new MessageView(dictionary, options.maxFields ?? 1024);
    this.dataTagOfLength = dictionary.dataTagOfLength;
    this.special = new Uint8Array(this.dataTagOfLength.length);
    this.special[8] = 1;
    for (let t = 0; t < this.dataTagOfLength.length; t++) if (this.dataTagOfLength[t] !== 0) this.special[t] = 1;
    // Room for one maximal frame plus its header and trailer, twice, so compaction always makes space.
    // A Buffer, like socket chunks, so element access stays monomorphic whichever one is decoded.
    this.buf = Buffer.allocUnsafeSlow(2 * (this.maxMessageSize + 64)).fill(0);
    this.capacity = this.buf.length;
    this.cur = this.buf;
  }

  /** Bytes held for an incomplete frame. */
  bufferedBytes(): number {
    return this.tail - this.head;
  }

  /** Drops buffered bytes (on disconnect). Stream offsets keep counting. */
  reset(): void {
    this.head = 0;
    this.tail = 0;
    this.base = this.received;
    this.resumeFrame = -1;
  }

  /** Feeds bytes; complete messages and errors are delivered to handler before this returns. */
  push(chunk: Uint8Array, handler: FramerHandler): void {
    this.handler = handler;
    const n = chunk.length;
    const chunkBase = this.received;
    this.received += n;
    let pos = 0;
    while (pos < n && this.tail > this.head) pos = this.feedPending(chunk, pos);
    if (pos < n) this.decodeInPlace(chunk, pos, chunkBase);
    this.cur = this.buf; // do not keep the caller's chunk alive
    this.handler = null;
  }

  /** Appends to the pending partial frame (only as much as it is likely to need) and drains the buffer. */
  private feedPending(chunk: Uint8Array, pos: number): number {
    if (this.tail === this.buf.length) {
      this.compact();
      if (this.tail === this.head) return pos;
    }
    const buf = this.buf;
    const want = Math.max(MIN_FEED, this.needLen - (this.tail - this.head));
    const take = Math.min(want, buf.length - this.tail, chunk.length - pos);
    copyBytes(chunk, pos, take, buf, this.tail);
    this.tail += take;
    this.cur = buf;
    this.end = this.tail;
    this.curBase = this.base;
    while (this.head < this.tail) {
      const consumed = this.frame(this.head);
      if (consumed === NEED_MORE) break;
      this.head += consumed;
    }
    if (this.head === this.tail) {
      this.base += this.tail;
      this.head = 0;
      this.tail = 0;
    }
    return pos + take;
  }

  /** Decodes whole frames straight from the chunk; copies only the incomplete tail. */
  private decodeInPlace(chunk: Uint8Array, pos: number, chunkBase: number): void {
    const n = chunk.length;
    this.cur = chunk;
    this.end = n;
    this.curBase = chunkBase;
    let s = pos;
    while (s < n) {
      const consumed = this.frame(s);
      if (consumed === NEED_MORE) break;
      s += consumed;
    }
    let rest = n - s;
    if (rest === 0) {
      this.base = this.received;
      return;
    }
    if (rest > this.buf.length) {
      // Cannot happen (a pending frame is at most maxMessageSize plus its header), but stay bounded.
      const drop = rest - this.buf.length;
      this.error(FramingErrorCode.MESSAGE_TOO_LARGE, s, s, drop, 'pending frame exceeds buffer');
      s += drop;
      rest -= drop;
    }
    copyBytes(chunk, s, rest, this.buf, 0);
    this.head = 0;
    this.tail = rest;
    this.base = chunkBase + s;
  }

  private compact(): void {
    const keep = this.tail - this.head;
    if (this.head === 0) {
      // A frame longer than the buffer cannot be valid: its BodyLength check already failed. Drop it.
      this.cur = this.buf;
      this.curBase = this.base;
      this.error(FramingErrorCode.MESSAGE_TOO_LARGE, 0, 0, keep, 'frame exceeds buffer');
      this.base += this.tail;
      this.head = this.tail = 0;
      return;
    }
    this.buf.copyWithin(0, this.head, this.tail);
    this.base += this.head;
    this.head = 0;
    this.tail = keep;
  }

  private error(code: FramingErrorCode, frameAt: number, byteAt: number, skipped: number, detail: string): void {
    const b = this.curBase;
    this.handler!.onError({ code, frameOffset: b + frameAt, byteOffset: b + byteAt, skipped, detail });
  }

  /** Offset of the next `8=FIX` in [from, limit), or -1. */
  private findBegin(from: number, limit: number): number {
    const buf = this.cur;
    const last = limit - 5;
    for (let i = from; i <= last; i++) {
      if (buf[i] === 0x38 && buf[i + 1] === EQUALS && buf[i + 2] === 0x46 && buf[i + 3] === 0x49 && buf[i + 4] === 0x58) return i;
    }
    return -1;
  }

  /** Skips garbage from s to the next candidate start; returns bytes consumed. */
  private skipTo(s: number, code: FramingErrorCode, byteAt: number, detail: string): number {
    const next = this.findBegin(s + 1, this.end);
    // Without a next start, keep the last few bytes: they may be the beginning of `8=FIX`.
    const to = next >= 0 ? next : Math.max(s + 1, this.end - 4);
    this.error(code, s, byteAt, to - s, detail);
    return to - s;
  }

  /**
   * A complete frame [s, s + frameLen) is bad. 'scan' resumes at an `8=FIX` inside it, if any (a message
   * cut short whose length happened to fit); otherwise the whole frame is dropped.
   */
  private badFrame(code: FramingErrorCode, s: number, byteAt: number, frameLen: number, detail: string): number {
    let consumed = frameLen;
    if (!this.quickfixResync) {
      const next = this.findBegin(s + 1, s + frameLen);
      if (next >= 0) consumed = next - s;
    }
    this.error(code, s, byteAt, consumed, detail);
    return consumed;
  }

  /** Handles the frame starting at s; returns bytes consumed or NEED_MORE. */
  private frame(s: number): number {
    const buf = this.cur;
    const end = this.end;
    this.needLen = 0;
    if (end - s < 5) {
      // Too short to tell: wait unless what is there already differs from `8=FIX`.
      for (let k = 0; s + k < end; k++) if (buf[s + k] !== BEGIN[k]) return this.skipTo(s, FramingErrorCode.GARBAGE, s + k, 'expected 8=FIX');
      return NEED_MORE;
    }
    if (buf[s] !== 0x38 || buf[s + 1] !== EQUALS || buf[s + 2] !== 0x46 || buf[s + 3] !== 0x49 || buf[s + 4] !== 0x58) {
      return this.skipTo(s, FramingErrorCode.GARBAGE, s, 'expected 8=FIX');
    }
    // BeginString value, then `9=<digits>SOH`.
    let p = s + 5;
    while (p < end && buf[p] !== SOH && p - s < 24) p++;
    if (p >= end) return NEED_MORE;
    if (buf[p] !== SOH) return this.skipTo(s, FramingErrorCode.BEGIN_STRING, p, 'BeginString not terminated');
    const beginOk = p - s === 9 && buf[s + 5] === 0x2e && buf[s + 6] === 0x34 && buf[s + 7] === 0x2e && buf[s + 8] === 0x34;
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
    if (trailer + 4 > end) return this.waitOrTruncated(s, bodyStart, trailer);
    if (!(buf[trailer - 1] === SOH && buf[trailer] === 0x31 && buf[trailer + 1] === 0x30 && buf[trailer + 2] === EQUALS)) {
      return this.bodyLengthMismatch(s, trailer, bodyLen);
    }
    if (trailer + 7 > end || buf[trailer + 6] !== SOH) {
      // A CheckSum value of another length ends at its own SOH: `10=0|` is one bad frame and must not
      // swallow the first bytes of the next message (QuickFIX acceptance tests 2d/3c send exactly that).
      let q = trailer + 3;
      while (q < end && buf[q] !== SOH && q - trailer < 16) q++;
      if (q >= end) return this.waitOrTruncated(s, bodyStart, trailer);
      // No SOH within reach: the value runs into whatever follows, which may be the next message.
      // Drop only up to `10=` and let the resync find the next start.
      if (buf[q] !== SOH) return this.badFrame(FramingErrorCode.CHECKSUM, s, trailer + 3, trailer + 3 - s, 'CheckSum field not terminated');
      if (q !== trailer + 6) return this.badFrame(FramingErrorCode.CHECKSUM, s, trailer + 3, q + 1 - s, 'CheckSum is not three digits');
    }
    const c0 = buf[trailer + 3]! - DIGIT_0, c1 = buf[trailer + 4]! - DIGIT_0, c2 = buf[trailer + 5]! - DIGIT_0;
    const frameLen = trailer + 7 - s;
    if (c0 < 0 || c0 > 9 || c1 < 0 || c1 > 9 || c2 < 0 || c2 > 9 || buf[trailer + 6] !== SOH) {
      return this.badFrame(FramingErrorCode.CHECKSUM, s, trailer + 3, frameLen, 'CheckSum is not three digits');
    }
    return this.decode(s, digitsAt, bodyStart, trailer, c0 * 100 + c1 * 10 + c2, beginOk);
  }

  private waitOrTruncated(s: number, bodyStart: number, trailer: number): number {
    this.needLen = trailer + 7 - s;
    if (this.quickfixResync) return NEED_MORE;
    // A new message starting inside this frame's body means this one was cut short: do not wait for it.
    // Any `8=FIX.` counts, not only one after SOH: the cut may fall mid-value.
    const buf = this.cur;
    const end = this.end;
    let i = bodyStart;
    if (this.resumeFrame === this.curBase + s) i = Math.max(i, this.resumeAt - this.curBase);
    for (; i + 5 < end; i++) {
      if (buf[i] === 0x38 && buf[i + 1] === EQUALS && buf[i + 2] === 0x46 && buf[i + 3] === 0x49 && buf[i + 4] === 0x58 && buf[i + 5] === 0x2e) {
        this.error(FramingErrorCode.TRUNCATED, s, i, i - s, 'next message starts before the declared end');
        return i - s;
      }
    }
    this.resumeFrame = this.curBase + s;
    this.resumeAt = this.curBase + i;
    return NEED_MORE;
  }

  private bodyLengthMismatch(s: number, trailer: number, bodyLen: number): number {
    if (!this.quickfixResync) return this.skipTo(s, FramingErrorCode.BODY_LENGTH, trailer, `BodyLength ${bodyLen} does not end at the CheckSum field`);
    // QuickFIX: the frame runs to the first `SOH10=...SOH` at or after the declared end.
    const buf = this.cur;
    const end = this.end;
    let i = trailer - 1;
    if (this.resumeFrame === this.curBase + s) i = Math.max(i, this.resumeAt - this.curBase);
    // One limit on the swallowed frame's end, checked the same way whether its bytes are all here or
    // still arriving, so the outcome never depends on how the stream was chunked.
    const limit = this.maxMessageSize;
    for (; i + 3 < end; i++) {
      if (i + 1 - s > limit) break;
      if (buf[i] === SOH && buf[i + 1] === 0x31 && buf[i + 2] === 0x30 && buf[i + 3] === EQUALS) {
        let j = i + 4;
        while (j < end && buf[j] !== SOH) j++;
        if (j >= end) break;
        if (j + 1 - s > limit) break;
        this.error(FramingErrorCode.BODY_LENGTH, s, trailer, j + 1 - s, `BodyLength ${bodyLen} does not end at the CheckSum field`);
        return j + 1 - s;
      }
    }
    this.resumeFrame = this.curBase + s;
    this.resumeAt = this.curBase + i;
    this.needLen = end - s + MIN_FEED;
    if (end - s <= limit) return NEED_MORE;
    return this.skipTo(s, FramingErrorCode.BODY_LENGTH, trailer, `BodyLength ${bodyLen}: no CheckSum field found within ${limit} bytes`);
  }

  /**
   * One pass over the frame whose trailer was found at `trailer`: splits fields into the view and sums
   * the bytes for the CheckSum. The view reaches the handler only if the sum and the syntax hold.
   */
  private decode(s: number, digitsAt: number, bodyStart: number, trailer: number, expectedSum: number, beginOk: boolean): number {
    const buf = this.cur;
    const view = this.view;
    const frameLen = trailer + 7 - s;
    view.reset(buf, s);
    const tags = view.tags;
    const offsets = view.offsets;
    const lengths = view.lengths;
    const generation = view.generation;
    const stamp = view.stamp;
    const firstIndex = view.firstIndex;
    // BeginString and BodyLength were checked by frame(); store them and sum their bytes here.
    tags[0] = 8;
    offsets[0] = s + 2;
    lengths[0] = digitsAt - 5 - s;
    tags[1] = 9;
    offsets[1] = digitsAt;
    lengths[1] = bodyStart - 1 - digitsAt;
    stamp[8] = generation; firstIndex[8] = 0;
    stamp[9] = generation; firstIndex[9] = 1;
    let sum = splitFast(buf, bodyStart, trailer, tags, offsets, lengths, stamp, firstIndex, generation, view.maxFields - 1, this.special);
    if (sum === SPLIT_SLOW) {
      sum = splitFields(buf, s, trailer, tags, offsets, lengths, stamp, firstIndex, generation,
        view.maxFields - 1, this.dataTagOfLength, this.quickfixTags, !this.quickfixResync);
    } else {
      for (let k = s; k < bodyStart; k++) sum += buf[k]!;
    }
    if (sum < 0) return this.splitError(s, trailer, expectedSum, beginOk);
    if ((sum & 0xff) !== expectedSum) {
      return this.badFrame(FramingErrorCode.CHECKSUM, s, trailer + 3, frameLen, `CheckSum ${pad3(expectedSum)} but bytes sum to ${sum & 0xff}`);
    }
    if (!beginOk) return this.badFrame(FramingErrorCode.BEGIN_STRING, s, s + 2, frameLen, 'BeginString is not FIX.4.4');
    const i = splitResult[0]!;
    if (i < 3 || tags[2] !== 35) return this.badFrame(FramingErrorCode.MSGTYPE_POSITION, s, bodyStart, frameLen, 'third field is not MsgType (35)');
    tags[i] = 10;
    offsets[i] = trailer + 3;
    lengths[i] = 3;
    if (stamp[10] !== generation) { stamp[10] = generation; firstIndex[10] = i; }
    view.count = i + 1;
    view.length = frameLen;
    view.streamOffset = this.curBase + s;
    const mtOff = offsets[2]!;
    const mtLen = lengths[2]!;
    view.msgTypeCode = mtLen === 1 ? buf[mtOff]! : mtLen === 2 ? buf[mtOff]! * 256 + buf[mtOff + 1]! : -1;
    this.handler!.onMessage(view);
    return frameLen;
  }

  /**
   * The field pass stopped on a malformed field. A wrong CheckSum or BeginString takes precedence, as
   * when they were checked before the fields; a next message found inside the frame ends this one.
   */
  private splitError(s: number, trailer: number, expectedSum: number, beginOk: boolean): number {
    const kind = splitResult[1]!;
    const at = splitResult[2]!;
    if (kind === SplitError.EMBEDDED_BEGIN) {
      this.error(FramingErrorCode.TRUNCATED, s, at, at - s, 'next message starts inside this frame');
      return at - s;
    }
    const frameLen = trailer + 7 - s;
    const sum = checksum(this.cur, s, trailer);
    if (sum !== expectedSum) return this.badFrame(FramingErrorCode.CHECKSUM, s, trailer + 3, frameLen, `CheckSum ${pad3(expectedSum)} but bytes sum to ${sum}`);
    if (!beginOk) return this.badFrame(FramingErrorCode.BEGIN_STRING, s, s + 2, frameLen, 'BeginString is not FIX.4.4');
    const code = kind === SplitError.TOO_MANY_FIELDS ? FramingErrorCode.TOO_MANY_FIELDS : FramingErrorCode.TAG_SYNTAX;
    return this.badFrame(code, s, at, frameLen, SPLIT_DETAILS[kind]!);
  }
}

const SPLIT_DETAILS: Record<number, string> = {
  [SplitError.EMPTY_TAG]: 'empty tag',
  [SplitError.LEADING_ZERO]: 'tag with a leading zero',
  [SplitError.TAG_NOT_NUMBER]: 'tag is not a number followed by =',
  [SplitError.DATA_TOO_LONG]: 'data field longer than its length field',
  [SplitError.TOO_MANY_FIELDS]: 'more fields than the view holds',
};

function pad3(v: number): string {
  return String(v).padStart(3, '0');
}

/** Copies without allocating a subarray for the short copies of the hot path. */
function copyBytes(src: Uint8Array, from: number, len: number, dst: Uint8Array, to: number): void {
  if (len > 64) {
    dst.set(from === 0 && len === src.length ? src : src.subarray(from, from + len), to);
    return;
  }
  for (let k = 0; k < len; k++) dst[to + k] = src[from + k]!;
}
