/**
 * StrategyRunner: one strategy's side of the queues. Drains its order-event queue (ExecutionReport,
 * Reject, SessionStatus: never dropped) and its market-data channel (BookUpdate, Trade: conflating),
 * keeps its books and order table, calls the hooks, flushes its command backlog and runs its timer.
 *
 * The same class runs in a piscina worker (runBlocking: spin, then Atomics.wait on the event queue) and
 * inline on the hot-path thread (the engine calls poll() after every socket read and on its idle loop).
 *
 * Crash handling: before an event record is handed to the strategy its queue position is stored in the
 * shared control block; if the strategy throws, the record stays unconsumed, and a restarted runner
 * that finds the same position in flight skips it once (counted as poison) instead of crashing forever.
 */
import type { InstrumentSpec } from '../kraken/index.js';
import {
  ExecutionReportFlyweight,
  MarketDataSubscriber,
  monoNs,
  openNeverDropProducer,
  RecordType,
  RejectFlyweight,
  SessionStatusFlyweight,
  SpscConsumer,
  TradeFlyweight,
  WaitStrategy,
  RJ,
  type BacklogProducer,
  type BookUpdateFlyweight,
  type ConflatedBook,
  type MarketDataChannelMemory,
  type MarketDataHandler,
  type RecordBuffer,
  type WorkProbe,
} from '../ipc/index.js';
import { Interval, LatencyRing } from '../engine/latency.js';
import { BookView } from './book-view.js';
import { StrategyContextImpl } from './context.js';
import type { StrategyDefinition } from './define.js';
import { OrderGate, toUnits } from './gate.js';
import { OrderTable, varDigits } from './orders.js';
import { ClOrdIdSequence, Doorbell, MdFlag, StratCounter, StrategyControl, StrategyState } from './protocol.js';

/** Everything a runner needs, as plain data and shared memory (crosses to a worker in workerData). */
export interface StrategyWiring {
  readonly name: string;
  /** 0..9, unique per session. */
  readonly index: number;
  readonly params: Readonly<Record<string, unknown>>;
  readonly mode: 'worker' | 'inline';
  readonly instruments: readonly InstrumentSpec[];
  /** Order events, engine -> strategy (never-drop ring). */
  readonly events: SharedArrayBuffer;
  readonly md: MarketDataChannelMemory;
  /** Commands, strategy -> engine (never-drop ring + private backlog on the strategy side). */
  readonly commands: SharedArrayBuffer;
  readonly doorbell: SharedArrayBuffer;
  readonly clOrdIdSequence: SharedArrayBuffer;
  readonly control: SharedArrayBuffer;
  readonly latency: SharedArrayBuffer;
  /** The engine's counters (read-only here): the session state slot. */
  readonly engineCounters: SharedArrayBuffer;
  readonly commandBacklogBytes?: number;
  /** Polls before sleeping in worker mode (default 20000: ~100 µs on this box). */
  readonly spinIterations?: number;
}

const MAX_EVENTS_PER_POLL = 256;

export class StrategyRunner implements MarketDataHandler, WorkProbe {
  readonly ctx: StrategyContextImpl;
  readonly control: StrategyControl;
  private readonly def: StrategyDefinition;
  private readonly events: SpscConsumer;
  private readonly md: MarketDataSubscriber;
  private readonly commands: BacklogProducer;
  private readonly doorbell: Doorbell;
  private readonly books: BookView[];
  private readonly orders: OrderTable;
  private readonly counters: Float64Array;
  private readonly ring: LatencyRing;
  private readonly er = new ExecutionReportFlyweight();
  private readonly rj = new RejectFlyweight();
  private readonly ss = new SessionStatusFlyweight();
  private readonly tr = new TradeFlyweight();
  private nextTimerMs: number;
  private started = false;

  constructor(def: StrategyDefinition, w: StrategyWiring) {
    this.def = def;
    const gate = new OrderGate(w.instruments);
    const opts = {
      strategy: w.mode === 'inline' ? WaitStrategy.BusySpin : WaitStrategy.SpinThenWait,
      spinIterations: w.spinIterations ?? 20_000,
    };
    this.events = new SpscConsumer(w.events, opts);
    this.md = new MarketDataSubscriber(w.md, opts);
    this.commands = openNeverDropProducer(w.commands, w.commandBacklogBytes ?? 1 << 16, { strategy: WaitStrategy.BusySpin });
    this.doorbell = new Doorbell(w.doorbell);
    this.control = new StrategyControl(w.control);
    this.counters = this.control.counters;
    this.ring = new LatencyRing(w.latency);
    this.books = gate.instruments.map((gi) => new BookView(gi, def.bookDepth));
    this.orders = new OrderTable(1024, Math.max(1, gate.instruments.length));
    this.ctx = new StrategyContextImpl({
      name: w.name,
      index: w.index,
      params: w.params,
      mode: w.mode,
      gate,
      commands: this.commands,
      doorbell: this.doorbell,
      sequence: new ClOrdIdSequence(w.clOrdIdSequence),
      orders: this.orders,
      books: this.books,
      counters: this.counters,
      engineCounters: new Float64Array(w.engineCounters),
    });
    this.nextTimerMs = performance.now() + def.timerMs;
    this.skipPoison();
  }

  /** Calls onStart; the runner is then ready for poll() / runBlocking(). */
  start(): void {
    this.control.setState(StrategyState.Starting);
    this.def.onStart?.(this.ctx);
    this.started = true;
    this.control.setState(StrategyState.Running);
  }

