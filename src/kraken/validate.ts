// Local pre-send validation of order-entry requests against Kraken's venue rules (spec §4.1–4.5, §5, §10)
// and the instrument table. Catching errors here avoids a round trip, a rate-limit charge and the
// error-rate disconnect (§8). Returns typed errors; never throws for a validation failure.

import { DERIVATIVES_ALLOW_FOK, GTD_MAX_AHEAD_MS } from './assumptions.js';
import { type Decimal, cmp, mul } from './decimal.js';
import { type ValidationError, vErr } from './errors.js';
import type { Instrument } from './instruments.js';
import {
  type ValidationContext,
  checkClOrdID,
  checkEnum,
  checkMarket,
  checkText,
  checkTime,
  displayQtyCheck,
  lookup,
  positiveDecimal,
  priceField,
  qtyChecks,
  unsupported,
  validUntilCheck,
} from './validate-steps.js';
import {
  ALLOWS_TRIGGER_REF,
  NEEDS_PRICE,
  NEEDS_STOP_PX,
  ORD_TYPE_CODE,
  SIDE_CODE,
  TIF_CODE,
  STP_CODE,
  MASS_CANCEL_SCOPE_CODE,
  TRIGGER_REF_CODE,
  type NewOrderSingleRequest,
  type OrdTypeName,
  type OrderCancelReplaceRequest,
  type OrderCancelRequest,
  type OrderMassCancelRequest,
  type OrderStatusRequest,
  type Side,
  type TimeInForceName,
} from './orders.js';
import { type Result, type Venue, ok } from './types.js';

export type { ValidationContext } from './validate-steps.js';

export interface ValidatedNewOrder {
  readonly request: NewOrderSingleRequest;
  readonly instrument: Instrument;
  readonly venue: Venue;
  readonly orderQty: Decimal;
  readonly price: Decimal | null;
  readonly stopPx: Decimal | null;
  readonly displayQty: Decimal | null;
  /** 18 flags in wire order (`s` added on Derivatives). */
  readonly execInst: readonly string[];
}

export interface ValidatedAmend {
  readonly request: OrderCancelReplaceRequest;
  readonly instrument: Instrument;
  readonly orderQty: Decimal;
  readonly price: Decimal | null;
  readonly stopPx: Decimal | null;
  readonly displayQty: Decimal | null;
}

export interface ValidatedCancel {
  readonly request: OrderCancelRequest;
  readonly instrument: Instrument;
}
export interface ValidatedStatus {
  readonly request: OrderStatusRequest;
  readonly instrument: Instrument;
}
export interface ValidatedMassCancel {
  readonly request: OrderMassCancelRequest;
  readonly instrument: Instrument | null;
}

/** What the original order looked like, to reject amends of non-amendable attributes. */
export interface AmendOriginal {
  readonly ordType: OrdTypeName;
  readonly timeInForce: TimeInForceName;
  readonly side: Side;
  readonly symbol: string;
}

// ---- NewOrderSingle ----

