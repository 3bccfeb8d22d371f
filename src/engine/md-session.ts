/**
 * The hot path's optional market-data session (Kraken's MD ports: CompID-only Logon with
 * ResetSeqNumFlag=Y, then one MarketDataRequest). It owns a second FixSession and socket on the hot-path
 * thread; W / X go through the hot path's InboundDecoder into the strategies' market-data channel, exactly
 * like data pushed on the trading session. After every logon the subscription is sent again (a new
 * MDReqID each time: the venue may still hold the old one), and a dropped connection is redialled with
 * doubling, jittered backoff (redial.ts, shared with the trading session) until stop(). MarketDataRequestReject (35=Y) and session/business rejects on this
 * session are counted and reported, never handed to strategies as order rejects.
 *
 * Must not touch: the trading session, order routing, book rules (the strategies' books apply the events).
 */
import { getDictionary, SystemClock, type Clock, type MessageView } from '../codec/index.js';
import { FixSession, SessionState, type SessionApplication } from '../session/index.js';
import type { ResolvedMarketDataConfig } from './config.js';
import type { InboundDecoder } from './inbound.js';
import { EngineCounter } from './memory.js';
import { Redial } from './redial.js';
import { SequenceStore } from './seq-store.js';
import { SocketLink } from './socket-io.js';

const MT_REQUEST = 0x56; // V
const MT_REQUEST_REJECT = 0x59; // Y
const MT_REJECT = 0x33; // 3
const MT_BUSINESS_REJECT = 0x6a; // j
const MAX_BACKOFF_MS = 5_000;

export interface MarketDataReport {
  type: 'md-session';
  event: 'logged-on' | 'disconnected' | 'reject';
  text: string;
}

export class MarketDataSession {
  readonly session: FixSession;
  link: SocketLink | null = null;
  private requestNo = 0;
  private readonly redial: Redial;
  private stopped = false;
  private logonWaiter: ((err?: Error) => void) | null = null;
  private readonly onDataFn = (chunk: Uint8Array, tRead: number): void => this.onData(chunk, tRead);
  private readonly onCloseFn = (reason: string): void => this.onClose(reason);

  constructor(
    private readonly config: ResolvedMarketDataConfig,
    private readonly symbols: readonly string[],
    private readonly decoder: InboundDecoder,
    private readonly counters: Float64Array,
    /** Called after every chunk was processed (the hot path flushes queues and schedules its loop). */
    private readonly afterData: () => void,
    private readonly report: (r: MarketDataReport) => void,
    /** The hot path's clock (it carries the test clock offset, if any). */
    clock: Clock = new SystemClock(),
  ) {
    this.redial = new Redial({ firstDelayMs: config.reconnectMs, maxDelayMs: MAX_BACKOFF_MS });
    this.session = new FixSession({
      role: 'initiator',
      senderCompID: config.senderCompID,
      targetCompID: config.targetCompID,
      dictionary: getDictionary({ kraken: true }),
      store: new SequenceStore(clock.nowMicros()),
      clock,
      heartBtIntSec: config.heartBtIntSec,
      resetSeqNumOnLogon: true,
      resendPolicy: 'gap-fill-all',
      maxMessageSize: 1 << 20,
      application: this.application(),
    });
  }

  get isLoggedOn(): boolean {
    return this.session.isLoggedOn;
  }

