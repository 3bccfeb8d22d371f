/**
 * Pre-engine validation of new orders and amends (instrument state, types, ranges, minimums). Pure
 * checks: nothing is mutated except a temporary, exactly restored reservation swap in validateAmend.
 * Funds for new orders are checked in engine.submit because they need the order's slot.
 */
import { InstrumentStatus, OrdType, Reason, Side, StpMode, TimeInForce, TriggerRef } from './constants.js';
import type { MatchingEngine } from './engine.js';
import { OrderFlag, OrderState } from './orders.js';
import type { AmendRequest, OrderRequest } from './requests.js';
import { ScaleError } from './instrument.js';

/** GTD horizon: "<= 1 month ahead" (Kraken §4.1), taken as 31 days. */
export const MAX_GTD_MICROS = 31 * 24 * 3600 * 1e6;

export interface AmendPlan {
  price: number;
  stopPx: number;
  qty: number;
  display: number;
  tag: number;
}

function isInt(v: number): boolean {
  return Number.isSafeInteger(v);
}

function hasLimitPrice(t: OrdType): boolean {
  return t === OrdType.Limit || t === OrdType.StopLossLimit || t === OrdType.TakeProfitLimit || t === OrdType.TrailingStopLimit;
}

export function validateNew(e: MatchingEngine, r: OrderRequest): Reason {
  const inst = e.instruments[r.instrument];
  if (inst === undefined || !isInt(r.instrument)) return Reason.UnknownInstrument;
  const type = r.ordType;
  switch (inst.status) {
    case InstrumentStatus.Online:
      break;
    case InstrumentStatus.Maintenance:
      return Reason.MarketUnavailable;
    case InstrumentStatus.CancelOnly:
      return Reason.MarketCancelOnly;
    case InstrumentStatus.PostOnly:
      if (!(type === OrdType.Limit && r.postOnly)) return Reason.MarketPostOnly;
      break;
    case InstrumentStatus.LimitOnly:
      if (!hasLimitPrice(type)) return Reason.MarketLimitOnly;
      break;
    case InstrumentStatus.ReduceOnly:
      if (!r.reduceOnly) return Reason.MarketReduceOnly;
      break;
    default:
      return Reason.UnknownInstrument;
  }
  if (!isInt(r.account) || r.account < 0 || r.account >= e.ledger.accounts) return Reason.UnknownAccount;
  if (r.side !== Side.Buy && r.side !== Side.Sell) return Reason.InvalidArguments;
  if (!(type >= OrdType.Market && type <= OrdType.TrailingStopLimit) || !isInt(type)) return Reason.InvalidArguments;
  const tif = r.tif;
  if (tif !== TimeInForce.GTC && tif !== TimeInForce.IOC && tif !== TimeInForce.FOK && tif !== TimeInForce.GTD) return Reason.InvalidArguments;
  if (r.stp !== StpMode.CancelBoth && r.stp !== StpMode.CancelNewest && r.stp !== StpMode.CancelOldest) return Reason.InvalidArguments;
  if (!inst.isSpot) {
    // Spot-only features (Kraken §10).
    if (tif === TimeInForce.GTD || type === OrdType.TrailingStopLimit || r.displayQty > 0 || r.effectiveTime > 0) return Reason.InvalidArguments;
  } else if (r.reduceOnly) return Reason.InvalidArguments; // spot margin is not simulated
  if (r.triggerRef === TriggerRef.IndexPrice && type >= OrdType.StopLoss) return Reason.IndexUnavailable;

  const qty = r.qty;
  if (!isInt(qty) || qty <= 0 || qty > inst.maxQtyLots) return Reason.InvalidVolume;
  if (qty < inst.minQtyLots) return Reason.OrderMinimum;
  const limit = hasLimitPrice(type);
  if (limit) {
    const p = r.price;
    if (type === OrdType.TrailingStopLimit) {
      if (!isInt(p) || p < 0 || p > inst.maxPriceTicks) return Reason.InvalidPrice;
    } else if (!isInt(p) || p <= 0 || p > inst.maxPriceTicks) return Reason.InvalidPrice;
  }
  if (type >= OrdType.StopLoss) {
    const s = r.stopPx;
    if (!isInt(s) || s <= 0 || s > inst.maxPriceTicks) return Reason.InvalidPrice;
  }
  if (r.postOnly && !limit) return Reason.InvalidArguments;
  if (r.displayQty !== 0) {
    const d = r.displayQty;
    if (type !== OrdType.Limit || !isInt(d) || d <= 0 || d > qty || d * 15 < qty || d < inst.minQtyLots) return Reason.InvalidDisplayQty;
  }
  if (tif === TimeInForce.GTD) {
    const x = r.expireTime;
    if (!isInt(x) || x <= e.now || x > e.now + MAX_GTD_MICROS) return Reason.InvalidExpireTime;
    if (r.effectiveTime > 0 && x <= r.effectiveTime) return Reason.InvalidExpireTime;
  }
  if (r.effectiveTime !== 0 && (!isInt(r.effectiveTime) || r.effectiveTime < 0)) return Reason.InvalidArguments;
  // Cost minimum on the price the order names; trailing orders name none ([ASSUME] not checked).
  const costPx = type === OrdType.Limit || type === OrdType.StopLossLimit || type === OrdType.TakeProfitLimit ? r.price : type === OrdType.StopLoss || type === OrdType.TakeProfit ? r.stopPx : -1;
  // A float product is exact below 2^53 and >= 2^53 above it, so comparing to a safe integer is exact.
  if (costPx > 0 && costPx * qty < inst.minCostNotional) return Reason.CostMinimum;
  return Reason.None;
}

