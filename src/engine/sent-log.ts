/**
 * The last commands written to the venue, by MsgSeqNum (a preallocated ring), so that commands the venue
 * never received are reported back. After a reconnect with 141=N the venue asks (ResendRequest) for the
 * MsgSeqNums it did not process; the session answers with a gap fill (resendPolicy 'gap-fill-all': Kraken
 * never wants stale orders replayed) and calls onResendGapFill. Every command recorded in that range is
 * then turned into a local Reject (msgType 'L', reason SEND_FAILED, the text below) for the strategy that
 * issued it, whose order table drops the PendingNew order. The venue asks only for what it missed, so
 * a command reported here never reached it: this never contradicts a venue report.
 *
 * Per command sent: one copy of its ClOrdID (and OrigClOrdID) bytes into the ring, nothing allocated.
 * The ring is cleared whenever both sequence numbers restart (a 141=Y logon, the daily rollover).
 */
import { monoNs, RecordType, recordSize, RejectFlyweight, RJ, type RecordBuffer } from '../ipc/index.js';
import { LocalRejectCode, LOCAL_REJECT_MSG_TYPE } from '../strategy/protocol.js';
import type { EventSink } from './sinks.js';

const ID_MAX = 32;
const MT_CANCEL = 0x46;
const MT_REPLACE = 0x47;
const ORD_STATUS_REJECTED = 0x38;

function ascii(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/** Text of the local reject for a command gap-filled on the venue's ResendRequest. */
export const NOT_DELIVERED_TEXT = ascii('engine: SEND_FAILED: not delivered: dropped in reconnect gap fill, never reached the venue');

export class SentLog {
  readonly capacity: number;
  private readonly mask: number;
  /** MsgSeqNum held by each slot (0 = empty or already reported). */
  private readonly seqs: Float64Array;
  private readonly strategy: Uint8Array;
  private readonly msgType: Uint8Array;
  private readonly idLen: Uint8Array;
  private readonly ids: Uint8Array;
  private readonly origLen: Uint8Array;
  private readonly origs: Uint8Array;
  private readonly rj = new RejectFlyweight();
  private readonly mtByte = new Uint8Array(1);

  constructor(capacity = 4096) {
    if (!Number.isInteger(capacity) || capacity < 2 || (capacity & (capacity - 1)) !== 0) throw new RangeError(`SentLog capacity must be a power of two >= 2, got ${capacity}`);
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.seqs = new Float64Array(capacity);
    this.strategy = new Uint8Array(capacity);
    this.msgType = new Uint8Array(capacity);
    this.idLen = new Uint8Array(capacity);
    this.ids = new Uint8Array(capacity * ID_MAX);
    this.origLen = new Uint8Array(capacity);
    this.origs = new Uint8Array(capacity * ID_MAX);
  }

  /** One command written with MsgSeqNum `seq`; ids are byte ranges of `u8` (origLen 0 = none). */
  record(seq: number, strategy: number, msgType: number, u8: Uint8Array, idStart: number, idLen: number, origStart: number, origLen: number): void {
    const i = seq & this.mask;
    this.seqs[i] = seq;
    this.strategy[i] = strategy;
    this.msgType[i] = msgType;
    const n = idLen > ID_MAX ? ID_MAX : idLen;
    const ids = this.ids;
    const base = i * ID_MAX;
    for (let k = 0; k < n; k++) ids[base + k] = u8[idStart + k]!;
    this.idLen[i] = n;
    const m = origLen > ID_MAX ? 0 : origLen;
    const origs = this.origs;
    for (let k = 0; k < m; k++) origs[base + k] = u8[origStart + k]!;
    this.origLen[i] = m;
  }

  clear(): void {
    this.seqs.fill(0);
  }

  /**
   * Our MsgSeqNums begin..end were gap-filled: a local Reject for every command recorded there, into
   * the issuing strategy's sink. Returns how many were reported. Commands older than the ring (the venue
   * asked for more than `capacity` messages back) are no longer known and cannot be reported.
   */
  gapFilled(begin: number, end: number, sinks: readonly EventSink[]): number {
    let from = begin;
    if (end - from + 1 > this.capacity) from = end - this.capacity + 1;
    let n = 0;
    for (let seq = from; seq <= end; seq++) {
      const i = seq & this.mask;
      if (this.seqs[i] !== seq) continue;
      this.seqs[i] = 0;
      const sink = sinks[this.strategy[i]!];
      if (sink === undefined) continue;
      this.reject(sink, i, seq);
      n++;
    }
    return n;
  }

  private reject(sink: EventSink, i: number, seq: number): void {
    const idLen = this.idLen[i]!;
    const origLen = this.origLen[i]!;
    const text = NOT_DELIVERED_TEXT;
    const size = recordSize(RecordType.Reject, idLen + origLen + text.length + 1);
    sink.claim(size);
    const rj = this.rj.wrapForWrite(sink.buffer as RecordBuffer, sink.offset, size);
    const mt = this.msgType[i]!;
    rj.msgType = LOCAL_REJECT_MSG_TYPE;
    rj.rejectReason = LocalRejectCode.SEND_FAILED;
    rj.refSeqNum = seq;
    if (mt === MT_CANCEL) rj.cxlRejResponseTo = 0x31;
    else if (mt === MT_REPLACE) rj.cxlRejResponseTo = 0x32;
    else rj.ordStatus = ORD_STATUS_REJECTED;
    const base = i * ID_MAX;
    if (idLen > 0) rj.putVar(RJ.clOrdID, this.ids, base, idLen);
    if (origLen > 0) rj.putVar(RJ.origClOrdID, this.origs, base, origLen);
    rj.putVar(RJ.text, text, 0, text.length);
    this.mtByte[0] = mt;
    rj.putVar(RJ.refMsgType, this.mtByte, 0, 1);
    rj.c.tEnqueued = monoNs();
    sink.commit();
  }
}
