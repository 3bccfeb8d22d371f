/** What every state implements: a validated inbound message, and a clock tick. */
import type { MessageView } from '../../codec/index.js';
import type { FixSession } from '../session.js';

export interface StateHandler {
  /** A message that passed dictionary validation (if enabled). The view is valid only during the call. */
  onMessage(session: FixSession, view: MessageView): void;
  onTimer(session: FixSession, nowMicros: number): void;
}
