/**
 * Durable MessageStore: one append-only journal file per session (format in record.ts).
 *
 * Every state change is a record written with one fs.writeSync straight away, so a process crash
 * (SIGKILL, OOM, uncaught exception) loses nothing that a call returned from: the bytes are in the
 * kernel's page cache. The FsyncPolicy only decides what survives an OS crash or power loss:
 *   every  fdatasync after each append; a returned recordOutbound is on disk.
 *   batch  fdatasync once maxMessages appends or maxDelayMs have accumulated (checked on each append,
 *          by poll() and by flush()); an OS crash can lose up to that window.
 *   none   the kernel writes back when it likes; flush() still forces it.
 *
 * Inbound sequence numbers (setNextTargetMsgSeqNum, called once per received message) are coalesced:
 * the call only updates memory, and the new value rides along in the same writeSync as the next
 * append, or is written on its own after `targetSeqMaxLag` updates, or by flush()/close(). A
 * NextTarget record never forces an fdatasync by itself. So after a crash the recovered next target
 * is at least the value last written (after an OS crash: at least the last synced one) and never
 * ahead of what the session last set. A lower value is safe: on the next logon the counterparty's MsgSeqNum is
 * higher than expected, the session sends a ResendRequest and receives the missed messages again as
 * PossDupFlag=Y duplicates, which FIX requires applications to tolerate. A value that ran ahead
 * would silently lose messages; this design cannot produce one. Outbound numbers are never
 * coalesced: reusing a sent MsgSeqNum is a fatal error for the counterparty.
 *
 * One writer per journal: nothing stops two processes opening the same session (Node has no
 * portable advisory lock); the engine must run one store per session.
 */
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { FsyncPolicy, MessageStore, ReplayVisitor } from './types.js';
import { RecordType } from './record.js';
import { RecordWriter } from './record-writer.js';
import type { TailCut } from './scan.js';
import { SeqIndex } from './seq-index.js';
import { readFully, recoverJournal, writeFreshJournal, writeFully } from './journal-file.js';
import { checkMicros, checkSeq, checkSlice, replayBounds } from './validate.js';

export interface JournalStoreOptions {
  /** Directory holding the journals; created if missing. */
  dir: string;
  /** Session identity, e.g. `FIX.4.4:SENDER->TARGET`; names the file and is checked on open. */
  sessionId: string;
  /** Default { kind: 'every' }. */
  fsync?: FsyncPolicy;
  /** Session start of a journal created by this open; default now. Ignored for an existing journal. */
  sessionStartMicros?: number;
  /** Called once when open cut a torn or corrupt tail (also in `recovery.cut`). */
  onTailCut?: (cut: TailCut, journalPath: string) => void;
  /** false: refuse to open (throw) instead of cutting a damaged tail. Default true. */
  truncateCorruptTail?: boolean;
  /** Inbound seq updates allowed to stay unwritten before a NextTarget record is written alone. Default 64. */
  targetSeqMaxLag?: number;
  /** Monotonic milliseconds for the batch deadline; default performance.now (tests inject a clock). */
  nowMs?: () => number;
}

export interface RecoveryReport {
  path: string;
  /** True when open created the file (none existed, or it was empty). */
  created: boolean;
  /** Good records read. */
  records: number;
  /** Stored (replayable) outbound messages found. */
  storedMessages: number;
  cut: TailCut | null;
}

const enum Policy {
  Every = 0,
  Batch = 1,
  None = 2,
}

export class JournalStore implements MessageStore {
  readonly path: string;
  readonly recovery: RecoveryReport;
  /** fdatasync calls made so far (tests and diagnostics). */
  syncCount = 0;

  private readonly sessionId: string;
  private readonly policy: Policy;
  private readonly batchMax: number;
  private readonly batchDelayMs: number;
  private readonly targetMaxLag: number;
  private readonly nowMs: () => number;
  private readonly writer: RecordWriter;

  private fd = -1; // O_APPEND, for writes
  private readFd = -1; // for replay
  private fileEnd = 0; // end of the last complete record we wrote
  private generation = 0; // bumped by reset so a replay in progress notices the file changed
  private nextSender = 1;
  private nextTarget = 1;
  private writtenTarget = 1; // next target as last written to the file
  private targetLag = 0;
  private startMicros = 0;
  private index: SeqIndex;
  private unsynced = 0; // appends written but not yet fdatasynced
  private dirty = false; // any bytes written since the last fdatasync (incl. NextTarget records)
  private firstUnsyncedAt = 0;
  private closed = false;