/** Fills `plan` with the amended values; returns a business reject or None. */
export function validateAmend(e: MatchingEngine, slot: number, r: AmendRequest, plan: AmendPlan): Reason {
  const o = e.orders;
  const inst = e.instruments[o.instrument[slot]];
  if (inst.status === InstrumentStatus.Maintenance) return Reason.MarketUnavailable;
  if (inst.status === InstrumentStatus.CancelOnly) return Reason.MarketCancelOnly;
  const type = o.ordType[slot] as OrdType;
  const state = o.state[slot] as OrderState;
  const untriggered = state === OrderState.Untriggered || (state === OrderState.PendingNew && type >= OrdType.StopLoss);
  plan.tag = Number.isFinite(r.tag) ? r.tag : o.tag[slot];
  plan.price = o.price[slot];
  plan.stopPx = o.stopPx[slot];
  plan.qty = o.qty[slot];
  plan.display = o.display[slot];
  if (r.price !== -1) {
    if (!hasLimitPrice(type)) return Reason.AmendNotAllowed;
    const min = type === OrdType.TrailingStopLimit && untriggered ? 0 : 1;
    if (!isInt(r.price) || r.price < min || r.price > inst.maxPriceTicks) return Reason.InvalidPrice;
    plan.price = r.price;
  }
  if (r.stopPx !== -1) {
    if (!untriggered) return Reason.AmendNotAllowed;
    if (!isInt(r.stopPx) || r.stopPx <= 0 || r.stopPx > inst.maxPriceTicks) return Reason.InvalidPrice;
    plan.stopPx = r.stopPx;
  }
  if (r.qty !== -1) {
    if (!isInt(r.qty) || r.qty < 0 || r.qty > inst.maxQtyLots) return Reason.InvalidVolume;
    if (r.qty <= o.cum[slot]) {
      if (o.cum[slot] === 0) return Reason.InvalidVolume;
      plan.qty = r.qty;
      return Reason.None; // the remainder is cancelled; nothing else to check
    }
    if (r.qty < inst.minQtyLots) return Reason.OrderMinimum;
    plan.qty = r.qty;
  }
  if (r.displayQty !== -1) {
    if ((o.flags[slot] & OrderFlag.Iceberg) === 0 || !isInt(r.displayQty) || r.displayQty <= 0) return Reason.InvalidDisplayQty;
    plan.display = r.displayQty;
  }
  if (plan.display > 0) {
    const d = plan.display;
    if (!isInt(d) || d <= 0 || d > plan.qty || d * 15 < plan.qty || d < inst.minQtyLots) return Reason.InvalidDisplayQty;
  }
  const costPx = type === OrdType.Limit || type === OrdType.StopLossLimit || type === OrdType.TakeProfitLimit ? plan.price : -1;
  if (costPx > 0 && costPx * plan.qty < inst.minCostNotional) return Reason.CostMinimum;

  // Post-only (on the order or on this amend): the new price must not take.
  if (((o.flags[slot] & OrderFlag.PostOnly) !== 0 || r.postOnly) && type === OrdType.Limit) {
    const buy = o.side[slot] === Side.Buy;
    const opp = buy ? e.bestAsk(inst.id) : e.bestBid(inst.id);
    if (opp >= 0 && (buy ? opp <= plan.price : opp >= plan.price)) return Reason.PostOnlyAmendWouldTake;
  }

  // Funds / exposure for the new leaves, counting the order's current reservation as available.
  if ((o.flags[slot] & OrderFlag.Reserves) !== 0) {
    const acct = o.account[slot];
    const oldLeaves = o.qty[slot] - o.cum[slot];
    const newLeaves = plan.qty - o.cum[slot];
    const led = e.ledger;
    if (inst.isSpot) {
      if (o.side[slot] === Side.Buy) {
        const qpn = inst.quoteUnitsPerNotional;
        led.reserve(acct, inst.quoteAsset, o.price[slot] * qpn, oldLeaves, -1);
        const ok = led.canAfford(acct, inst.quoteAsset, plan.price * qpn, newLeaves);
        led.reserve(acct, inst.quoteAsset, o.price[slot] * qpn, oldLeaves, 1);
        if (!ok) return Reason.InsufficientFunds;
      } else if (newLeaves > oldLeaves && !led.canAfford(acct, inst.baseAsset, inst.baseUnitsPerLot, newLeaves - oldLeaves)) {
        return Reason.InsufficientFunds;
      }
    } else if (newLeaves > oldLeaves) {
      const p = led.posOff(acct, inst.id);
      const pos = led.pos;
      const add = newLeaves - oldLeaves;
      const exposure = o.side[slot] === Side.Buy ? pos[p] + pos[p + 1] + add : -pos[p] + pos[p + 2] + add;
      if (exposure > inst.maxPositionLots) return Reason.PositionSizeExceeded;
    }
  }
  return Reason.None;
}

/** Business reject for a failed price conversion (Instrument.priceToTicks result < 0). */
export function priceScaleReason(err: number): Reason {
  if (err === ScaleError.NotOnTick) return Reason.TickSize;
  if (err === ScaleError.Malformed) return Reason.InvalidArguments;
  return Reason.InvalidPrice;
}

/** Business reject for a failed quantity conversion (Instrument.qtyToLots result < 0). */
export function qtyScaleReason(err: number): Reason {
  if (err === ScaleError.Malformed) return Reason.InvalidArguments;
  return Reason.InvalidVolume;
}
