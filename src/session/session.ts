/**
 * session: a sans-I/O FIX 4.4 session (initiator or acceptor). Bytes and clock ticks go in
 * (onBytes, onTimer), bytes to send and application callbacks come out (SessionOutput,
 * SessionApplication). Owns sequence numbers (through the MessageStore), logon/logout, heartbeats,
 * gap detection and recovery, resends and session-level rejects.
 * Must not touch: sockets or timers (the transport drives it), business logic (the application).
 *
 * The per-state handling lives in states/*.ts behind one interface; this file is the shared
 * machinery those handlers use (verify, sequence bookkeeping, the inbound queue, disconnect).
 */
import {
  FixEncoder,
  FixFramer,
  FramingErrorCode,
  asciiBytes,
  msgTypeCode,
  type Clock,
  type FixDictionary,
  type FramerHandler,
  type FramingError,
  type MessageView,
} from '../codec/index.js';
import type { MessageStore } from '../store/types.js';
import { InboundQueue } from './inbound-queue.js';
import * as out from './outbound.js';
import { RejectReason, REJECT_TEXT } from './reject.js';
import { Resender } from './resend.js';
import { rolloverDue, lastRolloverMicros, checkRollover } from './schedule.js';
import { checkTransition, isLoggedOn, SessionState, SESSION_STATE_NAMES } from './state.js';
import { handlerFor } from './states/index.js';
import { GarbledInputWindow } from './garbled-input.js';
import { DEFAULT_GARBLED_INPUT_LIMIT, type ResendPolicy, type SessionApplication, type SessionConfig, type SessionEventKind, type SessionOutput } from './types.js';
import { MessageValidator } from './validator.js';

const Y = 0x59;
const MT_LOGON = 0x41;
const MT_RESEND_REQUEST = 0x32;
const MT_LOGOUT = 0x35;

/** Framer callbacks for the socket stream (kept off the session's public surface). */
class StreamHandler implements FramerHandler {
  constructor(private readonly session: FixSession) {}
  onMessage(view: MessageView): void {
    this.session.processInbound(view, false);
  }
  onError(error: FramingError): void {
    this.session.onFramingError(error);
  }
}

/** Framer callbacks for messages taken back out of the inbound queue. */
class QueuedHandler implements FramerHandler {
  constructor(private readonly session: FixSession) {}
  onMessage(view: MessageView): void {
    const mt = view.msgTypeCode;
    // As QuickFIX: a queued Logon or ResendRequest was already acted on; only its number is consumed.
    if (mt === MT_LOGON || mt === MT_RESEND_REQUEST) this.session.incrTarget();
    else this.session.processInbound(view, true);
  }
  onError(): void {
    this.session.incrTarget();
  }
}

export class FixSession {
  readonly role: 'initiator' | 'acceptor';
  readonly senderCompID: string;
  readonly targetCompID: string;
  readonly dictionary: FixDictionary;
  readonly store: MessageStore;
  readonly clock: Clock;
  readonly encoder: FixEncoder;
  readonly application: SessionApplication;
  readonly validator: MessageValidator | null;
  readonly resendPolicy: ResendPolicy;
  readonly senderBytes: Uint8Array;
  readonly targetBytes: Uint8Array;
  readonly resetOnLogon: boolean;
  readonly resetSeqNumOnLogon: boolean;
  readonly config: Readonly<SessionConfig>;
  readonly resender: Resender;

  state: SessionState = SessionState.Disconnected;
  /** Negotiated HeartBtInt in seconds (acceptor: the counterparty's). */
  heartBtIntSec: number;
  lastSentMicros = 0;
  lastReceivedMicros = 0;
  /** TestRequests sent since the last verified inbound message. */
  testRequestsSent = 0;
  logonSentMicros = 0;
  logoutSentMicros = 0;
  /** We sent ResetSeqNumFlag=Y on our Logon (initiator). */
  sentReset = false;
  /** Outstanding ResendRequest of ours: [resendBegin, resendEnd]; resendEnd 0 = none. */
  resendBegin = 0;
  resendEnd = 0;

