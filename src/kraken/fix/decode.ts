// MessageView (src/codec) -> the typed inputs of the Kraken profile: ExecutionReport 8 (every §4.6 field plus the
// third-party ones Kraken is seen sending), session Reject 3, BusinessMessageReject j, OrderCancelReject 9,
// SecurityList y (instrument entries) and TradingSessionStatus h. Decoders return typed errors, never throw.
//
// These run on the inbound path but produce strings: the OMS takes wire text (ExecutionReportIn), so a string
// per used field is the price of that interface. The view is only valid during the framer callback, so
// everything kept is copied out here.

import { Tag } from '../../codec/dictionary/index.js';
import type { GroupDef, MessageView } from '../../codec/index.js';
import {
  type Instrument,
  type InstrumentError,
  TRADING_SESSION_STATE_BY_CODE,
  type TradingSessionState,
  instrumentFromListEntry,
} from '../instruments.js';
import type { BusinessRejectIn, ExecutionReportIn, OrderCancelRejectIn, SessionRejectIn } from '../oms-types.js';
import type { FixField, Result, Venue } from '../types.js';
import { MSG_TYPE_CODE } from './encode.js';

export interface DecodeError {
  readonly code: 'WRONG_MSG_TYPE' | 'MISSING_FIELD' | 'INVALID_FIELD' | 'DICTIONARY';
  readonly tag: number | null;
  readonly message: string;
}

function fail(code: DecodeError['code'], tag: number | null, message: string): { ok: false; error: DecodeError } {
  return { ok: false, error: { code, tag, message } };
}

function checkType(view: MessageView, code: number, name: string): { ok: false; error: DecodeError } | null {
  return view.msgTypeCode === code ? null : fail('WRONG_MSG_TYPE', Tag.MsgType, `not a ${name} (MsgType code ${view.msgTypeCode})`);
}

/** Integer field: undefined when absent; NaN when present but not an integer (callers decide). */
function optInt(view: MessageView, tag: number): number | undefined {
  const i = view.indexOf(tag);
  return i < 0 ? undefined : view.intAt(i);
}

/** 136 NoMiscFees entry (§4.6 [3P]). */
export interface MiscFee {
  /** 137, decimal text */
  readonly amt: string | undefined;
  /** 138 */
  readonly curr: string | undefined;
  /** 139 */
  readonly type: string | undefined;
}

/** ExecutionReport 8: what the OMS takes, plus the rest of §4.6 for strategies, fees and audit. */
export interface ExecutionReportDecoded extends ExecutionReportIn {
  /** 527: per-pair trade sequence number on fills. */
  readonly secondaryExecID?: string;
  /** 60 as epoch microseconds. */
  readonly transactTimeMicros?: number;
  /** 40 wire code; after a trigger fires it shows the resulting model (1 or 2). */
  readonly ordType?: string;
  /** 54 wire code. */
  readonly side?: string;
  /** 59 wire code. */
  readonly timeInForce?: string;
  /** 18 space-separated flags. */
  readonly execInst?: string;
  readonly displayQty?: string;
  /** 381 */
  readonly grossTradeAmt?: string;
  /** 1003 */
  readonly tradeID?: string;
  /** 5050 (Kraken) */
  readonly liquidityIndicator?: string;
  /** 851 (US Perps documents it; parsed if present) */
  readonly lastLiquidityInd?: string;
  /** 136 group; empty when absent. */
  readonly fees: readonly MiscFee[];
}

const NO_FEES: readonly MiscFee[] = Object.freeze([]);

