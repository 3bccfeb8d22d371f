/**
 * Encodes journal records into one reusable buffer so an append call costs one writeSync and no
 * allocation (the buffer only grows when a message larger than any before it arrives).
 */
import { crc32Update } from '../codec/crc32.js';
import { HEADER_SIZE, RecordType, FORMAT_VERSION } from './record.js';

const copyBytes = Buffer.prototype.copy as (this: Uint8Array, target: Uint8Array, targetStart: number, sourceStart: number, sourceEnd: number) => number;

export class RecordWriter {
  buf: Buffer;
  /** Bytes encoded since the last reset(). */
  length = 0;

  constructor(initialCapacity: number) {
    this.buf = Buffer.allocUnsafe(Math.max(256, initialCapacity));
  }

  reset(): void {
    this.length = 0;
  }

  /** Appends an Outbound record; returns the offset of the message bytes within this batch. */
  putOutbound(seq: number, bytes: Uint8Array, offset: number, length: number): number {
    const start = this.beginRecord(RecordType.Outbound, 4 + length);
    const b = this.buf;
    b.writeUInt32LE(seq, start + HEADER_SIZE);
    const dataAt = start + HEADER_SIZE + 4;
    // Buffer#copy accepts any Uint8Array source and, unlike set(subarray()), creates no view object.
    if (length > 0) copyBytes.call(bytes, b, dataAt, offset, offset + length);
    this.endRecord(start, 4 + length);
    return dataAt;
  }

  putSeq(type: RecordType.NextSender | RecordType.NextTarget, seq: number): void {
    const start = this.beginRecord(type, 4);
    this.buf.writeUInt32LE(seq, start + HEADER_SIZE);
    this.endRecord(start, 4);
  }

  putReset(sessionStartMicros: number): void {
    const start = this.beginRecord(RecordType.Reset, 8);
    this.buf.writeDoubleLE(sessionStartMicros, start + HEADER_SIZE);
    this.endRecord(start, 8);
  }

  putIdentity(identity: string): void {
    const text = Buffer.from(identity, 'utf8');
    const start = this.beginRecord(RecordType.Identity, 2 + text.length);
    this.buf.writeUInt16LE(FORMAT_VERSION, start + HEADER_SIZE);
    this.buf.set(text, start + HEADER_SIZE + 2);
    this.endRecord(start, 2 + text.length);
  }

  private beginRecord(type: RecordType, payloadLength: number): number {
    const start = this.length;
    const need = start + HEADER_SIZE + payloadLength;
    if (need > this.buf.length) this.grow(need);
    const b = this.buf;
    b.writeUInt32LE(payloadLength, start);
    b[start + 4] = type;
    b[start + 5] = 0;
    b[start + 6] = 0;
    b[start + 7] = 0;
    return start;
  }

  private endRecord(start: number, payloadLength: number): void {
    const b = this.buf;
    const payloadAt = start + HEADER_SIZE;
    let crc = crc32Update(0, b, start, start + 8);
    crc = crc32Update(crc, b, payloadAt, payloadAt + payloadLength);
    b.writeUInt32LE(crc, start + 8);
    this.length = payloadAt + payloadLength;
  }

  private grow(need: number): void {
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
}