  private output: SessionOutput | null = null;
  private readonly framer: FixFramer;
  private readonly queueFramer: FixFramer;
  private readonly queue: InboundQueue;
  private readonly streamHandler = new StreamHandler(this);
  private readonly queuedHandler = new QueuedHandler(this);
  private draining = false;
  private readonly maxLatencyMicros: number;
  readonly testRequestFactor: number;
  readonly timeoutFactor: number;
  readonly logonTimeoutMicros: number;
  readonly logoutTimeoutMicros: number;
  readonly resendTimeoutMicros: number;
  /** When our outstanding ResendRequest was sent (or last saw progress), and the expected MsgSeqNum then. */
  private resendAskedMicros = 0;
  private resendAskedAtSeq = 0;
  private readonly garbled: GarbledInputWindow | null;
  private readonly disconnectOnOversize: boolean;

  constructor(config: SessionConfig) {
    this.config = config;
    this.role = config.role;
    this.senderCompID = config.senderCompID;
    this.targetCompID = config.targetCompID;
    this.senderBytes = asciiBytes(config.senderCompID);
    this.targetBytes = asciiBytes(config.targetCompID);
    this.dictionary = config.dictionary;
    this.store = config.store;
    this.clock = config.clock;
    this.application = config.application ?? {};
    this.resendPolicy = config.resendPolicy ?? 'replay';
    this.resetOnLogon = config.resetOnLogon ?? false;
    this.resetSeqNumOnLogon = config.resetSeqNumOnLogon ?? false;
    this.heartBtIntSec = config.heartBtIntSec ?? 30;
    this.maxLatencyMicros = (config.maxLatencySec ?? 120) * 1_000_000;
    this.testRequestFactor = config.testRequestFactor ?? 1.2;
    this.timeoutFactor = config.timeoutFactor ?? 2.4;
    this.logonTimeoutMicros = (config.logonTimeoutMs ?? 10_000) * 1000;
    this.logoutTimeoutMicros = (config.logoutTimeoutMs ?? 2_000) * 1000;
    this.resendTimeoutMicros = (config.resendTimeoutMs ?? 2_000) * 1000;
    const acceptor = config.role === 'acceptor';
    const gl = config.garbledInputLimit ?? (acceptor ? DEFAULT_GARBLED_INPUT_LIMIT : false);
    this.garbled = gl === false ? null : new GarbledInputWindow({ ...gl });
    this.disconnectOnOversize = config.disconnectOnOversize ?? acceptor;
    if (config.rollover) checkRollover(config.rollover);
    if (!(this.heartBtIntSec >= 0)) throw new RangeError(`heartBtIntSec must be >= 0, got ${this.heartBtIntSec}`);
    const v = config.validation;
    this.validator = v?.enabled
      ? new MessageValidator(config.dictionary, {
          checkFieldsHaveValues: v.checkFieldsHaveValues,
          checkFieldsOutOfOrder: v.checkFieldsOutOfOrder,
          checkUserDefinedFields: v.checkUserDefinedFields,
        })
      : null;
    const framing = config.framing ?? 'scan';
    const framerOptions = {
      maxMessageSize: config.maxMessageSize ?? 65536,
      resync: framing,
      tagSyntax: framing === 'quickfix' ? ('quickfix' as const) : ('strict' as const),
    };
    this.framer = new FixFramer(config.dictionary, framerOptions);
    this.queueFramer = new FixFramer(config.dictionary, framerOptions);
    this.queue = new InboundQueue(config.maxQueuedMessages ?? 10_000);
    this.resender = new Resender(this);
    this.encoder = new FixEncoder({
      senderCompID: config.senderCompID,
      targetCompID: config.targetCompID,
      capacity: config.maxMessageSize ?? 65536,
      timestampPrecision: config.timestampPrecision ?? 3,
    });
  }

