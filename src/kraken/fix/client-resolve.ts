// Request resolution for KrakenClient: strategy-facing inputs (ClOrdID, TransactTime and order details
// optional) -> complete profile requests -> local validation. Pure functions of their arguments.

import { formatDecimalTrimmed } from '../decimal.js';
import type { OmsOrder } from '../oms-types.js';
import type { NewOrderSingleRequest, OrderCancelReplaceRequest, OrderCancelRequest, OrderMassCancelRequest, OrderStatusRequest } from '../orders.js';
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
} from '../validate.js';
import type { AmendInput, CancelInput, MassCancelInput, PlaceRequest, StatusInput } from './client-types.js';

export type Kind = 'new' | 'cancel' | 'amend' | 'status' | 'mass-cancel';
export type Input = PlaceRequest | CancelInput | AmendInput | StatusInput | MassCancelInput;
export type Validated = ValidatedNewOrder | ValidatedCancel | ValidatedAmend | ValidatedStatus | ValidatedMassCancel;

/**
 * The full request for `kind`: the caller's fields, then defaults (ClOrdID given, TransactTime = now, the rest
 * from the OMS's copy of the target order), validated as the profile validates any request.
 */
export function validateRequest(kind: Kind, input: Input, clOrdID: string, nowMs: number, o: OmsOrder | undefined, ctx: ValidationContext) {
  const transactTime = input.transactTime ?? nowMs;
  switch (kind) {
    case 'new':
      return validateNewOrderSingle({ ...(input as PlaceRequest), clOrdID, transactTime } as NewOrderSingleRequest, ctx);
    case 'cancel': {
      const i = input as CancelInput;
      return validateOrderCancel({
        ...i, clOrdID, transactTime,
        orderID: i.orderID ?? o?.orderID ?? undefined,
        origClOrdID: o?.clOrdID ?? i.origClOrdID,
        side: i.side ?? o?.side, symbol: i.symbol ?? o?.symbol,
      } as OrderCancelRequest, ctx);
    }
    case 'amend': {
      const i = input as AmendInput;
      const dec = (d: { m: bigint; s: number } | null | undefined) => (d == null ? undefined : formatDecimalTrimmed(d));
      const req = {
        ...i, clOrdID, transactTime,
        orderID: i.orderID ?? o?.orderID ?? undefined,
        origClOrdID: o?.clOrdID ?? i.origClOrdID,
        side: i.side ?? o?.side, symbol: i.symbol ?? o?.symbol,
        ordType: i.ordType ?? o?.ordType, timeInForce: i.timeInForce ?? o?.timeInForce,
        orderQty: i.orderQty ?? dec(o?.orderQty),
        price: i.price ?? dec(o?.price), stopPx: i.stopPx ?? dec(o?.stopPx),
      } as OrderCancelReplaceRequest;
      const original: AmendOriginal | undefined = o && { ordType: o.ordType, timeInForce: o.timeInForce, side: o.side, symbol: o.symbol };
      return validateOrderCancelReplace(req, ctx, original);
    }
    case 'status': {
      const i = input as StatusInput;
      const { origClOrdID: _, ...rest } = i;
      // 60 only when the caller gives it: Kraken requires 11/37/55 on H, and FIX 4.4's H has no 60, so a
      // dictionary-validating counterparty (and our own QuickFIX acceptance run) rejects it.
      return validateOrderStatus({
        ...rest, clOrdID, transactTime: i.transactTime,
        orderID: i.orderID ?? o?.orderID ?? undefined,
        side: i.side ?? o?.side, symbol: i.symbol ?? o?.symbol,
      } as OrderStatusRequest, ctx);
    }
    case 'mass-cancel':
      return validateOrderMassCancel({ ...(input as MassCancelInput), clOrdID, transactTime } as OrderMassCancelRequest, ctx);
  }
}
