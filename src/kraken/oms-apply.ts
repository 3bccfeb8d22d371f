// Applying inbound reports to one order: the ExecutionReport step (via the transition table) and the
// request-reject step. Split from oms.ts to keep files readable; the Oms class owns the indexes and
// passes them in through ApplyContext.

import { type Decimal, ZERO, add, cmp, divTrunc, formatDecimalTrimmed, isZero, mul, parseDecimal } from './decimal.js';
import { type ExecTypeCode, ORD_STATUS_TO_STATE, OrderState, TRANSITIONS, isTerminal } from './oms-table.js';
import type { ExecutionReportIn, OmsAnomaly, OmsEvent, OmsOrder, RejectInfo, RequestKind } from './oms-types.js';

export const NO_ANOMALIES: readonly OmsAnomaly[] = Object.freeze([]);
/** AvgPx computed from fills (when the venue sends none/0) is truncated to this many decimals. */
const COMPUTED_AVG_PX_DECIMALS = 12;

export interface RequestEntry {
  readonly kind: RequestKind;
  readonly order: OmsOrder | null;
}

/** What the apply step needs from the OMS indexes. */
export interface ApplyContext {
  nowUs(): number;
  requestKind(clOrdID: string): RequestKind | undefined;
  /** Index a ClOrdID the venue assigned to an order through an amend (no-op if known). */
  registerClOrdID(clOrdID: string, order: OmsOrder): void;
  indexOrderID(orderID: string, order: OmsOrder): void;
}

export function parseOpt(v: string | undefined, field: string, clOrdID: string, anomalies: OmsAnomaly[]): Decimal | null {
  if (v === undefined || v === '') return null;
  const d = parseDecimal(v);
  if (d === null) anomalies.push({ code: 'INVALID_NUMBER', clOrdID, message: `${field} ${JSON.stringify(v.slice(0, 40))} is not a decimal` });
  return d;
}

export function applyExecution(ctx: ApplyContext, order: OmsOrder, er: ExecutionReportIn, execType: ExecTypeCode): OmsEvent {
  const anomalies: OmsAnomaly[] = [];
  const id = order.clOrdID;
  if (er.orderID !== undefined && er.orderID !== '' && order.orderID === null) {
    order.orderID = er.orderID;
    ctx.indexOrderID(er.orderID, order);
  }
  const prev = order.state;
  const cell = TRANSITIONS[prev][execType];
  const stale = cell === 'stale';
  const cum = parseOpt(er.cumQty, 'CumQty', id, anomalies);
  const leaves = parseOpt(er.leavesQty, 'LeavesQty', id, anomalies);

  // Book the fill whatever the transition says: a trade that happened must never be lost.
  let fill: { lastQty: Decimal; lastPx: Decimal } | null = null;
  if (execType === 'F') {
    const lastQty = parseOpt(er.lastQty, 'LastQty', id, anomalies);
    const lastPx = parseOpt(er.lastPx, 'LastPx', id, anomalies);
    if (lastQty !== null && lastPx !== null) {
      fill = { lastQty, lastPx };
      order.fillQty = add(order.fillQty, lastQty);
      order.notional = add(order.notional, mul(lastQty, lastPx));
      order.fillCount++;
      if (cmp(order.fillQty, order.orderQty) > 0) {
        anomalies.push({ code: 'OVERFILL', clOrdID: id, message: `fills total ${formatDecimalTrimmed(order.fillQty)} > OrderQty ${formatDecimalTrimmed(order.orderQty)}` });
      }
    }
  }

  if (execType === '5' && cell !== 'illegal') applyReplace(ctx, order, er, anomalies);

  let next = prev;
  switch (cell) {
    case 'fill':
      next = er.ordStatus === '2' || (leaves !== null && isZero(leaves)) ? OrderState.Filled : OrderState.PartiallyFilled;
      break;
    case 'status':
      next = stateFromStatus(order, er.ordStatus, cum, anomalies) ?? prev;
      break;
    case 'verify': {
      const s = stateFromStatus(order, er.ordStatus, cum, anomalies);
      if (s !== null && s !== prev) {
        anomalies.push({ code: 'STATUS_MISMATCH', clOrdID: id, message: `status report says ${s}, order is ${prev}` });
      }
      break;
    }
    case 'illegal':
      anomalies.push({ code: 'ILLEGAL_TRANSITION', clOrdID: id, message: `ExecType ${execType} (39=${er.ordStatus}) in state ${prev}` });
      break;
    case 'stay':
    case 'stale':
      break;
    default:
      next = cell;
  }

  // Quantities from a stale report are older than what we hold; only fresh ones update.
  if (cum !== null && !stale) {
    if (cmp(cum, order.cumQty) < 0) {
      anomalies.push({ code: 'CUM_QTY_DECREASED', clOrdID: id, message: `CumQty ${er.cumQty} < previous ${formatDecimalTrimmed(order.cumQty)}` });
    } else {
      order.cumQty = cum;
    }
  }
  if (leaves !== null && !stale) order.leavesQty = leaves;

  const solicitedCancel =
    order.pendingCancel !== null || (er.clOrdID !== undefined && ctx.requestKind(er.clOrdID) === 'mass-cancel');
  const unsolicited = execType === '4' && next === OrderState.Canceled && prev !== OrderState.Canceled && !solicitedCancel;
  if (execType === '4' || isTerminal(next)) order.pendingCancel = null;
  if (isTerminal(next)) {
    order.pendingReplace = null;
    order.leavesQty = ZERO;
  }
  order.state = next;
  if (er.text !== undefined && er.text !== '') order.lastText = er.text;
  if (execType === 'I') order.needsStatus = false;

  const avg = parseOpt(er.avgPx, 'AvgPx', id, anomalies);
  if (avg !== null && !isZero(avg)) order.avgPx = avg;
  else if (fill !== null && !isZero(order.fillQty)) order.avgPx = divTrunc(order.notional, order.fillQty, COMPUTED_AVG_PX_DECIMALS);

  if (!stale && !isTerminal(next) && cum !== null && leaves !== null && cmp(add(cum, leaves), order.orderQty) !== 0) {
    anomalies.push({
      code: 'QTY_MISMATCH',
      clOrdID: id,
      message: `CumQty ${er.cumQty} + LeavesQty ${er.leavesQty} != OrderQty ${formatDecimalTrimmed(order.orderQty)}`,
    });
  }
  if (fill !== null && cum !== null && !stale && cmp(cum, order.fillQty) !== 0) {
    anomalies.push({ code: 'FILL_SUM_MISMATCH', clOrdID: id, message: `CumQty ${er.cumQty} != sum of fills ${formatDecimalTrimmed(order.fillQty)} (missed fills?)` });
  }
  return {
    kind: 'execution',
    order,
    execType,
    prevState: prev,
    transition: cell,
    fill,
    unsolicited,
    stale,
    anomalies: anomalies.length === 0 ? NO_ANOMALIES : anomalies,
  };
}