  // ---------------------------------------------------------------- transport-facing API

  /** A connection is up. The initiator sends its Logon now; the acceptor waits for one. */
  onConnect(output: SessionOutput): void {
    if (this.state !== SessionState.Disconnected) throw new Error(`onConnect while ${SESSION_STATE_NAMES[this.state]}`);
    this.output = output;
    this.framer.reset();
    const now = this.clock.nowMicros();
    this.checkRolloverWhileDisconnected(now);
    this.lastReceivedMicros = now;
    this.lastSentMicros = now;
    this.testRequestsSent = 0;
    this.garbled?.reset(now);
    if (this.role === 'acceptor') {
      this.transition(SessionState.AwaitingLogon);
      return;
    }
    this.transition(SessionState.LogonSent);
    this.sentReset = this.resetSeqNumOnLogon;
    if (this.sentReset) this.resetSequences();
    this.logonSentMicros = now;
    out.sendLogon(this, this.sentReset);
  }

  /** Bytes from the connection, any chunking. */
  onBytes(chunk: Uint8Array): void {
    if (this.state === SessionState.Disconnected) return;
    this.framer.push(chunk, this.streamHandler);
  }

  /** Clock tick: heartbeats, test requests, timeouts, rollover. Call every 100-250 ms. */
  onTimer(): void {
    const now = this.clock.nowMicros();
    if (this.state === SessionState.Disconnected) {
      this.checkRolloverWhileDisconnected(now);
      return;
    }
    if (this.config.rollover && rolloverDue(this.store.sessionStartMicros(), now, this.config.rollover)) {
      this.rollover(now);
      return;
    }
    handlerFor(this.state).onTimer(this, now);
  }

  /** The transport lost the connection (peer close, reset, or after our own disconnect()). */
  onDisconnect(reason = 'connection closed'): void {
    this.disconnect(reason);
  }

  get isConnected(): boolean {
    return this.state !== SessionState.Disconnected;
  }

  get isLoggedOn(): boolean {
    return isLoggedOn(this.state);
  }

  // ---------------------------------------------------------------- application / operator API

  /**
   * Starts an application message: the header (35, 34, 49, 52, 56) is written; add fields to the
   * returned encoder in order, then call send(). Throws when not logged on.
   */
  beginMessage(msgType: string | number): FixEncoder {
    if (!isLoggedOn(this.state)) throw new Error(`cannot send: session ${this.senderCompID}->${this.targetCompID} is not logged on`);
    const code = typeof msgType === 'number' ? msgType : msgTypeCode(msgType);
    return this.encoder.begin(code, this.store.nextSenderMsgSeqNum(), this.clock.nowMicros());
  }

  /** Finishes, stores and sends the message begun with beginMessage; returns its MsgSeqNum. */
  send(): number {
    return this.commit(true);
  }

  /** Convenience (allocates): an application message from [tag, value] pairs; returns its MsgSeqNum. */
  sendFields(msgType: string, fields: readonly (readonly [number, string | number])[]): number {
    const enc = this.beginMessage(msgType);
    for (const [tag, value] of fields) {
      if (typeof value === 'number') enc.int(tag, value);
      else enc.str(tag, value);
    }
    return this.send();
  }

  /** BusinessMessageReject (35=j) for an inbound application message. Returns its MsgSeqNum. */
  sendBusinessReject(ref: MessageView, reason: number, text: string): number {
    return out.sendBusinessReject(this, ref, reason, text);
  }

  /** Operator logout: sends Logout and waits (logoutTimeoutMs) for the answer. */
  logout(text = ''): void {
    if (!isLoggedOn(this.state)) {
      if (this.state !== SessionState.Disconnected) this.disconnect(text || 'logout before logon');
      return;
    }
    if (this.state !== SessionState.LogoutSent) out.sendLogout(this, text);
  }

  nextSenderMsgSeqNum(): number {
    return this.store.nextSenderMsgSeqNum();
  }

