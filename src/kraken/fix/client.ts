// KrakenClient: the strategy-facing facade of one Kraken trading session.
// Outbound: place / cancel / amend / status / massCancel -> fill defaults (ClOrdID, TransactTime, the OMS's
// copy of the order) -> validate locally (typed error, nothing sent) -> error-rate and rate-limit checks
// (refuse, or queue under the 'queue' policy) -> OMS tracking -> encode through the FixSender port -> charge
// the limiter and record the MsgSeqNum. Inbound: onMessage(view) decodes 8/9/j/3/y/h, applies them to the OMS,
// instrument table and market state, and returns (and emits) one typed event.
// Owns no socket, sequence number or timer: the session behind FixSender does; pump() is called by the owner.

import { type FixEncoder, type MessageView } from '../../codec/index.js';
import { CombClOrdIdGenerator, IntegerClOrdIdGenerator, systemWallClockUs } from '../clordid.js';
import { InstrumentTable } from '../instruments.js';
import { Oms } from '../oms.js';
import type { OmsOrder } from '../oms-types.js';
import type { NewOrderSingleRequest, OrderCancelReplaceRequest, OrderCancelRequest, OrderMassCancelRequest, OrderStatusRequest } from '../orders.js';
import { type Input, type Kind, type Validated, validateRequest } from './client-resolve.js';
import {
  orderCancelFields,
  orderCancelReplaceFields,
  orderMassCancelFields,
  newOrderSingleFields,
  orderStatusFields,
} from '../fields.js';
import { DerivativesRateLimiter, ErrorRateGuard, type RateDecision, type SendPolicy, SpotRateLimiter } from '../ratelimit.js';
import type { FixMessagePlan, Venue } from '../types.js';
import {
  type ValidatedAmend,
  type ValidatedCancel,
  type ValidatedMassCancel,
  type ValidatedNewOrder,
  type ValidatedStatus,
  type ValidationContext,
  validateOrderStatus,
} from '../validate.js';
import type {
  AmendInput,
  BodyWriter,
  CancelInput,
  ClientError,
  ClientEvent,
  FixSender,
  MassCancelInput,
  PlaceRequest,
  SendOutcome,
  StatusInput,
} from './client-types.js';
import { handleInbound } from './client-inbound.js';
import {
  MSG_TYPE_CODE,
  writeNewOrderSingle,
  writeOrderCancel,
  writeOrderCancelReplace,
  writeOrderMassCancel,
  writeOrderStatus,
  writePlan,
} from './encode.js';
import { type SecurityListRequestSpec, type RequestError, securityListRequestPlan } from './requests.js';

export * from './client-types.js';

export interface KrakenClientOptions {
  readonly venue: Venue;
  readonly sender: FixSender;
  readonly instruments?: InstrumentTable;
  readonly oms?: Oms;
  readonly clOrdIds?: { next(): string };
  /** Wall clock, epoch ms (TransactTime, ClOrdID window, time-in-force checks). Default Date.now. */
  readonly nowMs?: () => number;
  /** Monotonic µs (rate limits, order ages). Default performance.now. */
  readonly nowUs?: () => number;
  /** Over the rate limit: refuse (default) or hold and send from pump(). */
  readonly rateLimitPolicy?: SendPolicy;
  readonly spotRateLimiter?: SpotRateLimiter;
  readonly derivativesRateLimiter?: DerivativesRateLimiter;
  /** null disables the error-rate guard. */
  readonly errorRateGuard?: ErrorRateGuard | null;
  readonly maxQueued?: number;
  /** 'typed' (default) writes straight from validated requests; 'plan' goes through FixMessagePlan text. */
  readonly encoding?: 'typed' | 'plan';
  readonly onEvent?: (event: ClientEvent) => void;
}

interface QueueEntry {
  readonly kind: Kind;
  readonly input: Input;
  readonly clOrdID: string;
  sendAtUs: number;
}

const KIND_MSG_TYPE: Readonly<Record<Kind, number>> = {
  new: MSG_TYPE_CODE.NewOrderSingle,
  cancel: MSG_TYPE_CODE.OrderCancelRequest,
  amend: MSG_TYPE_CODE.OrderCancelReplaceRequest,
  status: MSG_TYPE_CODE.OrderStatusRequest,
  'mass-cancel': MSG_TYPE_CODE.OrderMassCancelRequest,
};

function refused(clOrdID: string | null, error: ClientError): SendOutcome {
  return { status: 'refused', clOrdID, error };
}