  constructor(options: JournalStoreOptions) {
    const policy = options.fsync ?? { kind: 'every' };
    this.sessionId = options.sessionId;
    this.policy = policyCode(policy);
    this.batchMax = policy.kind === 'batch' ? Math.max(1, Math.floor(policy.maxMessages)) : 1;
    this.batchDelayMs = policy.kind === 'batch' ? Math.max(0, policy.maxDelayMs) : 0;
    this.targetMaxLag = Math.max(1, Math.floor(options.targetSeqMaxLag ?? 64));
    this.nowMs = options.nowMs ?? (() => performance.now());
    this.writer = new RecordWriter(4096);

    const { journalPath, readFd, scan, created } = recoverJournal(options);
    this.path = journalPath;
    this.readFd = readFd;
    this.fd = fs.openSync(this.path, 'a');
    this.fileEnd = scan.goodEnd;
    this.index = scan.index;
    this.nextSender = scan.nextSender;
    this.nextTarget = scan.nextTarget;
    this.writtenTarget = scan.nextTarget;
    this.startMicros = scan.sessionStartMicros;
    this.recovery = {
      path: journalPath,
      created,
      records: scan.records,
      storedMessages: scan.index.size(),
      cut: scan.cut,
    };
    if (scan.cut !== null && options.onTailCut) options.onTailCut(scan.cut, this.path);
  }

  nextSenderMsgSeqNum(): number {
    return this.nextSender;
  }

  nextTargetMsgSeqNum(): number {
    return this.nextTarget;
  }

  setNextSenderMsgSeqNum(seq: number): void {
    this.checkOpen();
    checkSeq('setNextSenderMsgSeqNum', seq);
    const w = this.writer;
    w.reset();
    this.putPendingTarget();
    w.putSeq(RecordType.NextSender, seq);
    this.commit(true);
    this.index.truncateFrom(seq);
    this.nextSender = seq;
  }

  setNextTargetMsgSeqNum(seq: number): void {
    if (seq === this.nextTarget) return;
    this.checkOpen();
    checkSeq('setNextTargetMsgSeqNum', seq);
    this.nextTarget = seq;
    if (++this.targetLag >= this.targetMaxLag) {
      this.writer.reset();
      this.putPendingTarget();
      this.commit(false);
    }
  }

  recordOutbound(seq: number, bytes: Uint8Array, offset: number, length: number, store: boolean): void {
    this.checkOpen();
    checkSeq('recordOutbound', seq);
    checkSlice(bytes, offset, length);
    const w = this.writer;
    w.reset();
    this.putPendingTarget();
    const msgLength = store ? length : 0;
    const dataAt = w.putOutbound(seq, bytes, offset, msgLength);
    const recordStart = this.fileEnd;
    this.commit(true);
    this.index.truncateFrom(seq);
    if (msgLength > 0) this.index.set(seq, recordStart + dataAt, msgLength);
    this.nextSender = seq + 1;
  }

  /**
   * Visits stored messages in [begin, end] (end clamped to nextSender - 1). The bytes handed to
   * `visit` are fresh copies read from the file: the visitor may keep them.
   */
  replay(begin: number, end: number, visit: ReplayVisitor): void {
    this.checkOpen();
    const [from, to] = replayBounds(begin, end, this.nextSender);
    if (to < from) return;
    const seqs: number[] = [];
    const positions: number[] = [];
    const lengths: number[] = [];
    this.index.forEachInRange(from, to, (seq, position, length) => {
      seqs.push(seq);
      positions.push(position);
      lengths.push(length);
    });
    const generation = this.generation;
    // Read runs of messages that lie close together in one read (at most ~1 MiB at a time).
    let i = 0;
    while (i < seqs.length) {
      const runStart = positions[i];
      let runEnd = runStart + lengths[i];
      let j = i + 1;
      while (j < seqs.length && positions[j] >= runEnd && positions[j] + lengths[j] - runStart <= REPLAY_RUN) {
        runEnd = positions[j] + lengths[j];
        j++;
      }
      if (this.closed || this.generation !== generation) return; // visitor reset or closed the store
      const chunk = Buffer.allocUnsafe(runEnd - runStart);
      readFully(this.readFd, chunk, runStart);
      for (let k = i; k < j; k++) {
        const at = positions[k] - runStart;
        visit(seqs[k], new Uint8Array(chunk.buffer, chunk.byteOffset + at, lengths[k]));
      }
      i = j;
    }
  }

