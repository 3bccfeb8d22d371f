/**
 * Reusable request objects for the engine's entry points. The gateway keeps one of each, overwrites the
 * fields per message and passes it in, so order entry allocates nothing. Prices are ticks and quantities
 * lots (see Instrument.priceToTicks / qtyToLots); -1 means "absent".
 */
import { OrdType, Side, StpMode, TimeInForce, TriggerRef } from './constants.js';

export class OrderRequest {
  instrument = 0;
  account = 0;
  /** Opaque owner ids used for cancel scopes and cancel-on-disconnect. */
  session = 0;
  /** Caller's correlation value echoed on every event of the order (e.g. a ClOrdID table index). */
  tag = 0;
  side: Side = Side.Buy;
  ordType: OrdType = OrdType.Limit;
  tif: TimeInForce = TimeInForce.GTC;
  /** 44: limit price; for trailing-stop-limit the limit offset from the trigger level [ASSUME]. */
  price = -1;
  /** 99: trigger price; for trailing types the trailing distance [ASSUME]. */
  stopPx = -1;
  qty = 0;
  /** 1138: iceberg display quantity, 0 = fully visible. */
  displayQty = 0;
  postOnly = false;
  reduceOnly = false;
  stp: StpMode = StpMode.CancelNewest;
  /** 126 (GTD), epoch micros, 0 = none. */
  expireTime = 0;
  /** 168, epoch micros, 0 = none. */
  effectiveTime = 0;
  triggerRef: TriggerRef = TriggerRef.LastTrade;

  reset(): this {
    this.instrument = 0;
    this.account = 0;
    this.session = 0;
    this.tag = 0;
    this.side = Side.Buy;
    this.ordType = OrdType.Limit;
    this.tif = TimeInForce.GTC;
    this.price = -1;
    this.stopPx = -1;
    this.qty = 0;
    this.displayQty = 0;
    this.postOnly = false;
    this.reduceOnly = false;
    this.stp = StpMode.CancelNewest;
    this.expireTime = 0;
    this.effectiveTime = 0;
    this.triggerRef = TriggerRef.LastTrade;
    return this;
  }
}

/** Atomic amend (Spot G). -1 leaves a field unchanged. */
export class AmendRequest {
  /** New ClOrdID correlation value; NaN keeps the current one. */
  tag = NaN;
  price = -1;
  stopPx = -1;
  qty = -1;
  displayQty = -1;
  /** 18=P on the amend: reject instead of taking liquidity. */
  postOnly = false;

  reset(): this {
    this.tag = NaN;
    this.price = -1;
    this.stopPx = -1;
    this.qty = -1;
    this.displayQty = -1;
    this.postOnly = false;
    return this;
  }
}
