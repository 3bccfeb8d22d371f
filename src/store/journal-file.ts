/**
 * File-level operations of the journal: naming, recovery on open, atomic creation (used by open
 * and by reset's compaction), directory fsync. Kept apart from journal-store.ts so the store reads
 * as the append/replay logic only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32 } from '../codec/crc32.js';
import { RecordWriter } from './record-writer.js';
import { scanJournal, type ScanResult } from './scan.js';
import { checkMicros } from './validate.js';

/**
 * File name for a session identity such as `FIX.4.4:SENDER->TARGET`. Characters outside
 * [A-Za-z0-9._-] become '_', and the CRC of the exact identity is appended so that identities that
 * sanitise alike ("A:B" and "A_B") still get different files.
 */
export function journalFileName(sessionId: string): string {
  if (typeof sessionId !== 'string' || sessionId.length === 0) {
    throw new TypeError('journal: sessionId must be a non-empty string');
  }
  const safe = sessionId
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, (dots) => '_'.repeat(dots.length))
    .slice(0, 100);
  const tag = crc32(Buffer.from(sessionId, 'utf8')).toString(16).padStart(8, '0');
  return `${safe}-${tag}.journal`;
}

export function tempPathFor(journalPath: string): string {
  return `${journalPath}.tmp`;
}

/**
 * Replaces (or creates) the journal at `journalPath` with a fresh one holding only the identity
 * and a reset record. Written to a temp file, fsynced, renamed over, then the directory fsynced:
 * a crash at any point leaves either the complete old file or the complete new one (plus perhaps a
 * stale temp file, which open removes).
 */
export function writeFreshJournal(journalPath: string, sessionId: string, sessionStartMicros: number): number {
  const w = new RecordWriter(256);
  w.putIdentity(sessionId);
  w.putReset(sessionStartMicros);
  const tmp = tempPathFor(journalPath);
  const fd = fs.openSync(tmp, 'w');
  try {
    writeFully(fd, w.buf, w.length);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, journalPath);
  fsyncDir(path.dirname(journalPath));
  return w.length;
}

export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** writeSync until every byte is written (a regular file may still take a short write, e.g. near ENOSPC). */
export function writeFully(fd: number, buf: Buffer, length: number): void {
  let off = 0;
  while (off < length) off += fs.writeSync(fd, buf, off, length - off);
}

export function readFully(fd: number, buf: Buffer, position: number): void {
  let got = 0;
  while (got < buf.length) {
    const k = fs.readSync(fd, buf, got, buf.length - got, position + got);
    if (k === 0) throw new Error(`journal: unexpected end of file at ${position + got}`);
    got += k;
  }
}

export interface RecoverOptions {
  dir: string;
  sessionId: string;
  sessionStartMicros?: number;
  truncateCorruptTail?: boolean;
}

export interface Recovered {
  journalPath: string;
  /** Open read descriptor on the (repaired) journal; the caller owns it. */
  readFd: number;
  scan: ScanResult;
  created: boolean;
}

/**
 * Finds or creates the session's journal, scans it, checks its identity and cuts a damaged tail
 * (unless told not to). Throws, holding no descriptor, when the file belongs to another session or
 * its header is unreadable: guessing sequence numbers there would be worse than stopping.
 */
export function recoverJournal(options: RecoverOptions): Recovered {
  fs.mkdirSync(options.dir, { recursive: true });
  const journalPath = path.join(options.dir, journalFileName(options.sessionId));
  // A temp file is only left by a crash during create or reset, before its rename: the journal
  // itself is still the complete old one, so the temp file is garbage.
  fs.rmSync(tempPathFor(journalPath), { force: true });

  let created = false;
  if (!fs.existsSync(journalPath) || fs.statSync(journalPath).size === 0) {
    const micros = options.sessionStartMicros ?? Date.now() * 1000;
    checkMicros(micros);
    writeFreshJournal(journalPath, options.sessionId, micros);
    created = true;
  }

  const readFd = fs.openSync(journalPath, 'r');
  try {
    const scan = scanJournal(readFd, fs.fstatSync(readFd).size);
    if (scan.identity === null) {
      throw new Error(
        `journal ${journalPath}: first record is not a valid identity header (${scan.cut?.reason}); ` +
          'refusing to guess the sequence numbers: move the file aside to start fresh',
      );
    }
    if (scan.identity !== options.sessionId) {
      throw new Error(`journal ${journalPath} belongs to session "${scan.identity}", not "${options.sessionId}"`);
    }
    if (scan.cut !== null) {
      if (options.truncateCorruptTail === false) {
        throw new Error(
          `journal ${journalPath}: damaged tail (${scan.cut.reason}) at offset ${scan.cut.offset}, ${scan.cut.bytes} bytes`,
        );
      }
      cutTail(journalPath, scan.cut.offset);
    }
    return { journalPath, readFd, scan, created };
  } catch (e) {
    fs.closeSync(readFd);
    throw e;
  }
}

function cutTail(journalPath: string, at: number): void {
  const fd = fs.openSync(journalPath, 'r+');
  try {
    fs.ftruncateSync(fd, at);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
