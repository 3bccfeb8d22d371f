/**
 * Typed views over a region that holds records, and the cursor the flyweights use to read and write
 * one record. The same two classes serve the shared ring and private side buffers, so every accessor
 * call site stays monomorphic.
 */
import { FIXED_SIZE, MAX_RECORD_SIZE, RecordType, recordTypeName, varSlotsOf } from './schema.js';

const TWO_32 = 4294967296;

export class RecordBuffer {
  readonly u8: Uint8Array;
  readonly i8: Int8Array;
  readonly u16: Uint16Array;
  readonly u32: Uint32Array;
  readonly i32: Int32Array;
  readonly f64: Float64Array;
  readonly byteLength: number;

  constructor(buffer: ArrayBufferLike, byteOffset: number, byteLength: number) {
    if (byteOffset % 8 !== 0 || byteLength % 8 !== 0) {
      throw new RangeError(`RecordBuffer: offset ${byteOffset} and length ${byteLength} must be multiples of 8`);
    }
    this.u8 = new Uint8Array(buffer, byteOffset, byteLength);
    this.i8 = new Int8Array(buffer, byteOffset, byteLength);
    this.u16 = new Uint16Array(buffer, byteOffset, byteLength >> 1);
    this.u32 = new Uint32Array(buffer, byteOffset, byteLength >> 2);
    this.i32 = new Int32Array(buffer, byteOffset, byteLength >> 2);
    this.f64 = new Float64Array(buffer, byteOffset, byteLength >> 3);
    this.byteLength = byteLength;
  }

  /** Copies `len` bytes (multiple of 4) between buffers with 32-bit moves: no allocation, no NaN games. */
  static copy(src: RecordBuffer, srcOff: number, dst: RecordBuffer, dstOff: number, len: number): void {
    const s = src.i32;
    const d = dst.i32;
    let i = srcOff >> 2;
    let j = dstOff >> 2;
    const end = i + (len >> 2);
    while (i < end) d[j++] = s[i++]!;
  }
}

/**
 * Reads or writes one record at `base` within a RecordBuffer. Flyweights own one cursor each and
 * re-point it per record (wrap / wrapForWrite), so there is no allocation per record.
 */
export class RecordCursor {
  buf: RecordBuffer;
  base = 0;
  /** Record end (base + length): var writes must stay below it. */
  end = 0;
  /** Next free byte of the overflow area while writing (offset from base, always even). */
  varPos = 0;

  constructor(buf: RecordBuffer) {
    this.buf = buf;
  }

  /** Points the cursor at an existing record (reading). */
  wrap(buf: RecordBuffer, offset: number): void {
    this.buf = buf;
    this.base = offset;
    this.end = offset + buf.u32[(offset + 4) >> 2]!;
  }

  /**
   * Starts a new record of `type` in `size` claimed bytes: zeroes the fixed part (the ring reuses
   * memory, and unset fields must read as 0 / absent) and writes type and length.
   */
  wrapForWrite(buf: RecordBuffer, offset: number, size: number, type: number): void {
    const fixed = FIXED_SIZE[type]!;
    if (fixed === 0 || type === RecordType.Padding) throw new RangeError(`wrapForWrite: unknown record type ${type}`);
    if (size < fixed || size > MAX_RECORD_SIZE || (size & 7) !== 0 || offset + size > buf.byteLength) {
      throw new RangeError(`wrapForWrite: size ${size} invalid for ${recordTypeName(type)} (fixed ${fixed}) at ${offset}`);
    }
    this.buf = buf;
    this.base = offset;
    this.end = offset + size;
    this.varPos = fixed;
    // f64 stores of 0 (all-zero bits): much cheaper than TypedArray.fill on a SAB for ~100 bytes.
    const f64 = buf.f64;
    for (let i = offset >> 3, end = (offset + fixed) >> 3; i < end; i++) f64[i] = 0;
    buf.u16[offset >> 1] = type;
    buf.u32[(offset + 4) >> 2] = size;
  }

  // ---- header ----
  get recordType(): number { return this.buf.u16[this.base >> 1]!; }
  get flags(): number { return this.buf.u16[(this.base + 2) >> 1]!; }
  set flags(v: number) { this.buf.u16[(this.base + 2) >> 1] = v; }
  get length(): number { return this.buf.u32[(this.base + 4) >> 2]!; }
  /** MsgSeqNum-like sequence as a number (exact up to 2^53). */
  get seq(): number {
    const i = (this.base + 8) >> 2;
    return this.buf.u32[i + 1]! * TWO_32 + this.buf.u32[i]!;
  }
  set seq(v: number) {
    const i = (this.base + 8) >> 2;
    this.buf.u32[i] = v >>> 0;
    this.buf.u32[i + 1] = (v / TWO_32) >>> 0;
  }
  get tSocketRead(): number { return this.buf.f64[(this.base + 16) >> 3]!; }
  set tSocketRead(v: number) { this.buf.f64[(this.base + 16) >> 3] = v; }
  get tParseDone(): number { return this.buf.f64[(this.base + 24) >> 3]!; }
  set tParseDone(v: number) { this.buf.f64[(this.base + 24) >> 3] = v; }
  get tEnqueued(): number { return this.buf.f64[(this.base + 32) >> 3]!; }
  set tEnqueued(v: number) { this.buf.f64[(this.base + 32) >> 3] = v; }