  nextTargetMsgSeqNum(): number {
    return this.store.nextTargetMsgSeqNum();
  }

  /** Operator: next outbound MsgSeqNum (use with care while logged on: the peer will see a gap). */
  setNextSenderMsgSeqNum(seq: number): void {
    this.store.setNextSenderMsgSeqNum(seq);
  }

  /** Operator: next inbound MsgSeqNum expected. */
  setNextTargetMsgSeqNum(seq: number): void {
    this.store.setNextTargetMsgSeqNum(seq);
    this.queue.dropBelow(seq);
    if (this.resendEnd > 0 && seq > this.resendEnd) this.clearResendRange();
  }

  /** Both sequence numbers back to 1, stored messages dropped (ResetSeqNumFlag, rollover, operator). */
  resetSequences(): void {
    this.store.reset(this.clock.nowMicros());
    this.queue.clear();
    this.clearResendRange();
  }

  // ---------------------------------------------------------------- machinery used by states/*

  /** Writes the encoder's finished message; admin messages only advance the sequence number. */
  commit(isApplication: boolean): number {
    const enc = this.encoder;
    enc.finish();
    const seq = this.store.nextSenderMsgSeqNum();
    this.store.recordOutbound(seq, enc.buffer, enc.start, enc.length, isApplication);
    this.writeRaw();
    return seq;
  }

  /** Writes the encoder's finished message without touching the store (resends, gap fills). */
  writeRaw(): void {
    const enc = this.encoder;
    this.lastSentMicros = this.clock.nowMicros();
    this.output?.write(enc.buffer, enc.start, enc.length);
  }

  incrTarget(): void {
    const next = this.store.nextTargetMsgSeqNum() + 1;
    this.store.setNextTargetMsgSeqNum(next);
    if (this.resendEnd > 0 && next > this.resendEnd) this.clearResendRange();
  }

  transition(to: SessionState): void {
    if (to === this.state) return;
    checkTransition(this.state, to);
    const from = this.state;
    this.state = to;
    this.emit('state', `${SESSION_STATE_NAMES[from]} -> ${SESSION_STATE_NAMES[to]}`);
  }

  emit(kind: SessionEventKind, text: string): void {
    this.application.onEvent?.(this, { kind, text });
  }

  /** One inbound message, from the socket (queued=false) or from the gap queue. */
  processInbound(view: MessageView, queued: boolean): void {
    const state = this.state;
    if (state === SessionState.Disconnected) return;
    if (!isLoggedOn(state) && view.msgTypeCode !== MT_LOGON) {
      // A Logout here is how counterparties refuse a Logon (Kraken: bad signature, nonce...): keep its Text.
      const text = view.msgTypeCode === MT_LOGOUT ? view.getString(58) : undefined;
      this.disconnect(text !== undefined ? `Logon refused by counterparty: ${text}` : 'first message is not a Logon');
      return;
    }
    const validator = this.validator;
    if (validator !== null && !validator.validate(view)) {
      if (!isLoggedOn(state)) {
        this.disconnect(`invalid Logon: ${REJECT_TEXT[validator.reason]} (${validator.refTag})`);
        return;
      }
      out.sendReject(this, view, validator.reason, validator.refTag);
      if (view.msgTypeCode === MT_LOGON && validator.reason === RejectReason.REQUIRED_TAG_MISSING) this.disconnect('Logon without a required field');
    } else {
      handlerFor(state).onMessage(this, view);
    }
    if (!queued) this.drainQueue();
  }

