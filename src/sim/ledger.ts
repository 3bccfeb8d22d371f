/**
 * The venue's own record of client orders and ExecutionReports, for reconciliation tests (the fault
 * campaign compares a client's view against it). Read-only for callers: it watches what the trading
 * sessions write (every ExecutionReport, sent live or stored for a 141=N replay) and never changes
 * what the simulator does. Opt-in (SimulatorStartOptions.ledger): it grows with every order, so a
 * long-running simulator does not keep it.
 */
import type { Exchange, OrderMeta } from './exchange.js';
import { ExecType, X } from './matching/index.js';
import type { TradingState } from './trading.js';

/** One client order as the venue knows it (by the ClOrdID it was booked under). */
export interface VenueOrderRecord {
  /** SenderCompID of the session that owns the order. */
  readonly compID: string;
  /** ClOrdID of the NewOrderSingle that booked it. */
  readonly clOrdID: string;
  readonly orderID: string;
  /** OrdStatus (39) of the last ExecutionReport. */
  readonly ordStatus: string;
  readonly cumQty: string;
  readonly leavesQty: string;
  /** Still open in the matching engine. */
  readonly open: boolean;
  /** How many orders the venue booked under this ClOrdID for this session (1 unless booked twice). */
  readonly newCount: number;
  /** ExecutionReports the venue produced for this order. */
  readonly reports: number;
}

/** One ExecutionReport the venue produced for a client session (live or stored for replay). */
export interface VenueExecRecord {
  readonly compID: string;
  readonly clOrdID: string;
  /** OrigClOrdID (41), '' when absent. */
  readonly origClOrdID: string;
  readonly orderID: string;
  readonly execID: string;
  readonly execType: string;
  readonly ordStatus: string;
  /** False when the session was not logged on: stored under its MsgSeqNum for a 141=N replay. */
  readonly live: boolean;
}

interface OrderRow {
  compID: string;
  clOrdID: string;
  orderID: string;
  key: number;
  ordStatus: number;
  cum: number;
  leaves: number;
  qd: number;
  lotUnits: number;
  reports: number;
}

/** Same text as exec-report.ts writes in ExecID (17); the campaign's ER matching relies on it. */
function execId(clOrdID: string, execSeq: number): string {
  const tail = clOrdID.length > 12 ? clOrdID.slice(-12) : clOrdID;
  return `${tail}-${execSeq.toString(36).toUpperCase()}`;
}

function decimal(units: number, decimals: number): string {
  if (decimals === 0) return String(units);
  const s = String(Math.round(units)).padStart(decimals + 1, '0');
  return `${s.slice(0, -decimals)}.${s.slice(-decimals)}`;
}

export class VenueLedger {
  private readonly byKey = new Map<number, OrderRow>();
  private readonly execs: VenueExecRecord[] = [];

  constructor(private readonly exchange: Exchange) {}

  /** Records every report this session writes from now on (wraps its writeExecutionReport). */
  watch(state: TradingState): void {
    const write = state.writeExecutionReport.bind(state);
    state.writeExecutionReport = (meta: OrderMeta, d: Float64Array, b: number): void => {
      this.record(state, meta, d, b);
      write(meta, d, b);
    };
  }

  private record(state: TradingState, meta: OrderMeta, d: Float64Array, b: number): void {
    const key = d[b + X.Ref]!;
    const tag = d[b + X.Tag]!;
    const origTag = d[b + X.OrigTag]!;
    const clOrdID = this.exchange.textOfTag(tag) || meta.clOrdID;
    let row = this.byKey.get(key);
    if (row === undefined) {
      const inst = meta.rt.inst;
      // The first report names the ClOrdID the order was booked under (New, or a fill/cancel of an IOC).
      row = { compID: state.compID, clOrdID, orderID: meta.orderID, key, ordStatus: 0, cum: 0, leaves: 0, qd: inst.qtyDecimals, lotUnits: inst.lotUnits, reports: 0 };
      this.byKey.set(key, row);
    }
    row.ordStatus = d[b + X.OrdStatus]!;
    row.cum = d[b + X.CumQty]!;
    row.leaves = d[b + X.LeavesQty]!;
    row.reports++;
    const execType = d[b + X.ExecType]!;
    this.execs.push({
      compID: state.compID,
      clOrdID,
      origClOrdID: origTag !== tag ? this.exchange.textOfTag(origTag) : '',
      orderID: meta.orderID,
      execID: execId(clOrdID, d[b + X.ExecSeq]!),
      execType: String.fromCharCode(execType === ExecType.New ? 0x30 : execType),
      ordStatus: String.fromCharCode(row.ordStatus),
      live: state.session.isLoggedOn,
    });
  }

  /** Every client order, optionally of one SenderCompID; one entry per ClOrdID. */
  orders(compID?: string): VenueOrderRecord[] {
    const byId = new Map<string, { row: OrderRow; n: number }>();
    for (const row of this.byKey.values()) {
      if (compID !== undefined && row.compID !== compID) continue;
      const id = `${row.compID}\u0000${row.clOrdID}`;
      const seen = byId.get(id);
      if (seen === undefined) byId.set(id, { row, n: 1 });
      else seen.n++;
    }
    return [...byId.values()].map(({ row, n }) => ({
      compID: row.compID,
      clOrdID: row.clOrdID,
      orderID: row.orderID,
      ordStatus: String.fromCharCode(row.ordStatus),
      cumQty: decimal(row.cum * row.lotUnits, row.qd),
      leavesQty: decimal(row.leaves * row.lotUnits, row.qd),
      open: this.exchange.engine.isOpen(row.key),
      newCount: n,
      reports: row.reports,
    }));
  }

  /** Every ExecutionReport produced for client sessions, in order, optionally of one SenderCompID. */
  executions(compID?: string): VenueExecRecord[] {
    return compID === undefined ? [...this.execs] : this.execs.filter((e) => e.compID === compID);
  }
}
