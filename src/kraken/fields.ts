// Validated requests -> exact FIX field lists ([tag, value] in send order) for the codec to encode.
// Only validated inputs are accepted, so these builders cannot fail.

import { formatDecimalTrimmed } from './decimal.js';
import {
  MASS_CANCEL_SCOPE_CODE,
  ORD_TYPE_CODE,
  SIDE_CODE,
  STP_CODE,
  TIF_CODE,
  TRIGGER_REF_CODE,
} from './orders.js';
import { TAG } from './tags.js';
import { formatUTCTimestamp } from './time.js';
import type { ValidationError } from './errors.js';
import type {
  NewOrderSingleRequest,
  OrderCancelReplaceRequest,
  OrderCancelRequest,
  OrderMassCancelRequest,
  OrderStatusRequest,
} from './orders.js';
import type { FixField, FixMessagePlan, Result } from './types.js';
import {
  type AmendOriginal,
  type ValidatedAmend,
  type ValidatedCancel,
  type ValidatedMassCancel,
  type ValidatedNewOrder,
  type ValidatedStatus,
  type ValidationContext,
  validateNewOrderSingle,
  validateOrderCancel,
  validateOrderCancelReplace,
  validateOrderMassCancel,
  validateOrderStatus,
} from './validate.js';

export const MSG_TYPE = {
  NewOrderSingle: 'D',
  OrderCancelRequest: 'F',
  OrderCancelReplaceRequest: 'G',
  OrderStatusRequest: 'H',
  OrderMassCancelRequest: 'q',
  ExecutionReport: '8',
  OrderCancelReject: '9',
  Reject: '3',
  BusinessMessageReject: 'j',
} as const;

function headerFor(senderSubID: string | undefined): FixField[] {
  return senderSubID === undefined ? [] : [[TAG.SenderSubID, senderSubID]];
}

export function newOrderSingleFields(v: ValidatedNewOrder): FixMessagePlan {
  const r = v.request;
  const b: FixField[] = [
    [TAG.ClOrdID, r.clOrdID],
    [TAG.OrdType, ORD_TYPE_CODE[r.ordType]],
  ];
  if (v.price !== null) b.push([TAG.Price, formatDecimalTrimmed(v.price)]);
  b.push([TAG.OrderQty, formatDecimalTrimmed(v.orderQty)]);
  if (v.displayQty !== null) b.push([TAG.DisplayQty, formatDecimalTrimmed(v.displayQty)]);
  b.push([TAG.Side, SIDE_CODE[r.side]], [TAG.Symbol, r.symbol], [TAG.TimeInForce, TIF_CODE[r.timeInForce]]);
  b.push([TAG.TransactTime, formatUTCTimestamp(r.transactTime)]);
  // §4.1 gives ExpireTime without milliseconds.
  if (r.expireTime !== undefined) b.push([TAG.ExpireTime, formatUTCTimestamp(r.expireTime, false)]);
  if (r.effectiveTime !== undefined) b.push([TAG.EffectiveTime, formatUTCTimestamp(r.effectiveTime)]);
  if (v.execInst.length > 0) b.push([TAG.ExecInst, v.execInst.join(' ')]);
  if (v.stopPx !== null) b.push([TAG.StopPx, formatDecimalTrimmed(v.stopPx)]);
  if (r.triggerReference !== undefined) b.push([TAG.DiscretionInst, TRIGGER_REF_CODE[r.triggerReference]]);
  if (r.leverage !== undefined) b.push([TAG.Leverage, r.leverage ? '1' : '0']);
  if (r.selfTradePrevention !== undefined) b.push([TAG.SelfTradePrevention, STP_CODE[r.selfTradePrevention]]);
  if (r.validUntilTime !== undefined) b.push([TAG.ValidUntilTime, formatUTCTimestamp(r.validUntilTime)]);
  // Repeating group last so no ordinary field follows it inside the group's scope.
  if (r.allocAccount !== undefined) b.push([TAG.NoAllocs, '1'], [TAG.AllocAccount, r.allocAccount]);
  return { msgType: MSG_TYPE.NewOrderSingle, header: headerFor(r.senderSubID), body: b };
}

