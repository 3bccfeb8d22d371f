/**
 * The campaign's invariant checker: our side's record of its orders (the test strategy's log,
 * order-strategy.ts) against the venue's own record (SimulatorHandle.orders() / executions()).
 *   - orders lost: a ClOrdID whose final state differs between the two sides: the venue booked it and we
 *     never heard (or we hold a report the venue never produced), the last OrdStatus differs, or the
 *     venue holds an order of our session that our side never created.
 *   - duplicates: the venue booked a ClOrdID more than once (newCount > 1), or our side issued one twice.
 *   - executions lost: an ExecutionReport the venue produced for our session (live or stored for a
 *     replay) that never reached the strategy (matched by ExecID).
 *   - left open: with cancel-on-disconnect on, orders still open at the venue right after a disconnect
 *     (snapshots the harness takes; see Rig.openAfterDisconnect).
 * A ClOrdID our side created that the venue never received is consistent when the engine told the
 * strategy so: a local reject, e.g. "not delivered" after the engine gap-filled the NewOrderSingle on
 * the venue's ResendRequest (counted as `notDelivered`), or NOT_LOGGED_ON while reconnecting (`refused`).
 * One that nobody ever answered (`unbooked`: the strategy still holds it PendingNew) is an order lost,
 * unless the check allows it (allowUnbooked: a SIGKILLed process's last orders in flight).
 * Pure functions over plain data, so a test can feed it a fabricated record.
 */
import type { VenueExecRecord, VenueOrderRecord } from '../../../src/sim/index.js';

export interface LoggedReport {
  clOrdID: string;
  origClOrdID: string;
  execType: string;
  ordStatus: string;
  execID: string;
  possDup: boolean;
  orderID: string;
}

export interface StrategyLog {
  /** ClOrdIDs of orders place() returned, in order (duplicates kept). */
  placed: string[];
  /** ClOrdIDs of cancel requests -> the order they cancel. */
  cancels: Map<string, string>;
  reports: LoggedReport[];
  rejects: string[];
  /** SessionStatus lines as logged: "S <state> <event>" (ipc SessionState / SessionEvent numbers). */
  status: string[];
}

export function parseStrategyLog(text: string): StrategyLog {
  const log: StrategyLog = { placed: [], cancels: new Map(), reports: [], rejects: [], status: [] };
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    switch (f[0]) {
      case 'P':
        if (f[1]) log.placed.push(f[1]);
        break;
      case 'C':
        if (f[1] && f[2]) log.cancels.set(f[1], f[2]);
        break;
      case 'E':
        // A torn last line (SIGKILL mid-write) has fewer fields: ignored.
        if (f.length >= 8) {
          log.reports.push({ clOrdID: f[1]!, origClOrdID: f[2] === '-' ? '' : f[2]!, execType: f[3]!, ordStatus: f[4]!, execID: f[5]!, possDup: f[6] === '1', orderID: f[7]! });
        }
        break;
      case 'J':
        log.rejects.push(f.slice(1).join(' '));
        break;
      case 'S':
        log.status.push(line);
        break;
      default:
        break;
    }
  }
  return log;
}

export interface Violations {
  ordersLost: number;
  duplicates: number;
  execsLost: number;
  leftOpen: number;
}

export interface CheckResult extends Violations {
  ok: boolean;
  /** ClOrdIDs our side created (placed, plus any known only from a report: a crash between send and log). */
  created: number;
  /** Created and booked by the venue. */
  booked: number;
  /** Created, refused by the venue (35=j/3) or the engine, never booked: consistent. */
  refused: number;
  /** Created, never reached the venue, rejected locally as "not delivered" (gap-filled): consistent. */
  notDelivered: number;
  /** Created, never reached the venue, never answered (still PendingNew): lost unless allowUnbooked. */
  unbooked: number;
  /** Reports the strategy received (PossDup replays included) / distinct ExecIDs. */
  reportsReceived: number;
  venueReports: number;
  /** One line per violation (capped), for the failure message. */
  problems: string[];
}

/** ExecID is "<ClOrdID tail>-<venue exec sequence, base 36>": the sequence orders one order's reports. */
function execSeq(execID: string): number {
  const i = execID.lastIndexOf('-');
  return i < 0 ? -1 : parseInt(execID.slice(i + 1), 36);
}