  // ---- fixed fields by offset ----
  u8(off: number): number { return this.buf.u8[this.base + off]!; }
  setU8(off: number, v: number): void { this.buf.u8[this.base + off] = v; }
  i8(off: number): number { return this.buf.i8[this.base + off]!; }
  setI8(off: number, v: number): void { this.buf.i8[this.base + off] = v; }
  u16(off: number): number { return this.buf.u16[(this.base + off) >> 1]!; }
  setU16(off: number, v: number): void { this.buf.u16[(this.base + off) >> 1] = v; }
  u32(off: number): number { return this.buf.u32[(this.base + off) >> 2]!; }
  setU32(off: number, v: number): void { this.buf.u32[(this.base + off) >> 2] = v; }
  f64(off: number): number { return this.buf.f64[(this.base + off) >> 3]!; }
  setF64(off: number, v: number): void { this.buf.f64[(this.base + off) >> 3] = v; }

  /** Writes mantissa + scale; refuses anything that is not an exact decimal. */
  setDecimal(mOff: number, sOff: number, mantissa: number, scale: number): void {
    if (!Number.isSafeInteger(mantissa) || scale < -128 || scale > 127 || (scale | 0) !== scale) {
      throw new RangeError(`setDecimal: mantissa ${mantissa} scale ${scale} is not an exact decimal`);
    }
    this.buf.f64[(this.base + mOff) >> 3] = mantissa;
    this.buf.i8[this.base + sOff] = scale;
  }

  /** Decimal as a JS number, for display and tests only (inexact). */
  decimalToNumber(mOff: number, sOff: number): number {
    return this.f64(mOff) / 10 ** this.i8(sOff);
  }

  // ---- variable fields (slot = offset of the u16 slot in the fixed part) ----

  /** Byte length of a var field, 0 when absent. */
  varLength(slot: number): number {
    const at = this.buf.u16[(this.base + slot) >> 1]!;
    return at === 0 ? 0 : this.buf.u16[(this.base + at) >> 1]!;
  }

  /** Absolute index in buf.u8 of the field's first byte (valid when varLength > 0). */
  varStart(slot: number): number {
    return this.base + this.buf.u16[(this.base + slot) >> 1]! + 2;
  }

  varPresent(slot: number): boolean {
    return this.buf.u16[(this.base + slot) >> 1] !== 0;
  }

  /** Compares the field with src[start, start+len) without decoding. */
  varEquals(slot: number, src: Uint8Array, start: number, len: number): boolean {
    if (this.varLength(slot) !== len) return false;
    const u8 = this.buf.u8;
    const p = this.varStart(slot);
    for (let i = 0; i < len; i++) if (u8[p + i] !== src[start + i]) return false;
    return true;
  }

  /** Copies the field into dst at dstOff; returns its length. */
  varCopy(slot: number, dst: Uint8Array, dstOff: number): number {
    const len = this.varLength(slot);
    const u8 = this.buf.u8;
    const p = this.varStart(slot);
    for (let i = 0; i < len; i++) dst[dstOff + i] = u8[p + i]!;
    return len;
  }

  /** Decodes as Latin-1 (FIX text fields are ASCII). Allocates: call on demand only. */
  varString(slot: number): string {
    const len = this.varLength(slot);
    if (len === 0) return '';
    const u8 = this.buf.u8;
    const p = this.varStart(slot);
    let s = '';
    for (let i = 0; i < len; i++) s += String.fromCharCode(u8[p + i]!);
    return s;
  }

  /** Appends src[start, start+len) to the overflow area and points `slot` at it. */
  putVar(slot: number, src: Uint8Array, start: number, len: number): void {
    const at = this.reserveVar(slot, len);
    const u8 = this.buf.u8;
    for (let i = 0; i < len; i++) u8[at + i] = src[start + i]!;
  }

  /** Same as putVar for an ASCII string (chars above 0xff are refused, not mangled). */
  putVarAscii(slot: number, s: string): void {
    const len = s.length;
    const at = this.reserveVar(slot, len);
    const u8 = this.buf.u8;
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c > 0xff) throw new RangeError(`putVarAscii: non-Latin-1 character at ${i} in ${JSON.stringify(s)}`);
      u8[at + i] = c;
    }
  }

  private reserveVar(slot: number, len: number): number {
    const pos = this.varPos;
    const next = pos + 2 + len + (len & 1);
    if (this.base + next > this.end || len > 0xffff) {
      throw new RangeError(
        `putVar: ${len} bytes do not fit record ${recordTypeName(this.recordType)} of ${this.end - this.base}B ` +
          `(used ${pos}); claim recordSize(type, totalVarBytes)`,
      );
    }
    if (this.buf.u16[(this.base + slot) >> 1] !== 0) throw new Error(`putVar: slot @${slot} written twice`);
    if (varSlotsOf(this.recordType).indexOf(slot) < 0) {
      throw new RangeError(`putVar: @${slot} is not a var field of ${recordTypeName(this.recordType)}`);
    }
    this.buf.u16[(this.base + slot) >> 1] = pos;
    this.buf.u16[(this.base + pos) >> 1] = len;
    this.varPos = next;
    return this.base + pos + 2;
  }
}


/** Placeholder target for flyweights that have not been wrapped yet. */
export const EMPTY_BUFFER = new RecordBuffer(new ArrayBuffer(8), 0, 8);
