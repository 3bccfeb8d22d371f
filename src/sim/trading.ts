/**
 * Trading gateway sessions (ports 4001 Spot / 4003 Derivatives): one FixSession and one TradingState
 * per configured SenderCompID, kept across connections (sequence numbers and stored ExecutionReports
 * survive a reconnect, so a 141=N logon gets the missed reports replayed). Owns logon checks,
 * cancel-on-disconnect (8674), the rollover cancel, the error-rate disconnect, ClOrdID uniqueness per
 * session, and routing requests to order entry. Everything runs synchronously in arrival order, which
 * is Kraken's per-session sticky ordering.
 */
import { getDictionary, type Clock, type MessageView } from '../codec/index.js';
import { DerivativesRateLimiter, SpotRateLimiter } from '../kraken/ratelimit.js';
import type { Venue } from '../kraken/types.js';
import { FixSession, type SessionApplication, type SessionEvent } from '../session/index.js';
import type { LogonVerifier } from './auth.js';
import { TEXT, type SimAccount, type SimCredential } from './config.js';
import { writeExecutionReportBody } from './exec-report.js';
import type { Exchange, OrderMeta, OrderOwner } from './exchange.js';
import { LogonThrottle, type BadLogonLimit } from './hostile.js';
import { ErrorWindow } from './limits.js';
import { Reason } from './matching/index.js';
import { RingStore } from './ring-store.js';
import { OrderEntry } from './order-entry.js';
import type { RefData } from './refdata.js';
import type { SimStats } from './stats.js';
import { MT, sendBusinessReject } from './wire.js';

const Y = 0x59;
/** ClOrdIDs remembered per session for the uniqueness check (open orders are always checked). */
const CLORDID_MEMORY = 200_000;
/** ExecutionReports kept per session for replay on a 141=N reconnect. */
const TRADING_STORE_MESSAGES = 100_000;

export interface TradingPolicy {
  nonceWindowMs: number;
  clOrdIdWindowMs: number | false;
  errorRateLimitPerSec: number;
  derivativesBucket: { capacity?: number; refillPerSec?: number };
  spotCancelsBypassLimit: boolean;
  rollover: { hourUtc: number; minuteUtc: number } | false;
  rolloverCancelsOrders: boolean;
  logoutCancelsOrders: boolean;
  derivativesAmend: boolean;
  maxLatencySec: number;
  /** Failed logons per SenderCompID before its logons are refused unchecked for a while. */
  badLogonLimit: BadLogonLimit | false;
}

export class TradingState implements OrderOwner {
  readonly openByClOrdID = new Map<string, number>();
  /** Current connection's number (engine `session` of its orders); 0 before the first logon. */
  connNo = 0;
  /** 8674 of the current logon: true = cancel this session's orders on disconnect (Kraken's default). */
  cancelOnDisconnect = true;
  private readonly used = new Set<string>();
  private readonly usedRing: (string | undefined)[] = new Array(CLORDID_MEMORY);
  private usedPos = 0;
  readonly bucket: DerivativesRateLimiter | null;
  readonly errors: ErrorWindow;
  session!: FixSession;

  constructor(
    readonly compID: string,
    readonly venue: Venue,
    readonly account: number,
    readonly cred: SimCredential,
    readonly spotLimiter: SpotRateLimiter,
    readonly gateway: TradingGateway,
    policy: TradingPolicy,
  ) {
    this.bucket = venue === 'derivatives' ? new DerivativesRateLimiter(policy.derivativesBucket) : null;
    this.errors = new ErrorWindow(policy.errorRateLimitPerSec);
  }

  /** True when the ClOrdID is new for this session and not on an open order of this SenderCompID. */
  isUnused(clOrdID: string): boolean {
    return !this.used.has(clOrdID) && !this.openByClOrdID.has(clOrdID);
  }

  markUsed(clOrdID: string): void {
    const old = this.usedRing[this.usedPos];
    if (old !== undefined) this.used.delete(old);
    this.usedRing[this.usedPos] = clOrdID;
    this.usedPos = (this.usedPos + 1) % CLORDID_MEMORY;
    this.used.add(clOrdID);
  }

  resetClOrdIDs(): void {
    this.used.clear();
    this.usedRing.fill(undefined);
    this.usedPos = 0;
  }

  writeExecutionReport(meta: OrderMeta, d: Float64Array, b: number): void {
    const s = this.session;
    if (s.isLoggedOn) {
      writeExecutionReportBody(s.beginMessage(MT.ExecutionReport), this.gateway.exchange, meta, d, b);
      s.send();
      return;
    }
    // Disconnected (or logging on): stored under the next MsgSeqNum and replayed on a 141=N reconnect.
    const seq = s.store.nextSenderMsgSeqNum();
    const enc = s.encoder.begin(MT.ExecutionReport, seq, s.clock.nowMicros());
    writeExecutionReportBody(enc, this.gateway.exchange, meta, d, b);
    enc.finish();
    s.store.recordOutbound(seq, enc.buffer, enc.start, enc.length, true);
  }
}

