// Kraken requests -> wire bytes, written into a FixEncoder the session has already begun (the session owns
// 8/9/35/34/49/52/56, sequence numbers and the trailer; we add header extras such as SenderSubID and the body).
//
// Two paths that produce identical bytes (test/kraken/fix-encode.test.ts proves it field list by field list):
// - writePlan: any FixMessagePlan ([tag, text] pairs from src/kraken/orders.ts). The plan is text only, so
//   every value goes through encoder.str (no string is built here, but the plan itself was built with strings).
// - writeNewOrderSingle & co: straight from the validated request. Decimals are written from their scaled
//   integer, timestamps from epoch ms, enum codes as single bytes and ExecInst from a precomputed table, so
//   nothing is allocated per message here (the validate step before it still allocates its result object).

import { Tag } from '../../codec/dictionary/index.js';
import { type FixEncoder, msgTypeCode } from '../../codec/index.js';
import { type Decimal, formatDecimalTrimmed } from '../decimal.js';
import {
  MASS_CANCEL_SCOPE_CODE,
  ORD_TYPE_CODE,
  SIDE_CODE,
  STP_CODE,
  TIF_CODE,
  TRIGGER_REF_CODE,
} from '../orders.js';
import type { FixMessagePlan } from '../types.js';
import type { ValidatedAmend, ValidatedCancel, ValidatedMassCancel, ValidatedNewOrder, ValidatedStatus } from '../validate.js';

/** MsgType packed as FixEncoder.begin / MessageView.msgTypeCode expect. */
export const MSG_TYPE_CODE = {
  Reject: msgTypeCode('3'),
  ExecutionReport: msgTypeCode('8'),
  OrderCancelReject: msgTypeCode('9'),
  NewOrderSingle: msgTypeCode('D'),
  OrderCancelRequest: msgTypeCode('F'),
  OrderCancelReplaceRequest: msgTypeCode('G'),
  OrderStatusRequest: msgTypeCode('H'),
  TradingSessionStatusRequest: msgTypeCode('g'),
  TradingSessionStatus: msgTypeCode('h'),
  BusinessMessageReject: msgTypeCode('j'),
  OrderMassCancelRequest: msgTypeCode('q'),
  MarketDataRequest: msgTypeCode('V'),
  SecurityListRequest: msgTypeCode('x'),
  SecurityList: msgTypeCode('y'),
} as const;

/** Writes the plan's header extras, then its body, in plan order. */
export function writePlan(enc: FixEncoder, plan: FixMessagePlan): void {
  const h = plan.header;
  for (let i = 0; i < h.length; i++) enc.str(h[i]![0], h[i]![1]);
  const b = plan.body;
  for (let i = 0; i < b.length; i++) enc.str(b[i]![0], b[i]![1]);
}

// ---------------------------------------------------------------- typed writers

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Same text as formatDecimalTrimmed (trailing fractional zeros dropped), without building it. */
export function writeDecimal(enc: FixEncoder, tag: number, d: Decimal): void {
  if (d.m > MAX_SAFE || d.m < -MAX_SAFE) {
    // Beyond 2^53 the encoder's number path would lose digits; such values are rare enough to format.
    enc.str(tag, formatDecimalTrimmed(d));
    return;
  }
  let m = Number(d.m);
  let s = d.s;
  while (s > 0 && m % 10 === 0) {
    m /= 10;
    s--;
  }
  enc.decimal(tag, m, s);
}

function charCodes<K extends string>(table: Readonly<Record<K, string>>): Readonly<Record<K, number>> {
  const out = {} as Record<K, number>;
  for (const k of Object.keys(table) as K[]) out[k] = table[k].charCodeAt(0);
  return out;
}
const ORD_TYPE = charCodes(ORD_TYPE_CODE);
const SIDE = charCodes(SIDE_CODE);
const TIF = charCodes(TIF_CODE);
const STP = charCodes(STP_CODE);
const TRIGGER_REF = charCodes(TRIGGER_REF_CODE);
const SCOPE = charCodes(MASS_CANCEL_SCOPE_CODE);
const CH_0 = 0x30;
const CH_1 = 0x31;
const CH_P = 0x50;

/** Epoch ms as a UTCTimestamp (ms precision, or whole seconds as §4.1 shows ExpireTime). */
function writeTime(enc: FixEncoder, tag: number, epochMs: number, millis: boolean): void {
  enc.timestamp(tag, Math.floor(epochMs) * 1000, millis ? 3 : 0);
}

/**
 * ExecInst: validation emits the flags in one fixed order (E P v f q s), so each set of flags has exactly one
 * wire text; they are precomputed per bit mask (64 strings) and written without joining anything.
 */
const EXEC_INST_ORDER = 'EPvfqs';
const EXEC_INST_BY_MASK: readonly string[] = Array.from({ length: 1 << EXEC_INST_ORDER.length }, (_, mask) =>
  [...EXEC_INST_ORDER].filter((_c, i) => (mask & (1 << i)) !== 0).join(' '),
);
function writeExecInst(enc: FixEncoder, flags: readonly string[]): void {
  let mask = 0;
  let canonical = true;
  let last = -1;
  for (let i = 0; i < flags.length; i++) {
    const bit = EXEC_INST_ORDER.indexOf(flags[i]!);
    if (bit <= last) canonical = false;
    last = bit;
    mask |= 1 << bit;
  }
  // Flags from elsewhere (unknown letter, other order) are written as given, like the plan path does.
  enc.str(Tag.ExecInst, canonical ? EXEC_INST_BY_MASK[mask]! : flags.join(' '));
}