export function decodeExecutionReport(view: MessageView): Result<ExecutionReportDecoded, DecodeError> {
  const t = checkType(view, MSG_TYPE_CODE.ExecutionReport, 'ExecutionReport');
  if (t) return t;
  const execID = view.getString(Tag.ExecID);
  if (execID === undefined || execID === '') return fail('MISSING_FIELD', Tag.ExecID, 'ExecutionReport without ExecID (17)');
  const execType = view.getString(Tag.ExecType);
  if (execType === undefined || execType === '') return fail('MISSING_FIELD', Tag.ExecType, `ExecutionReport ${execID} without ExecType (150)`);
  const ordStatus = view.getString(Tag.OrdStatus);
  if (ordStatus === undefined || ordStatus === '') return fail('MISSING_FIELD', Tag.OrdStatus, `ExecutionReport ${execID} without OrdStatus (39)`);
  const tt = view.getTimestampMicros(Tag.TransactTime);
  const s = (tag: number) => view.getString(tag);
  return {
    ok: true,
    value: {
      execID,
      execType,
      ordStatus,
      clOrdID: s(Tag.ClOrdID),
      origClOrdID: s(Tag.OrigClOrdID),
      orderID: s(Tag.OrderID),
      symbol: s(Tag.Symbol),
      orderQty: s(Tag.OrderQty),
      price: s(Tag.Price),
      stopPx: s(Tag.StopPx),
      cumQty: s(Tag.CumQty),
      leavesQty: s(Tag.LeavesQty),
      avgPx: s(Tag.AvgPx),
      lastQty: s(Tag.LastQty),
      lastPx: s(Tag.LastPx),
      text: s(Tag.Text),
      secondaryExecID: s(Tag.SecondaryExecID),
      transactTimeMicros: Number.isNaN(tt) ? undefined : tt,
      ordType: s(Tag.OrdType),
      side: s(Tag.Side),
      timeInForce: s(Tag.TimeInForce),
      execInst: s(Tag.ExecInst),
      displayQty: s(Tag.DisplayQty),
      grossTradeAmt: s(Tag.GrossTradeAmt),
      tradeID: s(Tag.TradeID),
      liquidityIndicator: s(Tag.LiquidityIndicator),
      lastLiquidityInd: s(Tag.LastLiquidityInd),
      fees: decodeFees(view),
    },
  };
}

function decodeFees(view: MessageView): readonly MiscFee[] {
  const countIndex = view.groupStart(Tag.NoMiscFees);
  if (countIndex < 0) return NO_FEES;
  const group = view.dictionary.message('8')?.groups.get(Tag.NoMiscFees);
  if (group === undefined) return NO_FEES;
  const fees: MiscFee[] = [];
  forEachInstance(view, group, countIndex, (from, to) => {
    fees.push({ amt: valueIn(view, from, to, Tag.MiscFeeAmt), curr: valueIn(view, from, to, Tag.MiscFeeCurr), type: valueIn(view, from, to, Tag.MiscFeeType) });
  });
  return fees;
}

// ---------------------------------------------------------------- rejects

export function decodeSessionReject(view: MessageView): Result<SessionRejectIn, DecodeError> {
  const t = checkType(view, MSG_TYPE_CODE.Reject, 'Reject');
  if (t) return t;
  const refSeqNum = optInt(view, Tag.RefSeqNum);
  if (refSeqNum === undefined) return fail('MISSING_FIELD', Tag.RefSeqNum, 'Reject without RefSeqNum (45)');
  if (!(refSeqNum > 0)) return fail('INVALID_FIELD', Tag.RefSeqNum, 'Reject RefSeqNum (45) is not a positive integer');
  const refTagID = optInt(view, Tag.RefTagID);
  const reason = optInt(view, Tag.SessionRejectReason);
  return {
    ok: true,
    value: {
      refSeqNum,
      refMsgType: view.getString(Tag.RefMsgType),
      refTagID: refTagID === undefined || Number.isNaN(refTagID) ? undefined : refTagID,
      sessionRejectReason: reason === undefined || Number.isNaN(reason) ? undefined : reason,
      text: view.getString(Tag.Text),
    },
  };
}

/**
 * 58 comes in two formats (`1688738737 : EOrder:Insufficient funds` and `EOrder:Insufficient funds`); the text
 * is passed through whole and the OMS parses it (parseKrakenRejectText), using the prefix when 379 is missing.
 */
