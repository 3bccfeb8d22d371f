/**
 * Order entry on a trading session: NewOrderSingle D, OrderCancelRequest F, OrderCancelReplaceRequest G
 * (Spot amend), OrderStatusRequest H (Spot) and OrderMassCancelRequest q, validated in Kraken's layers
 * (§4.1, §9): missing or malformed FIX fields -> session Reject 35=3; ClOrdID format (§4.12) -> 35=3;
 * rate limit (§8), duplicate ClOrdID, unknown order or symbol and every engine refusal -> 35=j with the
 * EOrder:/EGeneral: text; anything after acceptance -> ExecutionReports from the engine's rows.
 */
import type { MessageView } from '../codec/index.js';
import { validateClOrdId } from '../kraken/clordid.js';
import { TEXT } from './config.js';
import { OrderMeta, type InstrumentRt } from './exchange.js';
import {
  AmendRequest,
  DecimalError,
  OrderRequest,
  OrdType,
  REASON_380,
  Reason,
  Side,
  StpMode,
  TimeInForce,
  TriggerRef,
  parseScaledBytes,
  priceScaleReason,
  qtyScaleReason,
  reasonText,
} from './matching/index.js';
import type { TradingGateway, TradingState } from './trading.js';
import { SRR, firstMissing, invalidText, missingText, sendBusinessReject, sendSessionReject } from './wire.js';

const D_REQUIRED = [11, 38, 40, 54, 55, 59, 60];
const F_REQUIRED = [11, 54, 55, 60];
const G_REQUIRED = [11, 37, 41, 54, 55, 60, 38, 40, 59];
const H_REQUIRED = [11, 37, 55];
const Q_REQUIRED = [11, 60, 530];
const ABSENT = -100;

/** 40 character -> engine OrdType (0 = invalid). */
function ordTypeOf(c: number): OrdType | 0 {
  switch (c) {
    case 0x31: return OrdType.Market;
    case 0x32: return OrdType.Limit;
    case 0x33: return OrdType.StopLoss;
    case 0x34: return OrdType.StopLossLimit;
    case 0x52: return OrdType.TakeProfit;
    case 0x54: return OrdType.TakeProfitLimit;
    case 0x55: return OrdType.TrailingStop;
    case 0x56: return OrdType.TrailingStopLimit;
    default: return 0;
  }
}

function tifOf(c: number): TimeInForce | 0 {
  switch (c) {
    case 0x31: return TimeInForce.GTC;
    case 0x33: return TimeInForce.IOC;
    case 0x34: return TimeInForce.FOK;
    case 0x36: return TimeInForce.GTD;
    default: return 0;
  }
}

function needsPrice(t: OrdType): boolean {
  return t === OrdType.Limit || t === OrdType.StopLossLimit || t === OrdType.TakeProfitLimit || t === OrdType.TrailingStopLimit;
}

/** Units at `decimals` of a decimal field; ABSENT, or a negative DecimalError. */
function units(view: MessageView, tag: number, decimals: number): number {
  const i = view.indexOf(tag);
  if (i < 0) return ABSENT;
  const off = view.offsets[i]!;
  return parseScaledBytes(view.buffer, off, off + view.lengths[i]!, decimals);
}

/** 18 ExecInst: space-separated flags. */
class ExecInst {
  postOnly = false;
  reduceOnly = false;
  quoteQty = false;
  singleFee = false;
  valid = true;

  parse(view: MessageView): this {
    this.postOnly = this.reduceOnly = this.quoteQty = this.singleFee = false;
    this.valid = true;
    const text = view.getString(18);
    if (text === undefined) return this;
    for (const f of text.split(' ')) {
      if (f === 'P') this.postOnly = true;
      else if (f === 'E') this.reduceOnly = true;
      else if (f === 'v') this.quoteQty = true;
      else if (f === 's') this.singleFee = true;
      else if (f !== 'f' && f !== 'q' && f !== '') this.valid = false;
    }
    return this;
  }
}

export class OrderEntry {
  private readonly req = new OrderRequest();
  private readonly amendReq = new AmendRequest();
  private readonly inst = new ExecInst();

  constructor(private readonly gw: TradingGateway) {}

  // ---------------------------------------------------------------- rejects

