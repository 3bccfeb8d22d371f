/**
 * The end-of-message 5041 verification both books share: which messages are checked (every
 * checksumInterval-th one carrying 5041, and always the first after a snapshot) and the comparison of
 * the book's CRC, which the book has just fed into checksum.ts's state, with the message's value.
 */
import { crcStateMatches, crcStateMatchesBytes, crcStateStore } from './checksum.js';
import { BookStatus, NO_CHECKSUM } from './types.js';

/** What a book implements so the check can ask it for its CRC only when one is due. */
export interface ChecksummedBook {
  /** Feeds this book's 5041 CRC (top 10 levels) into checksum.ts's state. */
  computeChecksumState(): void;
}

export class ChecksumCheck {
  readonly verify: boolean;
  readonly interval: number;
  private countdown = 1;
  /** [0]: our CRC at the last verified message (int32 bits). */
  private readonly diag = new Int32Array(1);
  private hasDiag = false;

  constructor(verify = true, interval = 1) {
    if (!Number.isInteger(interval) || interval < 1) throw new RangeError(`checksumInterval must be >= 1, got ${interval}`);
    this.verify = verify;
    this.interval = interval;
  }

  /** A snapshot: its first checksummed message is always verified. */
  rearm(): void {
    this.countdown = 1;
  }

  /** 5041 given as a number (NO_CHECKSUM: none): Ok or ChecksumMismatch. */
  checkNumber(book: ChecksummedBook, checksum: number): BookStatus {
    if (checksum === NO_CHECKSUM || !this.due()) return BookStatus.Ok;
    book.computeChecksumState();
    this.keep();
    return crcStateMatches(checksum) === 0 ? BookStatus.ChecksumMismatch : BookStatus.Ok;
  }

  /** 5041 as ASCII digits buf[off, off+len) (len 0: none): Ok, ChecksumMismatch or InvalidNumber. */
  checkBytes(book: ChecksummedBook, buf: Uint8Array, off: number, len: number): BookStatus {
    if (len === 0 || !this.due()) return BookStatus.Ok;
    book.computeChecksumState();
    this.keep();
    const m = crcStateMatchesBytes(buf, off, len);
    return m < 0 ? BookStatus.InvalidNumber : m === 0 ? BookStatus.ChecksumMismatch : BookStatus.Ok;
  }

  /** Our CRC at the last verified message, NO_CHECKSUM if none yet (diagnostics; allocates a number). */
  get last(): number {
    return this.hasDiag ? this.diag[0]! >>> 0 : NO_CHECKSUM;
  }

  /** Counts a message carrying 5041; true on every interval-th one. */
  private due(): boolean {
    if (!this.verify || --this.countdown > 0) return false;
    this.countdown = this.interval;
    return true;
  }

  private keep(): void {
    crcStateStore(this.diag, 0);
    this.hasDiag = true;
  }
}