export function decodeBusinessReject(view: MessageView): Result<BusinessRejectIn, DecodeError> {
  const t = checkType(view, MSG_TYPE_CODE.BusinessMessageReject, 'BusinessMessageReject');
  if (t) return t;
  const refSeqNum = optInt(view, Tag.RefSeqNum);
  const reason = optInt(view, Tag.BusinessRejectReason);
  return {
    ok: true,
    value: {
      refSeqNum: refSeqNum === undefined || !(refSeqNum > 0) ? undefined : refSeqNum,
      refMsgType: view.getString(Tag.RefMsgType),
      businessRejectRefID: view.getString(Tag.BusinessRejectRefID),
      businessRejectReason: reason === undefined || Number.isNaN(reason) ? undefined : reason,
      text: view.getString(Tag.Text),
    },
  };
}

export function decodeOrderCancelReject(view: MessageView): Result<OrderCancelRejectIn, DecodeError> {
  const t = checkType(view, MSG_TYPE_CODE.OrderCancelReject, 'OrderCancelReject');
  if (t) return t;
  const clOrdID = view.getString(Tag.ClOrdID);
  if (clOrdID === undefined || clOrdID === '') return fail('MISSING_FIELD', Tag.ClOrdID, 'OrderCancelReject without ClOrdID (11)');
  const reason = optInt(view, Tag.CxlRejReason);
  return {
    ok: true,
    value: {
      clOrdID,
      origClOrdID: view.getString(Tag.OrigClOrdID),
      orderID: view.getString(Tag.OrderID),
      ordStatus: view.getString(Tag.OrdStatus),
      cxlRejResponseTo: view.getString(Tag.CxlRejResponseTo),
      cxlRejReason: reason === undefined || Number.isNaN(reason) ? undefined : reason,
      text: view.getString(Tag.Text),
    },
  };
}

// ---------------------------------------------------------------- SecurityList y

export interface SecurityListDecoded {
  /** 320 */
  readonly securityReqID: string | undefined;
  /** 322 */
  readonly securityResponseID: string | undefined;
  /** 560: 0 valid, 1 invalid/unsupported, 2 none found, 4 temporarily unavailable. */
  readonly securityRequestResult: number | undefined;
  /** 393, only on fragmented lists. */
  readonly totNoRelatedSym: number | undefined;
  /** 893; true when absent (an unfragmented list is its own last fragment). */
  readonly lastFragment: boolean;
  readonly instruments: Instrument[];
  /** Entries that did not make a valid instrument (missing tick, bad status...), with the reason. */
  readonly errors: InstrumentError[];
  /** 146 as declared and as counted; they differ only on a malformed message. */
  readonly declaredCount: number;
  readonly entryCount: number;
  readonly text: string | undefined;
}

/** Tags of one 146 entry the instrument table uses (§4.8). */
const INSTRUMENT_TAGS: ReadonlySet<number> = new Set([
  Tag.Symbol,
  Tag.MinTradeVol,
  Tag.QtyDecimals,
  Tag.QtyMin,
  Tag.QtyMax,
  Tag.MinimumCost,
  Tag.PriceDecimals,
  Tag.TickSize,
  Tag.InstrumentStatus,
]);

/**
 * Instances are found with the dictionary's group definition (delimiter 55, allTags): the same rule as
 * MessageView.findInGroup, but in one pass over the fields, since findInGroup rescans from the count field for
 * every lookup and a full Kraken list (hundreds of pairs x 9 tags) would make that quadratic.
 */