  private sessionReject(st: TradingState, view: MessageView, reason: number, tag: number, text: string): void {
    sendSessionReject(st.session, view, reason, tag, text);
    this.gw.countError(st);
  }

  private missing(st: TradingState, view: MessageView, tag: number): void {
    this.sessionReject(st, view, SRR.RequiredTagMissing, tag, missingText(tag));
  }

  private invalid(st: TradingState, view: MessageView, tag: number, detail = ''): void {
    this.sessionReject(st, view, SRR.ValueIncorrect, tag, invalidText(tag, detail));
  }

  private malformed(st: TradingState, view: MessageView, tag: number): void {
    this.sessionReject(st, view, SRR.IncorrectDataFormat, tag, invalidText(tag, 'incorrect data format'));
  }

  private business(st: TradingState, view: MessageView, reason380: number, text: string): void {
    if (st.session.isLoggedOn) sendBusinessReject(st.session, view, reason380, text);
    this.gw.countError(st);
  }

  private engineReject(st: TradingState, view: MessageView, reason: Reason): void {
    this.business(st, view, REASON_380[reason] ?? 0, reasonText(reason));
  }

  // ---------------------------------------------------------------- shared checks

  /** ClOrdID format (35=3) and uniqueness (35=j); true when usable. */
  private checkClOrdID(st: TradingState, view: MessageView, clOrdID: string): boolean {
    const window = this.gw.policy.clOrdIdWindowMs;
    const r = validateClOrdId(clOrdID, st.venue, window === false ? {} : { nowMs: this.gw.clock.nowMicros() / 1000, windowMs: window });
    if (!r.ok) {
      const reason = r.error.reason;
      const text = reason === 'NOT_COMB_ON_DERIVATIVES' ? TEXT.notComb : reason === 'TIMESTAMP_OUT_OF_WINDOW' ? TEXT.clOrdIdTimestamp : TEXT.clOrdIdFormat;
      this.sessionReject(st, view, SRR.ValueIncorrect, 11, text);
      return false;
    }
    if (!st.isUnused(clOrdID)) {
      this.business(st, view, 0, TEXT.duplicateClOrdID);
      return false;
    }
    st.markUsed(clOrdID);
    return true;
  }

  /** Rate limit for one order action; false (and 35=j sent) when over. Spot charges on receipt. */
  private rateOk(st: TradingState, view: MessageView, rt: InstrumentRt, action: 'add' | 'amend' | 'cancel', ageSec: number): boolean {
    const now = this.gw.clock.nowMicros();
    if (st.bucket !== null) {
      if (st.bucket.wouldExceed('order', now).exceeds) return this.rateReject(st, view);
      st.bucket.charge('order', now);
      return true;
    }
    const pair = rt.spec.symbol;
    const lim = st.spotLimiter;
    const over = lim.wouldExceed(pair, action, ageSec, now).exceeds;
    if (over && !(action === 'cancel' && this.gw.policy.spotCancelsBypassLimit)) return this.rateReject(st, view);
    lim.charge(pair, action, ageSec, now);
    return true;
  }

  private rateReject(st: TradingState, view: MessageView): false {
    this.gw.stats.rateLimitRejects++;
    this.business(st, view, 0, TEXT.rateLimit);
    return false;
  }

  /** The open order a request names: 37 wins over 41 (§4.2); only orders of this SenderCompID. -1 if none. */
  private findOrder(st: TradingState, view: MessageView): number {
    const ex = this.gw.exchange;
    const orderID = view.getString(37);
    if (orderID !== undefined) {
      const key = ex.ids.decode(orderID, st.venue === 'spot');
      const meta = key >= 0 ? ex.metas.get(key) : undefined;
      return meta !== undefined && meta.owner === st && ex.engine.isOpen(key) ? key : -1;
    }
    const orig = view.getString(41);
    const key = orig === undefined ? undefined : st.openByClOrdID.get(orig);
    return key !== undefined && ex.engine.isOpen(key) ? key : -1;
  }

  private ageSec(key: number): number {
    const meta = this.gw.exchange.metas.get(key);
    return meta === undefined ? 0 : (this.gw.clock.nowMicros() - meta.touchedMicros) / 1e6;
  }

  // ---------------------------------------------------------------- D

