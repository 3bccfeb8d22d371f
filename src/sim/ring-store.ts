/**
 * A bounded in-memory MessageStore for the simulator's long-running sessions: it keeps the last
 * `capacity` outbound application messages (0 = none, for market data, which is never replayed) so a
 * day of order flow or market data cannot grow memory without limit. Older messages are gone; a
 * ResendRequest reaching back further is answered with a gap fill, which the session does for holes.
 */
import type { MessageStore, ReplayVisitor } from '../store/types.js';

export class RingStore implements MessageStore {
  private nextSender = 1;
  private nextTarget = 1;
  private readonly seqs: Float64Array;
  private readonly bytes: (Uint8Array | undefined)[];

  constructor(
    readonly capacity: number,
    private startMicros: number,
  ) {
    if (!(Number.isInteger(capacity) && capacity >= 0)) throw new RangeError(`RingStore capacity must be an integer >= 0, got ${capacity}`);
    this.seqs = new Float64Array(Math.max(1, capacity));
    this.bytes = new Array(Math.max(1, capacity));
  }

  nextSenderMsgSeqNum(): number {
    return this.nextSender;
  }

  nextTargetMsgSeqNum(): number {
    return this.nextTarget;
  }

  setNextSenderMsgSeqNum(seq: number): void {
    this.checkSeq(seq);
    this.nextSender = seq;
  }

  setNextTargetMsgSeqNum(seq: number): void {
    this.checkSeq(seq);
    this.nextTarget = seq;
  }

  recordOutbound(seq: number, bytes: Uint8Array, offset: number, length: number, store: boolean): void {
    this.checkSeq(seq);
    if (store && this.capacity > 0 && length > 0) {
      const i = seq % this.capacity;
      this.seqs[i] = seq;
      this.bytes[i] = new Uint8Array(bytes.subarray(offset, offset + length)); // not .slice: a view on a Buffer
    }
    this.nextSender = seq + 1;
  }

  replay(begin: number, end: number, visit: ReplayVisitor): void {
    if (this.capacity === 0) return;
    const last = this.nextSender - 1;
    const to = end === 0 || end > last ? last : end;
    for (let seq = Math.max(1, begin, this.nextSender - this.capacity); seq <= to; seq++) {
      const i = seq % this.capacity;
      const b = this.bytes[i];
      if (b !== undefined && this.seqs[i] === seq) visit(seq, b.slice());
    }
  }

  reset(sessionStartMicros: number): void {
    this.nextSender = 1;
    this.nextTarget = 1;
    this.seqs.fill(0);
    this.bytes.fill(undefined);
    this.startMicros = sessionStartMicros;
  }

  sessionStartMicros(): number {
    return this.startMicros;
  }

  flush(): void {}

  close(): void {}

  private checkSeq(seq: number): void {
    if (!Number.isInteger(seq) || seq < 1) throw new RangeError(`MsgSeqNum must be a positive integer, got ${seq}`);
  }
}
