// OMS input messages (plain decoded fields, text values as on the wire) and output events/anomalies.

import type { Decimal } from './decimal.js';
import type { ExecTypeCode, OrderState } from './oms-table.js';
import type { OrdTypeName, Side, TimeInForceName } from './orders.js';
import type { KrakenRejectText } from './rejects.js';

/** ExecutionReport 8 — fields the OMS uses. Decimal fields are wire text. */
export interface ExecutionReportIn {
  readonly execID: string;
  readonly execType: string;
  readonly ordStatus: string;
  readonly clOrdID?: string;
  readonly origClOrdID?: string;
  readonly orderID?: string;
  readonly symbol?: string;
  readonly orderQty?: string;
  readonly price?: string;
  readonly stopPx?: string;
  readonly cumQty?: string;
  readonly leavesQty?: string;
  readonly avgPx?: string;
  readonly lastQty?: string;
  readonly lastPx?: string;
  readonly text?: string;
}

/** Session Reject 3. */
export interface SessionRejectIn {
  readonly refSeqNum: number;
  readonly refMsgType?: string;
  readonly refTagID?: number;
  readonly sessionRejectReason?: number;
  readonly text?: string;
}

/** BusinessMessageReject j. */
export interface BusinessRejectIn {
  readonly refSeqNum?: number;
  readonly refMsgType?: string;
  readonly businessRejectRefID?: string;
  readonly businessRejectReason?: number;
  readonly text?: string;
}

/** OrderCancelReject 9 (not used by Spot/Futures, parsed defensively). */
export interface OrderCancelRejectIn {
  readonly clOrdID: string;
  readonly origClOrdID?: string;
  readonly orderID?: string;
  readonly ordStatus?: string;
  /** 434: '1' cancel, '2' cancel/replace. */
  readonly cxlRejResponseTo?: string;
  readonly cxlRejReason?: number;
  readonly text?: string;
}

export type RequestKind = 'new' | 'cancel' | 'replace' | 'status' | 'mass-cancel';

export interface PendingReplace {
  readonly clOrdID: string;
  readonly orderQty: Decimal;
  readonly price: Decimal | null;
  readonly stopPx: Decimal | null;
  readonly sentAtUs: number;
}

export interface OmsOrder {
  /** Current ClOrdID (changes on each acknowledged amend). */
  clOrdID: string;
  /** Every ClOrdID the order has had, oldest first (OrigClOrdID chain). */
  readonly clOrdIDChain: string[];
  orderID: string | null;
  readonly symbol: string;
  readonly side: Side;
  readonly ordType: OrdTypeName;
  readonly timeInForce: TimeInForceName;
  orderQty: Decimal;
  price: Decimal | null;
  stopPx: Decimal | null;
  state: OrderState;
  /** Venue-reported cumulative qty (never decreases here). */
  cumQty: Decimal;
  leavesQty: Decimal;
  /** Venue AvgPx, or computed from our fills when the venue sends 0/none (seen on Futures). */
  avgPx: Decimal | null;
  /** Sum of LastQty over distinct fills, and sum of LastQty x LastPx. */
  fillQty: Decimal;
  notional: Decimal;
  fillCount: number;
  pendingCancel: { readonly clOrdID: string; readonly sentAtUs: number } | null;
  pendingReplace: PendingReplace | null;
  /** For Spot rate-limit costs: the age that matters is since creation or the last amend. */
  readonly createdAtUs: number;
  lastAmendedAtUs: number;
  /** Last reason text from the venue (cancel reason, reject text). */
  lastText: string | null;
  /** We may have missed reports (reconnect, unknown-order cancel reject): ask with H before trusting. */
  needsStatus: boolean;
  /** A status request said the venue does not know this order. */
  unknownAtVenue: boolean;
}

export type OmsAnomalyCode =
  | 'ILLEGAL_TRANSITION'
  | 'CUM_QTY_DECREASED'
  | 'QTY_MISMATCH'
  | 'OVERFILL'
  | 'FILL_SUM_MISMATCH'
  | 'STATUS_MISMATCH'
  | 'UNKNOWN_ORDER'
  | 'UNKNOWN_EXEC_TYPE'
  | 'UNKNOWN_ORD_STATUS'
  | 'INVALID_NUMBER'
  | 'UNMATCHED_REJECT';

export interface OmsAnomaly {
  readonly code: OmsAnomalyCode;
  readonly clOrdID: string | null;
  readonly message: string;
}

export type RejectSource = 'session-reject' | 'business-reject' | 'execution-report' | 'cancel-reject';

export interface RejectInfo {
  readonly source: RejectSource;
  readonly text: string | null;
  readonly kraken: KrakenRejectText;
  /** 373 SessionRejectReason / 380 BusinessRejectReason / 102 CxlRejReason. */
  readonly reasonCode: number | null;
}

interface EventBase {
  readonly anomalies: readonly OmsAnomaly[];
}

export type OmsEvent =
  | (EventBase & {
      readonly kind: 'execution';
      readonly order: OmsOrder;
      readonly execType: ExecTypeCode;
      readonly prevState: OrderState;
      /** The table cell that applied. */
      readonly transition: string;
      /** Fill booked by this report (also booked when the report was stale). */
      readonly fill: { readonly lastQty: Decimal; readonly lastPx: Decimal } | null;
      /** A cancel we did not ask for (post-acceptance failure, COD, system). */
      readonly unsolicited: boolean;
      readonly stale: boolean;
    })
  | (EventBase & { readonly kind: 'duplicate'; readonly execID: string })
  | (EventBase & { readonly kind: 'order-rejected'; readonly order: OmsOrder; readonly reject: RejectInfo })
  | (EventBase & { readonly kind: 'cancel-rejected'; readonly order: OmsOrder; readonly requestClOrdID: string; readonly reject: RejectInfo })
  | (EventBase & { readonly kind: 'replace-rejected'; readonly order: OmsOrder; readonly requestClOrdID: string; readonly reject: RejectInfo })
  | (EventBase & { readonly kind: 'status-rejected'; readonly order: OmsOrder | null; readonly requestClOrdID: string; readonly reject: RejectInfo })
  | (EventBase & { readonly kind: 'mass-cancel-rejected'; readonly requestClOrdID: string; readonly reject: RejectInfo })
  | (EventBase & { readonly kind: 'unmatched'; readonly reason: string });