  newOrder(st: TradingState, view: MessageView): void {
    const gw = this.gw;
    const ex = gw.exchange;
    const missing = firstMissing(view, D_REQUIRED);
    if (missing !== 0) return this.missing(st, view, missing);
    const sideCh = view.getChar(54);
    if (sideCh !== 0x31 && sideCh !== 0x32) return this.invalid(st, view, 54);
    const type = ordTypeOf(view.getChar(40));
    if (type === 0) return this.invalid(st, view, 40);
    const tif = tifOf(view.getChar(59));
    if (tif === 0) return this.invalid(st, view, 59);
    if (needsPrice(type) && !view.has(44)) return this.missing(st, view, 44);
    if (type >= OrdType.StopLoss && !view.has(99)) return this.missing(st, view, 99);
    if (tif === TimeInForce.GTD && !view.has(126)) return this.missing(st, view, 126);
    const ei = this.inst.parse(view);
    if (!ei.valid) return this.invalid(st, view, 18);
    if (st.venue === 'derivatives' && !ei.singleFee) return this.invalid(st, view, 18, 's (single fee) is mandatory on Derivatives');
    const stpCh = view.getChar(7928);
    if (view.has(7928) && (stpCh < 0x30 || stpCh > 0x32)) return this.invalid(st, view, 7928);
    const now = gw.clock.nowMicros();
    const expire = view.has(126) ? view.getTimestampMicros(126) : 0;
    if (expire !== expire) return this.malformed(st, view, 126);
    const effective = view.has(168) ? view.getTimestampMicros(168) : 0;
    if (effective !== effective) return this.malformed(st, view, 168);
    const validUntil = view.has(62) ? view.getTimestampMicros(62) : 0;
    if (validUntil !== validUntil) return this.malformed(st, view, 62);
    const clOrdID = view.getString(11)!;
    if (!this.checkClOrdID(st, view, clOrdID)) return;

    const rt = ex.instrument(st.venue, view.getString(55)!);
    if (rt === undefined) return this.business(st, view, 2, TEXT.unknownPair);
    if (!this.rateOk(st, view, rt, 'add', 0)) return;
    const inst = rt.inst;
    if (st.venue === 'derivatives' && (view.has(1138) || view.has(126) || view.has(168) || view.has(5001) || view.has(7928))) {
      return this.business(st, view, 0, TEXT.invalidArguments);
    }
    if (view.getChar(5001) === 0x31) return this.business(st, view, 0, TEXT.marginNotSimulated);
    if (validUntil > 0) {
      if (validUntil < now) return this.business(st, view, 0, TEXT.deadlineElapsed);
      if (validUntil > now + 60_000_000) return this.business(st, view, 0, TEXT.invalidArguments);
    }

    const r = this.req.reset();
    r.instrument = rt.id;
    r.account = st.account;
    r.session = st.connNo;
    r.side = sideCh === 0x31 ? Side.Buy : Side.Sell;
    r.ordType = type;
    r.tif = tif;
    if (view.has(44)) {
      const u = units(view, 44, inst.priceDecimals);
      if (u === DecimalError.Malformed) return this.malformed(st, view, 44);
      const ticks = inst.priceUnitsToTicks(u);
      if (ticks < 0) return this.engineReject(st, view, priceScaleReason(ticks));
      if (needsPrice(type)) r.price = ticks;
    }
    if (type >= OrdType.StopLoss) {
      const u = units(view, 99, inst.priceDecimals);
      if (u === DecimalError.Malformed) return this.malformed(st, view, 99);
      const ticks = inst.priceUnitsToTicks(u);
      if (ticks < 0) return this.engineReject(st, view, priceScaleReason(ticks));
      r.stopPx = ticks;
    }
    if (ei.quoteQty) {
      // 38 in quote currency (Spot 18=v): converted at the order's limit price, rounded down to the lot.
      if (st.venue !== 'spot' || r.price <= 0) return this.business(st, view, 0, TEXT.invalidArguments);
      const q = units(view, 38, inst.priceDecimals + inst.qtyDecimals);
      if (q === DecimalError.Malformed) return this.malformed(st, view, 38);
      if (q < 0) return this.engineReject(st, view, Reason.InvalidVolume);
      r.qty = Math.floor(q / (r.price * inst.tickUnits * inst.lotUnits));
    } else {
      const u = units(view, 38, inst.qtyDecimals);
      if (u === DecimalError.Malformed) return this.malformed(st, view, 38);
      const lots = inst.qtyUnitsToLots(u);
      if (lots < 0) return this.engineReject(st, view, qtyScaleReason(lots));
      r.qty = lots;
    }
    if (view.has(1138)) {
      const u = units(view, 1138, inst.qtyDecimals);
      if (u === DecimalError.Malformed) return this.malformed(st, view, 1138);
      const lots = inst.qtyUnitsToLots(u);
      if (lots < 0) return this.engineReject(st, view, Reason.InvalidDisplayQty);
      r.displayQty = lots;
    }
    r.postOnly = ei.postOnly;
    r.reduceOnly = ei.reduceOnly;
    r.stp = stpCh === 0x30 ? StpMode.CancelBoth : stpCh === 0x32 ? StpMode.CancelOldest : StpMode.CancelNewest;
    r.expireTime = tif === TimeInForce.GTD ? expire : 0;
    r.effectiveTime = effective;
    r.triggerRef = view.getChar(388) === 0x31 ? TriggerRef.IndexPrice : TriggerRef.LastTrade;

    const tag = ex.tagFor(clOrdID);
    r.tag = tag;
    const reason = ex.engine.submit(r);
    if (reason !== Reason.None) {
      ex.releaseTagLater(tag);
      ex.dispatch();
      return this.engineReject(st, view, reason);
    }
    const key = ex.engine.lastRef;
    const meta = new OrderMeta(st, clOrdID, ex.ids.encode(key, st.venue === 'spot'), rt, st.connNo, now);
    ex.metas.set(key, meta);
    st.openByClOrdID.set(clOrdID, key);
    ex.dispatch();
  }

