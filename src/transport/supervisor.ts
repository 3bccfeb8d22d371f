/**
 * Initiator supervisor: keeps one FixSession connected to one of a list of endpoints. "Connected"
 * means logged on: an attempt succeeds when the counterparty's Logon answer has been accepted, not
 * when TCP (or TLS) comes up, so a venue that accepts sockets but never answers is a failure.
 *
 *   attempt fails (connect, TLS, no Logon answer within logonTimeoutMs, refused Logon)
 *       -> next endpoint in the list, after backoff(consecutive failures)
 *   logged-on connection drops
 *       -> the same endpoint first, after backoff; the failure count restarts only if the session
 *          had stayed logged on for stableAfterMs (a venue that logs us on and off in a loop backs off)
 *
 * Owns sockets, timers and the reconnect policy. Must not touch the FIX protocol: sequence numbers,
 * resends and the Logon's content are the session's (a reconnect is just onConnect again).
 * Time and randomness come from a Scheduler and a RandomSource so tests can step through it.
 */
import type { Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { FixSession } from '../session/index.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { attachSocket, type Attachment } from './connection.js';
import { dial, endpointName, type Dial, type Endpoint } from './dial.js';
import { systemScheduler, type RandomSource, type Scheduler, type TimerHandle } from './scheduler.js';

export const InitiatorState = {
  Idle: 0,
  /** TCP connect / TLS handshake in progress. */
  Connecting: 1,
  /** Transport up, our Logon sent, waiting for the answer (bounded by logonTimeoutMs). */
  LoggingOn: 2,
  LoggedOn: 3,
  /** Backoff before the next attempt. */
  Waiting: 4,
  /** stop() finished, or gave up after maxAttempts. Final. */
  Stopped: 5,
} as const;
export type InitiatorState = (typeof InitiatorState)[keyof typeof InitiatorState];

export const INITIATOR_STATE_NAMES: readonly string[] = ['Idle', 'Connecting', 'LoggingOn', 'LoggedOn', 'Waiting', 'Stopped'];

const S = InitiatorState;
export const INITIATOR_TRANSITIONS: readonly (readonly InitiatorState[])[] = [
  /* Idle       */ [S.Connecting, S.Stopped],
  /* Connecting */ [S.LoggingOn, S.Waiting, S.Stopped],
  /* LoggingOn  */ [S.LoggedOn, S.Waiting, S.Stopped],
  /* LoggedOn   */ [S.Waiting, S.Stopped],
  /* Waiting    */ [S.Connecting, S.Stopped],
  /* Stopped    */ [],
];

export type InitiatorEvent =
  | { kind: 'connecting'; endpoint: Endpoint; attempt: number }
  /** TCP/TLS is up and our Logon went out; the session is not usable yet. */
  | { kind: 'transport-up'; endpoint: Endpoint }
  | { kind: 'logged-on'; endpoint: Endpoint }
  /** An attempt that never reached logged on. */
  | { kind: 'attempt-failed'; endpoint: Endpoint; reason: string }
  /** A logged-on connection ended. */
  | { kind: 'disconnected'; endpoint: Endpoint; reason: string }
  | { kind: 'retry'; endpoint: Endpoint; delayMs: number; failures: number }
  | { kind: 'gave-up'; reason: string }
  | { kind: 'stopped'; reason: string };

export interface ReconnectOptions extends BackoffOptions {
  /** Give up after this many consecutive attempts that did not log on. Default Infinity. */
  maxAttempts?: number;
  /** A logged-on connection that lasted this long resets the failure count. Default 5 s. */
  stableAfterMs?: number;
}

export interface SupervisorOptions {
  session: FixSession;
  /** Tried in order; a failed attempt moves to the next (round robin). */
  endpoints: readonly Endpoint[];
  /** TLS for every endpoint (e.g. clientTlsOptions), or per endpoint (SNI differs per host). */
  tls?: ConnectionOptions | ((endpoint: Endpoint) => ConnectionOptions);
  reconnect?: ReconnectOptions;
  /** TCP connect plus TLS handshake. Default 10 s. */
  connectTimeoutMs?: number;
  /** From transport up to the counterparty's Logon answer. Default 10 s. */
  logonTimeoutMs?: number;
  /** Session timer period (heartbeats, test requests). Default 100 ms. */
  tickMs?: number;
  /** Bound on outbound bytes queued in Node per connection. Default 16 MiB. */
  maxBufferedBytes?: number;
  scheduler?: Scheduler;
  random?: RandomSource;
  onEvent?: (event: InitiatorEvent) => void;
}

export interface StopOptions {
  /** Send Logout and wait for the answer when logged on (default true); false drops the connection. */
  logout?: boolean;
  text?: string;
  /** Bound on the logout handshake before the connection is dropped. Default 3 s. */
  timeoutMs?: number;
}

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
  timer: TimerHandle;
}