  onFramingError(error: FramingError): void {
    if (this.state === SessionState.Disconnected) return;
    const oversize = error.code === FramingErrorCode.MESSAGE_TOO_LARGE;
    if (!isLoggedOn(this.state)) {
      const text = `garbled data before logon: ${error.detail}`;
      this.emit(oversize ? 'oversize-input' : 'garbled-input', text);
      this.disconnect(text);
      return;
    }
    if (error.code === FramingErrorCode.BEGIN_STRING) {
      if (this.state !== SessionState.LogoutSent) out.sendLogout(this, 'Incorrect BeginString');
      this.incrTarget();
      return;
    }
    this.emit('framing-error', error.detail);
    if (oversize && this.disconnectOnOversize) {
      this.cutOff('oversize-input', `message too large: ${error.detail}`);
      return;
    }
    const why = this.garbled?.add(this.clock.nowMicros(), error.skipped, error.detail) ?? null;
    if (why !== null) this.cutOff('garbled-input', why);
  }

  /** Ends a session whose peer sends input we will not keep parsing: Logout with the reason, then close. */
  private cutOff(kind: 'garbled-input' | 'oversize-input', text: string): void {
    this.emit(kind, text);
    if (this.state !== SessionState.LogoutSent) out.sendLogout(this, text);
    this.disconnect(text);
  }

  /**
   * Standard checks of a parsed message (QuickFIX's verify): SendingTime accuracy, CompIDs, then
   * the sequence number against the expected one. False when the message must not be processed
   * further (it was rejected, queued, ignored, or the session is ending).
   */
  verify(view: MessageView, checkTooHigh: boolean, checkTooLow: boolean): boolean {
    const now = this.clock.nowMicros();
    if (this.maxLatencyMicros > 0) {
      const sendingTime = view.getTimestampMicros(52);
      if (!(Math.abs(now - sendingTime) <= this.maxLatencyMicros)) {
        this.rejectAndLogout(view, RejectReason.SENDING_TIME_ACCURACY);
        return false;
      }
    }
    if (!view.valueEquals(49, this.targetBytes) || !view.valueEquals(56, this.senderBytes)) {
      this.rejectAndLogout(view, RejectReason.COMPID_PROBLEM);
      return false;
    }
    const seq = view.getInt(34);
    if (seq !== seq) {
      if (isLoggedOn(this.state)) out.sendReject(this, view, RejectReason.REQUIRED_TAG_MISSING, 34);
      else this.disconnect('MsgSeqNum missing');
      return false;
    }
    const expected = this.store.nextTargetMsgSeqNum();
    if (checkTooHigh && seq > expected) {
      this.onTargetTooHigh(view, seq);
      return false;
    }
    if (checkTooLow && seq < expected) {
      this.onTargetTooLow(view, seq, expected);
      return false;
    }
    if ((checkTooHigh || checkTooLow) && this.resendEnd > 0 && seq >= this.resendEnd) {
      this.clearResendRange();
      this.emit('resend', `gap up to ${seq} filled`);
    }
    this.lastReceivedMicros = now;
    this.testRequestsSent = 0;
    return true;
  }

  /** Too high: keep the message for later and ask for the gap (once per outstanding request). */
  onTargetTooHigh(view: MessageView, seq: number): void {
    const expected = this.store.nextTargetMsgSeqNum();
    this.emit('gap', `MsgSeqNum too high, expecting ${expected} but received ${seq}`);
    if (!this.queue.add(seq, view)) this.emit('queue-overflow', `dropped ${seq}: ${this.queue.size} messages queued`);
    this.lastReceivedMicros = this.clock.nowMicros();
    if (this.resendEnd > 0 && seq >= this.resendBegin) return;
    out.sendResendRequest(this, expected, 0);
    this.resendBegin = expected;
    this.resendEnd = seq - 1;
    this.resendAskedMicros = this.clock.nowMicros();
    this.resendAskedAtSeq = expected;
    if (this.state === SessionState.Active) this.transition(SessionState.ResendInProgress);
  }