  // ---------------------------------------------------------------- F

  cancel(st: TradingState, view: MessageView): void {
    const ex = this.gw.exchange;
    const missing = firstMissing(view, F_REQUIRED);
    if (missing !== 0) return this.missing(st, view, missing);
    if (!view.has(37) && !view.has(41)) return this.missing(st, view, 41);
    const clOrdID = view.getString(11)!;
    if (!this.checkClOrdID(st, view, clOrdID)) return;
    const key = this.findOrder(st, view);
    if (key < 0) return this.engineReject(st, view, Reason.UnknownOrder);
    const meta = ex.metas.get(key)!;
    if (!this.rateOk(st, view, meta.rt, 'cancel', this.ageSec(key))) return;
    const tag = ex.tagFor(clOrdID);
    const reason = ex.engine.cancel(key, Reason.UserCancel, tag);
    ex.releaseTagLater(tag);
    ex.dispatch();
    if (reason !== Reason.None) this.engineReject(st, view, reason);
  }

  // ---------------------------------------------------------------- G

  amend(st: TradingState, view: MessageView): void {
    const gw = this.gw;
    const ex = gw.exchange;
    const missing = firstMissing(view, G_REQUIRED);
    if (missing !== 0) return this.missing(st, view, missing);
    const clOrdID = view.getString(11)!;
    if (!this.checkClOrdID(st, view, clOrdID)) return;
    const key = this.findOrder(st, view);
    if (key < 0) return this.engineReject(st, view, Reason.UnknownOrder);
    const meta = ex.metas.get(key)!;
    const o = ex.engine.orderView(key)!;
    const inst = meta.rt.inst;
    // Only prices, quantities and the display size are amendable; other changes are cancel + new (§4.3).
    const side = view.getChar(54) === 0x31 ? Side.Buy : view.getChar(54) === 0x32 ? Side.Sell : 0;
    if (side !== o.side || tifOf(view.getChar(59)) !== ex.engine.orders.tif[ex.engine.orders.resolve(key)]) {
      return this.engineReject(st, view, Reason.AmendNotAllowed);
    }
    const a = this.amendReq.reset();
    const price = units(view, 44, inst.priceDecimals);
    if (price === DecimalError.Malformed) return this.malformed(st, view, 44);
    if (price !== ABSENT) {
      const t = inst.priceUnitsToTicks(price);
      if (t < 0) return this.engineReject(st, view, priceScaleReason(t));
      if (t !== o.price) a.price = t;
    }
    const stop = units(view, 99, inst.priceDecimals);
    if (stop === DecimalError.Malformed) return this.malformed(st, view, 99);
    if (stop !== ABSENT) {
      const t = inst.priceUnitsToTicks(stop);
      if (t < 0) return this.engineReject(st, view, priceScaleReason(t));
      if (t !== o.stopPx) a.stopPx = t;
    }
    const qty = units(view, 38, inst.qtyDecimals);
    if (qty === DecimalError.Malformed) return this.malformed(st, view, 38);
    const lots = inst.qtyUnitsToLots(qty);
    if (lots < 0) return this.engineReject(st, view, qtyScaleReason(lots));
    a.qty = lots;
    const disp = units(view, 1138, inst.qtyDecimals);
    if (disp === DecimalError.Malformed) return this.malformed(st, view, 1138);
    if (disp !== ABSENT) {
      const d = inst.qtyUnitsToLots(disp);
      if (d < 0) return this.engineReject(st, view, Reason.InvalidDisplayQty);
      if (d !== o.display) a.displayQty = d;
    }
    a.postOnly = this.inst.parse(view).postOnly;
    // Amending below the filled quantity is charged as a cancel (§8).
    if (!this.rateOk(st, view, meta.rt, lots <= o.cum ? 'cancel' : 'amend', this.ageSec(key))) return;
    const tag = ex.tagFor(clOrdID);
    a.tag = tag;
    const reason = ex.engine.amend(key, a);
    if (reason !== Reason.None) {
      ex.releaseTagLater(tag);
      ex.dispatch();
      return this.engineReject(st, view, reason);
    }
    if (st.openByClOrdID.get(meta.clOrdID) === key) st.openByClOrdID.delete(meta.clOrdID);
    meta.clOrdID = clOrdID;
    meta.connNo = st.connNo;
    meta.touchedMicros = gw.clock.nowMicros();
    if (ex.engine.isOpen(key)) st.openByClOrdID.set(clOrdID, key);
    ex.dispatch();
  }

