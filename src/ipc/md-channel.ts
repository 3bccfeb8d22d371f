/**
 * Conflating market-data channel: a ring for BookUpdate/Trade records plus one seqlock-protected
 * "latest state" slot per instrument (memory in md-slots.ts).
 *
 * While the ring holds more than `highWaterBytes`, a book update is not queued: it overwrites its
 * instrument's slot (last update, top of book, cumulative conflation count). Once an instrument has
 * a slot the consumer has not taken, all its further updates go to the slot too, so the consumer
 * never sees an older queued update after a newer slot state. The consumer delivers a slot only
 * after it has consumed every record queued before the slot was written (tailAtWrite <= position).
 * A conflated delivery means "intermediate updates were skipped": the strategy should treat its
 * incremental view of that book as stale and re-read depth from the book layer if it needs more
 * than the top of book carried here.
 *
 * Trades and other records use the ring only; if the ring is full they are dropped and counted
 * (this channel is lossy by design; never-drop traffic belongs on a BacklogProducer channel).
 */
import { BookUpdateFlyweight } from './events.js';
import { BookEvent, ConflatedBook, SLOT_WRITES, SlotViews, type MarketDataChannelMemory } from './md-slots.js';
import type { RecordHandler, WaitOptions, WorkProbe } from './queue-layout.js';
import { RecordBuffer } from './record-buffer.js';
import { recordSize, RecordType } from './schema.js';
import { SpscConsumer, SpscProducer } from './spsc-queue.js';

export { BookEvent, ConflatedBook, createMarketDataChannel, type MarketDataChannelMemory } from './md-slots.js';

const BOOK_UPDATE_SIZE = recordSize(RecordType.BookUpdate);

export class MarketDataPublisher {
  readonly producer: SpscProducer;
  readonly instruments: number;
  readonly highWaterBytes: number;
  /** Book updates queued / conflated; other records dropped because the ring was full. */
  queuedTotal = 0;
  conflatedTotal = 0;
  droppedTotal = 0;
  private readonly slots: SlotViews;
  /** Producer's copy of each slot version (it is the only writer). */
  private readonly versions: Int32Array;
  private slotWrites = 0;
  private readonly bu = new BookUpdateFlyweight();

  constructor(mem: MarketDataChannelMemory, opts: WaitOptions = {}) {
    this.slots = new SlotViews(mem, 'MarketDataPublisher');
    this.producer = new SpscProducer(mem.queue, opts);
    this.instruments = mem.instruments;
    this.highWaterBytes = mem.highWaterBytes;
    this.versions = new Int32Array(mem.instruments);
    for (let i = 0; i < mem.instruments; i++) this.versions[i] = this.slots.version(i);
    this.slotWrites = Atomics.load(this.slots.hdr, SLOT_WRITES);
  }

  /**
   * Queues the update, or conflates it into the instrument's slot when the ring is above the high
   * water mark (or the slot is still pending). Never blocks, never loses the latest state.
   * Returns true if queued, false if conflated.
   */
  publishBook(ev: BookEvent): boolean {
    const id = ev.instrumentId;
    if (!(id >= 0 && id < this.instruments && (id | 0) === id)) {
      throw new RangeError(`publishBook: instrumentId ${id} outside 0..${this.instruments - 1}`);
    }
    const pending = Atomics.load(this.slots.consumed, id) !== this.versions[id];
    if (!pending) {
      const p = this.producer;
      let used = p.usedBytes(false);
      if (used > this.highWaterBytes) used = p.usedBytes(true);
      if (used <= this.highWaterBytes && p.tryClaim(BOOK_UPDATE_SIZE)) {
        const bu = this.bu.wrapForWrite(p.buffer, p.claimedOffset, BOOK_UPDATE_SIZE);
        const c = bu.c;
        c.seq = ev.seq;
        c.flags = ev.flags;
        c.tSocketRead = ev.tSocketRead;
        c.tParseDone = ev.tParseDone;
        c.tEnqueued = ev.tEnqueued;
        bu.setPrice(ev.price, ev.priceScale).setQty(ev.qty, ev.qtyScale);
        bu.orderId = ev.orderId;
        bu.instrumentId = id;
        bu.level = ev.level;
        bu.side = ev.side;
        bu.action = ev.action;
        p.commit();
        this.queuedTotal++;
        return true;
      }
    }
    this.versions[id] = this.slots.write(id, this.versions[id]!, ev, this.producer.position);
    this.conflatedTotal++;
    Atomics.store(this.slots.hdr, SLOT_WRITES, ++this.slotWrites);
    // A consumer asleep on an empty ring would not look at the slots: move TAIL to wake it.
    if (this.producer.consumerWaiting()) this.producer.nudge();
    return false;
  }

  /** Claims ring space for a non-book record (Trade ...); false = dropped and counted. */
  tryClaim(size: number): boolean {
    if (this.producer.tryClaim(size)) return true;
    this.droppedTotal++;
    return false;
  }

