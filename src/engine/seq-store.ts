/**
 * A MessageStore that keeps sequence numbers only. Kraken never wants stale orders replayed: the engine
 * runs with resendPolicy 'gap-fill-all', so stored message bytes would never be read, and copying every
 * outbound message (MemoryStore) would be the hot path's only per-message allocation. Use the journal
 * store when the sequence numbers must survive a restart.
 */
import type { MessageStore, ReplayVisitor } from '../store/index.js';

export class SequenceStore implements MessageStore {
  private nextSender = 1;
  private nextTarget = 1;
  private startMicros: number;

  constructor(sessionStartMicros = Date.now() * 1000) {
    this.startMicros = sessionStartMicros;
  }
  nextSenderMsgSeqNum(): number {
    return this.nextSender;
  }
  nextTargetMsgSeqNum(): number {
    return this.nextTarget;
  }
  setNextSenderMsgSeqNum(seq: number): void {
    this.nextSender = seq;
  }
  setNextTargetMsgSeqNum(seq: number): void {
    this.nextTarget = seq;
  }
  recordOutbound(seq: number): void {
    this.nextSender = seq + 1;
  }
  replay(_begin: number, _end: number, _visit: ReplayVisitor): void {
    // Nothing kept: the session gap-fills the whole range.
  }
  reset(sessionStartMicros: number): void {
    this.nextSender = 1;
    this.nextTarget = 1;
    this.startMicros = sessionStartMicros;
  }
  sessionStartMicros(): number {
    return this.startMicros;
  }
  flush(): void {}
  close(): void {}
}
