/**
 * Rebuilds a journal's state by reading it front to back, and finds where the good records end.
 *
 * Anything after the last record that is complete, well-formed and passes its CRC is a torn or
 * corrupt tail: the writer only ever appends, so a crash (or a lost page after an OS crash) can only
 * damage the end. The caller decides whether to cut it.
 */
import * as fs from 'node:fs';
import { crc32Update } from '../codec/crc32.js';
import {
  FORMAT_VERSION,
  HEADER_SIZE,
  MAX_PAYLOAD,
  MAX_SEQ,
  RecordType,
  isKnownRecordType,
  payloadLengthValid,
} from './record.js';
import { SeqIndex } from './seq-index.js';

export type TailCutReason =
  | 'short-header' // fewer than HEADER_SIZE bytes left
  | 'short-record' // header promises more payload than the file holds
  | 'bad-length' // length beyond MAX_PAYLOAD
  | 'bad-header' // unknown type, reserved bytes set, or a length impossible for the type
  | 'crc-mismatch'
  | 'bad-payload'; // CRC fine but a field is out of range (seq 0, second identity record)

export interface TailCut {
  /** File offset of the first byte cut (= end of the last good record). */
  offset: number;
  /** Bytes removed. */
  bytes: number;
  reason: TailCutReason;
}

export interface ScanResult {
  /** Identity from the first record, or null when the file does not start with a valid one. */
  identity: string | null;
  formatVersion: number;
  nextSender: number;
  nextTarget: number;
  sessionStartMicros: number;
  index: SeqIndex;
  /** Good records read, including the identity record. */
  records: number;
  /** Offset just past the last good record. */
  goodEnd: number;
  cut: TailCut | null;
}

const READ_CHUNK = 1 << 20;

export function scanJournal(fd: number, fileSize: number): ScanResult {
  const r: ScanResult = {
    identity: null,
    formatVersion: 0,
    nextSender: 1,
    nextTarget: 1,
    sessionStartMicros: 0,
    index: new SeqIndex(),
    records: 0,
    goodEnd: 0,
    cut: null,
  };
  let buf = Buffer.allocUnsafe(READ_CHUNK);
  let winStart = 0; // file offset of buf[0]
  let winLen = 0;
  let pos = 0;

  // Makes [at, at + n) available in buf; returns the buffer offset, or -1 if the file is too short.
  const window = (at: number, n: number): number => {
    if (at + n > fileSize) return -1;
    if (at >= winStart && at + n <= winStart + winLen) return at - winStart;
    if (n > buf.length) buf = Buffer.allocUnsafe(Math.max(n, buf.length * 2));
    const want = Math.min(buf.length, fileSize - at);
    let got = 0;
    while (got < want) {
      const k = fs.readSync(fd, buf, got, want - got, at + got);
      if (k === 0) break;
      got += k;
    }
    winStart = at;
    winLen = got;
    return got >= n ? 0 : -1;
  };

  const cut = (reason: TailCutReason): ScanResult => {
    r.cut = { offset: pos, bytes: fileSize - pos, reason };
    r.goodEnd = pos;
    return r;
  };

  while (pos < fileSize) {
    let h = window(pos, HEADER_SIZE);
    if (h < 0) return cut('short-header');
    const length = buf.readUInt32LE(h);
    const type = buf[h + 4];
    if (length > MAX_PAYLOAD) return cut('bad-length');
    if ((buf[h + 5] | buf[h + 6] | buf[h + 7]) !== 0 || !isKnownRecordType(type) || !payloadLengthValid(type, length)) {
      return cut('bad-header');
    }
    const w = window(pos, HEADER_SIZE + length);
    if (w < 0) return cut('short-record');
    h = w;
    const p = h + HEADER_SIZE;
    let crc = crc32Update(0, buf, h, h + 8);
    crc = crc32Update(crc, buf, p, p + length);
    if (crc !== buf.readUInt32LE(h + 8)) return cut('crc-mismatch');

    // The first record must name the session; nothing else may.
    if (r.records === 0) {
      if (type !== RecordType.Identity) return cut('bad-payload');
      r.formatVersion = buf.readUInt16LE(p);
      if (r.formatVersion !== FORMAT_VERSION) return cut('bad-payload');
      r.identity = buf.toString('utf8', p + 2, p + length);
    } else {
      switch (type) {
        case RecordType.Identity:
          return cut('bad-payload');
        case RecordType.Reset: {
          const micros = buf.readDoubleLE(p);
          if (!Number.isFinite(micros) || micros < 0) return cut('bad-payload');
          r.index.clear();
          r.nextSender = 1;
          r.nextTarget = 1;
          r.sessionStartMicros = micros;
          break;
        }
        case RecordType.Outbound: {
          const seq = buf.readUInt32LE(p);
          if (seq < 1 || seq > MAX_SEQ) return cut('bad-payload');
          r.index.truncateFrom(seq);
          const msgLen = length - 4;
          if (msgLen > 0) r.index.set(seq, pos + HEADER_SIZE + 4, msgLen);
          r.nextSender = seq + 1;
          break;
        }
        case RecordType.NextSender: {
          const seq = buf.readUInt32LE(p);
          if (seq < 1 || seq > MAX_SEQ) return cut('bad-payload');
          r.index.truncateFrom(seq);
          r.nextSender = seq;
          break;
        }
        case RecordType.NextTarget: {
          const seq = buf.readUInt32LE(p);
          if (seq < 1 || seq > MAX_SEQ) return cut('bad-payload');
          r.nextTarget = seq;
          break;
        }
      }
    }
    r.records++;
    pos += HEADER_SIZE + length;
  }
  r.goodEnd = pos;
  return r;
}