export function decodeSecurityList(view: MessageView, venue: Venue): Result<SecurityListDecoded, DecodeError> {
  const t = checkType(view, MSG_TYPE_CODE.SecurityList, 'SecurityList');
  if (t) return t;
  const group = view.dictionary.message('y')?.groups.get(Tag.NoRelatedSym);
  if (group === undefined || !group.allTags.has(Tag.TickSize)) {
    return fail('DICTIONARY', Tag.NoRelatedSym, 'SecurityList needs the Kraken dictionary (146 group with 5022 etc.)');
  }
  const instruments: Instrument[] = [];
  const errors: InstrumentError[] = [];
  const countIndex = view.groupStart(Tag.NoRelatedSym);
  let declared = 0;
  let entries = 0;
  if (countIndex >= 0) {
    declared = view.intAt(countIndex);
    if (Number.isNaN(declared) || declared < 0) return fail('INVALID_FIELD', Tag.NoRelatedSym, 'NoRelatedSym (146) is not a count');
    forEachInstance(view, group, countIndex, (from, to) => {
      entries++;
      const fields: FixField[] = [];
      for (let i = from; i < to; i++) {
        const tag = view.tags[i]!;
        if (INSTRUMENT_TAGS.has(tag)) fields.push([tag, view.stringAt(i)]);
      }
      const r = instrumentFromListEntry(fields, venue);
      if (r.ok) instruments.push(r.value);
      else errors.push(r.error);
    });
  }
  const result = optInt(view, Tag.SecurityRequestResult);
  const total = optInt(view, Tag.TotNoRelatedSym);
  const last = view.getString(Tag.LastFragment);
  return {
    ok: true,
    value: {
      securityReqID: view.getString(Tag.SecurityReqID),
      securityResponseID: view.getString(Tag.SecurityResponseID),
      securityRequestResult: result === undefined || Number.isNaN(result) ? undefined : result,
      totNoRelatedSym: total === undefined || Number.isNaN(total) ? undefined : total,
      lastFragment: last === undefined || last === 'Y',
      instruments,
      errors,
      declaredCount: declared,
      entryCount: entries,
      text: view.getString(Tag.Text),
    },
  };
}

// ---------------------------------------------------------------- TradingSessionStatus h

export interface TradingSessionStatusDecoded {
  /** 335 */
  readonly tradSesReqID: string | undefined;
  /** 336 */
  readonly tradingSessionID: string;
  /** 340 as Kraken's state; null when the code is not one Kraken documents (see statusCode). */
  readonly state: TradingSessionState | null;
  readonly statusCode: number;
  /** 567 (on a rejected request). */
  readonly rejectReason: number | undefined;
  readonly text: string | undefined;
}

export function decodeTradingSessionStatus(view: MessageView): Result<TradingSessionStatusDecoded, DecodeError> {
  const t = checkType(view, MSG_TYPE_CODE.TradingSessionStatus, 'TradingSessionStatus');
  if (t) return t;
  const id = view.getString(Tag.TradingSessionID);
  if (id === undefined) return fail('MISSING_FIELD', Tag.TradingSessionID, 'TradingSessionStatus without TradingSessionID (336)');
  const code = optInt(view, Tag.TradSesStatus);
  if (code === undefined) return fail('MISSING_FIELD', Tag.TradSesStatus, 'TradingSessionStatus without TradSesStatus (340)');
  if (Number.isNaN(code)) return fail('INVALID_FIELD', Tag.TradSesStatus, 'TradSesStatus (340) is not an integer');
  const rej = optInt(view, Tag.TradSesStatusRejReason);
  return {
    ok: true,
    value: {
      tradSesReqID: view.getString(Tag.TradSesReqID),
      tradingSessionID: id,
      state: TRADING_SESSION_STATE_BY_CODE[String(code)] ?? null,
      statusCode: code,
      rejectReason: rej === undefined || Number.isNaN(rej) ? undefined : rej,
      text: view.getString(Tag.Text),
    },
  };
}

// ---------------------------------------------------------------- group walking

/**
 * Calls visit(from, to) with the field index range of each instance of `group` whose count field is at
 * countIndex. An instance starts at the delimiter; the group ends at the first tag it does not define.
 */
export function forEachInstance(view: MessageView, group: GroupDef, countIndex: number, visit: (from: number, to: number) => void): void {
  let start = -1;
  let i = countIndex + 1;
  for (; i < view.count; i++) {
    const tag = view.tags[i]!;
    if (tag === group.delimiter) {
      if (start >= 0) visit(start, i);
      start = i;
    } else if (!group.allTags.has(tag)) {
      break;
    } else if (start < 0) {
      // A group field before any delimiter: malformed; stop rather than guess.
      return;
    }
  }
  if (start >= 0) visit(start, i);
}

function valueIn(view: MessageView, from: number, to: number, tag: number): string | undefined {
  for (let i = from; i < to; i++) if (view.tags[i] === tag) return view.stringAt(i);
  return undefined;
}
