/**
 * The hot path of one FIX session: socket -> session -> decode -> strategy queues, and strategy command
 * queues -> Kraken checks -> encode -> socket. Runs on one thread (the engine worker) and owns the socket,
 * the session (framer, encoder, store), the preallocated buffers, the inline strategies and the idle loop.
 *
 * Idle loop: with idle 'spin-then-wait' the thread polls the command queues on setImmediate turns
 * (socket events are served between turns) for spinMs after any activity; otherwise (and after that) it
 * sleeps on the doorbell with Atomics.waitAsync, which any strategy command rings. With idle 'spin' it
 * never sleeps. Socket data always wakes it through libuv, and inline strategies' commands are sent
 * synchronously right after the callback that made them.
 * The waitAsync wake-up is the one place where the per-message path waits on a promise another thread
 * resolves (idle 'wait' and after the spin window); bench/engine.bench.ts measures both modes.
 *
 * The connection's lifecycle (first logon, the engine's own reconnect, refused logons, the daily
 * rollover) lives in trading-link.ts; commands the venue never received are reported back through
 * sent-log.ts when the session gap-fills them.
 */
import type { Clock, MessageView } from '../codec/index.js';
import {
  monoNs,
  SessionEvent as SsEvent,
  SessionState as SsState,
  SessionStatusFlyweight,
  RecordType,
  recordSize,
  SpscConsumer,
  WaitStrategy,
} from '../ipc/index.js';
import { Credentials, logonAuthFields, NonceSource } from '../kraken/index.js';
import type { FixSession, SessionApplication } from '../session/index.js';
import { createMemoryStore, openJournalStore, type MessageStore } from '../store/index.js';
import type { StrategyDefinition } from '../strategy/define.js';
import { OrderGate } from '../strategy/gate.js';
import { loadStrategy } from '../strategy/loader.js';
import { Doorbell, StrategyControl, StrategyState } from '../strategy/protocol.js';
import { StrategyRunner } from '../strategy/runner.js';
import { engineClock } from './clock.js';
import type { ResolvedEngineConfig } from './config.js';
import { CommandEncoder } from './outbound.js';
import { InboundDecoder } from './inbound.js';
import { LatencyRing } from './latency.js';
import { MarketDataSession, type MarketDataReport } from './md-session.js';
import { RoundTripTable } from './round-trip.js';
import { EngineCounter, type EngineMemory } from './memory.js';
import { SpotRateGuard } from './rate-guard.js';
import { SentLog } from './sent-log.js';
import { SequenceStore } from './seq-store.js';
import { EventSink } from './sinks.js';
import type { SocketLink } from './socket-io.js';
import { TradingLink, type TradingLinkHost, type TradingLinkReport } from './trading-link.js';

/** Control messages the hot path sends to the main thread (never per FIX message). */
export type HotPathReport =
  | { type: 'logged-on'; reconnect: boolean }
  | TradingLinkReport
  | { type: 'strategy-failure'; strategy: string; message: string; stack: string; restarts: number; final: boolean }
  | { type: 'fatal'; message: string; stack: string }
  | MarketDataReport;

