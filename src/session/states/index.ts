/** State -> handler. Disconnected has none: nothing arrives while no transport is attached. */
import { SessionState } from '../state.js';
import type { StateHandler } from './handler.js';
import { inSession } from './in-session.js';
import { awaitingLogon, logonSent } from './logon.js';
import { logoutSent } from './logout.js';

const disconnected: StateHandler = {
  onMessage() {},
  onTimer() {},
};

const HANDLERS: readonly StateHandler[] = [
  /* Disconnected     */ disconnected,
  /* AwaitingLogon    */ awaitingLogon,
  /* LogonSent        */ logonSent,
  /* Active           */ inSession,
  /* ResendInProgress */ inSession,
  /* LogoutSent       */ logoutSent,
];

export function handlerFor(state: SessionState): StateHandler {
  return HANDLERS[state]!;
}

export type { StateHandler } from './handler.js';