  // ---------------------------------------------------------------- H

  status(st: TradingState, view: MessageView): void {
    const ex = this.gw.exchange;
    const missing = firstMissing(view, H_REQUIRED);
    if (missing !== 0) return this.missing(st, view, missing);
    const key = this.findOrder(st, view);
    if (key < 0) return this.engineReject(st, view, Reason.UnknownOrder);
    const tag = ex.tagFor(view.getString(11)!);
    ex.engine.reportStatus(key, tag);
    ex.releaseTagLater(tag);
    ex.dispatch();
  }

  // ---------------------------------------------------------------- q

  massCancel(st: TradingState, view: MessageView): void {
    const gw = this.gw;
    const ex = gw.exchange;
    const missing = firstMissing(view, Q_REQUIRED);
    if (missing !== 0) return this.missing(st, view, missing);
    const type = view.getInt(530);
    if (type !== 1 && type !== 6 && type !== 7) return this.invalid(st, view, 530);
    let instrument = -1;
    if (type === 1) {
      const symbol = view.getString(55);
      if (symbol === undefined) return this.missing(st, view, 55);
      const rt = ex.instrument(st.venue, symbol);
      if (rt === undefined) return this.business(st, view, 2, TEXT.unknownPair);
      instrument = rt.id;
    }
    const clOrdID = view.getString(11)!;
    if (!this.checkClOrdID(st, view, clOrdID)) return;
    const now = gw.clock.nowMicros();
    if (st.bucket !== null) {
      if (st.bucket.wouldExceed('mass-cancel', now).exceeds) {
        this.rateReject(st, view);
        return;
      }
      st.bucket.charge('mass-cancel', now);
    }
    const tag = ex.tagFor(clOrdID);
    for (const key of ex.engine.openOrders(st.account, -1, instrument)) {
      const meta = ex.metas.get(key);
      if (meta === undefined || meta.owner !== st) continue;
      if (type !== 7 && meta.connNo !== st.connNo) continue;
      // Spot: each cancelled order costs its age-based cancel charge; mass cancel is never refused (§8).
      if (st.bucket === null) st.spotLimiter.charge(meta.rt.spec.symbol, 'cancel', (now - meta.touchedMicros) / 1e6, now);
      ex.engine.cancel(key, Reason.MassCancel, tag);
    }
    ex.releaseTagLater(tag);
    ex.dispatch();
  }
}
