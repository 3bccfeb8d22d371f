/**
 * Zero-copy view of one decoded FIX message: parallel typed arrays of tag, value offset and value
 * length into the framer's buffer or into the pushed chunk itself. One instance is reused for every
 * message; it is valid only inside onMessage (copy what you keep). Values are read with typed getters; strings are made only on demand.
 */
import { asciiString } from './ascii.js';

import { Decimal, parseDecimal } from './decimal.js';
import type { FixDictionary, GroupDef } from './dictionary/index.js';
import { parseUtcTimestamp } from './time.js';

// Local copies on purpose: V8 reloads an imported binding on every use, which slows per-byte loops.
const DIGIT_0 = 0x30;
const MINUS = 0x2d;

/** Tags below this get O(1) lookup through a generation-stamped index; larger ones are scanned. */
export const INDEXED_TAGS = 16384;

export class MessageView {
  buffer: Uint8Array = new Uint8Array(0);
  /** Offset of `8=` in buffer. */
  start = 0;
  /** Total length including the CheckSum field. */
  length = 0;
  /** Number of fields (BeginString, BodyLength and CheckSum included). */
  count = 0;
  /** MsgType packed as an integer (see msgTypeCode). */
  msgTypeCode = 0;
  /** Byte offset of this message in the whole stream since the framer started. */
  streamOffset = 0;

  readonly tags: Int32Array;
  readonly offsets: Int32Array;
  readonly lengths: Int32Array;
  /** Index of the first occurrence of a tag, valid where stamp[tag] === generation (framer fills it). */
  readonly firstIndex = new Int32Array(INDEXED_TAGS);
  readonly stamp = new Uint32Array(INDEXED_TAGS);
  generation = 0;

  constructor(readonly dictionary: FixDictionary, readonly maxFields = 1024) {
    this.tags = new Int32Array(maxFields);
    this.offsets = new Int32Array(maxFields);
    this.lengths = new Int32Array(maxFields);
  }

  /** Starts a new message; called by the framer. */
  reset(buffer: Uint8Array, start: number): void {
    this.buffer = buffer;
    this.start = start;
    this.count = 0;
    this.msgTypeCode = 0;
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) { this.stamp.fill(0); this.generation = 1; }
  }

  /** Appends a field; false when the view is full. Called by the framer. */
  add(tag: number, off: number, len: number): boolean {
    const i = this.count;
    if (i === this.maxFields) return false;
    this.tags[i] = tag;
    this.offsets[i] = off;
    this.lengths[i] = len;
    if (tag >= 0 && tag < INDEXED_TAGS && this.stamp[tag] !== this.generation) {
      this.stamp[tag] = this.generation;
      this.firstIndex[tag] = i;
    }
    this.count = i + 1;
    return true;
  }

  /** Index of the first occurrence of tag, or -1. */
  indexOf(tag: number): number {
    if (tag >= 0 && tag < INDEXED_TAGS) return this.stamp[tag] === this.generation ? this.firstIndex[tag]! : -1;
    for (let i = 0; i < this.count; i++) if (this.tags[i] === tag) return i;
    return -1;
  }

  has(tag: number): boolean {
    return this.indexOf(tag) >= 0;
  }

  /** Integer value of field i; NaN when it is not a plain integer. */
  intAt(i: number): number {
    const buf = this.buffer;
    let p = this.offsets[i]!;
    const end = p + this.lengths[i]!;
    let neg = false;
    if (p < end && buf[p] === MINUS) { neg = true; p++; }
    if (p === end) return NaN;
    let v = 0;
    for (; p < end; p++) {
      const d = buf[p]! - DIGIT_0;
      if (d < 0 || d > 9) return NaN;
      v = v * 10 + d;
    }
    if (v > Number.MAX_SAFE_INTEGER) return NaN;
    return neg ? -v : v;
  }

  /** Integer value of tag; NaN when absent or malformed. */
  getInt(tag: number): number {
    const i = this.indexOf(tag);
    return i < 0 ? NaN : this.intAt(i);
  }

  /** First byte of the value as a char code; -1 when absent or not exactly one character. */
  getChar(tag: number): number {
    const i = this.indexOf(tag);
    if (i < 0 || this.lengths[i] !== 1) return -1;
    return this.buffer[this.offsets[i]!]!;
  }

  /** Exact decimal into `out`; false when absent or malformed. */
  getDecimal(tag: number, out: Decimal): boolean {
    const i = this.indexOf(tag);
    return i >= 0 && parseDecimal(this.buffer, this.offsets[i]!, this.lengths[i]!, out);
  }

  /** UTCTimestamp as epoch microseconds; NaN when absent or malformed. */
  getTimestampMicros(tag: number): number {
    const i = this.indexOf(tag);
    return i < 0 ? NaN : parseUtcTimestamp(this.buffer, this.offsets[i]!, this.lengths[i]!);
  }

  /** Value as a string (allocates); undefined when absent. */
  getString(tag: number): string | undefined {
    const i = this.indexOf(tag);
    return i < 0 ? undefined : this.stringAt(i);
  }

  stringAt(i: number): string {
    return asciiString(this.buffer, this.offsets[i]!, this.lengths[i]!);
  }

  /** Compares a value with expected bytes without allocating. */
  valueEquals(tag: number, expected: Uint8Array): boolean {
    const i = this.indexOf(tag);
    if (i < 0 || this.lengths[i] !== expected.length) return false;
    const off = this.offsets[i]!;
    for (let k = 0; k < expected.length; k++) if (this.buffer[off + k] !== expected[k]) return false;
    return true;
  }

  /** Index of the NumInGroup field of a top-level group, or -1. */
  groupStart(countTag: number): number {
    return this.indexOf(countTag);
  }

  /**
   * Finds `tag` in instance `instance` (0-based) of the group whose NumInGroup field is at index
   * `countIndex`; returns the field index or -1. Instances are split on the group's delimiter and the
   * group ends at the first tag that does not belong to it, as the dictionary defines.
   */
  findInGroup(group: GroupDef, countIndex: number, instance: number, tag: number): number {
    let current = -1;
    for (let i = countIndex + 1; i < this.count; i++) {
      const t = this.tags[i]!;
      if (t === group.delimiter) {
        current++;
        if (current > instance) return -1;
      } else if (!group.allTags.has(t)) {
        return -1;
      }
      if (current === instance && t === tag) return i;
    }
    return -1;
  }

  /** Number of instances actually present after the NumInGroup field at countIndex. */
  countInstances(group: GroupDef, countIndex: number): number {
    let n = 0;
    for (let i = countIndex + 1; i < this.count; i++) {
      const t = this.tags[i]!;
      if (t === group.delimiter) n++;
      else if (!group.allTags.has(t)) break;
    }
    return n;
  }

  /** The whole message as text with `|` for SOH (allocates; logs and tests). */
  toString(): string {
    return asciiString(this.buffer, this.start, this.length).replace(/\x01/g, '|');
  }

  /** Fields as [tag, value] pairs (allocates; tests and tools). */
  toFields(): [number, string][] {
    const out: [number, string][] = [];
    for (let i = 0; i < this.count; i++) out.push([this.tags[i]!, this.stringAt(i)]);
    return out;
  }
}
