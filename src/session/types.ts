/**
 * Public contracts of the session layer: configuration, the output port the transport implements,
 * the application callbacks and the Logon hooks.
 */
import type { Clock, FixDictionary, FixEncoder, MessageView } from '../codec/index.js';
import type { MessageStore } from '../store/types.js';
import type { FixSession } from './session.js';

/** What the session needs from a transport: bytes out, and a way to drop the connection. */
export interface SessionOutput {
  /** Sends bytes (copy them if you keep them: the buffer is reused for the next message). */
  write(bytes: Uint8Array, offset: number, length: number): void;
  /** Closes the connection after pending writes; the transport then calls session.onDisconnect(). */
  disconnect(reason: string): void;
}

/**
 * 'replay': resend stored application messages (PossDupFlag=Y, OrigSendingTime) and gap-fill admin
 * ranges, as FIX and the QuickFIX acceptance tests expect. 'gap-fill-all': answer every
 * ResendRequest with one SequenceReset-GapFill, never replaying stale orders (Kraken's rule).
 */
export type ResendPolicy = 'replay' | 'gap-fill-all';

export interface ValidationConfig {
  /** Dictionary checks on every inbound message (required tags, types, enums, order, groups). */
  enabled: boolean;
  /** `Tag specified without a value` (QuickFIX ValidateFieldsHaveValues). Default true. */
  checkFieldsHaveValues?: boolean;
  /** Header/body/trailer order (QuickFIX ValidateFieldsOutOfOrder). Default true. */
  checkFieldsOutOfOrder?: boolean;
  /** Tags >= 5000 must be in the dictionary too (QuickFIX ValidateUserDefinedFields). Default true. */
  checkUserDefinedFields?: boolean;
}

export interface DailyRollover {
  /** UTC time of day of the logical reset, e.g. Kraken's 22:00. */
  hourUtc: number;
  minuteUtc: number;
  /** Send a Logout (Text "Session rollover") before dropping the connection. Default true. */
  logout?: boolean;
}

export interface SessionConfig {
  role: 'initiator' | 'acceptor';
  senderCompID: string;
  targetCompID: string;
  dictionary: FixDictionary;
  store: MessageStore;
  clock: Clock;
  /** Initiator: HeartBtInt we ask for. Acceptor: used only until the counterparty's Logon sets it. */
  heartBtIntSec?: number;
  /** Acceptor: reset both sequence numbers on every Logon received (QuickFIX ResetOnLogon). */
  resetOnLogon?: boolean;
  /** Initiator: send ResetSeqNumFlag=Y on Logon and start from 1 (Kraken's usual logon). */
  resetSeqNumOnLogon?: boolean;
  resendPolicy?: ResendPolicy;
  validation?: ValidationConfig;
  /** Reject (and log out) when SendingTime is further than this from our clock. Default 120 s; 0 disables. */
  maxLatencySec?: number;
  /** TestRequest after this many HeartBtInts of silence (x1, x2... for the next ones). Default 1.2. */
  testRequestFactor?: number;
  /** Disconnect after this many HeartBtInts of silence. Default 2.4. */
  timeoutFactor?: number;
  logonTimeoutMs?: number;
  logoutTimeoutMs?: number;
  /**
   * Our ResendRequest is asked again (from the next expected MsgSeqNum) when the inbound sequence has not
   * moved for this long: a replayed message lost on a live connection must not stall the session. Default 2 s.
   */
  resendTimeoutMs?: number;
  /** Bound on messages held above a sequence gap; beyond it they are dropped (and re-requested). */
  maxQueuedMessages?: number;
  /** SendingTime digits: 3 (ms, default) or 6. */
  timestampPrecision?: 3 | 6;
  maxMessageSize?: number;
  /** Framing of bad BodyLengths: 'quickfix' (acceptance tests) or 'scan' (default). */
  framing?: 'scan' | 'quickfix';
  /**
   * Garbled input while logged on (bytes that do not frame as FIX): past the limit the session sends
   * Logout and disconnects (event 'garbled-input'). false: only report each error ('framing-error').
   * Default for acceptors DEFAULT_GARBLED_INPUT_LIMIT, for initiators false (a venue's odd bytes are
   * reported, not punished: the engine keeps its connection).
   */
  garbledInputLimit?: GarbledInputLimit | false;
  /**
   * A frame above maxMessageSize while logged on ends the session (event 'oversize-input'): an honest
   * peer never sends one, and skipping it would let a peer stream bytes forever. Default: true for
   * acceptors, false for initiators.
   */
  disconnectOnOversize?: boolean;
  rollover?: DailyRollover;
  application?: SessionApplication;
}

/** Budget of framing errors and skipped bytes per window (a fixed window on the session's clock). */
export interface GarbledInputLimit {
  /** More framing errors than this within the window cuts the connection. */
  maxErrors: number;
  /** More bytes skipped as unframeable than this within the window cuts the connection. */
  maxBytes: number;
  windowMs: number;
}

/**
 * Acceptor default: 20 errors or 16 KiB of garbage per 10 s. A healthy peer produces none (one bad
 * frame in a blue moon); a message or two garbled by a bug stays well inside, a flood exceeds it within
 * one TCP read or two, so it costs us little CPU before the cut.
 */
export const DEFAULT_GARBLED_INPUT_LIMIT: Readonly<GarbledInputLimit> = { maxErrors: 20, maxBytes: 16 * 1024, windowMs: 10_000 };

export interface LogonContext {
  msgSeqNum: number;
  senderCompID: string;
  targetCompID: string;
  sendingTimeMicros: number;
  resetSeqNumFlag: boolean;
}

/** Everything is optional; a session without an application just keeps the session alive. */
export interface SessionApplication {
  /**
   * An application message, delivered once, in sequence order. `possDup` is true for a resent one
   * (PossDupFlag=Y): the application may have seen it before. The view is valid only during the call.
   */
  onAppMessage?(session: FixSession, view: MessageView, possDup: boolean): void;
  onLogon?(session: FixSession): void;
  onLogout?(session: FixSession, reason: string): void;
  /**
   * Adds custom body fields to our outgoing Logon after 98/108/141 (e.g. Kraken's 553/554/5025,
   * whose signature covers this Logon's MsgSeqNum and CompIDs, given in ctx).
   */
  onLogonOut?(session: FixSession, encoder: FixEncoder, ctx: LogonContext): void;
  /**
   * Acceptor: inspects the counterparty's Logon before we answer. Return null to accept, or a
   * reason: we then send Logout with that Text and disconnect.
   */
  onLogonIn?(session: FixSession, view: MessageView): string | null;
  /**
   * We answered the counterparty's ResendRequest with a SequenceReset-GapFill over our MsgSeqNums
   * begin..end (inclusive) instead of resending them: any application message we sent in that range
   * never reached the counterparty and never will (with resendPolicy 'gap-fill-all': all of them).
   */
  onResendGapFill?(session: FixSession, beginSeqNo: number, endSeqNo: number): void;
  /** Diagnostics: state changes, rejects, gaps, framing errors (not for per-message business logic). */
  onEvent?(session: FixSession, event: SessionEvent): void;
}

export type SessionEventKind =
  | 'state'
  | 'reject-sent'
  | 'gap'
  | 'resend'
  | 'resend-retry'
  | 'framing-error'
  | 'garbled-input'
  | 'oversize-input'
  | 'queue-overflow'
  | 'rollover'
  | 'disconnect'
  | 'ignored';

export interface SessionEvent {
  kind: SessionEventKind;
  text: string;
}