export function validateNewOrderSingle(
  req: NewOrderSingleRequest,
  ctx: ValidationContext,
): Result<ValidatedNewOrder, ValidationError> {
  const instR = lookup(ctx, req.symbol);
  if (!instR.ok) return instR;
  const inst = instR.value;
  const venue = inst.venue;
  const spot = venue === 'spot';
  const e =
    checkClOrdID(ctx, req.clOrdID) ??
    checkEnum(SIDE_CODE, req.side, 'side') ??
    checkEnum(ORD_TYPE_CODE, req.ordType, 'ordType') ??
    checkEnum(TIF_CODE, req.timeInForce, 'timeInForce') ??
    checkTime(req.transactTime, 'transactTime');
  if (e) return e;
  const ot = req.ordType;
  const postOnly = req.postOnly === true;
  const reduceOnly = req.reduceOnly === true;
  const qtyInQuote = req.qtyInQuote === true;

  // Venue support (§10) before anything that depends on it.
  if (!spot) {
    if (ot === 'trailing-stop-limit') return unsupported('ordType', 'trailing-stop-limit');
    if (req.timeInForce === 'GTD') return unsupported('timeInForce', 'GTD');
    if (req.timeInForce === 'FOK' && !DERIVATIVES_ALLOW_FOK) return unsupported('timeInForce', 'FOK');
    if (req.expireTime !== undefined) return unsupported('expireTime', 'ExpireTime (126)');
    if (req.effectiveTime !== undefined) return unsupported('effectiveTime', 'EffectiveTime (168)');
    if (req.displayQty !== undefined) return unsupported('displayQty', 'iceberg DisplayQty (1138)');
    if (req.leverage !== undefined) return unsupported('leverage', 'Leverage (5001)');
    if (req.selfTradePrevention !== undefined) return unsupported('selfTradePrevention', 'SelfTradePrevention (7928)');
    if (qtyInQuote) return unsupported('qtyInQuote', 'quote-currency quantity (18=v)');
    if (req.feeCurrency !== undefined) return unsupported('feeCurrency', 'fee currency (18=f/q)');
    if (req.senderSubID !== undefined) return unsupported('senderSubID', 'SenderSubID STP');
  } else if (req.singleFee === true) {
    return vErr('UNSUPPORTED_ON_VENUE', 'single fee (18=s) is Derivatives only', 'singleFee');
  }
  if (req.selfTradePrevention !== undefined) {
    const s = checkEnum(STP_CODE, req.selfTradePrevention, 'selfTradePrevention');
    if (s) return s;
  }
  if (req.feeCurrency !== undefined && req.feeCurrency !== 'base' && req.feeCurrency !== 'quote') {
    return vErr('INVALID_FIELD', 'feeCurrency must be base or quote', 'feeCurrency');
  }

  const ms = checkMarket(ctx, inst, { kind: 'new', ordType: ot, postOnly, reduceOnly });
  if (ms) return ms;

  const qtyR = positiveDecimal(req.orderQty, 'orderQty');
  if (!qtyR.ok) return qtyR;
  const qty = qtyR.value;
  const priceR = priceField(inst, req.price, NEEDS_PRICE.has(ot), 'price', ot);
  if (!priceR.ok) return priceR;
  const stopR = priceField(inst, req.stopPx, NEEDS_STOP_PX.has(ot), 'stopPx', ot);
  if (!stopR.ok) return stopR;
  const price = priceR.value;
  const stopPx = stopR.value;

  if (req.triggerReference !== undefined) {
    const t = checkEnum(TRIGGER_REF_CODE, req.triggerReference, 'triggerReference');
    if (t) return t;
    if (!ALLOWS_TRIGGER_REF.has(ot)) return vErr('FIELD_NOT_ALLOWED', `triggerReference (388) is not used by ${ot} orders`, 'triggerReference');
  }
  if (postOnly) {
    if (!NEEDS_PRICE.has(ot)) return vErr('FIELD_NOT_ALLOWED', `post-only needs a limit price; ${ot} has none`, 'postOnly');
    if (req.timeInForce === 'IOC' || req.timeInForce === 'FOK') {
      return vErr('CONFLICTING_INSTRUCTIONS', `post-only cannot be combined with ${req.timeInForce}`, 'postOnly');
    }
  }

  if (qtyInQuote) {
    // OrderQty is a quote amount: base lot/min rules do not apply; the amount itself is the cost.
    if (inst.minCost !== null && cmp(qty, inst.minCost) < 0) {
      return vErr('COST_BELOW_MIN', `quote amount ${req.orderQty} is below the minimum cost ${inst.spec.minCost}`, 'orderQty');
    }
  } else {
    const q = qtyChecks(inst, qty, req.orderQty, true);
    if (q) return q;
    // Cost = qty x reference price; trailing StopPx is a distance, and market orders have no price.
    const ref = price ?? (ot === 'stop-loss' || ot === 'take-profit' ? stopPx : null);
    if (ref !== null && inst.minCost !== null && cmp(mul(ref, qty), inst.minCost) < 0) {
      return vErr('COST_BELOW_MIN', `order cost ${req.orderQty} x ${req.price ?? req.stopPx} is below the minimum ${inst.spec.minCost}`, 'orderQty');
    }
  }

  let displayQty: Decimal | null = null;
  if (req.displayQty !== undefined) {
    const d = displayQtyCheck(inst, req.displayQty, qty, ot);
    if (!d.ok) return d;
    displayQty = d.value;
  }

  // Times.
  if (req.timeInForce === 'GTD' && req.expireTime === undefined) {
    return vErr('MISSING_EXPIRE_TIME', 'GTD requires expireTime (126)', 'expireTime');
  }
  if (req.expireTime !== undefined) {
    if (req.timeInForce !== 'GTD') return vErr('FIELD_NOT_ALLOWED', 'expireTime is only used with GTD', 'expireTime');
    const t = checkTime(req.expireTime, 'expireTime');
    if (t) return t;
    if (req.expireTime <= ctx.nowMs || req.expireTime - ctx.nowMs > GTD_MAX_AHEAD_MS) {
      return vErr('EXPIRE_TIME_INVALID', 'expireTime must be in the future and at most one month ahead', 'expireTime');
    }
  }
  if (req.effectiveTime !== undefined) {
    const t = checkTime(req.effectiveTime, 'effectiveTime');
    if (t) return t;
    if (req.effectiveTime <= ctx.nowMs) return vErr('EFFECTIVE_TIME_INVALID', 'effectiveTime must be in the future', 'effectiveTime');
    if (req.expireTime !== undefined && req.expireTime <= req.effectiveTime) {
      return vErr('CONFLICTING_INSTRUCTIONS', 'expireTime must be after effectiveTime', 'expireTime');
    }
  }
  const vu = validUntilCheck(ctx, req.validUntilTime);
  if (vu) return vu;
  if (req.allocAccount !== undefined) {
    const t = checkText(req.allocAccount, 'allocAccount');
    if (t) return t;
  }
  if (req.senderSubID !== undefined) {
    const t = checkText(req.senderSubID, 'senderSubID');
    if (t) return t;
  }

  // 18 in a stable order; `s` is mandatory on Derivatives, so it is added whether asked or not.
  const execInst: string[] = [];
  if (reduceOnly) execInst.push('E');
  if (postOnly) execInst.push('P');
  if (qtyInQuote) execInst.push('v');
  if (req.feeCurrency === 'base') execInst.push('f');
  if (req.feeCurrency === 'quote') execInst.push('q');
  if (!spot) execInst.push('s');

  return ok({ request: req, instrument: inst, venue, orderQty: qty, price, stopPx, displayQty, execInst });
}