  get buffer(): RecordBuffer {
    return this.producer.buffer;
  }

  get claimedOffset(): number {
    return this.producer.claimedOffset;
  }

  commit(): void {
    this.producer.commit();
  }

  /** Cumulative conflated-update count of one instrument (the consumer reads the same number). */
  conflatedCount(instrumentId: number): number {
    return this.slots.total(instrumentId);
  }
}

export interface MarketDataHandler {
  onBookUpdate(u: BookUpdateFlyweight): void;
  /** Latest state of an instrument whose intermediate updates were skipped. */
  onConflated(s: ConflatedBook): void;
  /** Any other record type (Trade, SessionStatus ...). */
  onOther(buf: RecordBuffer, offset: number, recordType: number, length: number): void;
}

export class MarketDataSubscriber implements RecordHandler, WorkProbe {
  readonly consumer: SpscConsumer;
  readonly instruments: number;
  /** Conflated deliveries made, and slot reads retried because the producer was mid-write. */
  conflatedDeliveries = 0;
  seqlockRetries = 0;
  private readonly slots: SlotViews;
  private readonly consumedLocal: Int32Array;
  /** totalConflated of each instrument at its last delivery. */
  private readonly deliveredTotal: Float64Array;
  private seenWrites = 0;
  private deferred = false;
  private handler: MarketDataHandler | null = null;
  private readonly bu = new BookUpdateFlyweight();
  private readonly state = new ConflatedBook();

  constructor(mem: MarketDataChannelMemory, opts: WaitOptions = {}) {
    this.slots = new SlotViews(mem, 'MarketDataSubscriber');
    this.consumer = new SpscConsumer(mem.queue, opts);
    this.instruments = mem.instruments;
    this.consumedLocal = Int32Array.from(this.slots.consumed);
    this.deliveredTotal = new Float64Array(mem.instruments);
    for (let i = 0; i < mem.instruments; i++) this.deliveredTotal[i] = this.slots.total(i);
  }

  /**
   * Delivers up to `limit` queued records, then any conflated slots whose preceding records have all
   * been delivered. Returns records + conflated states delivered.
   */
  poll(handler: MarketDataHandler, limit = 0x7fffffff): number {
    this.handler = handler;
    const writes = Atomics.load(this.slots.hdr, SLOT_WRITES);
    let n = this.consumer.poll(this, limit);
    if (writes !== this.seenWrites || this.deferred) {
      this.seenWrites = writes;
      n += this.scanSlots(handler);
    }
    return n;
  }

  /** RecordHandler (ring side); not for external use. */
  onRecord(buf: RecordBuffer, offset: number, recordType: number, length: number): void {
    const h = this.handler!;
    if (recordType === RecordType.BookUpdate) h.onBookUpdate(this.bu.wrap(buf, offset));
    else h.onOther(buf, offset, recordType, length);
  }

  /** WorkProbe: slots written since the last scan, or a slot left for later. */
  hasWork(): boolean {
    return this.deferred || Atomics.load(this.slots.hdr, SLOT_WRITES) !== this.seenWrites;
  }

  /** Waits (per the consumer's wait strategy) for records or conflated state. */
  awaitData(timeoutMs: number): boolean {
    return this.consumer.awaitData(timeoutMs, this);
  }

  awaitDataAsync(timeoutMs: number): Promise<boolean> {
    return this.consumer.awaitDataAsync(timeoutMs, this);
  }

  /** Cumulative conflated-update count of one instrument. */
  conflatedCount(instrumentId: number): number {
    return this.slots.total(instrumentId);
  }

  private scanSlots(handler: MarketDataHandler): number {
    const slots = this.slots;
    const s = this.state;
    const position = this.consumer.position;
    let delivered = 0;
    let deferred = false;
    for (let id = 0; id < this.instruments; id++) {
      const v = slots.version(id);
      if (v === this.consumedLocal[id]) continue;
      if ((v & 1) !== 0) {
        this.seqlockRetries++;
        deferred = true;
        continue;
      }
      slots.read(id, s);
      const tailAtWrite = slots.tailAtWrite(id);
      if (slots.version(id) !== v) {
        this.seqlockRetries++;
        deferred = true;
        continue;
      }
      // Records queued before this slot write must be delivered first.
      if (((position - tailAtWrite) | 0) < 0) {
        deferred = true;
        continue;
      }
      // Counted from the cumulative total: a per-period counter could be double-counted when the
      // producer writes between our read and our CONSUMED store.
      s.updatesConflated = s.totalConflated - this.deliveredTotal[id]!;
      this.deliveredTotal[id] = s.totalConflated;
      this.consumedLocal[id] = v;
      Atomics.store(slots.consumed, id, v);
      this.conflatedDeliveries++;
      handler.onConflated(s);
      delivered++;
    }
    this.deferred = deferred;
    return delivered;
  }
}