export function checkInvariants(
  ours: StrategyLog,
  venue: { orders: readonly VenueOrderRecord[]; executions: readonly VenueExecRecord[] },
  openAfterDisconnect: readonly number[] = [],
  options: { allowUnbooked?: boolean } = {},
): CheckResult {
  const problems: string[] = [];
  const note = (p: string) => {
    if (problems.length < 20) problems.push(p);
  };

  // Our last report per order: a cancel's report names the cancel request in 11 and the order in 41.
  const lastOf = new Map<string, LoggedReport>();
  const seenExec = new Set<string>();
  for (const r of ours.reports) {
    seenExec.add(r.execID);
    const cancelled = ours.cancels.get(r.clOrdID);
    const order = r.origClOrdID !== '' && r.origClOrdID !== r.clOrdID ? r.origClOrdID : cancelled ?? r.clOrdID;
    const prev = lastOf.get(order);
    if (prev === undefined || execSeq(r.execID) >= execSeq(prev.execID)) lastOf.set(order, r);
  }

  let duplicates = 0;
  const created = new Set<string>();
  for (const id of ours.placed) {
    if (created.has(id)) {
      duplicates++;
      note(`ClOrdID ${id} issued twice by our side`);
    }
    created.add(id);
  }
  for (const id of lastOf.keys()) if (!ours.cancels.has(id)) created.add(id);

  const venueById = new Map<string, VenueOrderRecord>();
  for (const o of venue.orders) {
    venueById.set(o.clOrdID, o);
    if (o.newCount > 1) {
      duplicates += o.newCount - 1;
      note(`ClOrdID ${o.clOrdID} booked ${o.newCount} times by the venue`);
    }
  }

  const rejected = new Set(ours.rejects.map((r) => r.split(' ')[0]!));
  const undelivered = new Set(ours.rejects.filter(isNotDelivered).map((r) => r.split(' ')[0]!));
  let ordersLost = 0;
  let booked = 0;
  let refused = 0;
  let notDelivered = 0;
  let unbooked = 0;
  for (const id of created) {
    const v = venueById.get(id);
    const mine = lastOf.get(id);
    if (v === undefined && mine === undefined) {
      if (undelivered.has(id)) notDelivered++;
      else if (rejected.has(id)) refused++;
      else {
        unbooked++;
        if (!options.allowUnbooked) {
          ordersLost++;
          note(`ClOrdID ${id}: never reached the venue and nobody told the strategy (still PendingNew)`);
        }
      }
    } else if (v !== undefined && undelivered.has(id)) {
      ordersLost++;
      note(`ClOrdID ${id}: reported "not delivered" but the venue booked it (39=${v.ordStatus})`);
    } else if (v === undefined) {
      ordersLost++;
      note(`ClOrdID ${id}: we hold report ${mine!.execID} (39=${mine!.ordStatus}) the venue has no order for`);
    } else if (mine === undefined) {
      booked++;
      ordersLost++;
      note(`ClOrdID ${id}: booked by the venue (39=${v.ordStatus}) but no report reached us`);
    } else {
      booked++;
      if (mine.ordStatus !== v.ordStatus) {
        ordersLost++;
        note(`ClOrdID ${id}: we say 39=${mine.ordStatus}, the venue says 39=${v.ordStatus}`);
      }
    }
  }
  for (const o of venue.orders) {
    if (!created.has(o.clOrdID)) {
      ordersLost++;
      note(`ClOrdID ${o.clOrdID}: the venue holds an order (39=${o.ordStatus}) our side never created`);
    }
  }

  let execsLost = 0;
  const venueExec = new Set<string>();
  for (const e of venue.executions) {
    venueExec.add(e.execID);
    if (!seenExec.has(e.execID)) {
      execsLost++;
      note(`ExecutionReport ${e.execID} (${e.clOrdID} 150=${e.execType} 39=${e.ordStatus}, ${e.live ? 'sent live' : 'stored for replay'}) never reached the strategy`);
    }
  }
  for (const id of seenExec) {
    if (!venueExec.has(id)) {
      execsLost++;
      note(`the strategy received ExecutionReport ${id} the venue never produced`);
    }
  }

  let leftOpen = 0;
  openAfterDisconnect.forEach((n, i) => {
    if (n > 0) {
      leftOpen += n;
      note(`${n} order(s) still open at the venue after disconnect ${i + 1} (cancel-on-disconnect)`);
    }
  });

  const result: CheckResult = {
    ok: ordersLost === 0 && duplicates === 0 && execsLost === 0 && leftOpen === 0,
    ordersLost,
    duplicates,
    execsLost,
    leftOpen,
    created: created.size,
    booked,
    refused,
    notDelivered,
    unbooked,
    reportsReceived: ours.reports.length,
    venueReports: venue.executions.length,
    problems,
  };
  return result;
}

/** A strategy log reject line (`<ClOrdID> <35> <text>`) of a command the engine gap-filled (sent-log.ts). */
export function isNotDelivered(rejectLine: string): boolean {
  return rejectLine.includes('not_delivered');
}