export class KrakenClient {
  readonly venue: Venue;
  readonly instruments: InstrumentTable;
  readonly oms: Oms;
  readonly #sender: FixSender;
  readonly #ids: { next(): string };
  readonly #nowMs: () => number;
  readonly #nowUs: () => number;
  readonly #policy: SendPolicy;
  readonly #spot: SpotRateLimiter;
  readonly #drv: DerivativesRateLimiter;
  readonly #guard: ErrorRateGuard | null;
  readonly #maxQueued: number;
  readonly #typed: boolean;
  readonly #onEvent: ((e: ClientEvent) => void) | undefined;
  readonly #queue: QueueEntry[] = [];
  readonly #queuedIds = new Set<string>();

  // The message being written: set just before sender.send, read by the one pre-bound writer (no closure per send).
  #pendingKind: Kind | 'plan' = 'plan';
  #pendingValue: Validated | null = null;
  #pendingPlan: FixMessagePlan | null = null;
  readonly #writer: BodyWriter = (enc) => this.#writePending(enc);

  constructor(o: KrakenClientOptions) {
    this.venue = o.venue;
    this.#sender = o.sender;
    this.instruments = o.instruments ?? new InstrumentTable();
    this.#nowMs = o.nowMs ?? Date.now;
    this.#nowUs = o.nowUs ?? (() => performance.now() * 1000);
    this.oms = o.oms ?? new Oms({ venue: o.venue, nowUs: this.#nowUs });
    const wallUs = o.nowMs ? () => o.nowMs!() * 1000 : systemWallClockUs;
    this.#ids = o.clOrdIds ?? (o.venue === 'spot' ? new IntegerClOrdIdGenerator({ nowUs: wallUs }) : new CombClOrdIdGenerator({ nowUs: wallUs }));
    this.#policy = o.rateLimitPolicy ?? 'reject';
    this.#spot = o.spotRateLimiter ?? new SpotRateLimiter();
    this.#drv = o.derivativesRateLimiter ?? new DerivativesRateLimiter();
    this.#guard = o.errorRateGuard === undefined ? new ErrorRateGuard() : o.errorRateGuard;
    this.#maxQueued = o.maxQueued ?? 1000;
    this.#typed = (o.encoding ?? 'typed') === 'typed';
    this.#onEvent = o.onEvent;
  }

  // ---------------------------------------------------------------- outbound

  place(req: PlaceRequest): SendOutcome {
    return this.#submit('new', req, null);
  }
  cancel(req: CancelInput): SendOutcome {
    return this.#submit('cancel', req, null);
  }
  amend(req: AmendInput): SendOutcome {
    return this.#submit('amend', req, null);
  }
  status(req: StatusInput): SendOutcome {
    return this.#submit('status', req, null);
  }
  massCancel(req: MassCancelInput): SendOutcome {
    return this.#submit('mass-cancel', req, null);
  }

  /** InstrumentListRequest (SecurityListRequest x): send on every (re)connect, §4.8. */
  requestInstruments(spec: SecurityListRequestSpec): { ok: true; msgSeqNum: number } | { ok: false; error: RequestError | ClientError } {
    const p = securityListRequestPlan(spec);
    if (!p.ok) return p;
    const seq = this.#sendPlan(MSG_TYPE_CODE.SecurityListRequest, p.value);
    return typeof seq === 'number' ? { ok: true, msgSeqNum: seq } : { ok: false, error: seq };
  }

  /** Requests held by the 'queue' policy. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Sends queued requests whose time has come (in order); returns how many were sent. Call from a timer. */
  pump(): number {
    const now = this.#nowUs();
    let sent = 0;
    for (let i = 0; i < this.#queue.length; ) {
      const e = this.#queue[i]!;
      if (e.sendAtUs > now) {
        i++;
        continue;
      }
      const r = this.#submit(e.kind, e.input, e);
      if (r.status === 'queued') {
        i++;
        continue;
      }
      this.#queue.splice(i, 1);
      this.#queuedIds.delete(e.clOrdID);
      if (r.status === 'sent') {
        sent++;
        this.#emit({ kind: 'queued-sent', clOrdID: r.clOrdID, msgSeqNum: r.msgSeqNum });
      } else {
        this.#emit({ kind: 'queued-dropped', clOrdID: e.clOrdID, error: r.error });
      }
    }
    return sent;
  }

  /**
   * After a reconnect: mark open orders as needing status and send OrderStatusRequests for those with an
   * OrderID (Spot). The answers (ExecType I) come back through onMessage.
   */
  reconcile(): { sent: number; failed: number; withoutOrderID: OmsOrder[]; unsupported: OmsOrder[] } {
    this.oms.markOpenOrdersNeedStatus();
    const plan = this.oms.buildStatusRequests(() => this.#ids.next(), this.#nowMs());
    let sent = 0;
    let failed = 0;
    // Already tracked by the OMS, so validate without the ClOrdID-in-use check.
    const ctx: ValidationContext = { instruments: this.instruments, venue: this.venue, nowMs: this.#nowMs() };
    for (const tracked of plan.requests) {
      const { transactTime: _, ...req } = tracked; // no 60 on H, as in status()
      const v = validateOrderStatus(req, ctx);
      const seq = v.ok ? this.#sendValidated('status', v.value) : null;
      if (typeof seq === 'number') {
        this.oms.recordSent(req.clOrdID, seq);
        sent++;
      } else failed++;
    }
    return { sent, failed, withoutOrderID: plan.withoutOrderID, unsupported: plan.unsupported };
  }

  // ---------------------------------------------------------------- inbound

  /** One inbound message (application, or the session Reject 3). The view is read here and not kept. */
  onMessage(view: MessageView): ClientEvent {
    const ev = handleInbound(view, this.venue, this.oms, this.instruments);
    if (this.#guard !== null && (view.msgTypeCode === MSG_TYPE_CODE.Reject || view.msgTypeCode === MSG_TYPE_CODE.BusinessMessageReject
      || (ev.kind === 'order' && ev.oms.kind === 'order-rejected'))) {
      this.#guard.recordReject(this.#nowUs());
    }
    this.#emit(ev);
    return ev;
  }

  /** After a sequence reset (141=Y logon, daily rollover): old MsgSeqNums no longer identify requests. */
  onSequenceReset(): void {
    this.oms.clearSequenceMap();
  }

  // ---------------------------------------------------------------- the pipeline

  #submit(kind: Kind, input: Input, queued: QueueEntry | null): SendOutcome {
    const nowMs = this.#nowMs();
    const nowUs = this.#nowUs();
    const clOrdID = queued?.clOrdID ?? input.clOrdID ?? this.#ids.next();
    const target = kind === 'cancel' || kind === 'amend' || kind === 'status' ? this.#findOrder(input as CancelInput) : undefined;
    const ctx: ValidationContext = {
      instruments: this.instruments,
      venue: this.venue,
      nowMs,
      isClOrdIdInUse: (id) => this.oms.isClOrdIdInUse(id) || (queued === null && this.#queuedIds.has(id)),
    };
    const v = validateRequest(kind, input, clOrdID, nowMs, target, ctx);
    if (!v.ok) return refused(clOrdID, { code: 'VALIDATION', message: v.error.message, validation: v.error });
    const symbol = (v.value.request as { symbol?: string }).symbol;

    const riskReducing = kind === 'cancel' || kind === 'mass-cancel' || kind === 'status';
    if (!riskReducing && this.#guard !== null) {
      const g = this.#guard.status(nowUs);
      if (g.throttle) return refused(clOrdID, { code: 'ERROR_RATE', message: `${g.count} rejects in the last window: holding new risk`, resumeAtUs: g.resumeAtUs });
    }
    const rate = this.#decide(kind, symbol, target, nowUs);
    if (rate !== null && rate.kind !== 'send') {
      const at = rate.kind === 'reject' ? rate.retryAtUs : rate.atUs;
      if (rate.kind === 'reject' || at === null) {
        return refused(clOrdID, { code: 'RATE_LIMIT', message: `rate limit: cost ${rate.cost} does not fit now`, cost: rate.cost, retryAtUs: at });
      }
      if (queued !== null) {
        queued.sendAtUs = at;
        return { status: 'queued', clOrdID, sendAtUs: at };
      }
      if (this.#queue.length >= this.#maxQueued) return refused(clOrdID, { code: 'QUEUE_FULL', message: `${this.#queue.length} requests already queued` });
      this.#queue.push({ kind, input, clOrdID, sendAtUs: at });
      this.#queuedIds.add(clOrdID);
      return { status: 'queued', clOrdID, sendAtUs: at };
    }

    if (this.#sender.isLoggedOn?.() === false) return refused(clOrdID, { code: 'NOT_CONNECTED', message: 'trading session is not logged on' });
    const tracked = this.#track(kind, v.value.request);
    if (tracked !== null) return refused(clOrdID, { code: 'TRACKING', message: tracked.message, tracking: tracked });

    const seq = this.#sendValidated(kind, v.value);
    if (typeof seq !== 'number') {
      // Tracked but not sent: close the request in the OMS as a local reject so nothing waits for an answer.
      this.oms.onBusinessReject({ businessRejectRefID: clOrdID, text: `kfix: not sent: ${seq.message}` });
      return refused(clOrdID, seq);
    }
    this.#charge(kind, symbol, target, nowUs);
    this.oms.recordSent(clOrdID, seq);
    return { status: 'sent', clOrdID, msgSeqNum: seq };
  }

  #findOrder(input: { orderID?: string; origClOrdID?: string }): OmsOrder | undefined {
    return (
      (input.orderID !== undefined ? this.oms.orderByOrderID(input.orderID) : undefined) ??
      (input.origClOrdID !== undefined ? this.oms.order(input.origClOrdID) : undefined)
    );
  }

  #decide(kind: Kind, symbol: string | undefined, o: OmsOrder | undefined, nowUs: number): RateDecision | null {
    if (kind === 'status') return null;
    if (this.venue === 'derivatives') return this.#drv.decide(kind === 'mass-cancel' ? 'mass-cancel' : 'order', nowUs, this.#policy);
    // Spot FIX mass cancel has no documented cost (only REST/WS batch cancels do): not modelled.
    if (kind === 'mass-cancel' || symbol === undefined) return null;
    const action = kind === 'new' ? 'add' : kind === 'amend' ? 'amend' : 'cancel';
    return this.#spot.decide(symbol, action, o ? this.oms.orderAgeSec(o, nowUs) : 0, nowUs, this.#policy);
  }

  #charge(kind: Kind, symbol: string | undefined, o: OmsOrder | undefined, nowUs: number): void {
    if (kind === 'status') return;
    if (this.venue === 'derivatives') {
      this.#drv.charge(kind === 'mass-cancel' ? 'mass-cancel' : 'order', nowUs);
      return;
    }
    if (kind === 'mass-cancel' || symbol === undefined) return;
    const action = kind === 'new' ? 'add' : kind === 'amend' ? 'amend' : 'cancel';
    this.#spot.charge(symbol, action, o ? this.oms.orderAgeSec(o, nowUs) : 0, nowUs);
  }

  #track(kind: Kind, req: Validated['request']) {
    const r =
      kind === 'new' ? this.oms.trackNewOrder(req as NewOrderSingleRequest)
      : kind === 'cancel' ? this.oms.trackCancel(req as OrderCancelRequest)
      : kind === 'amend' ? this.oms.trackReplace(req as OrderCancelReplaceRequest)
      : kind === 'status' ? this.oms.trackStatusRequest(req as OrderStatusRequest)
      : this.oms.trackMassCancel(req as OrderMassCancelRequest);
    return r.ok ? null : r.error;
  }

  /** MsgSeqNum, or the reason nothing went out. */
  #sendValidated(kind: Kind, v: Validated): number | ClientError {
    this.#pendingKind = kind;
    this.#pendingValue = v;
    return this.#callSender(KIND_MSG_TYPE[kind]);
  }

