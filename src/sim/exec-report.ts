/**
 * ExecutionReport (35=8) body from one engine execution row (spec §4.6, §6): every transition carries
 * OrdStatus, ExecType, CumQty, LeavesQty, AvgPx; fills add LastPx, LastQty, SecondaryExecID (527, the
 * pair's trade sequence) and LastLiquidityInd (851); unsolicited cancels and expiries carry the
 * engine's Kraken text in 58. Fields are written in ascending tag order. Prices and quantities go
 * straight from the engine's integers to decimal text (no floats, no strings).
 */
import type { FixEncoder } from '../codec/index.js';
import type { Exchange, OrderMeta } from './exchange.js';
import {
  ExecType,
  Liquidity,
  ORD_TYPE_FIX,
  Reason,
  ReasonClass,
  X,
  formatAvgPx,
  reasonClass,
  reasonText,
} from './matching/index.js';

const TIF_CHAR = [0, 0x31, 0, 0x33, 0x34, 0, 0x36]; // index = TimeInForce
const ZERO = new Uint8Array([0x30]);

/** ExecID (17): the ClOrdID's last 12 characters (its recoverable part, §4.12) and the engine's exec sequence. */
function execId(clOrdID: string, execSeq: number): string {
  const tail = clOrdID.length > 12 ? clOrdID.slice(-12) : clOrdID;
  return `${tail}-${execSeq.toString(36).toUpperCase()}`;
}

export function writeExecutionReportBody(enc: FixEncoder, ex: Exchange, meta: OrderMeta, d: Float64Array, b: number): void {
  const inst = meta.rt.inst;
  const pd = inst.priceDecimals;
  const qd = inst.qtyDecimals;
  const tu = inst.tickUnits;
  const lu = inst.lotUnits;
  const execType = d[b + X.ExecType]!;
  const cum = d[b + X.CumQty]!;
  const tag = d[b + X.Tag]!;
  const origTag = d[b + X.OrigTag]!;
  const clOrdID = ex.textOfTag(tag) || meta.clOrdID;
  const trade = execType === ExecType.Trade;

  if (cum > 0) enc.str(6, formatAvgPx(inst, d[b + X.NotionalHi]!, d[b + X.NotionalLo]!, cum));
  else enc.bytes(6, ZERO);
  enc.str(11, clOrdID);
  enc.decimal(14, cum * lu, qd);
  enc.str(17, execId(clOrdID, d[b + X.ExecSeq]!));
  if (trade) {
    enc.decimal(31, d[b + X.LastPx]! * tu, pd);
    enc.decimal(32, d[b + X.LastQty]! * lu, qd);
  }
  enc.str(37, meta.orderID);
  enc.decimal(38, d[b + X.OrderQty]! * lu, qd);
  enc.char(39, d[b + X.OrdStatus]!);
  enc.str(40, ORD_TYPE_FIX[d[b + X.OrdType]!]!);
  if (origTag !== tag) {
    const orig = ex.textOfTag(origTag);
    if (orig !== '') enc.str(41, orig);
  }
  const price = d[b + X.Price]!;
  if (price >= 0) enc.decimal(44, price * tu, pd);
  enc.char(54, 0x30 + d[b + X.Side]!);
  enc.str(55, inst.symbol);
  const reason = d[b + X.Reason]! as Reason;
  if (reason !== Reason.None) {
    const cls = reasonClass(reason);
    const text = reasonText(reason);
    if (text !== '' && cls !== ReasonClass.None) enc.str(58, text);
  }
  enc.char(59, TIF_CHAR[d[b + X.Tif]!] ?? 0x31);
  enc.timestamp(60, d[b + X.Time]!);
  const stopPx = d[b + X.StopPx]!;
  if (stopPx >= 0) enc.decimal(99, stopPx * tu, pd);
  const expire = d[b + X.ExpireTime]!;
  if (expire > 0) enc.timestamp(126, expire);
  enc.char(150, execType);
  enc.decimal(151, d[b + X.LeavesQty]! * lu, qd);
  if (trade) {
    enc.int(527, d[b + X.TradeId]!);
    enc.char(851, d[b + X.Liquidity] === Liquidity.Maker ? 0x31 : 0x32);
  }
  const display = d[b + X.DisplayQty]!;
  if (display > 0) enc.decimal(1138, display * lu, qd);
}