function applyReplace(ctx: ApplyContext, order: OmsOrder, er: ExecutionReportIn, anomalies: OmsAnomaly[]): void {
  const pr = order.pendingReplace;
  const newId = er.clOrdID;
  if (newId !== undefined && newId !== order.clOrdID) {
    order.clOrdID = newId;
    order.clOrdIDChain.push(newId);
    ctx.registerClOrdID(newId, order);
  }
  order.orderQty = parseOpt(er.orderQty, 'OrderQty', order.clOrdID, anomalies) ?? pr?.orderQty ?? order.orderQty;
  order.price = parseOpt(er.price, 'Price', order.clOrdID, anomalies) ?? pr?.price ?? order.price;
  order.stopPx = parseOpt(er.stopPx, 'StopPx', order.clOrdID, anomalies) ?? pr?.stopPx ?? order.stopPx;
  if (pr !== null && (newId === undefined || newId === pr.clOrdID)) order.pendingReplace = null;
  order.lastAmendedAtUs = ctx.nowUs();
}

export function stateFromStatus(order: OmsOrder, ordStatus: string, cum: Decimal | null, anomalies: OmsAnomaly[]): OrderState | null {
  const s = ORD_STATUS_TO_STATE[ordStatus];
  if (s === undefined) {
    anomalies.push({ code: 'UNKNOWN_ORD_STATUS', clOrdID: order.clOrdID, message: `OrdStatus ${JSON.stringify(ordStatus)}` });
    return null;
  }
  if (s !== 'open') return s;
  const filled = cum ?? order.cumQty;
  return isZero(filled) ? OrderState.New : OrderState.PartiallyFilled;
}

export function applyRequestReject(entry: RequestEntry | undefined, clOrdID: string, reject: RejectInfo): OmsEvent {
  if (entry === undefined) {
    return { kind: 'unmatched', reason: `reject for unknown request ${clOrdID}`, anomalies: NO_ANOMALIES };
  }
  const order = entry.order;
  const unknownOrder =
    reject.kraken.kind === 'UNKNOWN_ORDER' ||
    (reject.source === 'business-reject' && (reject.reasonCode === 101 || reject.reasonCode === 1)) ||
    (reject.source === 'cancel-reject' && reject.reasonCode === 1);
  switch (entry.kind) {
    case 'new': {
      const o = order!;
      const cell = TRANSITIONS[o.state]['8'];
      const anomalies: OmsAnomaly[] = [];
      if (cell === OrderState.Rejected) {
        o.state = OrderState.Rejected;
        o.leavesQty = ZERO;
        o.pendingCancel = null;
        o.pendingReplace = null;
      } else if (cell === 'illegal') {
        anomalies.push({ code: 'ILLEGAL_TRANSITION', clOrdID, message: `reject (${reject.source}) for an order already ${o.state}` });
      }
      o.lastText = reject.text;
      return { kind: 'order-rejected', order: o, reject, anomalies: anomalies.length ? anomalies : NO_ANOMALIES };
    }
    case 'cancel':
    case 'replace': {
      const o = order!;
      if (entry.kind === 'cancel' && o.pendingCancel?.clOrdID === clOrdID) o.pendingCancel = null;
      if (entry.kind === 'replace' && o.pendingReplace?.clOrdID === clOrdID) o.pendingReplace = null;
      if (unknownOrder && !isTerminal(o.state)) o.needsStatus = true;
      o.lastText = reject.text;
      return {
        kind: entry.kind === 'cancel' ? 'cancel-rejected' : 'replace-rejected',
        order: o,
        requestClOrdID: clOrdID,
        reject,
        anomalies: NO_ANOMALIES,
      };
    }
    case 'status':
      if (order !== null) {
        order.needsStatus = false;
        if (unknownOrder) order.unknownAtVenue = true;
      }
      return { kind: 'status-rejected', order, requestClOrdID: clOrdID, reject, anomalies: NO_ANOMALIES };
    case 'mass-cancel':
      return { kind: 'mass-cancel-rejected', requestClOrdID: clOrdID, reject, anomalies: NO_ANOMALIES };
  }
}
