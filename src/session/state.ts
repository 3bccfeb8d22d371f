/**
 * The session's states and the only transitions allowed between them. Every state change goes
 * through `checkTransition`, so an unexpected path is a loud programming error, not a silent drift.
 */

export const SessionState = {
  /** No transport attached. */
  Disconnected: 0,
  /** Acceptor: connected, waiting for the counterparty's Logon. */
  AwaitingLogon: 1,
  /** Initiator: our Logon is out, waiting for the answer (bounded by logonTimeoutMs). */
  LogonSent: 2,
  /** Logged on, inbound sequence in order. */
  Active: 3,
  /** Logged on, a ResendRequest of ours is outstanding; messages above the gap are queued. */
  ResendInProgress: 4,
  /** Our Logout is out, waiting for the counterparty's (bounded by logoutTimeoutMs). */
  LogoutSent: 5,
} as const;
export type SessionState = (typeof SessionState)[keyof typeof SessionState];

export const SESSION_STATE_NAMES: readonly string[] = [
  'Disconnected',
  'AwaitingLogon',
  'LogonSent',
  'Active',
  'ResendInProgress',
  'LogoutSent',
];

const S = SessionState;

/** Allowed successors of each state (indexed by state). */
export const TRANSITIONS: readonly (readonly SessionState[])[] = [
  /* Disconnected     */ [S.AwaitingLogon, S.LogonSent],
  /* AwaitingLogon    */ [S.Active, S.ResendInProgress, S.Disconnected],
  /* LogonSent        */ [S.Active, S.ResendInProgress, S.Disconnected],
  /* Active           */ [S.ResendInProgress, S.LogoutSent, S.Disconnected, S.Active],
  /* ResendInProgress */ [S.Active, S.LogoutSent, S.Disconnected, S.ResendInProgress],
  /* LogoutSent       */ [S.Disconnected],
];

export function canTransition(from: SessionState, to: SessionState): boolean {
  return TRANSITIONS[from]!.includes(to);
}

export function checkTransition(from: SessionState, to: SessionState): void {
  if (!canTransition(from, to)) {
    throw new Error(`illegal session transition ${SESSION_STATE_NAMES[from]} -> ${SESSION_STATE_NAMES[to]}`);
  }
}

/** Logged on (the counterparty's Logon was accepted): admin and application traffic may flow. */
export function isLoggedOn(state: SessionState): boolean {
  return state === S.Active || state === S.ResendInProgress || state === S.LogoutSent;
}
