// Our own orders: state from ExecutionReports via the explicit table in oms-table.ts, exact quantities,
// cancel/amend chains through OrigClOrdID, de-duplication by ExecID, and every reject form Kraken uses
// (session Reject 3 by MsgSeqNum, BusinessMessageReject j by ClOrdID, unsolicited cancel ERs) plus the
// standard OrderCancelReject 9. Inconsistencies are reported as typed anomalies, never thrown.

import { ZERO, parseDecimal } from './decimal.js';
import { NO_ANOMALIES, type ApplyContext, type RequestEntry, applyExecution, applyRequestReject } from './oms-apply.js';
import { ORD_STATUS_TO_STATE, OrderState, isExecTypeCode, isTerminal } from './oms-table.js';
import type {
  BusinessRejectIn,
  ExecutionReportIn,
  OmsEvent,
  OmsOrder,
  OrderCancelRejectIn,
  RejectInfo,
  SessionRejectIn,
} from './oms-types.js';
import type {
  NewOrderSingleRequest,
  OrderCancelReplaceRequest,
  OrderCancelRequest,
  OrderMassCancelRequest,
  OrderStatusRequest,
} from './orders.js';
import { parseKrakenRejectText } from './rejects.js';
import { type Result, type Venue, err, ok } from './types.js';

/** Order-entry message types; a session Reject for anything else is not the OMS's business. */
const ORDER_MSG_TYPES = new Set(['D', 'F', 'G', 'H', 'q']);

export interface OmsOptions {
  readonly venue: Venue;
  /** Monotonic clock in µs (order ages for rate-limit costs). */
  readonly nowUs: () => number;
  /** Bound on remembered ExecIDs / MsgSeqNums (oldest forgotten first). */
  readonly maxExecIDs?: number;
  readonly maxSeqEntries?: number;
}

export interface TrackError {
  readonly code: 'CLORDID_REUSED' | 'UNKNOWN_ORDER' | 'ORDER_CLOSED' | 'INVALID_FIELD';
  readonly message: string;
}

export interface StatusRequestPlan {
  /** OrderStatusRequests to send (already tracked); Spot only. */
  readonly requests: OrderStatusRequest[];
  /** Open orders without an OrderID (never acknowledged): wait for replayed ERs or mass-cancel. */
  readonly withoutOrderID: OmsOrder[];
  /** Orders to reconcile on a venue without H (Derivatives): rely on replay or mass-cancel. */
  readonly unsupported: OmsOrder[];
}

export class Oms {
  readonly venue: Venue;
  readonly #nowUs: () => number;
  readonly #maxExecIDs: number;
  readonly #maxSeq: number;
  readonly #requests = new Map<string, RequestEntry>();
  readonly #byOrderID = new Map<string, OmsOrder>();
  readonly #orders = new Set<OmsOrder>();
  readonly #seqToClOrdID = new Map<number, string>();
  readonly #execIDs = new Set<string>();
  /** ClOrdIDs of forgotten (pruned) orders, still counted as used. */
  readonly #retiredClOrdIDs = new Set<string>();
  readonly #ctx: ApplyContext = {
    nowUs: () => this.#nowUs(),
    requestKind: (id) => this.#requests.get(id)?.kind,
    registerClOrdID: (id, order) => {
      if (!this.#requests.has(id)) this.#requests.set(id, { kind: 'replace', order });
    },
    indexOrderID: (id, order) => void this.#byOrderID.set(id, order),
  };

  constructor(options: OmsOptions) {
    this.venue = options.venue;
    this.#nowUs = options.nowUs;
    this.#maxExecIDs = options.maxExecIDs ?? 1_000_000;
    this.#maxSeq = options.maxSeqEntries ?? 100_000;
  }

  // ---------- outbound tracking ----------

  isClOrdIdInUse(clOrdID: string): boolean {
    return this.#requests.has(clOrdID) || this.#retiredClOrdIDs.has(clOrdID);
  }