export function orderCancelFields(v: ValidatedCancel): FixMessagePlan {
  const r = v.request;
  const b: FixField[] = [[TAG.ClOrdID, r.clOrdID]];
  if (r.orderID !== undefined) b.push([TAG.OrderID, r.orderID]);
  if (r.origClOrdID !== undefined) b.push([TAG.OrigClOrdID, r.origClOrdID]);
  b.push([TAG.Side, SIDE_CODE[r.side]], [TAG.Symbol, r.symbol], [TAG.TransactTime, formatUTCTimestamp(r.transactTime)]);
  return { msgType: MSG_TYPE.OrderCancelRequest, header: [], body: b };
}

export function orderCancelReplaceFields(v: ValidatedAmend): FixMessagePlan {
  const r = v.request;
  const b: FixField[] = [
    [TAG.ClOrdID, r.clOrdID],
    [TAG.OrderID, r.orderID],
    [TAG.OrigClOrdID, r.origClOrdID],
    [TAG.Side, SIDE_CODE[r.side]],
    [TAG.Symbol, r.symbol],
    [TAG.TransactTime, formatUTCTimestamp(r.transactTime)],
    [TAG.OrderQty, formatDecimalTrimmed(v.orderQty)],
    [TAG.OrdType, ORD_TYPE_CODE[r.ordType]],
    [TAG.TimeInForce, TIF_CODE[r.timeInForce]],
  ];
  if (v.price !== null) b.push([TAG.Price, formatDecimalTrimmed(v.price)]);
  if (v.stopPx !== null) b.push([TAG.StopPx, formatDecimalTrimmed(v.stopPx)]);
  if (v.displayQty !== null) b.push([TAG.DisplayQty, formatDecimalTrimmed(v.displayQty)]);
  if (r.postOnly === true) b.push([TAG.ExecInst, 'P']);
  if (r.validUntilTime !== undefined) b.push([TAG.ValidUntilTime, formatUTCTimestamp(r.validUntilTime)]);
  return { msgType: MSG_TYPE.OrderCancelReplaceRequest, header: headerFor(r.senderSubID), body: b };
}

export function orderStatusFields(v: ValidatedStatus): FixMessagePlan {
  const r = v.request;
  const b: FixField[] = [
    [TAG.ClOrdID, r.clOrdID],
    [TAG.OrderID, r.orderID],
    [TAG.Symbol, r.symbol],
  ];
  if (r.side !== undefined) b.push([TAG.Side, SIDE_CODE[r.side]]);
  if (r.transactTime !== undefined) b.push([TAG.TransactTime, formatUTCTimestamp(r.transactTime)]);
  return { msgType: MSG_TYPE.OrderStatusRequest, header: [], body: b };
}

export function orderMassCancelFields(v: ValidatedMassCancel): FixMessagePlan {
  const r = v.request;
  const b: FixField[] = [
    [TAG.ClOrdID, r.clOrdID],
    [TAG.MassCancelRequestType, MASS_CANCEL_SCOPE_CODE[r.scope]],
  ];
  if (r.symbol !== undefined) b.push([TAG.Symbol, r.symbol]);
  b.push([TAG.TransactTime, formatUTCTimestamp(r.transactTime)]);
  return { msgType: MSG_TYPE.OrderMassCancelRequest, header: [], body: b };
}

// ---- validate + build in one call ----

type PlanResult = Result<FixMessagePlan, ValidationError>;

export function prepareNewOrderSingle(req: NewOrderSingleRequest, ctx: ValidationContext): PlanResult {
  const v = validateNewOrderSingle(req, ctx);
  return v.ok ? { ok: true, value: newOrderSingleFields(v.value) } : v;
}

export function prepareOrderCancel(req: OrderCancelRequest, ctx: ValidationContext): PlanResult {
  const v = validateOrderCancel(req, ctx);
  return v.ok ? { ok: true, value: orderCancelFields(v.value) } : v;
}

export function prepareOrderCancelReplace(
  req: OrderCancelReplaceRequest,
  ctx: ValidationContext,
  original?: AmendOriginal,
): PlanResult {
  const v = validateOrderCancelReplace(req, ctx, original);
  return v.ok ? { ok: true, value: orderCancelReplaceFields(v.value) } : v;
}

export function prepareOrderStatus(req: OrderStatusRequest, ctx: ValidationContext): PlanResult {
  const v = validateOrderStatus(req, ctx);
  return v.ok ? { ok: true, value: orderStatusFields(v.value) } : v;
}

export function prepareOrderMassCancel(req: OrderMassCancelRequest, ctx: ValidationContext): PlanResult {
  const v = validateOrderMassCancel(req, ctx);
  return v.ok ? { ok: true, value: orderMassCancelFields(v.value) } : v;
}
