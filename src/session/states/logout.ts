/**
 * LogoutSent: our Logout is out. Messages are still processed as in session (the peer may send
 * some before its Logout); its Logout ends the session without an answer (see in-session.ts).
 * Bounded by logoutTimeoutMs.
 */
import type { StateHandler } from './handler.js';
import { inSession } from './in-session.js';

export const logoutSent: StateHandler = {
  onMessage(s, view) {
    inSession.onMessage(s, view);
  },
  onTimer(s, now) {
    if (now - s.logoutSentMicros >= s.logoutTimeoutMicros) {
      s.disconnect('timed out waiting for Logout response');
      return;
    }
    inSession.onTimer(s, now);
  },
};