  /**
   * Compaction: replaces the journal with a fresh file (identity + reset record) through a temp
   * file and rename, so the old messages are gone from disk and a crash leaves either the old
   * journal or the new one, never a mix.
   */
  reset(sessionStartMicros: number): void {
    this.checkOpen();
    checkMicros(sessionStartMicros);
    const size = writeFreshJournal(this.path, this.sessionId, sessionStartMicros);
    // The old descriptors still point at the replaced file; swap them only once the new ones exist.
    const readFd = fs.openSync(this.path, 'r');
    const fd = fs.openSync(this.path, 'a');
    fs.closeSync(this.fd);
    fs.closeSync(this.readFd);
    this.fd = fd;
    this.readFd = readFd;
    this.generation++;
    this.fileEnd = size;
    this.index.clear();
    this.nextSender = 1;
    this.nextTarget = 1;
    this.writtenTarget = 1;
    this.targetLag = 0;
    this.startMicros = sessionStartMicros;
    this.unsynced = 0;
    this.dirty = false;
  }

  sessionStartMicros(): number {
    return this.startMicros;
  }

  flush(): void {
    this.checkOpen();
    if (this.nextTarget !== this.writtenTarget) {
      this.writer.reset();
      this.putPendingTarget();
      this.commit(false);
    }
    if (this.dirty) this.sync();
  }

  /** Batch policy: fdatasync if the oldest unsynced append is older than maxDelayMs. Cheap; call from a timer. */
  poll(): void {
    if (this.closed || this.unsynced === 0 || this.policy !== Policy.Batch) return;
    if (this.nowMs() - this.firstUnsyncedAt >= this.batchDelayMs) this.sync();
  }

  close(): void {
    if (this.fd === -1) return;
    try {
      if (!this.closed) this.flush();
    } finally {
      this.closed = true;
      fs.closeSync(this.fd);
      fs.closeSync(this.readFd);
      this.fd = -1;
      this.readFd = -1;
    }
  }

  /** Stored (replayable) messages currently indexed. */
  storedCount(): number {
    return this.index.size();
  }

  /** Bytes in the journal file. */
  fileSize(): number {
    return this.fileEnd;
  }

  private putPendingTarget(): void {
    if (this.nextTarget !== this.writtenTarget) this.writer.putSeq(RecordType.NextTarget, this.nextTarget);
  }

  /**
   * Writes the encoded records and applies the fsync policy. `countsAsAppend` false for a
   * NextTarget record on its own, which never forces a sync (see the file comment). Memory state
   * changes only after the write succeeded, so a failed write leaves the store as it was.
   */
  private commit(countsAsAppend: boolean): void {
    const w = this.writer;
    try {
      writeFully(this.fd, w.buf, w.length);
    } catch (e) {
      // A short write leaves half a record; remove it so later appends are not hidden behind it.
      try {
        fs.ftruncateSync(this.fd, this.fileEnd);
      } catch {
        // The tail holds half a record we cannot remove: refuse further writes (close() still
        // releases the descriptors); the next open cuts the partial record.
        this.closed = true;
      }
      throw new Error(`journal ${this.path}: write failed: ${(e as Error).message}`);
    }
    this.fileEnd += w.length;
    this.writtenTarget = this.nextTarget;
    this.targetLag = 0;
    this.dirty = true;
    if (!countsAsAppend) return;
    switch (this.policy) {
      case Policy.Every:
        this.sync();
        break;
      case Policy.Batch: {
        const now = this.nowMs();
        if (this.unsynced === 0) this.firstUnsyncedAt = now;
        this.unsynced++;
        if (this.unsynced >= this.batchMax || now - this.firstUnsyncedAt >= this.batchDelayMs) this.sync();
        break;
      }
      case Policy.None:
        this.unsynced++;
        break;
    }
  }

  private sync(): void {
    fs.fdatasyncSync(this.fd);
    this.syncCount++;
    this.unsynced = 0;
    this.dirty = false;
  }

  private checkOpen(): void {
    if (this.closed) throw new Error(`journal ${this.path} is closed`);
  }
}

const REPLAY_RUN = 1 << 20;

function policyCode(p: FsyncPolicy): Policy {
  switch (p?.kind) {
    case 'every':
      return Policy.Every;
    case 'batch':
      if (!(p.maxMessages >= 1) || !(p.maxDelayMs >= 0)) {
        throw new RangeError(`journal: batch policy needs maxMessages >= 1 and maxDelayMs >= 0, got ${JSON.stringify(p)}`);
      }
      return Policy.Batch;
    case 'none':
      return Policy.None;
    default:
      throw new RangeError(`journal: unknown fsync policy ${JSON.stringify(p)}`);
  }
}
