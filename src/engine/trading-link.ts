/**
 * The trading session's connection lifecycle, on the hot-path thread: the first logon, the engine's own
 * reconnect after a drop it did not ask for, refused logons, and the venue's daily rollover.
 *
 * Owns the SocketLink and the FixSession over the engine's MessageStore. A logon either continues the
 * stored sequence numbers (141=N: the venue replays the reports we missed and asks, by ResendRequest,
 * for the commands it missed, which the session gap-fills and sent-log.ts reports back) or restarts
 * both at 1 (141=Y: the configured first logon, and the first logon after the rollover). The session
 * fixes that choice at construction, so there is one FixSession per choice over the same store, made
 * when first needed; only one is ever connected.
 * Must not touch: message content (the hot path's application callbacks), strategies (only through the
 * host: SessionStatus records and the command gate), FIX session rules (src/session).
 *
 * Lifecycle (LinkState, TRANSITIONS below): Starting -> LoggedOn on the first logon (a failure there
 * fails startEngine). A drop -> Waiting (backoff with jitter, redial.ts) -> Dialing -> LoggingOn ->
 * LoggedOn. A connect failure goes back to Waiting; a refused logon too, until maxLogonRefusals in a
 * row -> Failed (final, reported). Rollover: LoggedOn -> RollingOver (our Logout, answer awaited) ->
 * Waiting (no logon before the boundary + pauseMs) -> ... 141=Y. stop() -> Stopped from anywhere.
 */
import { getDictionary, type Clock } from '../codec/index.js';
import { SessionEvent as SsEvent, SessionState as SsState } from '../ipc/index.js';
import { FixSession, lastRolloverMicros, SessionState, type SessionApplication } from '../session/index.js';
import type { MessageStore } from '../store/index.js';
import type { ResolvedEngineConfig } from './config.js';
import { EngineCounter } from './memory.js';
import { Redial } from './redial.js';
import { SocketLink } from './socket-io.js';

export const LinkState = { Starting: 0, LoggedOn: 1, Waiting: 2, Dialing: 3, LoggingOn: 4, RollingOver: 5, Failed: 6, Stopped: 7 } as const;
export type LinkState = (typeof LinkState)[keyof typeof LinkState];
export const LINK_STATE_NAMES = ['Starting', 'LoggedOn', 'Waiting', 'Dialing', 'LoggingOn', 'RollingOver', 'Failed', 'Stopped'] as const;

const S = LinkState;
/** Allowed moves, by current state. */
const TRANSITIONS: readonly (readonly LinkState[])[] = [
  /* Starting */ [S.LoggedOn, S.Failed, S.Stopped],
  /* LoggedOn */ [S.Waiting, S.RollingOver, S.Failed, S.Stopped],
  /* Waiting */ [S.Dialing, S.Stopped],
  /* Dialing */ [S.LoggingOn, S.Waiting, S.Stopped],
  /* LoggingOn */ [S.LoggedOn, S.Waiting, S.Failed, S.Stopped],
  /* RollingOver */ [S.Waiting, S.Failed, S.Stopped],
  /* Failed */ [S.Stopped],
  /* Stopped */ [],
];