export class TradingGateway {
  readonly states = new Map<string, TradingState>();
  private readonly bySession = new Map<FixSession, TradingState>();
  private readonly entry: OrderEntry;
  private readonly application: SessionApplication;
  private readonly throttle: LogonThrottle;
  private connCounter = 0;

  constructor(
    readonly venue: Venue,
    readonly targetCompID: string,
    readonly exchange: Exchange,
    readonly clock: Clock,
    readonly verifier: LogonVerifier,
    readonly policy: TradingPolicy,
    readonly stats: SimStats,
    readonly refData: RefData,
    accounts: readonly SimAccount[],
    spotLimiters: Map<number, SpotRateLimiter>,
    private readonly onEvent?: (compID: string, kind: string, text: string) => void,
  ) {
    this.entry = new OrderEntry(this);
    this.throttle = new LogonThrottle(policy.badLogonLimit);
    this.application = {
      onLogonIn: (s, v) => this.onLogonIn(s, v),
      onLogon: (s) => this.onLogon(s),
      onLogout: (s, reason) => this.onLogout(s, reason),
      onAppMessage: (s, v) => this.onAppMessage(s, v),
      onEvent: (s, e) => this.onSessionEvent(s, e),
    };
    for (const acct of accounts) {
      const cred = venue === 'spot' ? acct.spot : acct.derivatives;
      if (cred === undefined) continue;
      if (this.states.has(cred.senderCompID)) throw new RangeError(`duplicate SenderCompID ${cred.senderCompID}`);
      const account = exchange.accountByName.get(acct.name)!;
      const state = new TradingState(cred.senderCompID, venue, account, cred, spotLimiters.get(account)!, this, policy);
      state.session = this.newSession(cred.senderCompID, this.application);
      this.states.set(cred.senderCompID, state);
      this.bySession.set(state.session, state);
    }
  }

  private newSession(compID: string, application: SessionApplication): FixSession {
    return new FixSession({
      role: 'acceptor',
      senderCompID: this.targetCompID,
      targetCompID: compID,
      dictionary: getDictionary({ kraken: true }),
      store: new RingStore(TRADING_STORE_MESSAGES, this.clock.nowMicros()),
      clock: this.clock,
      resendPolicy: 'replay',
      validation: { enabled: false },
      maxLatencySec: this.policy.maxLatencySec,
      rollover: this.policy.rollover === false ? undefined : { ...this.policy.rollover, logout: true },
      application,
    });
  }

  /** The acceptor's lookup: known CompIDs get their session; anything else a session that refuses with a reason. */
  lookup(theirSender: string, theirTarget: string): FixSession {
    const state = theirTarget === this.targetCompID ? this.states.get(theirSender) : undefined;
    if (state !== undefined) return state.session;
    const text = theirTarget !== this.targetCompID ? TEXT.wrongTarget : TEXT.unknownCompID;
    return refusingSession(theirSender, theirTarget, this.clock, this.policy.maxLatencySec, text, () => {
      this.stats.logonRefused(text);
      this.onEvent?.(theirSender, 'logon-refused', text);
    });
  }

  private onLogonIn(s: FixSession, view: MessageView): string | null {
    const state = this.bySession.get(s)!;
    const now = this.clock.nowMicros();
    if (this.throttle.blocked(state.compID, now)) {
      // Refused before the signature check: a guessing attack costs us no HMAC per attempt.
      this.stats.hostile.logonsThrottled++;
      this.stats.logonRefused(TEXT.tooManyFailedLogons);
      this.onEvent?.(state.compID, 'logon-refused', TEXT.tooManyFailedLogons);
      return TEXT.tooManyFailedLogons;
    }
    const refusal = this.verifier.verify(view, state.cred, now);
    if (refusal !== null) {
      this.stats.logonRefused(refusal);
      this.onEvent?.(state.compID, 'logon-refused', refusal);
      if (this.throttle.fail(state.compID, now)) this.onEvent?.(state.compID, 'logon-throttled', `${TEXT.tooManyFailedLogons}: logons of ${state.compID} refused unchecked for a while`);
      return refusal;
    }
    state.cancelOnDisconnect = view.getInt(8674) !== 1;
    if (view.getChar(5030) === Y) state.resetClOrdIDs();
    return null;
  }

  private onLogon(s: FixSession): void {
    const state = this.bySession.get(s)!;
    state.connNo = ++this.connCounter;
    state.errors.reset();
    this.stats.logons++;
    this.onEvent?.(state.compID, 'logon', `connection ${state.connNo}`);
  }

