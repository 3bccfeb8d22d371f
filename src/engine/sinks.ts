/**
 * Where the hot path writes one strategy's events. Order events (ExecutionReport, Reject, SessionStatus)
 * are never dropped: ring first, then the BacklogProducer's private backlog, and if even that is full the
 * record is copied to the heap (counted, and the socket is paused until the strategy catches up), so an
 * ExecutionReport is never lost whatever the strategy does. Market data goes to the conflating channel.
 */
import {
  BacklogProducer,
  MarketDataPublisher,
  openNeverDropProducer,
  RecordBuffer,
  WaitStrategy,
} from '../ipc/index.js';
import type { StrategyWiring } from '../strategy/runner.js';
import { EngineCounter } from './memory.js';

const SCRATCH_BYTES = 1 << 16;

export class EventSink {
  readonly out: BacklogProducer;
  readonly md: MarketDataPublisher;
  /** Where the current claim lives (ring, backlog or scratch) and its offset there. */
  buffer: RecordBuffer;
  offset = 0;
  private size = 0;
  private toScratch = false;
  private readonly scratch = new RecordBuffer(new ArrayBuffer(SCRATCH_BYTES), 0, SCRATCH_BYTES);
  private readonly spill: Uint8Array[] = [];

  constructor(w: StrategyWiring, backlogBytes: number, private readonly counters: Float64Array) {
    this.out = openNeverDropProducer(w.events, backlogBytes, { strategy: WaitStrategy.BusySpin });
    this.md = new MarketDataPublisher(w.md, { strategy: WaitStrategy.BusySpin });
    this.buffer = this.scratch;
  }

  /** Records waiting on the heap (the socket stays paused while > 0). */
  get spilled(): number {
    return this.spill.length;
  }

  claim(size: number): void {
    this.size = size;
    if (this.spill.length === 0 && this.out.tryClaim(size)) {
      this.buffer = this.out.buffer;
      this.offset = this.out.claimedOffset;
      this.toScratch = false;
      return;
    }
    this.buffer = this.scratch;
    this.offset = 0;
    this.toScratch = true;
  }

  commit(): void {
    const c = this.counters;
    if (!this.toScratch) {
      const before = this.out.backloggedTotal;
      this.out.commit();
      if (this.out.backloggedTotal !== before) c[EngineCounter.EVENTS_BACKLOGGED]++;
    } else {
      // Exceptional: ring and backlog both full. Keep a copy; order is kept because every later record
      // goes here too until the spill is drained.
      this.spill.push(this.scratch.u8.slice(0, this.size));
      c[EngineCounter.EVENTS_SPILLED]++;
    }
    c[EngineCounter.EVENTS_ENQUEUED]++;
  }

  /** Moves backlog and spill toward the ring; returns true when everything pending is out. */
  flush(): boolean {
    if (this.out.pendingRecords > 0) this.out.flush();
    const spill = this.spill;
    while (spill.length > 0) {
      const rec = spill[0]!;
      if (!this.out.tryClaim(rec.length)) return false;
      const dst = this.out.buffer.u8;
      const at = this.out.claimedOffset;
      for (let i = 0; i < rec.length; i++) dst[at + i] = rec[i]!;
      this.out.commit();
      spill.shift();
    }
    return this.out.pendingRecords === 0;
  }

  /** Wakes a strategy asleep on its event ring after market data was published elsewhere. */
  wakeIfWaiting(): void {
    const p = this.out.producer;
    if (p.consumerWaiting()) p.nudge();
  }
}
