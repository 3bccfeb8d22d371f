/**
 * The contract between the session layer and any message store.
 *
 * A store owns the session's identity on disk (or in memory): both sequence numbers and every
 * outbound application message, kept as the exact bytes that went on the wire so a resend is a
 * replay of those bytes (never a re-encode). It must not parse FIX or know about sessions' state.
 */
export interface MessageStore {
  /** MsgSeqNum the next message we send will carry. */
  nextSenderMsgSeqNum(): number;
  /** MsgSeqNum we expect on the next message from the counterparty. */
  nextTargetMsgSeqNum(): number;
  /** Sets (operator or session) the next outbound MsgSeqNum. */
  setNextSenderMsgSeqNum(seq: number): void;
  /** Sets the next inbound MsgSeqNum we expect. */
  setNextTargetMsgSeqNum(seq: number): void;
  /**
   * Records one sent message. `store` false for admin messages, which are never replayed (they
   * become a gap fill) but still advance the outbound sequence number: next sender = seq + 1.
   */
  recordOutbound(seq: number, bytes: Uint8Array, offset: number, length: number, store: boolean): void;
  /** Visits stored outbound messages with begin <= seq <= end, ascending; end 0 means "to the last". */
  replay(begin: number, end: number, visit: ReplayVisitor): void;
  /** Both sequence numbers back to 1 and stored messages dropped (ResetSeqNumFlag, daily rollover). */
  reset(sessionStartMicros: number): void;
  /** Epoch microseconds at which the current sequence-number epoch started (for rollover after restart). */
  sessionStartMicros(): number;
  /** Forces buffered records to durable storage regardless of the fsync policy. */
  flush(): void;
  close(): void;
}

export interface ReplayVisitor {
  (seq: number, bytes: Uint8Array): void;
}

export type FsyncPolicy =
  | { kind: 'every' }
  | { kind: 'batch'; maxMessages: number; maxDelayMs: number }
  | { kind: 'none' };
