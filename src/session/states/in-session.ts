/**
 * Logged on (Active, ResendInProgress, LogoutSent): dispatch by MsgType, QuickFIX's rules for which
 * sequence checks apply to which message, heartbeats and test requests on the clock.
 */
import type { MessageView } from '../../codec/index.js';
import { sendHeartbeat, sendLogon, sendLogout, sendReject, sendTestRequest } from '../outbound.js';
import { RejectReason } from '../reject.js';
import type { FixSession } from '../session.js';
import { SessionState } from '../state.js';
import type { StateHandler } from './handler.js';

const Y = 0x59;

function onLogon(s: FixSession, view: MessageView): void {
  // Mid-session Logon is only legal as a sequence reset (ResetSeqNumFlag=Y).
  if (view.getChar(141) !== Y) {
    s.disconnect('Logon received while logged on');
    return;
  }
  s.resetSequences();
  if (!s.verify(view, false, true)) return;
  if (s.role === 'acceptor') {
    const heartBtInt = view.getInt(108);
    if (heartBtInt >= 0) s.heartBtIntSec = heartBtInt;
  }
  sendLogon(s, true);
  s.incrTarget();
}

function onSequenceReset(s: FixSession, view: MessageView): void {
  const gapFill = view.getChar(123) === Y;
  if (!s.verify(view, gapFill, gapFill)) return;
  const newSeqNo = view.getInt(36);
  const expected = s.store.nextTargetMsgSeqNum();
  if (newSeqNo > expected) s.setNextTargetMsgSeqNum(newSeqNo);
  else if (newSeqNo < expected) sendReject(s, view, RejectReason.VALUE_INCORRECT, 0);
}

function onLogout(s: FixSession, view: MessageView): void {
  if (!s.verify(view, false, false)) return;
  const answered = s.state === SessionState.LogoutSent;
  if (!answered) sendLogout(s, '');
  s.incrTarget();
  const text = view.getString(58);
  s.disconnect(answered ? 'logout complete' : `logout requested${text ? `: ${text}` : ''}`);
}

function onResendRequest(s: FixSession, view: MessageView): void {
  if (!s.verify(view, false, false)) return;
  const begin = view.getInt(7);
  const end = view.getInt(16);
  // A range that is not a pair of non-negative safe integers cannot be answered: reject it, never throw.
  const badTag = !(begin >= 0) || !Number.isSafeInteger(begin) ? 7 : !(end >= 0) || !Number.isSafeInteger(end) ? 16 : 0;
  if (badTag !== 0) {
    sendReject(s, view, RejectReason.VALUE_INCORRECT, badTag);
    if (view.getInt(34) === s.store.nextTargetMsgSeqNum()) s.incrTarget();
    return;
  }
  s.resender.answer(begin, end);
  if (view.getInt(34) === s.store.nextTargetMsgSeqNum()) s.incrTarget();
}

function onApplication(s: FixSession, view: MessageView): void {
  if (!s.verify(view, true, true)) return;
  const possDup = view.getChar(43) === Y;
  s.application.onAppMessage?.(s, view, possDup);
  if (s.isLoggedOn) s.incrTarget();
}

export const inSession: StateHandler = {
  onMessage(s, view) {
    switch (view.msgTypeCode) {
      case 0x30: // Heartbeat
        if (s.verify(view, true, true)) s.incrTarget();
        return;
      case 0x31: // TestRequest
        if (!s.verify(view, true, true)) return;
        sendHeartbeat(s, view);
        s.incrTarget();
        return;
      case 0x32:
        onResendRequest(s, view);
        return;
      case 0x33: // Reject: nothing to do beyond consuming its number
        if (s.verify(view, true, true)) s.incrTarget();
        return;
      case 0x34:
        onSequenceReset(s, view);
        return;
      case 0x35:
        onLogout(s, view);
        return;
      case 0x41:
        onLogon(s, view);
        return;
      default:
        onApplication(s, view);
    }
  },
  onTimer(s, now) {
    s.checkResendProgress(now);
    const hb = s.heartBtIntSec * 1_000_000;
    if (hb <= 0) return;
    const sinceReceived = now - s.lastReceivedMicros;
    const sinceSent = now - s.lastSentMicros;
    if (sinceSent < hb && sinceReceived < hb) return;
    if (sinceReceived >= hb * s.timeoutFactor) {
      s.disconnect('timed out waiting for heartbeat');
    } else if (sinceReceived >= hb * s.testRequestFactor * (s.testRequestsSent + 1)) {
      sendTestRequest(s);
      s.testRequestsSent++;
    } else if (sinceSent >= hb && s.testRequestsSent === 0) {
      sendHeartbeat(s, null);
    }
  },
};