type WaitAsyncResult = { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (Atomics as unknown as { waitAsync: (a: Int32Array, i: number, v: number, t?: number) => WaitAsyncResult }).waitAsync;

interface InlineSlot {
  readonly index: number;
  readonly name: string;
  def: StrategyDefinition | null;
  runner: StrategyRunner | null;
  restarts: number;
  failed: boolean;
  timer: NodeJS.Timeout | null;
}

export class HotPath implements TradingLinkHost {
  readonly trading: TradingLink;
  readonly link: SocketLink;
  /** The separate market-data session (config.marketData), or null. */
  readonly md: MarketDataSession | null;
  private readonly config: ResolvedEngineConfig;
  private readonly memory: EngineMemory;
  private readonly counters: Float64Array;
  private readonly ring: LatencyRing;
  private readonly gate: OrderGate;
  private readonly sinks: EventSink[];
  private readonly commandQueues: SpscConsumer[];
  private readonly decoder: InboundDecoder;
  private readonly encoder: CommandEncoder;
  private readonly bell: Doorbell;
  private readonly inline: InlineSlot[] = [];
  private readonly ss = new SessionStatusFlyweight();
  private readonly clock: Clock;
  private readonly sentLog = new SentLog();
  private readonly loopFn = (): void => this.loop();
  private readonly wakeFn = (): void => this.wake();
  private readonly afterInboundFn = (): void => this.afterInbound();
  /** Set once the market-data session (if any) is logged on too: 'logged-on' means ready to trade. */
  private ready = false;
  private loopScheduled = false;
  private waiting = false;
  private lastActiveMs = 0;
  private paused = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    config: ResolvedEngineConfig,
    memory: EngineMemory,
    readonly report: (r: HotPathReport) => void,
    /** Test hook (EngineOptions.clockOffset): µs added to the wall clock. */
    clockOffset: SharedArrayBuffer | null = null,
  ) {
    this.config = config;
    this.clock = engineClock(clockOffset);
    this.memory = memory;
    this.counters = new Float64Array(memory.counters);
    this.ring = new LatencyRing(memory.latency);
    this.gate = new OrderGate(config.instruments);
    this.bell = new Doorbell(memory.doorbell);
    this.sinks = memory.strategies.map((w) => new EventSink(w, config.queues.eventsBacklogBytes, this.counters));
    this.commandQueues = memory.strategies.map((w) => new SpscConsumer(w.commands, { strategy: WaitStrategy.BusySpin }));
    this.trading = new TradingLink(config, makeStore(config, this.clock), this.clock, this.application(config), this.counters, this);
    this.link = this.trading.link;
    const roundTrips = new RoundTripTable();
    this.decoder = new InboundDecoder(this.sinks, this.gate, this.counters, this.ring, roundTrips);
    const rateGuard = config.rateLimitTier === null
      ? null
      : new SpotRateGuard(config.rateLimitTier, config.instruments.map((i) => (i.venue === 'spot' ? i.symbol : null)));
    this.encoder = new CommandEncoder(this.trading.session, this.link, this.gate, this.sinks, this.counters, this.ring, this.clock, roundTrips, this.sentLog, rateGuard);
    this.md = config.marketData === null
      ? null
      : new MarketDataSession(config.marketData, config.instruments.map((i) => i.symbol), this.decoder, this.counters, this.afterInboundFn, report, this.clock);
    for (const s of config.strategies) {
      if (s.mode === 'inline') this.inline.push({ index: s.index, name: s.name, def: null, runner: null, restarts: 0, failed: false, timer: null });
    }
  }

  /** Loads inline strategies, connects, logs on; resolves once logged on. */
  async start(): Promise<void> {
    for (const slot of this.inline) {
      const s = this.config.strategies[slot.index]!;
      slot.def = await loadStrategy(s.module, s.exportName);
    }
    this.timer = setInterval(() => this.onTick(), 100);
    await this.trading.start();
    if (this.md !== null) {
      const m = this.config.marketData!;
      try {
        await this.md.start(this.config.logonTimeoutMs);
      } catch (err) {
        throw new Error(`market-data session ${m.senderCompID}->${m.targetCompID} at ${m.host}:${m.port}: ${(err as Error).message}`);
      }
      this.report({ type: 'logged-on', reconnect: false });
    }
    this.ready = true;
    for (const slot of this.inline) this.startInline(slot);
    this.lastActiveMs = performance.now();
    this.scheduleLoop();
  }

  /** The trading session in use (trading-link.ts may swap it at a reconnect). */
  get session(): FixSession {
    return this.trading.session;
  }

  // ---------------------------------------------------------------- inbound

  onData(chunk: Uint8Array, tRead: number): void {
    this.decoder.tRead = tRead;
    this.session.onBytes(chunk);
    this.afterInbound();
  }

  /** After bytes from either session: run strategies and commands, and keep the loop going. */
  private afterInbound(): void {
    this.afterWork();
    if (!this.stopped) {
      this.lastActiveMs = performance.now();
      this.scheduleLoop();
    }
  }

  /** Inline strategies, then every command queue, then back-pressure bookkeeping. */
  private afterWork(): number {
    let n = 0;
    const inline = this.inline;
    for (let i = 0; i < inline.length; i++) {
      const r = inline[i]!.runner;
      if (r !== null) n += this.pollInline(inline[i]!, r);
    }
    n += this.pollCommands();
    this.syncCounters();
    return n;
  }

  private pollCommands(): number {
    let n = 0;
    const qs = this.commandQueues;
    const enc = this.encoder;
    for (let i = 0; i < qs.length; i++) {
      enc.strategy = i;
      n += qs[i]!.poll(enc, 64);
    }
    return n;
  }

  private pollInline(slot: InlineSlot, r: StrategyRunner): number {
    try {
      const n = r.poll();
      return n + (n > 0 ? this.pollCommands() : 0);
    } catch (err) {
      this.inlineCrashed(slot, err);
      return 0;
    }
  }

  private syncCounters(): void {
    const c = this.counters;
    const l = this.link;
    c[EngineCounter.READS] = l.reads;
    c[EngineCounter.BYTES_IN] = l.bytesIn;
    c[EngineCounter.WRITES] = l.writes;
    c[EngineCounter.BYTES_OUT] = l.bytesOut;
    c[EngineCounter.WRITE_COPIES] = l.writeCopies;
    c[EngineCounter.SESSION_STATE] = this.session.state;
    let spilled = false;
    const sinks = this.sinks;
    for (let i = 0; i < sinks.length; i++) {
      const s = sinks[i]!;
      if ((s.out.pendingRecords > 0 || s.spilled > 0) && !s.flush()) spilled = spilled || s.spilled > 0;
    }
    if (spilled && !this.paused) {
      this.paused = true;
      c[EngineCounter.SOCKET_PAUSES]++;
      this.link.pause();
    } else if (!spilled && this.paused) {
      this.paused = false;
      this.link.resume();
    }
  }

  private pendingFlush(): boolean {
    const sinks = this.sinks;
    for (let i = 0; i < sinks.length; i++) if (sinks[i]!.out.pendingRecords > 0 || sinks[i]!.spilled > 0) return true;
    return false;
  }

  // ---------------------------------------------------------------- idle loop

  private scheduleLoop(): void {
    if (this.loopScheduled || this.stopped) return;
    this.loopScheduled = true;
    setImmediate(this.loopFn);
  }

  private loop(): void {
    this.loopScheduled = false;
    if (this.stopped) return;
    const now = performance.now();
    if (this.afterWork() > 0) this.lastActiveMs = now;
    const idle = this.config.idle;
    if (idle === 'spin' || (idle === 'spin-then-wait' && now - this.lastActiveMs < this.config.spinMs)) {
      this.scheduleLoop();
      return;
    }
    if (this.pendingFlush()) {
      // A strategy is behind: retry soon without burning the core.
      setTimeout(this.loopFn, 1);
      this.loopScheduled = true;
      return;
    }
    const v = this.bell.arm();
    if (this.anyCommands()) {
      this.bell.disarm();
      this.scheduleLoop();
      return;
    }
    if (this.waiting) return; // an earlier wait is still pending; the armed bell will wake it
    const r = waitAsync(this.bell.words, 0, v, this.inline.length > 0 ? 10 : 100);
    if (!r.async) {
      this.bell.disarm();
      this.scheduleLoop();
      return;
    }
    this.waiting = true;
    void r.value.then(this.wakeFn);
  }

  private wake(): void {
    this.waiting = false;
    this.bell.disarm();
    if (this.stopped) return;
    this.lastActiveMs = performance.now();
    if (!this.loopScheduled) this.loop();
  }

  private anyCommands(): boolean {
    const qs = this.commandQueues;
    for (let i = 0; i < qs.length; i++) if (qs[i]!.hasData()) return true;
    return false;
  }

  // ---------------------------------------------------------------- session

  private application(config: ResolvedEngineConfig): SessionApplication {
    const creds = config.credentials ? new Credentials(config.credentials.apiKey, config.credentials.secretBase64) : null;
    const nonces = new NonceSource();
    return {
      onAppMessage: (_s, view: MessageView, possDup) => this.decoder.onMessage(view, possDup),
      onLogon: () => {
        this.counters[EngineCounter.LOGONS]++;
        this.counters[EngineCounter.SESSION_STATE] = this.session.state;
        const reconnect = this.trading.onLogon();
        this.sessionStatus(SsState.Active, SsEvent.LoggedOn);
        if (this.ready || this.md === null) this.report({ type: 'logged-on', reconnect });
      },
      onResendGapFill: (_s, begin, end) => {
        this.counters[EngineCounter.NOT_DELIVERED] += this.sentLog.gapFilled(begin, end, this.sinks);
      },
      onLogout: (_s, reason) => {
        this.counters[EngineCounter.SESSION_STATE] = this.session.state;
        this.sessionStatus(SsState.Disconnected, SsEvent.LoggedOut);
        this.report({ type: 'session', state: 'logged-out', text: reason });
      },
      onLogonOut: creds
        ? (s, enc, ctx) => {
            for (const [tag, value] of logonAuthFields({
              credentials: creds,
              msgSeqNum: ctx.msgSeqNum,
              senderCompID: ctx.senderCompID,
              targetCompID: ctx.targetCompID,
              nonce: nonces.nextString(),
            })) enc.str(tag, value);
            void s;
          }
        : undefined,
      onEvent: (_s, e) => {
        if (e.kind === 'state') this.counters[EngineCounter.SESSION_STATE] = this.session.state;
        if (e.kind === 'disconnect') {
          this.counters[EngineCounter.DISCONNECTS]++;
          this.counters[EngineCounter.SESSION_STATE] = this.session.state;
          this.trading.onDisconnect(e.text);
        }
      },
    };
  }

  // ---------------------------------------------------------------- TradingLinkHost

  commandsTo(session: FixSession, downText: Uint8Array | null): void {
    this.encoder.session = session;
    this.encoder.downText = downText;
  }

  onSequenceReset(): void {
    this.sentLog.clear();
  }

  private onTick(): void {
    try {
      this.trading.onTick();
      this.md?.onTimer();
    } catch (err) {
      this.report({ type: 'fatal', message: (err as Error).message, stack: (err as Error).stack ?? '' });
    }
    this.counters[EngineCounter.SESSION_STATE] = this.session.state;
    this.counters[EngineCounter.NEXT_SENDER_SEQ] = this.session.nextSenderMsgSeqNum();
    this.counters[EngineCounter.NEXT_TARGET_SEQ] = this.session.nextTargetMsgSeqNum();
  }

  /** One SessionStatus record per strategy (admin path). */
  sessionStatus(state: number, event: number): void {
    const size = recordSize(RecordType.SessionStatus, 0);
    for (let i = 0; i < this.sinks.length; i++) {
      const sink = this.sinks[i]!;
      sink.claim(size);
      const ss = this.ss.wrapForWrite(sink.buffer, sink.offset, size);
      ss.state = state;
      ss.event = event;
      ss.msgSeqNumIn = this.session.nextTargetMsgSeqNum() - 1;
      ss.msgSeqNumOut = this.session.nextSenderMsgSeqNum() - 1;
      ss.c.tEnqueued = monoNs();
      sink.commit();
    }
    this.afterWork();
  }

  // ---------------------------------------------------------------- inline strategies

  private startInline(slot: InlineSlot): void {
    slot.timer = null;
    if (this.stopped || slot.def === null) return;
    const wiring = this.memory.strategies[slot.index]!;
    try {
      const runner = new StrategyRunner(slot.def, wiring);
      slot.runner = runner;
      runner.start();
      this.pollCommands();
    } catch (err) {
      this.inlineCrashed(slot, err);
    }
  }

  private inlineCrashed(slot: InlineSlot, err: unknown): void {
    const e = err instanceof Error ? err : new Error(String(err));
    slot.runner = null;
    this.counters[EngineCounter.INLINE_CRASHES]++;
    const final = slot.restarts >= this.config.maxStrategyRestarts;
    const control = new StrategyControl(this.memory.strategies[slot.index]!.control);
    control.setState(StrategyState.Crashed);
    this.report({ type: 'strategy-failure', strategy: slot.name, message: e.message, stack: e.stack ?? '', restarts: slot.restarts, final });
    if (final) {
      slot.failed = true;
      return;
    }
    const delay = Math.min(5_000, this.config.restartBackoffMs * 2 ** slot.restarts);
    slot.restarts++;
    Atomics.store(control.ctl, 2, slot.restarts);
    slot.timer = setTimeout(() => this.startInline(slot), delay);
  }

  // ---------------------------------------------------------------- stop

  /** Stops inline strategies, logs out (bounded wait), closes the socket. */
  async stop(timeoutMs = 2_000): Promise<void> {
    for (const slot of this.inline) {
      if (slot.timer !== null) clearTimeout(slot.timer);
      try {
        slot.runner?.stop();
      } catch {
        // a strategy failing in onStop must not keep the engine from stopping
      }
      slot.runner = null;
    }
    this.afterWork();
    const mdStopped = this.md?.stop(Math.min(timeoutMs, 1_000));
    await this.trading.stop(timeoutMs);
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    await mdStopped;
    this.bell.disarm();
    this.syncCounters();
  }
}

function makeStore(c: ResolvedEngineConfig, clock: Clock): MessageStore {
  const now = clock.nowMicros();
  if (c.store.kind === 'memory') return createMemoryStore({ sessionStartMicros: now });
  if (c.store.kind === 'journal') {
    return openJournalStore({ dir: c.store.dir, sessionId: `FIX.4.4:${c.senderCompID}->${c.targetCompID}`, fsync: { kind: 'batch', maxMessages: 64, maxDelayMs: 5 } });
  }
  return new SequenceStore(now);
}