  trackNewOrder(req: NewOrderSingleRequest): Result<OmsOrder, TrackError> {
    if (this.isClOrdIdInUse(req.clOrdID)) return err({ code: 'CLORDID_REUSED', message: `ClOrdID ${req.clOrdID} already used` });
    const qty = parseDecimal(req.orderQty);
    if (qty === null) return err({ code: 'INVALID_FIELD', message: 'orderQty is not a decimal' });
    const now = this.#nowUs();
    const order: OmsOrder = {
      clOrdID: req.clOrdID,
      clOrdIDChain: [req.clOrdID],
      orderID: null,
      symbol: req.symbol,
      side: req.side,
      ordType: req.ordType,
      timeInForce: req.timeInForce,
      orderQty: qty,
      price: req.price === undefined ? null : parseDecimal(req.price),
      stopPx: req.stopPx === undefined ? null : parseDecimal(req.stopPx),
      state: OrderState.Sent,
      cumQty: ZERO,
      leavesQty: qty,
      avgPx: null,
      fillQty: ZERO,
      notional: ZERO,
      fillCount: 0,
      pendingCancel: null,
      pendingReplace: null,
      createdAtUs: now,
      lastAmendedAtUs: now,
      lastText: null,
      needsStatus: false,
      unknownAtVenue: false,
    };
    this.#orders.add(order);
    this.#requests.set(req.clOrdID, { kind: 'new', order });
    return ok(order);
  }

