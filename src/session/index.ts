/**
 * Session layer: a sans-I/O FIX 4.4 session for both roles. Owns logon/logout, sequence numbers
 * (through a MessageStore), heartbeats and test requests, gap detection with queued recovery,
 * resends (replay or gap-fill-all), dictionary validation with QuickFIX-compatible rejects, and the
 * daily rollover. Must not touch sockets, timers, TLS (src/transport) or business rules (callers).
 */
export { FixSession } from './session.js';
export { SessionState, SESSION_STATE_NAMES, TRANSITIONS, canTransition, isLoggedOn } from './state.js';
export { MessageValidator, validFormat } from './validator.js';
export type { ValidatorOptions } from './validator.js';
export { RejectReason, REJECT_TEXT, BusinessRejectReason } from './reject.js';
export { lastRolloverMicros, rolloverDue } from './schedule.js';
export type {
  SessionConfig,
  SessionOutput,
  SessionApplication,
  SessionEvent,
  SessionEventKind,
  LogonContext,
  ResendPolicy,
  ValidationConfig,
  DailyRollover,
  GarbledInputLimit,
} from './types.js';
export { DEFAULT_GARBLED_INPUT_LIMIT } from './types.js';
