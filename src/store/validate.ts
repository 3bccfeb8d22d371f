/**
 * Argument checks shared by every store, so both stores reject bad input with the same clear
 * error. They run per call but are a few integer comparisons; they throw only on caller bugs.
 */
import { MAX_SEQ } from './record.js';

export function checkSeq(what: string, seq: number): void {
  if (!Number.isInteger(seq) || seq < 1 || seq > MAX_SEQ) {
    throw new RangeError(`${what}: MsgSeqNum must be an integer in 1..${MAX_SEQ}, got ${seq}`);
  }
}

export function checkSlice(bytes: Uint8Array, offset: number, length: number): void {
  if (
    !Number.isInteger(offset) ||
    !Number.isInteger(length) ||
    offset < 0 ||
    length < 0 ||
    offset + length > bytes.length
  ) {
    throw new RangeError(`recordOutbound: slice [${offset}, +${length}) outside a ${bytes.length}-byte buffer`);
  }
}

/** Clamps a replay range to [1, nextSender - 1]; end 0 means "to the last". Returns [begin, end]. */
export function replayBounds(begin: number, end: number, nextSender: number): [number, number] {
  if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end < 0) {
    throw new RangeError(`replay: begin and end must be non-negative integers, got ${begin}..${end}`);
  }
  const last = nextSender - 1;
  return [Math.max(begin, 1), end === 0 || end > last ? last : end];
}

export function checkMicros(micros: number): void {
  if (!Number.isFinite(micros) || micros < 0) {
    throw new RangeError(`reset: sessionStartMicros must be a finite non-negative number, got ${micros}`);
  }
}
