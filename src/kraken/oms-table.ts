// The order state machine: OrderState x ExecType (150) -> transition. Every cell is explicit so a reviewer
// can check the whole lifecycle (spec §6) in one screen, and unlisted combinations cannot exist.

export enum OrderState {
  /** Sent by us, nothing heard back yet. */
  Sent = 'Sent',
  /** Venue accepted but not live yet (39=A, e.g. scheduled by EffectiveTime). */
  PendingNew = 'PendingNew',
  New = 'New',
  PartiallyFilled = 'PartiallyFilled',
  Filled = 'Filled',
  Canceled = 'Canceled',
  Expired = 'Expired',
  Rejected = 'Rejected',
}

export const OPEN_STATES: ReadonlySet<OrderState> = new Set([
  OrderState.Sent,
  OrderState.PendingNew,
  OrderState.New,
  OrderState.PartiallyFilled,
]);

export function isTerminal(s: OrderState): boolean {
  return !OPEN_STATES.has(s);
}

/** ExecType (150) values we handle: Kraken's documented ones plus 6 and 8 (§6: "handle if received"). */
export const EXEC_TYPES = ['0', '4', '5', '6', '8', 'A', 'C', 'D', 'E', 'F', 'I'] as const;
export type ExecTypeCode = (typeof EXEC_TYPES)[number];

export function isExecTypeCode(v: string): v is ExecTypeCode {
  return (EXEC_TYPES as readonly string[]).includes(v);
}

/**
 * - an OrderState: go there.
 * - 'fill': PartiallyFilled or Filled, decided by OrdStatus/LeavesQty.
 * - 'status': take the state from OrdStatus (39) — replace and status reports carry the truth there.
 * - 'stay': no change, nothing unusual (restatement, pending-cancel notice, repeated terminal report).
 * - 'stale': a report that arrives after a later one (e.g. the New ack after a fill): no change, noted.
 * - 'verify': terminal order + status report: no change; an anomaly if 39 disagrees.
 * - 'illegal': contradicts the lifecycle: no change, reported as an anomaly.
 * Fills are always booked (quantities), whatever the transition: a trade is never dropped.
 */
export type Transition = OrderState | 'fill' | 'status' | 'stay' | 'stale' | 'verify' | 'illegal';

const S = OrderState;
type Row = Readonly<Record<ExecTypeCode, Transition>>;

export const TRANSITIONS: Readonly<Record<OrderState, Row>> = {
  //                 New        Canceled     Replaced   PendCxl  Rejected     PendNew       Expired     Restated  PendRepl  Trade      Status
  [S.Sent]:            { '0': S.New, '4': S.Canceled, '5': 'status', '6': 'stay', '8': S.Rejected, A: S.PendingNew, C: S.Expired, D: 'stay', E: 'stay', F: 'fill', I: 'status' },
  [S.PendingNew]:      { '0': S.New, '4': S.Canceled, '5': 'status', '6': 'stay', '8': S.Rejected, A: 'stay', C: S.Expired, D: 'stay', E: 'stay', F: 'fill', I: 'status' },
  [S.New]:             { '0': 'stay', '4': S.Canceled, '5': 'status', '6': 'stay', '8': 'illegal', A: 'stale', C: S.Expired, D: 'stay', E: 'stay', F: 'fill', I: 'status' },
  [S.PartiallyFilled]: { '0': 'stale', '4': S.Canceled, '5': 'status', '6': 'stay', '8': 'illegal', A: 'stale', C: S.Expired, D: 'stay', E: 'stay', F: 'fill', I: 'status' },
  [S.Filled]:          { '0': 'stale', '4': 'illegal', '5': 'illegal', '6': 'stay', '8': 'illegal', A: 'stale', C: 'illegal', D: 'stay', E: 'stay', F: 'stale', I: 'verify' },
  [S.Canceled]:        { '0': 'stale', '4': 'stay', '5': 'illegal', '6': 'stay', '8': 'illegal', A: 'stale', C: 'illegal', D: 'stay', E: 'stay', F: 'illegal', I: 'verify' },
  [S.Expired]:         { '0': 'stale', '4': 'illegal', '5': 'illegal', '6': 'stay', '8': 'illegal', A: 'stale', C: 'stay', D: 'stay', E: 'stay', F: 'illegal', I: 'verify' },
  [S.Rejected]:        { '0': 'illegal', '4': 'stay', '5': 'illegal', '6': 'stay', '8': 'stay', A: 'illegal', C: 'illegal', D: 'stay', E: 'stay', F: 'illegal', I: 'verify' },
};

/**
 * OrdStatus (39) -> state. 'open' = live with unchanged lifecycle stage: New if nothing filled, else
 * PartiallyFilled (39=5 Replaced, E Pending Replace, 6 Pending Cancel, 3 Done for day).
 */
export const ORD_STATUS_TO_STATE: Readonly<Record<string, OrderState | 'open'>> = {
  '0': S.New,
  '1': S.PartiallyFilled,
  '2': S.Filled,
  '3': 'open',
  '4': S.Canceled,
  '5': 'open',
  '6': 'open',
  '8': S.Rejected,
  A: S.PendingNew,
  C: S.Expired,
  E: 'open',
};