export class InitiatorSupervisor {
  readonly session: FixSession;
  readonly endpoints: readonly Endpoint[];
  private readonly options: SupervisorOptions;
  private readonly scheduler: Scheduler;
  private readonly backoff: Backoff;
  private readonly maxAttempts: number;
  private readonly stableAfterMs: number;

  private stateValue: InitiatorState = S.Idle;
  /** Bumped per attempt: callbacks of an older attempt are ignored. */
  private attemptId = 0;
  /** Backoff exponent: consecutive failures, attempts and unstable drops alike. */
  private failures = 0;
  /** Consecutive attempts that never logged on (against maxAttempts). */
  private failedAttempts = 0;
  private index = 0;
  private dialing: Dial | null = null;
  private attachment: Attachment | null = null;
  private socketRef: Socket | null = null;
  private tickTimer: TimerHandle | null = null;
  private logonTimer: TimerHandle | null = null;
  private retryTimer: TimerHandle | null = null;
  private stopTimer: TimerHandle | null = null;
  private loggedOnAt = 0;
  private stopping: Promise<void> | null = null;
  private resolveStopped: (() => void) | null = null;
  private loggedOnWaiters: Waiter[] = [];
  /** Reason of the last failed attempt or drop (diagnostics). */
  lastReason = '';

  constructor(options: SupervisorOptions) {
    if (options.endpoints.length === 0) throw new RangeError('startInitiator needs at least one endpoint');
    for (const e of options.endpoints) {
      if (!Number.isInteger(e.port) || e.port <= 0 || e.port > 65535) throw new RangeError(`invalid port for ${e.host}: ${e.port}`);
    }
    const r = options.reconnect ?? {};
    this.options = options;
    this.session = options.session;
    this.endpoints = options.endpoints;
    this.scheduler = options.scheduler ?? systemScheduler;
    this.backoff = new Backoff(r, options.random ?? Math.random);
    this.maxAttempts = r.maxAttempts ?? Infinity;
    this.stableAfterMs = r.stableAfterMs ?? 5000;
    if (!(this.maxAttempts >= 1)) throw new RangeError(`reconnect.maxAttempts must be >= 1, got ${this.maxAttempts}`);
  }

  get state(): InitiatorState {
    return this.stateValue;
  }

  /** Endpoint of the current (or next) attempt. */
  get endpoint(): Endpoint {
    return this.endpoints[this.index]!;
  }

  get socket(): Socket | null {
    return this.socketRef;
  }

  /** Outbound bytes queued in Node for the current connection (0 when none). */
  get bufferedBytes(): number {
    return this.socketRef?.writableLength ?? 0;
  }

  start(): this {
    if (this.stateValue !== S.Idle) throw new Error(`initiator already started (${INITIATOR_STATE_NAMES[this.stateValue]})`);
    this.connect();
    return this;
  }