/** NewOrderSingle `D`, same fields and order as newOrderSingleFields. */
export function writeNewOrderSingle(enc: FixEncoder, v: ValidatedNewOrder): void {
  const r = v.request;
  if (r.senderSubID !== undefined) enc.str(Tag.SenderSubID, r.senderSubID);
  enc.str(Tag.ClOrdID, r.clOrdID);
  enc.char(Tag.OrdType, ORD_TYPE[r.ordType]);
  if (v.price !== null) writeDecimal(enc, Tag.Price, v.price);
  writeDecimal(enc, Tag.OrderQty, v.orderQty);
  if (v.displayQty !== null) writeDecimal(enc, Tag.DisplayQty, v.displayQty);
  enc.char(Tag.Side, SIDE[r.side]);
  enc.str(Tag.Symbol, r.symbol);
  enc.char(Tag.TimeInForce, TIF[r.timeInForce]);
  writeTime(enc, Tag.TransactTime, r.transactTime, true);
  if (r.expireTime !== undefined) writeTime(enc, Tag.ExpireTime, r.expireTime, false);
  if (r.effectiveTime !== undefined) writeTime(enc, Tag.EffectiveTime, r.effectiveTime, true);
  if (v.execInst.length > 0) writeExecInst(enc, v.execInst);
  if (v.stopPx !== null) writeDecimal(enc, Tag.StopPx, v.stopPx);
  if (r.triggerReference !== undefined) enc.char(Tag.DiscretionInst, TRIGGER_REF[r.triggerReference]);
  if (r.leverage !== undefined) enc.char(Tag.Leverage, r.leverage ? CH_1 : CH_0);
  if (r.selfTradePrevention !== undefined) enc.char(Tag.SelfTradePrevention, STP[r.selfTradePrevention]);
  if (r.validUntilTime !== undefined) writeTime(enc, Tag.ValidUntilTime, r.validUntilTime, true);
  if (r.allocAccount !== undefined) {
    enc.int(Tag.NoAllocs, 1);
    enc.str(Tag.AllocAccount, r.allocAccount);
  }
}

/** OrderCancelRequest `F`, as orderCancelFields. */
export function writeOrderCancel(enc: FixEncoder, v: ValidatedCancel): void {
  const r = v.request;
  enc.str(Tag.ClOrdID, r.clOrdID);
  if (r.orderID !== undefined) enc.str(Tag.OrderID, r.orderID);
  if (r.origClOrdID !== undefined) enc.str(Tag.OrigClOrdID, r.origClOrdID);
  enc.char(Tag.Side, SIDE[r.side]);
  enc.str(Tag.Symbol, r.symbol);
  writeTime(enc, Tag.TransactTime, r.transactTime, true);
}

/** OrderCancelReplaceRequest `G`, as orderCancelReplaceFields. */
export function writeOrderCancelReplace(enc: FixEncoder, v: ValidatedAmend): void {
  const r = v.request;
  if (r.senderSubID !== undefined) enc.str(Tag.SenderSubID, r.senderSubID);
  enc.str(Tag.ClOrdID, r.clOrdID);
  enc.str(Tag.OrderID, r.orderID);
  enc.str(Tag.OrigClOrdID, r.origClOrdID);
  enc.char(Tag.Side, SIDE[r.side]);
  enc.str(Tag.Symbol, r.symbol);
  writeTime(enc, Tag.TransactTime, r.transactTime, true);
  writeDecimal(enc, Tag.OrderQty, v.orderQty);
  enc.char(Tag.OrdType, ORD_TYPE[r.ordType]);
  enc.char(Tag.TimeInForce, TIF[r.timeInForce]);
  if (v.price !== null) writeDecimal(enc, Tag.Price, v.price);
  if (v.stopPx !== null) writeDecimal(enc, Tag.StopPx, v.stopPx);
  if (v.displayQty !== null) writeDecimal(enc, Tag.DisplayQty, v.displayQty);
  if (r.postOnly === true) enc.char(Tag.ExecInst, CH_P);
  if (r.validUntilTime !== undefined) writeTime(enc, Tag.ValidUntilTime, r.validUntilTime, true);
}

/** OrderStatusRequest `H`, as orderStatusFields. */
export function writeOrderStatus(enc: FixEncoder, v: ValidatedStatus): void {
  const r = v.request;
  enc.str(Tag.ClOrdID, r.clOrdID);
  enc.str(Tag.OrderID, r.orderID);
  enc.str(Tag.Symbol, r.symbol);
  if (r.side !== undefined) enc.char(Tag.Side, SIDE[r.side]);
  if (r.transactTime !== undefined) writeTime(enc, Tag.TransactTime, r.transactTime, true);
}

/** OrderMassCancelRequest `q`, as orderMassCancelFields. */
export function writeOrderMassCancel(enc: FixEncoder, v: ValidatedMassCancel): void {
  const r = v.request;
  enc.str(Tag.ClOrdID, r.clOrdID);
  enc.char(Tag.MassCancelRequestType, SCOPE[r.scope]);
  if (r.symbol !== undefined) enc.str(Tag.Symbol, r.symbol);
  writeTime(enc, Tag.TransactTime, r.transactTime, true);
}