// ---- OrderCancelRequest ----

export function validateOrderCancel(req: OrderCancelRequest, ctx: ValidationContext): Result<ValidatedCancel, ValidationError> {
  const instR = lookup(ctx, req.symbol);
  if (!instR.ok) return instR;
  const e =
    checkClOrdID(ctx, req.clOrdID) ?? checkEnum(SIDE_CODE, req.side, 'side') ?? checkTime(req.transactTime, 'transactTime');
  if (e) return e;
  if (req.orderID === undefined && req.origClOrdID === undefined) {
    return vErr('MISSING_ORDER_REF', 'cancel needs orderID (37) or origClOrdID (41)', 'orderID');
  }
  if (req.orderID !== undefined) {
    const t = checkText(req.orderID, 'orderID');
    if (t) return t;
  }
  if (req.origClOrdID !== undefined) {
    const t = checkText(req.origClOrdID, 'origClOrdID');
    if (t) return t;
  }
  const ms = checkMarket(ctx, instR.value, { kind: 'cancel' });
  if (ms) return ms;
  return ok({ request: req, instrument: instR.value });
}

// ---- OrderCancelReplaceRequest (amend, Spot) ----

export function validateOrderCancelReplace(
  req: OrderCancelReplaceRequest,
  ctx: ValidationContext,
  original?: AmendOriginal,
): Result<ValidatedAmend, ValidationError> {
  const instR = lookup(ctx, req.symbol);
  if (!instR.ok) return instR;
  const inst = instR.value;
  if (inst.venue !== 'spot') return vErr('UNSUPPORTED_ON_VENUE', 'amend (G) is not available on Derivatives; use cancel + new', 'orderID');
  const e =
    checkClOrdID(ctx, req.clOrdID) ??
    checkEnum(SIDE_CODE, req.side, 'side') ??
    checkEnum(ORD_TYPE_CODE, req.ordType, 'ordType') ??
    checkEnum(TIF_CODE, req.timeInForce, 'timeInForce') ??
    checkTime(req.transactTime, 'transactTime') ??
    checkText(req.orderID, 'orderID') ??
    checkText(req.origClOrdID, 'origClOrdID');
  if (e) return e;
  if (original !== undefined) {
    for (const k of ['ordType', 'timeInForce', 'side', 'symbol'] as const) {
      if (original[k] !== req[k]) {
        return vErr('NOT_AMENDABLE', `${k} cannot be amended (${original[k]} -> ${req[k]}); cancel and send a new order`, k);
      }
    }
  }
  const ms = checkMarket(ctx, inst, { kind: 'amend', postOnly: req.postOnly === true });
  if (ms) return ms;
  const ot = req.ordType;
  const qtyR = positiveDecimal(req.orderQty, 'orderQty');
  if (!qtyR.ok) return qtyR;
  // No minimum check: amending below the filled qty is legal and means "cancel the rest" (§4.3).
  const q = qtyChecks(inst, qtyR.value, req.orderQty, false);
  if (q) return q;
  const priceR = priceField(inst, req.price, NEEDS_PRICE.has(ot), 'price', ot);
  if (!priceR.ok) return priceR;
  const stopR = priceField(inst, req.stopPx, NEEDS_STOP_PX.has(ot), 'stopPx', ot);
  if (!stopR.ok) return stopR;
  let displayQty: Decimal | null = null;
  if (req.displayQty !== undefined) {
    const d = displayQtyCheck(inst, req.displayQty, qtyR.value, ot);
    if (!d.ok) return d;
    displayQty = d.value;
  }
  if (req.postOnly === true && (req.timeInForce === 'IOC' || req.timeInForce === 'FOK')) {
    return vErr('CONFLICTING_INSTRUCTIONS', `post-only cannot be combined with ${req.timeInForce}`, 'postOnly');
  }
  const vu = validUntilCheck(ctx, req.validUntilTime);
  if (vu) return vu;
  if (req.senderSubID !== undefined) {
    const t = checkText(req.senderSubID, 'senderSubID');
    if (t) return t;
  }
  return ok({ request: req, instrument: inst, orderQty: qtyR.value, price: priceR.value, stopPx: stopR.value, displayQty });
}