  /** Resolves when logged on (now, or at the next logon); rejects on stop, give-up or timeout. */
  whenLoggedOn(timeoutMs = 30_000): Promise<void> {
    if (this.stateValue === S.LoggedOn) return Promise.resolve();
    if (this.stateValue === S.Stopped) return Promise.reject(new Error(`initiator stopped: ${this.lastReason}`));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: this.scheduler.setTimeout(() => {
          this.loggedOnWaiters = this.loggedOnWaiters.filter((w) => w !== waiter);
          reject(new Error(`not logged on within ${timeoutMs} ms (${INITIATOR_STATE_NAMES[this.stateValue]}${this.lastReason ? `; last: ${this.lastReason}` : ''})`));
        }, timeoutMs),
      };
      this.loggedOnWaiters.push(waiter);
    });
  }

  /** Drops the current connection at once (as a network cut would); the supervisor reconnects. */
  dropConnection(reason = 'connection dropped by operator'): void {
    if (this.attachment !== null) this.attachment.output.abort(reason);
    else this.socketRef?.destroy();
  }

  /** Logs out (when logged on), closes, and never reconnects. Idempotent. */
  stop(options: StopOptions = {}): Promise<void> {
    if (this.stopping !== null) return this.stopping;
    if (this.stateValue === S.Stopped) return Promise.resolve();
    this.stopping = new Promise<void>((resolve) => {
      this.resolveStopped = resolve;
    });
    switch (this.stateValue) {
      case S.Idle:
      case S.Waiting:
        this.finishStop('stopped');
        break;
      case S.Connecting:
        this.attemptId++;
        this.dialing?.cancel();
        this.dialing = null;
        this.finishStop('stopped while connecting');
        break;
      case S.LoggingOn:
        this.dropConnection('stopped before logon');
        break;
      case S.LoggedOn:
        if (options.logout === false) {
          this.dropConnection('stopped');
        } else {
          this.session.logout(options.text ?? '');
          this.stopTimer = this.scheduler.setTimeout(() => this.dropConnection('logout not answered in time'), options.timeoutMs ?? 3000);
        }
        break;
    }
    return this.stopping;
  }

  // ---------------------------------------------------------------- attempt lifecycle

  private connect(): void {
    this.transition(S.Connecting);
    const id = ++this.attemptId;
    const endpoint = this.endpoint;
    this.emit({ kind: 'connecting', endpoint, attempt: this.failures + 1 });
    if (this.session.isConnected) {
      // Someone else drives this session: attaching would disconnect them.
      this.attemptFailed(`session ${this.session.senderCompID}->${this.session.targetCompID} already has a connection`);
      return;
    }
    const tls = typeof this.options.tls === 'function' ? this.options.tls(endpoint) : this.options.tls;
    const d = dial(endpoint, { tls, timeoutMs: this.options.connectTimeoutMs ?? 10_000, scheduler: this.scheduler });
    this.dialing = d;
    d.promise.then(
      (socket) => this.onDialed(id, endpoint, socket),
      (err: Error) => {
        if (id !== this.attemptId || this.stateValue !== S.Connecting) return;
        this.dialing = null;
        this.attemptFailed(err.message);
      },
    );
  }

  private onDialed(id: number, endpoint: Endpoint, socket: Socket): void {
    if (id !== this.attemptId || this.stateValue !== S.Connecting || this.session.isConnected) {
      socket.destroy();
      if (id === this.attemptId && this.stateValue === S.Connecting) this.attemptFailed('session got another connection meanwhile');
      return;
    }
    this.dialing = null;
    this.socketRef = socket;
    this.transition(S.LoggingOn);
    const logonTimeoutMs = this.options.logonTimeoutMs ?? 10_000;
    this.logonTimer = this.scheduler.setTimeout(() => {
      if (id === this.attemptId && this.stateValue === S.LoggingOn) {
        this.dropConnection(`no Logon answer from ${endpointName(endpoint)} within ${logonTimeoutMs} ms`);
      }
    }, logonTimeoutMs);
    this.tickTimer = this.scheduler.setInterval(() => this.onTick(id), this.options.tickMs ?? 100);
    this.attachment = attachSocket(socket, this.session, {
      maxBufferedBytes: this.options.maxBufferedBytes,
      onBytes: () => this.checkLoggedOn(id),
      onClose: (reason) => this.onClosed(id, endpoint, reason),
    });
    this.emit({ kind: 'transport-up', endpoint });
  }

  private onTick(id: number): void {
    if (id !== this.attemptId) return;
    this.session.onTimer();
    this.checkLoggedOn(id);
  }

  private checkLoggedOn(id: number): void {
    if (id !== this.attemptId || this.stateValue !== S.LoggingOn || !this.session.isLoggedOn) return;
    this.clearTimer('logonTimer');
    this.transition(S.LoggedOn);
    this.failedAttempts = 0;
    this.loggedOnAt = this.scheduler.now();
    this.emit({ kind: 'logged-on', endpoint: this.endpoint });
    const waiters = this.loggedOnWaiters;
    this.loggedOnWaiters = [];
    for (const w of waiters) {
      this.scheduler.clearTimeout(w.timer);
      w.resolve();
    }
  }

  private onClosed(id: number, endpoint: Endpoint, reason: string): void {
    if (id !== this.attemptId) return;
    this.clearTimer('logonTimer');
    this.clearInterval();
    this.attachment = null;
    this.socketRef = null;
    this.lastReason = reason;
    const wasLoggedOn = this.stateValue === S.LoggedOn;
    if (wasLoggedOn) this.emit({ kind: 'disconnected', endpoint, reason });
    if (this.stopping !== null) {
      this.finishStop(reason);
      return;
    }
    if (!wasLoggedOn) {
      this.attemptFailed(reason);
      return;
    }
    if (this.scheduler.now() - this.loggedOnAt >= this.stableAfterMs) this.failures = 0;
    this.failures++;
    this.scheduleRetry();
  }

  private attemptFailed(reason: string): void {
    this.lastReason = reason;
    this.emit({ kind: 'attempt-failed', endpoint: this.endpoint, reason });
    this.failures++;
    this.failedAttempts++;
    this.index = (this.index + 1) % this.endpoints.length;
    if (this.failedAttempts >= this.maxAttempts) {
      this.giveUp(`gave up after ${this.failedAttempts} consecutive failed attempts; last: ${reason}`);
      return;
    }
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    const delayMs = this.backoff.delayMs(this.failures);
    this.transition(S.Waiting);
    this.emit({ kind: 'retry', endpoint: this.endpoint, delayMs, failures: this.failures });
    this.retryTimer = this.scheduler.setTimeout(() => {
      this.retryTimer = null;
      if (this.stateValue === S.Waiting) this.connect();
    }, delayMs);
  }

  private giveUp(reason: string): void {
    this.lastReason = reason;
    this.transition(S.Stopped);
    this.emit({ kind: 'gave-up', reason });
    this.settleWaiters(reason);
  }

  private finishStop(reason: string): void {
    this.clearTimer('retryTimer');
    this.clearTimer('stopTimer');
    this.clearTimer('logonTimer');
    this.clearInterval();
    this.lastReason = reason;
    if (this.stateValue !== S.Stopped) {
      this.transition(S.Stopped);
      this.emit({ kind: 'stopped', reason });
    }
    this.settleWaiters(reason);
  }

  private settleWaiters(reason: string): void {
    const waiters = this.loggedOnWaiters;
    this.loggedOnWaiters = [];
    for (const w of waiters) {
      this.scheduler.clearTimeout(w.timer);
      w.reject(new Error(`initiator stopped: ${reason}`));
    }
    this.resolveStopped?.();
    this.resolveStopped = null;
  }

  private clearTimer(name: 'logonTimer' | 'retryTimer' | 'stopTimer'): void {
    const t = this[name];
    if (t !== null) this.scheduler.clearTimeout(t);
    this[name] = null;
  }

  private clearInterval(): void {
    if (this.tickTimer !== null) this.scheduler.clearInterval(this.tickTimer);
    this.tickTimer = null;
  }

  private transition(to: InitiatorState): void {
    if (!INITIATOR_TRANSITIONS[this.stateValue]!.includes(to)) {
      throw new Error(`illegal initiator transition ${INITIATOR_STATE_NAMES[this.stateValue]} -> ${INITIATOR_STATE_NAMES[to]}`);
    }
    this.stateValue = to;
  }

  private emit(event: InitiatorEvent): void {
    this.options.onEvent?.(event);
  }
}

/** Starts a supervised initiator (see the file comment); stop() ends it. */
export function startInitiator(options: SupervisorOptions): InitiatorSupervisor {
  return new InitiatorSupervisor(options).start();
}
