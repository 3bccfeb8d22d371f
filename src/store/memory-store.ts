/**
 * In-memory MessageStore for tests and simulations: same semantics as the journal (see
 * journal-store.ts) with nothing durable. Bytes are copied in, so the caller may reuse its buffer.
 */
import type { MessageStore, ReplayVisitor } from './types.js';
import { checkMicros, checkSeq, checkSlice, replayBounds } from './validate.js';

export interface MemoryStoreOptions {
  /** Session start of the initial epoch; defaults to now. */
  sessionStartMicros?: number;
}

export class MemoryStore implements MessageStore {
  private nextSender = 1;
  private nextTarget = 1;
  private startMicros: number;
  private readonly messages = new Map<number, Uint8Array>();
  /** Upper bound of the highest stored seq, so the common append skips the rewind scan. */
  private maxStored = 0;
  private closed = false;

  constructor(options: MemoryStoreOptions = {}) {
    this.startMicros = options.sessionStartMicros ?? Date.now() * 1000;
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
    this.dropFrom(seq);
    this.nextSender = seq;
  }

  setNextTargetMsgSeqNum(seq: number): void {
    this.checkOpen();
    checkSeq('setNextTargetMsgSeqNum', seq);
    this.nextTarget = seq;
  }

  recordOutbound(seq: number, bytes: Uint8Array, offset: number, length: number, store: boolean): void {
    this.checkOpen();
    checkSeq('recordOutbound', seq);
    checkSlice(bytes, offset, length);
    this.dropFrom(seq);
    if (store && length > 0) {
      // Not bytes.slice: on a Buffer that is a view, not a copy.
      this.messages.set(seq, new Uint8Array(bytes.subarray(offset, offset + length)));
      this.maxStored = seq;
    }
    this.nextSender = seq + 1;
  }

  replay(begin: number, end: number, visit: ReplayVisitor): void {
    this.checkOpen();
    const [from, to] = replayBounds(begin, end, this.nextSender);
    const seqs = Array.from(this.messages.keys())
      .filter((s) => s >= from && s <= to)
      .sort((a, b) => a - b);
    // A copy per visit, like the journal's fresh reads: the visitor may keep or patch the bytes.
    for (const s of seqs) visit(s, this.messages.get(s)!.slice());
  }

  reset(sessionStartMicros: number): void {
    this.checkOpen();
    checkMicros(sessionStartMicros);
    this.messages.clear();
    this.maxStored = 0;
    this.nextSender = 1;
    this.nextTarget = 1;
    this.startMicros = sessionStartMicros;
  }

  sessionStartMicros(): number {
    return this.startMicros;
  }

  flush(): void {
    this.checkOpen();
  }

  close(): void {
    this.closed = true;
  }

  private dropFrom(seq: number): void {
    if (seq > this.maxStored) return;
    for (const s of this.messages.keys()) if (s >= seq) this.messages.delete(s);
    this.maxStored = seq - 1;
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('MessageStore is closed');
  }
}