  #target(orderID: string | undefined, origClOrdID: string | undefined): Result<OmsOrder, TrackError> {
    // Kraken: if both are given, OrderID wins (§4.2).
    const o =
      (orderID !== undefined ? this.#byOrderID.get(orderID) : undefined) ??
      (origClOrdID !== undefined ? this.#requests.get(origClOrdID)?.order ?? undefined : undefined);
    if (o === undefined) return err({ code: 'UNKNOWN_ORDER', message: `no order for OrderID ${orderID ?? '-'} / OrigClOrdID ${origClOrdID ?? '-'}` });
    if (isTerminal(o.state)) return err({ code: 'ORDER_CLOSED', message: `order ${o.clOrdID} is ${o.state}` });
    return ok(o);
  }

  trackCancel(req: OrderCancelRequest): Result<OmsOrder, TrackError> {
    if (this.isClOrdIdInUse(req.clOrdID)) return err({ code: 'CLORDID_REUSED', message: `ClOrdID ${req.clOrdID} already used` });
    const t = this.#target(req.orderID, req.origClOrdID);
    if (!t.ok) return t;
    t.value.pendingCancel = { clOrdID: req.clOrdID, sentAtUs: this.#nowUs() };
    this.#requests.set(req.clOrdID, { kind: 'cancel', order: t.value });
    return t;
  }

  trackReplace(req: OrderCancelReplaceRequest): Result<OmsOrder, TrackError> {
    if (this.isClOrdIdInUse(req.clOrdID)) return err({ code: 'CLORDID_REUSED', message: `ClOrdID ${req.clOrdID} already used` });
    const qty = parseDecimal(req.orderQty);
    if (qty === null) return err({ code: 'INVALID_FIELD', message: 'orderQty is not a decimal' });
    const t = this.#target(req.orderID, req.origClOrdID);
    if (!t.ok) return t;
    t.value.pendingReplace = {
      clOrdID: req.clOrdID,
      orderQty: qty,
      price: req.price === undefined ? null : parseDecimal(req.price),
      stopPx: req.stopPx === undefined ? null : parseDecimal(req.stopPx),
      sentAtUs: this.#nowUs(),
    };
    this.#requests.set(req.clOrdID, { kind: 'replace', order: t.value });
    return t;
  }

  trackStatusRequest(req: OrderStatusRequest): Result<OmsOrder | null, TrackError> {
    if (this.isClOrdIdInUse(req.clOrdID)) return err({ code: 'CLORDID_REUSED', message: `ClOrdID ${req.clOrdID} already used` });
    const order = this.#byOrderID.get(req.orderID) ?? null;
    this.#requests.set(req.clOrdID, { kind: 'status', order });
    return ok(order);
  }

  trackMassCancel(req: OrderMassCancelRequest): Result<null, TrackError> {
    if (this.isClOrdIdInUse(req.clOrdID)) return err({ code: 'CLORDID_REUSED', message: `ClOrdID ${req.clOrdID} already used` });
    this.#requests.set(req.clOrdID, { kind: 'mass-cancel', order: null });
    return ok(null);
  }

  /** Call when the session assigned MsgSeqNum to the request with this ClOrdID (session Reject 3 refers to it). */
  recordSent(clOrdID: string, msgSeqNum: number): void {
    this.#seqToClOrdID.set(msgSeqNum, clOrdID);
    if (this.#seqToClOrdID.size > this.#maxSeq) {
      for (const k of this.#seqToClOrdID.keys()) {
        this.#seqToClOrdID.delete(k);
        break;
      }
    }
  }

  /** After a sequence reset (daily rollover, 141=Y) old MsgSeqNums mean nothing. */
  clearSequenceMap(): void {
    this.#seqToClOrdID.clear();
  }

  // ---------- queries ----------

  /** By any ClOrdID the order had, or any request ClOrdID aimed at it. */
  order(clOrdID: string): OmsOrder | undefined {
    return this.#requests.get(clOrdID)?.order ?? undefined;
  }

  orderByOrderID(orderID: string): OmsOrder | undefined {
    return this.#byOrderID.get(orderID);
  }

  openOrders(): OmsOrder[] {
    return [...this.#orders].filter((o) => !isTerminal(o.state));
  }

  /** Seconds since the order was created or last amended (Spot rate-limit cost input). */
  orderAgeSec(order: OmsOrder, nowUs = this.#nowUs()): number {
    return (nowUs - order.lastAmendedAtUs) / 1e6;
  }

  /** Drop closed orders from memory; their ClOrdIDs stay marked as used. */
  forgetClosed(): number {
    let n = 0;
    for (const o of this.#orders) {
      if (!isTerminal(o.state) || o.pendingCancel !== null || o.pendingReplace !== null) continue;
      this.#orders.delete(o);
      if (o.orderID !== null) this.#byOrderID.delete(o.orderID);
      for (const [id, e] of this.#requests) {
        if (e.order === o) {
          this.#requests.delete(id);
          this.#retiredClOrdIDs.add(id);
        }
      }
      n++;
    }
    return n;
  }

  // ---------- reconciliation ----------

  /** On reconnect: every open order (or one with a request in flight) may have changed while we were away. */
  markOpenOrdersNeedStatus(): number {
    let n = 0;
    for (const o of this.#orders) {
      if (!isTerminal(o.state) || o.pendingCancel !== null || o.pendingReplace !== null) {
        o.needsStatus = true;
        n++;
      }
    }
    return n;
  }

  ordersNeedingStatus(): OmsOrder[] {
    return [...this.#orders].filter((o) => o.needsStatus);
  }

  /**
   * Build (and track) OrderStatusRequests for every order needing status. The answers are ERs with
   * ExecType I, applied by onExecutionReport like any other report.
   */
  buildStatusRequests(nextClOrdID: () => string, transactTimeMs: number): StatusRequestPlan {
    const plan: StatusRequestPlan = { requests: [], withoutOrderID: [], unsupported: [] };
    for (const o of this.ordersNeedingStatus()) {
      if (this.venue !== 'spot') plan.unsupported.push(o);
      else if (o.orderID === null) plan.withoutOrderID.push(o);
      else {
        const req: OrderStatusRequest = { clOrdID: nextClOrdID(), orderID: o.orderID, symbol: o.symbol, side: o.side, transactTime: transactTimeMs };
        if (this.trackStatusRequest(req).ok) plan.requests.push(req);
      }
    }
    return plan;
  }

  // ---------- inbound: ExecutionReport ----------

  onExecutionReport(er: ExecutionReportIn): OmsEvent {
    if (this.#execIDs.has(er.execID)) return { kind: 'duplicate', execID: er.execID, anomalies: NO_ANOMALIES };
    this.#rememberExecID(er.execID);
    const order = this.#findOrder(er);
    if (order === undefined) {
      return {
        kind: 'unmatched',
        reason: `ExecutionReport ${er.execID} for unknown order ${er.clOrdID ?? er.orderID ?? '?'}`,
        anomalies: [{ code: 'UNKNOWN_ORDER', clOrdID: er.clOrdID ?? null, message: `ExecID ${er.execID}: no such order` }],
      };
    }
    if (!isExecTypeCode(er.execType)) {
      return {
        kind: 'unmatched',
        reason: `ExecType ${er.execType} not handled`,
        anomalies: [{ code: 'UNKNOWN_EXEC_TYPE', clOrdID: order.clOrdID, message: `ExecType ${JSON.stringify(er.execType)} on ${er.execID}` }],
      };
    }
    return applyExecution(this.#ctx, order, er, er.execType);
  }

  #findOrder(er: ExecutionReportIn): OmsOrder | undefined {
    const byId = (id: string | undefined): OmsOrder | undefined =>
      id === undefined ? undefined : this.#requests.get(id)?.order ?? undefined;
    return (
      byId(er.clOrdID) ??
      byId(er.origClOrdID) ??
      (er.orderID !== undefined ? this.#byOrderID.get(er.orderID) : undefined)
    );
  }

  #rememberExecID(execID: string): void {
    this.#execIDs.add(execID);
    if (this.#execIDs.size > this.#maxExecIDs) {
      for (const k of this.#execIDs) {
        this.#execIDs.delete(k);
        break;
      }
    }
  }

  // ---------- inbound: rejects ----------

  onSessionReject(r: SessionRejectIn): OmsEvent {
    const clOrdID = this.#seqToClOrdID.get(r.refSeqNum);
    const info: RejectInfo = {
      source: 'session-reject',
      text: r.text ?? null,
      kraken: parseKrakenRejectText(r.text),
      reasonCode: r.sessionRejectReason ?? null,
    };
    if (clOrdID === undefined) {
      const ours = r.refMsgType === undefined || ORDER_MSG_TYPES.has(r.refMsgType);
      return {
        kind: 'unmatched',
        reason: `session Reject for MsgSeqNum ${r.refSeqNum} (no order request recorded)`,
        anomalies: ours
          ? [{ code: 'UNMATCHED_REJECT', clOrdID: null, message: `Reject 3 refers to MsgSeqNum ${r.refSeqNum}, unknown to the OMS` }]
          : NO_ANOMALIES,
      };
    }
    return applyRequestReject(this.#requests.get(clOrdID), clOrdID, info);
  }

  onBusinessReject(r: BusinessRejectIn): OmsEvent {
    const kraken = parseKrakenRejectText(r.text);
    const info: RejectInfo = { source: 'business-reject', text: r.text ?? null, kraken, reasonCode: r.businessRejectReason ?? null };
    // 379 is the ClOrdID; older texts also carry it as a prefix; MsgSeqNum is the last resort.
    const candidates = [r.businessRejectRefID, kraken.clOrdID ?? undefined, r.refSeqNum !== undefined ? this.#seqToClOrdID.get(r.refSeqNum) : undefined];
    for (const id of candidates) {
      if (id !== undefined && this.#requests.has(id)) return applyRequestReject(this.#requests.get(id), id, info);
    }
    return {
      kind: 'unmatched',
      reason: `BusinessMessageReject for unknown request ${r.businessRejectRefID ?? '?'}`,
      anomalies: [{ code: 'UNMATCHED_REJECT', clOrdID: r.businessRejectRefID ?? null, message: `j: ${kraken.raw.slice(0, 120)}` }],
    };
  }

  onOrderCancelReject(r: OrderCancelRejectIn): OmsEvent {
    const info: RejectInfo = {
      source: 'cancel-reject',
      text: r.text ?? null,
      kraken: parseKrakenRejectText(r.text),
      reasonCode: r.cxlRejReason ?? null,
    };
    const id = this.#requests.has(r.clOrdID) ? r.clOrdID : undefined;
    if (id === undefined) {
      return {
        kind: 'unmatched',
        reason: `OrderCancelReject for unknown request ${r.clOrdID}`,
        anomalies: [{ code: 'UNMATCHED_REJECT', clOrdID: r.clOrdID, message: `9 for ${r.clOrdID}` }],
      };
    }
    const ev = applyRequestReject(this.#requests.get(id), id, info);
    // 9 carries the order's current status: if it contradicts ours we missed reports.
    const order = this.#requests.get(id)?.order;
    if (order && r.ordStatus !== undefined) {
      const s = ORD_STATUS_TO_STATE[r.ordStatus];
      const open = !isTerminal(order.state);
      if (s !== undefined && s !== 'open' && s !== order.state && !(open && (s === OrderState.New || s === OrderState.PartiallyFilled))) {
        order.needsStatus = true;
      }
    }
    return ev;
  }

}