// ---- OrderStatusRequest (Spot) ----

export function validateOrderStatus(req: OrderStatusRequest, ctx: ValidationContext): Result<ValidatedStatus, ValidationError> {
  const instR = lookup(ctx, req.symbol);
  if (!instR.ok) return instR;
  if (instR.value.venue !== 'spot') return vErr('UNSUPPORTED_ON_VENUE', 'OrderStatusRequest (H) is Spot only', 'orderID');
  const e = checkClOrdID(ctx, req.clOrdID);
  if (e) return e;
  if (typeof req.orderID !== 'string' || req.orderID === '') {
    return vErr('MISSING_ORDER_REF', 'OrderStatusRequest requires orderID (37)', 'orderID');
  }
  const t =
    checkText(req.orderID, 'orderID') ??
    (req.side !== undefined ? checkEnum(SIDE_CODE, req.side, 'side') : null) ??
    (req.transactTime !== undefined ? checkTime(req.transactTime, 'transactTime') : null);
  if (t) return t;
  return ok({ request: req, instrument: instR.value });
}

// ---- OrderMassCancelRequest ----

export function validateOrderMassCancel(
  req: OrderMassCancelRequest,
  ctx: ValidationContext,
): Result<ValidatedMassCancel, ValidationError> {
  const e =
    checkClOrdID(ctx, req.clOrdID) ??
    checkEnum(MASS_CANCEL_SCOPE_CODE, req.scope, 'scope') ??
    checkTime(req.transactTime, 'transactTime');
  if (e) return e;
  if (req.scope === 'symbol' && req.symbol === undefined) {
    return vErr('MISSING_SYMBOL', 'mass cancel by symbol (530=1) requires symbol', 'symbol');
  }
  let inst: Instrument | null = null;
  if (req.symbol !== undefined) {
    if (req.scope !== 'symbol') return vErr('FIELD_NOT_ALLOWED', `symbol is only used with scope 'symbol' (530=1)`, 'symbol');
    const instR = lookup(ctx, req.symbol);
    if (!instR.ok) return instR;
    inst = instR.value;
    const ms = checkMarket(ctx, inst, { kind: 'cancel' });
    if (ms) return ms;
  } else if (ctx.venue === 'spot' && ctx.instruments.spotSessionState === 'maintenance') {
    return { ok: false, error: { code: 'MARKET_STATE', state: 'maintenance', source: 'session', message: 'Spot market session is maintenance: no orders or cancels accepted' } };
  }
  return ok({ request: req, instrument: inst });
}
