/**
 * Reading request fields and writing the simulator's rejects in Kraken's forms (spec §3, §4.7, §9):
 * session Reject 35=3 (45, 58, 371, 372, 373) for missing or invalid FIX fields, BusinessMessageReject
 * 35=j (45, 58, 372, 379 = the request's ClOrdID, 380) for business failures before the engine.
 */
import type { FixEncoder, MessageView } from '../codec/index.js';
import type { FixSession } from '../session/index.js';

export const MT = {
  Heartbeat: 0x30,
  Reject: 0x33,
  ExecutionReport: 0x38,
  NewOrderSingle: 0x44,
  OrderCancelRequest: 0x46,
  OrderCancelReplaceRequest: 0x47,
  OrderStatusRequest: 0x48,
  BusinessReject: 0x6a,
  MassCancel: 0x71,
  MarketDataRequest: 0x56,
  Snapshot: 0x57,
  Incremental: 0x58,
  MdReject: 0x59,
  SecurityListRequest: 0x78,
  SecurityList: 0x79,
  TradingSessionStatusRequest: 0x67,
  TradingSessionStatus: 0x68,
} as const;

/** 373 SessionRejectReason values used here. */
export const SRR = {
  RequiredTagMissing: 1,
  ValueIncorrect: 5,
  IncorrectDataFormat: 6,
  InvalidMsgType: 11,
} as const;

const FIELD_NAMES: Record<number, string> = {
  11: 'ClOrdID', 18: 'ExecInst', 37: 'OrderID', 38: 'OrderQty', 40: 'OrdType', 41: 'OrigClOrdID', 44: 'Price',
  54: 'Side', 55: 'Symbol', 59: 'TimeInForce', 60: 'TransactTime', 99: 'StopPx', 126: 'ExpireTime',
  168: 'EffectiveTime', 262: 'MDReqID', 263: 'SubscriptionRequestType', 264: 'MarketDepth', 320: 'SecurityReqID',
  335: 'TradSesReqID', 388: 'DiscretionInst', 530: 'MassCancelRequestType', 559: 'SecurityListRequestType',
  1138: 'DisplayQty', 5001: 'Leverage', 7928: 'SelfTradePrevention', 62: 'ValidUntilTime',
};

export function fieldName(tag: number): string {
  return FIELD_NAMES[tag] ?? `Tag${tag}`;
}

/** Text of a 35=3 for a missing field, as Kraken's example: `Missing mandatory field: Side (54)`. */
export function missingText(tag: number): string {
  return `Missing mandatory field: ${fieldName(tag)} (${tag})`;
}

export function invalidText(tag: number, detail = ''): string {
  return `Invalid value for field: ${fieldName(tag)} (${tag})${detail ? `: ${detail}` : ''}`;
}

/** First missing tag of `tags` (present with an empty value counts as missing), or 0. */
export function firstMissing(view: MessageView, tags: readonly number[]): number {
  for (const t of tags) {
    const i = view.indexOf(t);
    if (i < 0 || view.lengths[i] === 0) return t;
  }
  return 0;
}

function copyField(enc: FixEncoder, view: MessageView, tag: number, asTag: number): void {
  const i = view.indexOf(tag);
  if (i >= 0 && view.lengths[i]! > 0) enc.bytes(asTag, view.buffer, view.offsets[i]!, view.lengths[i]!);
}

/** Session-level Reject (35=3). An admin message: gap-filled, never replayed. */
export function sendSessionReject(session: FixSession, ref: MessageView, reason: number, refTag: number, text: string): void {
  const enc = session.beginMessage(MT.Reject);
  copyField(enc, ref, 34, 45);
  enc.str(58, text);
  if (refTag > 0) enc.int(371, refTag);
  enc.bytes(372, ref.buffer, ref.offsets[2]!, ref.lengths[2]!);
  enc.int(373, reason);
  session.commit(false);
}

/** BusinessMessageReject (35=j) with 379 = the rejected request's ClOrdID (11) when it has one. */
export function sendBusinessReject(session: FixSession, ref: MessageView, reason: number, text: string, refIdTag = 11): void {
  const enc = session.beginMessage(MT.BusinessReject);
  copyField(enc, ref, 34, 45);
  enc.str(58, text);
  enc.bytes(372, ref.buffer, ref.offsets[2]!, ref.lengths[2]!);
  copyField(enc, ref, refIdTag, 379);
  enc.int(380, reason);
  session.send();
}
