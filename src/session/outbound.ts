/**
 * Builders of the session's own messages, in QuickFIX's field order (header 35, 34, 49, 52, 56 and
 * the rest ascending; body ascending), so peers and the acceptance tests see the usual layout.
 * Each writes through the session's single encoder: no allocation per message.
 */
import type { MessageView } from '../codec/index.js';
import { REJECT_TEXT, RejectReason } from './reject.js';
import type { FixSession } from './session.js';
import { SessionState } from './state.js';

const MT = { HEARTBEAT: 0x30, TEST_REQUEST: 0x31, RESEND_REQUEST: 0x32, REJECT: 0x33, SEQUENCE_RESET: 0x34, LOGOUT: 0x35, LOGON: 0x41, BUSINESS_REJECT: 0x6a } as const;
const Y = 0x59;
const TEST_REQ_ID = new Uint8Array([0x54, 0x45, 0x53, 0x54]); // "TEST", as QuickFIX

function beginAdmin(s: FixSession, code: number) {
  return s.encoder.begin(code, s.store.nextSenderMsgSeqNum(), s.clock.nowMicros());
}

/** Our Logon: initiator request, or the acceptor's answer (HeartBtInt echoed). */
export function sendLogon(s: FixSession, resetSeqNumFlag: boolean): void {
  const seq = s.store.nextSenderMsgSeqNum();
  const now = s.clock.nowMicros();
  const enc = s.encoder.begin(MT.LOGON, seq, now);
  enc.int(98, 0).int(108, s.heartBtIntSec);
  if (resetSeqNumFlag) enc.char(141, Y);
  s.application.onLogonOut?.(s, enc, {
    msgSeqNum: seq,
    senderCompID: s.senderCompID,
    targetCompID: s.targetCompID,
    sendingTimeMicros: now,
    resetSeqNumFlag,
  });
  s.commit(false);
}

/** Heartbeat; with the TestReqID copied from a TestRequest when answering one (even if empty). */
export function sendHeartbeat(s: FixSession, testRequest: MessageView | null): void {
  const enc = beginAdmin(s, MT.HEARTBEAT);
  if (testRequest !== null) {
    const i = testRequest.indexOf(112);
    if (i >= 0) enc.bytes(112, testRequest.buffer, testRequest.offsets[i]!, testRequest.lengths[i]!);
  }
  s.commit(false);
}

export function sendTestRequest(s: FixSession): void {
  beginAdmin(s, MT.TEST_REQUEST).bytes(112, TEST_REQ_ID);
  s.commit(false);
}

export function sendResendRequest(s: FixSession, begin: number, end: number): void {
  beginAdmin(s, MT.RESEND_REQUEST).int(7, begin).int(16, end);
  s.commit(false);
}

export function sendLogout(s: FixSession, text: string): void {
  const enc = beginAdmin(s, MT.LOGOUT);
  if (text.length > 0) enc.str(58, text);
  s.commit(false);
  if (s.state === SessionState.Active || s.state === SessionState.ResendInProgress) {
    s.logoutSentMicros = s.clock.nowMicros();
    s.transition(SessionState.LogoutSent);
  }
}

/** Reverse routing pairs: inbound OnBehalfOf* -> outbound DeliverTo* and back. */
const ROUTE_FROM = [128, 129, 115, 116, 145, 144];
const ROUTE_TO = [115, 116, 128, 129, 144, 145];

/**
 * Session-level Reject (35=3) of `ref`: 45 RefSeqNum, 58 Text, 371 RefTagID, 372 RefMsgType,
 * 373 SessionRejectReason, routing reversed. Consumes ref's sequence number when it is the
 * expected one (not for Logon and SequenceReset), as QuickFIX does.
 */
export function sendReject(s: FixSession, ref: MessageView, reason: number, refTag: number): void {
  const enc = beginAdmin(s, MT.REJECT);
  // ROUTE_TO is ascending, so the reversed routing tags come out in header order.
  for (let k = 0; k < ROUTE_TO.length; k++) {
    const i = ref.indexOf(ROUTE_FROM[k]!);
    if (i >= 0 && ref.lengths[i]! > 0) enc.bytes(ROUTE_TO[k]!, ref.buffer, ref.offsets[i]!, ref.lengths[i]!);
  }
  const seqAt = ref.indexOf(34);
  if (seqAt >= 0 && ref.lengths[seqAt]! > 0) enc.bytes(45, ref.buffer, ref.offsets[seqAt]!, ref.lengths[seqAt]!);
  const text = REJECT_TEXT[reason];
  if (text !== undefined) enc.str(58, text);
  if (text !== undefined && (refTag !== 0 || reason === RejectReason.INVALID_TAG_NUMBER)) enc.int(371, refTag);
  if (ref.lengths[2]! > 0) enc.bytes(372, ref.buffer, ref.offsets[2]!, ref.lengths[2]!);
  enc.int(373, reason);
  const mt = ref.msgTypeCode;
  if (mt !== MT.LOGON && mt !== MT.SEQUENCE_RESET && ref.getInt(34) === s.store.nextTargetMsgSeqNum()) s.incrTarget();
  s.commit(false);
  s.emit('reject-sent', `${text ?? reason} (${refTag}) for MsgSeqNum ${ref.getInt(34)}`);
}

export function sendBusinessReject(s: FixSession, ref: MessageView, reason: number, text: string): number {
  const enc = s.beginMessage(MT.BUSINESS_REJECT);
  const seqAt = ref.indexOf(34);
  if (seqAt >= 0) enc.bytes(45, ref.buffer, ref.offsets[seqAt]!, ref.lengths[seqAt]!);
  if (text.length > 0) enc.str(58, text);
  enc.bytes(372, ref.buffer, ref.offsets[2]!, ref.lengths[2]!);
  enc.int(380, reason);
  return s.commit(true);
}

/** SequenceReset-GapFill standing in for [msgSeqNum, newSeqNo): PossDup, not stored, no new number. */
export function sendGapFill(s: FixSession, msgSeqNum: number, newSeqNo: number): void {
  const now = s.clock.nowMicros();
  const enc = s.encoder.beginRaw();
  enc.char(35, MT.SEQUENCE_RESET).int(34, msgSeqNum).char(43, Y).bytes(49, s.senderBytes);
  enc.timestamp(52, now).bytes(56, s.targetBytes).timestamp(122, now);
  enc.int(36, newSeqNo).char(123, Y);
  enc.finish();
  s.writeRaw();
}
