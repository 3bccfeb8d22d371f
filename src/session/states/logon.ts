/**
 * Before logon: the acceptor waits for the counterparty's Logon (AwaitingLogon), the initiator for
 * the answer to its own (LogonSent). Only a Logon reaches these handlers (the session drops the
 * connection on anything else).
 */
import type { MessageView } from '../../codec/index.js';
import { sendLogon, sendLogout } from '../outbound.js';
import type { FixSession } from '../session.js';
import { SessionState } from '../state.js';
import type { StateHandler } from './handler.js';

const Y = 0x59;

/** Sequence bookkeeping once a Logon is accepted (both roles). */
function completeLogon(s: FixSession, view: MessageView, reset: boolean): void {
  s.transition(SessionState.Active);
  const seq = view.getInt(34);
  if (seq > s.store.nextTargetMsgSeqNum() && !reset) s.onTargetTooHigh(view, seq);
  else s.incrTarget();
  if (s.isLoggedOn) s.application.onLogon?.(s);
}

export const awaitingLogon: StateHandler = {
  onMessage(s, view) {
    const reset = view.getChar(141) === Y;
    if (reset || s.resetOnLogon) s.resetSequences();
    if (!s.verify(view, false, true)) return;
    const refusal = s.application.onLogonIn?.(s, view) ?? null;
    if (refusal !== null) {
      sendLogout(s, refusal);
      s.disconnect(`Logon refused: ${refusal}`);
      return;
    }
    const heartBtInt = view.getInt(108);
    if (heartBtInt >= 0) s.heartBtIntSec = heartBtInt;
    sendLogon(s, reset);
    completeLogon(s, view, reset);
  },
  onTimer(s, now) {
    // A connection that never logs on is dropped after the logon timeout.
    if (now - s.lastReceivedMicros >= s.logonTimeoutMicros) s.disconnect('no Logon received');
  },
};

export const logonSent: StateHandler = {
  onMessage(s, view) {
    const reset = view.getChar(141) === Y;
    if (reset && !s.sentReset) s.resetSequences();
    if (!s.verify(view, false, true)) return;
    s.sentReset = false;
    completeLogon(s, view, reset);
  },
  onTimer(s, now) {
    if (now - s.logonSentMicros >= s.logonTimeoutMicros) s.disconnect('timed out waiting for Logon response');
  },
};