  /** One round of work; returns how many events were delivered. Never blocks. */
  poll(): number {
    let n = 0;
    const q = this.events;
    const counters = this.counters;
    for (; n < MAX_EVENTS_PER_POLL; n++) {
      const off = q.peek();
      if (off < 0) break;
      counters[StratCounter.IN_FLIGHT_POS] = q.position;
      this.onEvent(q.buffer, off);
      q.release();
      counters[StratCounter.IN_FLIGHT_POS] = NaN;
    }
    n += this.md.poll(this, MAX_EVENTS_PER_POLL);
    if (this.commands.pendingRecords > 0 && this.commands.flush() > 0) this.doorbell.ring();
    const now = performance.now();
    if (now >= this.nextTimerMs) {
      this.nextTimerMs = now + this.def.timerMs;
      counters[StratCounter.TIMERS]++;
      this.def.onTimer?.(this.ctx);
    }
    return n;
  }

  /** Worker mode: runs until the control block asks it to stop. */
  runBlocking(): void {
    if (!this.started) this.start();
    const control = this.control;
    while (!control.stopRequested) {
      if (this.poll() > 0) continue;
      let waitMs = this.nextTimerMs - performance.now();
      if (waitMs > 50) waitMs = 50;
      if (this.commands.pendingRecords > 0 && waitMs > 1) waitMs = 1;
      if (waitMs > 0) this.events.awaitData(waitMs, this);
    }
    this.stop();
  }

  stop(): void {
    if (this.started) this.def.onStop?.(this.ctx);
    this.started = false;
    this.control.setState(StrategyState.Stopped);
  }

  /** WorkProbe for the wait: market data does not ring the event queue's bell by itself. */
  hasWork(): boolean {
    return this.md.hasWork() || this.md.consumer.hasData() || this.control.stopRequested;
  }

  // ---------------------------------------------------------------- order events

  private onEvent(buf: RecordBuffer, off: number): void {
    const type = buf.u16[off >> 1]!;
    const counters = this.counters;
    counters[StratCounter.EVENTS]++;
    const ctx = this.ctx;
    if (type === RecordType.ExecutionReport) {
      const er = this.er.wrap(buf, off);
      this.stamp(er.c.tSocketRead, er.c.tEnqueued);
      ctx.currentEventSocketNs = er.c.tSocketRead;
      counters[StratCounter.EXECUTIONS]++;
      const id = er.instrumentId;
      const b = this.books[id];
      this.orders.onExecutionReport(er, b !== undefined ? b.priceScale : 0, b !== undefined ? b.qtyScale : 0);
      this.def.onExecution?.(ctx, er);
    } else if (type === RecordType.Reject) {
      const rj = this.rj.wrap(buf, off);
      this.stamp(rj.c.tSocketRead, rj.c.tEnqueued);
      const id = varDigits(rj.c, RJ.clOrdID);
      if (id === id) this.orders.onReject(id, varDigits(rj.c, RJ.origClOrdID));
      this.def.onReject?.(ctx, rj);
    } else if (type === RecordType.SessionStatus) {
      this.def.onSessionStatus?.(ctx, this.ss.wrap(buf, off));
    }
  }

  private stamp(tSocketRead: number, tEnqueued: number): void {
    const t = monoNs();
    if (tSocketRead > 0) this.ring.record(Interval.WIRE_TO_STRATEGY, t - tSocketRead);
    if (tEnqueued > 0) this.ring.record(Interval.QUEUE_HANDOFF, t - tEnqueued);
  }

  // ---------------------------------------------------------------- market data (MarketDataHandler)

  onBookUpdate(u: BookUpdateFlyweight): void {
    const view = this.books[u.instrumentId];
    if (view === undefined) return;
    const c = u.c;
    const flags = c.flags;
    const snapshot = (flags & MdFlag.Snapshot) !== 0;
    if ((flags & MdFlag.FirstInMessage) !== 0) {
      this.stamp(c.tSocketRead, c.tEnqueued);
      this.ctx.currentEventSocketNs = c.tSocketRead;
      view.tSocketRead = c.tSocketRead;
      view.begin(snapshot);
    }
    const price = toUnits(u.price, u.priceScale, view.priceScale);
    const qty = toUnits(u.qty, u.qtyScale, view.qtyScale);
    if (price === price && qty === qty) view.apply(snapshot, u.action, u.side, price, qty);
    if ((flags & MdFlag.LastInMessage) !== 0 && view.end()) {
      this.counters[StratCounter.BOOKS]++;
      this.def.onBook?.(this.ctx, view);
    }
  }

  onConflated(s: ConflatedBook): void {
    const view = this.books[s.instrumentId];
    if (view === undefined) return;
    this.counters[StratCounter.CONFLATED] += s.updatesConflated;
    view.markStale();
    this.def.onBook?.(this.ctx, view);
  }

  onOther(buf: RecordBuffer, offset: number, recordType: number): void {
    if (recordType !== RecordType.Trade) return;
    const tr = this.tr.wrap(buf, offset);
    this.stamp(tr.c.tSocketRead, tr.c.tEnqueued);
    this.counters[StratCounter.TRADES]++;
    this.def.onTrade?.(this.ctx, tr);
  }

  // ---------------------------------------------------------------- restart

  private skipPoison(): void {
    const pos = this.counters[StratCounter.IN_FLIGHT_POS]!;
    if (pos !== pos) return;
    this.counters[StratCounter.IN_FLIGHT_POS] = NaN;
    const off = this.events.peek();
    if (off >= 0 && this.events.position === pos) {
      this.events.release();
      this.counters[StratCounter.POISON_SKIPPED]++;
      this.counters[StratCounter.SKIPPED_POS] = pos;
    }
  }
}