  private onLogout(s: FixSession, reason: string): void {
    const state = this.bySession.get(s)!;
    this.onEvent?.(state.compID, 'logout', reason);
    if (!state.cancelOnDisconnect) return;
    if (reason === 'daily rollover' && !this.policy.rolloverCancelsOrders) return;
    if (reason.startsWith('logout') && !this.policy.logoutCancelsOrders) return;
    this.cancelSessionOrders(state, Reason.CancelOnDisconnect);
  }

  private onSessionEvent(s: FixSession, e: SessionEvent): void {
    const state = this.bySession.get(s)!;
    if (e.kind === 'reject-sent') this.countError(state);
    if (e.kind === 'rollover' && s.isLoggedOn && state.cancelOnDisconnect && this.policy.rolloverCancelsOrders) {
      // Cancel before the rollover Logout so the reports still reach the client.
      this.cancelSessionOrders(state, Reason.CancelOnDisconnect);
    }
    this.onEvent?.(state.compID, e.kind, e.text);
  }

  /** Cancels every open order of this state's current connection; returns how many. */
  cancelSessionOrders(state: TradingState, reason: Reason): number {
    const ex = this.exchange;
    ex.advance();
    let n = 0;
    for (const key of ex.engine.openOrders(state.account)) {
      const meta = ex.metas.get(key);
      if (meta === undefined || meta.owner !== state || meta.connNo !== state.connNo) continue;
      if (ex.engine.cancel(key, reason) === Reason.None) n++;
    }
    if (reason === Reason.CancelOnDisconnect) this.stats.codCancels += n;
    ex.dispatch();
    return n;
  }

  /** The state of a session of this gateway (for reference-data error counting). */
  stateOf(s: FixSession): TradingState | undefined {
    return this.bySession.get(s);
  }

  private onAppMessage(s: FixSession, view: MessageView): void {
    try {
      this.route(s, view);
    } catch (err) {
      // A simulator bug must not take the venue down: answer like Kraken's engine would and carry on.
      this.onEvent?.(s.targetCompID, 'error', (err as Error).stack ?? String(err));
      if (s.isLoggedOn) sendBusinessReject(s, view, 0, 'EGeneral:Internal error');
    }
  }

  private route(s: FixSession, view: MessageView): void {
    const state = this.bySession.get(s)!;
    this.exchange.advance();
    switch (view.msgTypeCode) {
      case MT.NewOrderSingle: {
        const t0 = performance.now();
        this.entry.newOrder(state, view);
        this.stats.recordOrder(performance.now() - t0);
        return;
      }
      case MT.OrderCancelRequest:
        this.entry.cancel(state, view);
        return;
      case MT.OrderCancelReplaceRequest:
        if (this.venue === 'derivatives' && !this.policy.derivativesAmend) this.unsupported(state, view);
        else this.entry.amend(state, view);
        return;
      case MT.OrderStatusRequest:
        if (this.venue === 'derivatives') this.unsupported(state, view);
        else this.entry.status(state, view);
        return;
      case MT.MassCancel:
        this.entry.massCancel(state, view);
        return;
      case MT.SecurityListRequest:
        this.refData.securityList(s, view, this.venue);
        return;
      case MT.TradingSessionStatusRequest:
        if (this.venue === 'spot') this.refData.tradingSessionStatus(s, view);
        else this.unsupported(state, view);
        return;
      default:
        this.unsupported(state, view);
    }
  }

  private unsupported(state: TradingState, view: MessageView): void {
    sendBusinessReject(state.session, view, 3, 'Unsupported Message Type');
    this.countError(state);
  }

  /** One more reject for this session; past the error-rate limit the session is logged out and closed. */
  countError(state: TradingState): void {
    this.stats.rejects++;
    const s = state.session;
    if (!s.isLoggedOn || !state.errors.record(this.clock.nowMicros())) return;
    this.stats.errorRateDisconnects++;
    this.onEvent?.(state.compID, 'error-rate', TEXT.errorRate);
    s.logout(TEXT.errorRate);
    s.disconnect(TEXT.errorRate);
  }
}

/** An acceptor session that answers any Logon with Logout(reason) and closes: unknown CompIDs, wrong target. */
export function refusingSession(theirSender: string, theirTarget: string, clock: Clock, maxLatencySec: number, text: string, onRefuse: () => void): FixSession {
  return new FixSession({
    role: 'acceptor',
    senderCompID: theirTarget,
    targetCompID: theirSender,
    dictionary: getDictionary({ kraken: true }),
    store: new RingStore(0, clock.nowMicros()),
    clock,
    maxLatencySec,
    validation: { enabled: false },
    application: {
      onLogonIn: () => {
        onRefuse();
        return text;
      },
    },
  });
}