function ascii(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/** Why a command was refused while the session cannot take it (local Reject text, reason NOT_LOGGED_ON). */
export const DOWN_TEXT = {
  reconnecting: ascii('engine: NOT_LOGGED_ON: session disconnected, reconnecting; command not sent'),
  loggingOn: ascii('engine: NOT_LOGGED_ON: logon in progress after a reconnect; command not sent'),
  rollover: ascii('engine: NOT_LOGGED_ON: daily rollover (sequence reset) in progress; command not sent'),
  failed: ascii('engine: NOT_LOGGED_ON: session down for good (reconnect off or gave up); command not sent'),
  stopping: ascii('engine: NOT_LOGGED_ON: engine stopping; command not sent'),
} as const;

export type TradingLinkReport =
  | { type: 'disconnected'; reason: string; final: boolean; retryInMs: number }
  | { type: 'session'; state: string; text: string };

export interface TradingLinkHost {
  /** Bytes read from the socket (`tRead`: monoNs at arrival). */
  onData(chunk: Uint8Array, tRead: number): void;
  /** One SessionStatus record per strategy (ipc SessionState / SessionEvent). */
  sessionStatus(state: number, event: number): void;
  report(r: TradingLinkReport): void;
  /** The session commands are encoded on from now, and the text they are refused with (null: sent). */
  commandsTo(session: FixSession, downText: Uint8Array | null): void;
  /** Both sequence numbers restart at 1: anything recorded by MsgSeqNum is void. */
  onSequenceReset(): void;
}

export class TradingLink {
  readonly link: SocketLink;
  session: FixSession;
  state: LinkState = S.Starting;
  /** Logons refused in a row (reset by a successful logon). */
  refusals = 0;
  private continuingRefusals = 0;
  private resetForRollover = false;
  /** Inside the quiet window before the rollover: commands refused. */
  private quiet = false;
  private readonly sessions: (FixSession | null)[] = [null, null];
  private readonly redial: Redial;
  private logonWaiter: ((err?: Error) => void) | null = null;
  private readonly redialFn = (): void => this.dial();

  constructor(
    private readonly config: ResolvedEngineConfig,
    private readonly store: MessageStore,
    private readonly clock: Clock,
    private readonly application: SessionApplication,
    private readonly counters: Float64Array,
    private readonly host: TradingLinkHost,
  ) {
    this.link = new SocketLink(
      { onData: (chunk, t) => host.onData(chunk, t), onClose: (reason) => this.session.onDisconnect(reason) },
      { host: config.host, port: config.port, tls: config.tls },
    );
    this.redial = new Redial({ firstDelayMs: config.reconnectMs, maxDelayMs: config.reconnectMaxMs });
    this.session = this.sessionFor(config.resetSeqNumOnLogon);
  }

  /** Connects and logs on (141=Y if configured, or if the rollover passed since the store's epoch). */
  async start(): Promise<void> {
    await this.link.connect();
    const loggedOn = new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => fail(new Error(`no Logon answer within ${this.config.logonTimeoutMs} ms`)), this.config.logonTimeoutMs);
      const fail = (err?: Error): void => {
        clearTimeout(t);
        this.logonWaiter = null;
        if (err) reject(err);
        else resolve();
      };
      this.logonWaiter = fail;
    });
    const boundary = this.pendingRollover(this.clock.nowMicros());
    const rolled = boundary === boundary;
    this.resetForRollover = rolled && !this.config.resetSeqNumOnLogon;
    this.logon(this.config.resetSeqNumOnLogon || rolled);
    try {
      await loggedOn;
    } catch (err) {
      if (this.state === S.Starting) this.transition(S.Failed);
      throw err;
    }
  }

  /** The 100 ms tick: our side of the rollover, then the session's timers. */
  onTick(): void {
    if (this.state === S.LoggedOn && this.config.rollover !== null) {
      const r = this.config.rollover;
      const now = this.clock.nowMicros();
      const start = this.store.sessionStartMicros();
      if (lastRolloverMicros(now - r.graceMs * 1000, r) > start) this.beginRollover();
      else if (!this.quiet && lastRolloverMicros(now + r.quietMs * 1000, r) > start) {
        this.quiet = true;
        this.host.commandsTo(this.session, DOWN_TEXT.rollover);
        this.host.report({ type: 'session', state: 'rollover-quiet', text: `daily rollover in ${r.quietMs} ms or less: commands refused until the next logon` });
      }
    }
    this.session.onTimer();
  }

  /** SessionApplication.onLogon; true when this logon was a reconnect. */
  onLogon(): boolean {
    const reconnect = this.state === S.LoggingOn;
    if (this.resetForRollover) this.counters[EngineCounter.ROLLOVERS]++;
    this.resetForRollover = false;
    this.refusals = 0;
    this.continuingRefusals = 0;
    this.redial.reset();
    this.quiet = false;
    if (reconnect) this.counters[EngineCounter.RECONNECTS]++;
    this.transition(S.LoggedOn);
    this.host.commandsTo(this.session, null);
    this.logonWaiter?.();
    return reconnect;
  }

  /** SessionApplication.onEvent 'disconnect': decide what comes next. */
  onDisconnect(reason: string): void {
    const from = this.state;
    if (from === S.Starting) {
      this.logonWaiter?.(new Error(`disconnected before logon: ${reason}`));
      return;
    }
    if (from === S.Stopped || from === S.Failed) return;
    this.host.commandsTo(this.session, DOWN_TEXT.reconnecting);
    this.host.sessionStatus(SsState.Disconnected, SsEvent.Disconnected);
    if (from === S.LoggingOn) {
      this.refusals++;
      this.counters[EngineCounter.LOGONS_REFUSED]++;
      if (!this.session.resetSeqNumOnLogon) this.continuingRefusals++;
    }
    if (!this.config.reconnect) return this.fail(`disconnected: ${reason} (reconnect is off)`);
    if (this.refusals >= this.config.maxLogonRefusals) return this.fail(`${this.refusals} logons refused in a row, giving up; last: ${reason}`);
    this.wait(reason);
  }

  /** Logs out (bounded), closes the socket; no reconnect after this. */
  async stop(timeoutMs: number): Promise<void> {
    this.transition(S.Stopped);
    this.redial.cancel();
    this.host.commandsTo(this.session, DOWN_TEXT.stopping);
    const s = this.session;
    if (s.isLoggedOn && s.state !== SessionState.LogoutSent) s.logout('');
    const deadline = performance.now() + timeoutMs;
    while (s.state !== SessionState.Disconnected && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }
    s.onDisconnect('engine stopped');
    this.link.destroy();
  }

  // ---------------------------------------------------------------- steps

  private wait(reason: string): void {
    this.transition(S.Waiting);
    const now = this.clock.nowMicros();
    const boundary = this.pendingRollover(now);
    // The venue resets at the boundary: no logon before it settled (pauseMs).
    const minDelay = boundary === boundary ? Math.max(0, (boundary - now) / 1000 + this.config.rollover!.pauseMs) : 0;
    const delay = this.redial.schedule(this.redialFn, minDelay);
    this.host.report({ type: 'disconnected', reason, final: false, retryInMs: delay });
  }

  private dial(): void {
    if (this.state !== S.Waiting) return;
    this.transition(S.Dialing);
    this.counters[EngineCounter.RECONNECT_ATTEMPTS]++;
    this.link.connect().then(
      () => this.onDialed(),
      (err: Error) => {
        if (this.state === S.Dialing) this.wait(`reconnect failed: ${err.message}`);
      },
    );
  }

  private onDialed(): void {
    if (this.state !== S.Dialing) {
      this.link.destroy();
      return;
    }
    const rolled = this.pendingRollover(this.clock.nowMicros());
    let reset = false;
    if (rolled === rolled) {
      reset = true;
      this.resetForRollover = true;
    } else if (this.config.resetSeqNumOnLogon && this.continuingRefusals >= 2) {
      // The venue keeps refusing to continue our numbers (it lost them?): start over, as configured first.
      reset = true;
    }
    this.transition(S.LoggingOn);
    this.host.sessionStatus(SsState.LogonSent, SsEvent.Connected);
    this.logon(reset);
  }

  private logon(reset: boolean): void {
    const s = this.sessionFor(reset);
    this.session = s;
    if (reset) this.host.onSequenceReset();
    this.host.commandsTo(s, this.state === S.Starting ? null : DOWN_TEXT.loggingOn);
    s.onConnect(this.link);
  }

  private beginRollover(): void {
    const r = this.config.rollover!;
    this.transition(S.RollingOver);
    this.resetForRollover = true;
    this.host.commandsTo(this.session, DOWN_TEXT.rollover);
    this.host.sessionStatus(SsState.LogoutSent, SsEvent.None);
    const at = `${String(r.hourUtc).padStart(2, '0')}:${String(r.minuteUtc).padStart(2, '0')} UTC`;
    this.host.report({ type: 'session', state: 'rollover', text: `daily rollover ${at}: logging out; sequence numbers restart at the next logon (141=Y)` });
    this.session.logout('Session rollover');
  }

  private fail(reason: string): void {
    this.transition(S.Failed);
    this.host.commandsTo(this.session, DOWN_TEXT.failed);
    this.host.report({ type: 'disconnected', reason, final: true, retryInMs: -1 });
  }

  /** The rollover boundary (epoch µs) the store's sequence numbers have not been reset for yet, counting one due within graceMs; NaN if none. */
  private pendingRollover(nowMicros: number): number {
    const r = this.config.rollover;
    if (r === null) return NaN;
    const b = lastRolloverMicros(nowMicros + r.graceMs * 1000, r);
    return b > this.store.sessionStartMicros() ? b : NaN;
  }

  private sessionFor(reset: boolean): FixSession {
    const i = reset ? 1 : 0;
    let s = this.sessions[i];
    if (s === null || s === undefined) {
      const c = this.config;
      s = new FixSession({
        role: 'initiator',
        senderCompID: c.senderCompID,
        targetCompID: c.targetCompID,
        dictionary: getDictionary({ kraken: true }),
        store: this.store,
        clock: this.clock,
        heartBtIntSec: c.heartBtIntSec,
        resetSeqNumOnLogon: reset,
        resendPolicy: 'gap-fill-all',
        logonTimeoutMs: c.logonTimeoutMs,
        application: this.application,
      });
      this.sessions[i] = s;
    }
    return s;
  }

  private transition(to: LinkState): void {
    if (to === this.state) return;
    if (!TRANSITIONS[this.state]!.includes(to)) throw new Error(`trading link: ${LINK_STATE_NAMES[this.state]} -> ${LINK_STATE_NAMES[to]} is not a transition`);
    this.state = to;
  }
}
