/**
 * The NewOrderSingle the encode benchmarks write (bench:codec, bench:native): one definition, so the
 * figures they report are for the same work.
 */
import type { FixEncoder } from '../../src/codec/index.js';

const CL_ORD_ID = Buffer.from('cl-000043', 'latin1');
const SYMBOL = Buffer.from('BTC/USD', 'latin1');

/** Header, ClOrdID, Symbol, Side, TransactTime, OrderQty, OrdType, Price, TimeInForce; returns the length. */
export function encodeBenchNos(enc: FixEncoder, seq: number, t0Us: number): number {
  return enc.begin(0x44, seq, t0Us + seq).bytes(11, CL_ORD_ID).bytes(55, SYMBOL).char(54, 0x31)
    .timestamp(60, t0Us + seq, 3).decimal(38, 125, 2).char(40, 0x32).decimal(44, 975431, 1).char(59, 0x31).finish();
}