  private onTargetTooLow(view: MessageView, seq: number, expected: number): void {
    if (view.getChar(43) !== Y) {
      const text = `MsgSeqNum too low, expecting ${expected} but received ${seq}`;
      out.sendLogout(this, text);
      this.disconnect(text);
      return;
    }
    // PossDup of something already processed: ignored, unless its OrigSendingTime is missing or late.
    this.lastReceivedMicros = this.clock.nowMicros();
    if (view.msgTypeCode === 0x34) return;
    if (view.indexOf(122) < 0) {
      out.sendReject(this, view, RejectReason.REQUIRED_TAG_MISSING, 122);
      return;
    }
    if (view.getTimestampMicros(122) > view.getTimestampMicros(52)) this.rejectAndLogout(view, RejectReason.SENDING_TIME_ACCURACY);
  }

  private rejectAndLogout(view: MessageView, reason: number): void {
    if (!isLoggedOn(this.state)) {
      // Nothing may be sent before logon: refuse the connection.
      this.disconnect(`Logon refused: ${REJECT_TEXT[reason]}`);
      return;
    }
    out.sendReject(this, view, reason, 0);
    if (this.state !== SessionState.LogoutSent) out.sendLogout(this, '');
  }

  /**
   * Called on every timer tick while logged on. Later messages only queue while a ResendRequest is
   * outstanding, so a replayed message lost on a live connection would stall the session for good:
   * without progress for resendTimeout, ask again from the next expected MsgSeqNum.
   */
  checkResendProgress(now: number): void {
    if (this.resendEnd === 0) return;
    const expected = this.store.nextTargetMsgSeqNum();
    if (expected > this.resendAskedAtSeq) {
      this.resendAskedAtSeq = expected;
      this.resendAskedMicros = now;
      return;
    }
    if (now - this.resendAskedMicros < this.resendTimeoutMicros) return;
    this.emit('resend-retry', `no progress for ${this.resendTimeoutMicros / 1000} ms after ResendRequest: asking again from ${expected}`);
    out.sendResendRequest(this, expected, 0);
    this.resendBegin = expected;
    this.resendAskedMicros = now;
  }

  clearResendRange(): void {
    this.resendBegin = 0;
    this.resendEnd = 0;
    if (this.state === SessionState.ResendInProgress) this.transition(SessionState.Active);
  }

  /** Processes queued messages while the next expected one is there (iteratively, never nested). */
  drainQueue(): void {
    if (this.draining || this.queue.size === 0) return;
    this.draining = true;
    try {
      while (isLoggedOn(this.state)) {
        const bytes = this.queue.take(this.store.nextTargetMsgSeqNum());
        if (bytes === undefined) break;
        this.queueFramer.push(bytes, this.queuedHandler);
      }
      if (isLoggedOn(this.state)) this.queue.dropBelow(this.store.nextTargetMsgSeqNum());
    } finally {
      this.draining = false;
    }
  }

  /** Drops the connection now (after what was already written). Idempotent. */
  disconnect(reason: string): void {
    if (this.state === SessionState.Disconnected) return;
    const wasLoggedOn = isLoggedOn(this.state);
    const output = this.output;
    this.output = null;
    this.transition(SessionState.Disconnected);
    this.queue.clear();
    this.resendBegin = 0;
    this.resendEnd = 0;
    this.sentReset = false;
    this.emit('disconnect', reason);
    output?.disconnect(reason);
    if (wasLoggedOn) this.application.onLogout?.(this, reason);
  }

  private rollover(now: number): void {
    const boundary = lastRolloverMicros(now, this.config.rollover!);
    this.emit('rollover', 'daily sequence reset');
    if (isLoggedOn(this.state) && this.config.rollover!.logout !== false && this.state !== SessionState.LogoutSent) {
      out.sendLogout(this, 'Session rollover');
    }
    this.disconnect('daily rollover');
    this.store.reset(boundary);
  }

  private checkRolloverWhileDisconnected(now: number): void {
    const r = this.config.rollover;
    if (r && rolloverDue(this.store.sessionStartMicros(), now, r)) {
      this.emit('rollover', 'daily sequence reset');
      this.store.reset(lastRolloverMicros(now, r));
    }
  }
}