  #sendPlan(msgTypeCode: number, plan: FixMessagePlan): number | ClientError {
    if (this.#sender.isLoggedOn?.() === false) return { code: 'NOT_CONNECTED', message: 'session is not logged on' };
    this.#pendingKind = 'plan';
    this.#pendingPlan = plan;
    return this.#callSender(msgTypeCode);
  }

  #callSender(msgTypeCode: number): number | ClientError {
    try {
      const seq = this.#sender.send(msgTypeCode, this.#writer);
      if (!Number.isInteger(seq) || seq <= 0) return { code: 'SEND_FAILED', message: `session returned MsgSeqNum ${seq}` };
      return seq;
    } catch (e) {
      return { code: 'SEND_FAILED', message: e instanceof Error ? e.message : String(e) };
    } finally {
      this.#pendingValue = null;
      this.#pendingPlan = null;
    }
  }

  #writePending(enc: FixEncoder): void {
    const v = this.#pendingValue;
    switch (this.#pendingKind) {
      case 'plan':
        writePlan(enc, this.#pendingPlan!);
        return;
      case 'new':
        if (this.#typed) writeNewOrderSingle(enc, v as ValidatedNewOrder);
        else writePlan(enc, newOrderSingleFields(v as ValidatedNewOrder));
        return;
      case 'cancel':
        if (this.#typed) writeOrderCancel(enc, v as ValidatedCancel);
        else writePlan(enc, orderCancelFields(v as ValidatedCancel));
        return;
      case 'amend':
        if (this.#typed) writeOrderCancelReplace(enc, v as ValidatedAmend);
        else writePlan(enc, orderCancelReplaceFields(v as ValidatedAmend));
        return;
      case 'status':
        if (this.#typed) writeOrderStatus(enc, v as ValidatedStatus);
        else writePlan(enc, orderStatusFields(v as ValidatedStatus));
        return;
      case 'mass-cancel':
        if (this.#typed) writeOrderMassCancel(enc, v as ValidatedMassCancel);
        else writePlan(enc, orderMassCancelFields(v as ValidatedMassCancel));
        return;
    }
  }

  #emit(e: ClientEvent): void {
    if (this.#onEvent === undefined) return;
    try {
      this.#onEvent(e);
    } catch {
      // A listener's bug must not break the inbound path; the event was also returned to the caller.
    }
  }
}