  /** Connects and logs on; resolves once logged on (the request is already sent then). */
  async start(timeoutMs: number): Promise<void> {
    const loggedOn = new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => {
        this.logonWaiter = null;
        reject(new Error(`market-data session: no Logon answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.logonWaiter = (err) => {
        clearTimeout(t);
        this.logonWaiter = null;
        if (err) reject(err);
        else resolve();
      };
    });
    try {
      await this.connect();
    } catch (err) {
      this.logonWaiter?.(err as Error);
    }
    await loggedOn;
  }

  /** Called by the hot path's 100 ms timer. */
  onTimer(): void {
    this.session.onTimer();
    this.counters[EngineCounter.MD_SESSION_STATE] = this.session.state;
  }

  /** Logs out (bounded), closes the socket and stops redialling. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopped = true;
    this.redial.cancel();
    if (this.session.isLoggedOn) this.session.logout('');
    const deadline = performance.now() + timeoutMs;
    while (this.session.state !== SessionState.Disconnected && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }
    this.session.onDisconnect('engine stopped');
    this.link?.destroy();
    this.counters[EngineCounter.MD_SESSION_STATE] = this.session.state;
  }

  // ---------------------------------------------------------------- connection

  private async connect(): Promise<void> {
    const c = this.config;
    const link = new SocketLink({ onData: this.onDataFn, onClose: this.onCloseFn }, { host: c.host, port: c.port, tls: c.tls });
    await link.connect();
    if (this.stopped) {
      link.destroy();
      return;
    }
    this.link = link;
    this.session.onConnect(link);
  }

  private onData(chunk: Uint8Array, tRead: number): void {
    this.counters[EngineCounter.MD_BYTES_IN] += chunk.length;
    this.decoder.tRead = tRead;
    this.session.onBytes(chunk);
    this.afterData();
  }

  private onClose(reason: string): void {
    this.session.onDisconnect(reason);
    this.scheduleRedial();
  }

  private scheduleRedial(): void {
    if (this.stopped || this.logonWaiter !== null) return;
    this.redial.schedule(this.redialFn);
  }

  private readonly redialFn = (): void => {
    if (this.stopped || this.session.state !== SessionState.Disconnected) return;
    this.connect().catch((err: Error) => {
      this.report({ type: 'md-session', event: 'disconnected', text: `reconnect failed: ${err.message}` });
      this.scheduleRedial();
    });
  };

  // ---------------------------------------------------------------- session

  private application(): SessionApplication {
    return {
      onAppMessage: (_s, view: MessageView, possDup) => {
        const mt = view.msgTypeCode;
        if (mt === MT_REQUEST_REJECT || mt === MT_REJECT || mt === MT_BUSINESS_REJECT) this.onReject(view);
        else this.decoder.onMessage(view, possDup);
      },
      onLogon: () => {
        this.counters[EngineCounter.MD_LOGONS]++;
        this.counters[EngineCounter.MD_SESSION_STATE] = this.session.state;
        this.redial.reset();
        this.subscribe();
        this.report({ type: 'md-session', event: 'logged-on', text: '' });
        this.logonWaiter?.();
      },
      onEvent: (_s, e) => {
        this.counters[EngineCounter.MD_SESSION_STATE] = this.session.state;
        if (e.kind !== 'disconnect') return;
        this.counters[EngineCounter.MD_DISCONNECTS]++;
        this.logonWaiter?.(new Error(`market-data session disconnected before logon: ${e.text}`));
        if (!this.stopped) this.report({ type: 'md-session', event: 'disconnected', text: e.text });
      },
    };
  }

  /** MarketDataRequest: L2 snapshot + updates, bids, offers and trades of every configured instrument. */
  private subscribe(): void {
    this.requestNo++;
    const enc = this.session.beginMessage(MT_REQUEST);
    enc.str(262, `kfix-md-${this.requestNo}`);
    enc.char(263, 0x31);
    enc.int(264, this.config.depth);
    enc.int(265, 1);
    enc.char(266, 0x59);
    enc.int(267, 3);
    enc.char(269, 0x30).char(269, 0x31).char(269, 0x32);
    enc.int(146, this.symbols.length);
    for (const s of this.symbols) enc.str(55, s);
    this.session.send();
    this.counters[EngineCounter.MD_REQUESTS]++;
  }

  private onReject(view: MessageView): void {
    this.counters[EngineCounter.MD_REJECTS]++;
    const mt = String.fromCharCode(view.msgTypeCode);
    const text = view.getString(58) ?? '';
    const reason = view.getString(view.msgTypeCode === MT_REQUEST_REJECT ? 281 : view.msgTypeCode === MT_REJECT ? 373 : 380) ?? '';
    this.report({ type: 'md-session', event: 'reject', text: `35=${mt} reason ${reason || '-'}: ${text}` });
  }
}
