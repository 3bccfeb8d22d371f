/**
 * Delivery policies on top of the SPSC ring.
 *
 * Never-drop (execution reports, order commands): the ring refuses when full and counts it; the
 * BacklogProducer parks the overflow in a preallocated private ring and republishes it in order as
 * soon as room frees. Everything goes through the backlog while it is non-empty, so order holds.
 * Only when the backlog itself is full does tryClaim return false: real back-pressure the caller must
 * act on (e.g. stop reading the socket), never a silent drop.
 *
 * Conflating market data: see md-channel.ts (re-exported here).
 */
import { RecordBuffer } from './record-buffer.js';
import { createQueue, SpscConsumer, SpscProducer, WaitStrategy, type WaitOptions } from './spsc-queue.js';

export class BacklogProducer {
  readonly producer: SpscProducer;
  /** Where the current claim lives: the shared ring or the private backlog. */
  buffer: RecordBuffer;
  claimedOffset = -1;
  claimedSize = 0;
  /** Records that went through the backlog (ring was full or backlog non-empty). */
  backloggedTotal = 0;
  /** Claims refused because the backlog was full too. */
  refusedTotal = 0;
  private pending = 0;
  private pendingBytes = 0;
  private toBacklog = false;
  private readonly sideIn: SpscProducer;
  private readonly sideOut: SpscConsumer;

  /** backlogCapacity: power of two >= 1024 and >= 2x the largest record. */
  constructor(producer: SpscProducer, backlogCapacity = 1 << 16) {
    this.producer = producer;
    this.buffer = producer.buffer;
    // A private SAB so the side ring has the same element kinds as the shared one (monomorphic copies).
    const side = createQueue(backlogCapacity);
    this.sideIn = new SpscProducer(side, { strategy: WaitStrategy.BusySpin });
    this.sideOut = new SpscConsumer(side, { strategy: WaitStrategy.BusySpin });
  }

  /** Records waiting in the backlog. */
  get pendingRecords(): number {
    return this.pending;
  }

  get pendingBacklogBytes(): number {
    return this.pendingBytes;
  }

  /**
   * Reserves `size` bytes in the ring, or in the backlog when the ring is full or the backlog still
   * holds older records. False only when both are full (counted in refusedTotal).
   */
  tryClaim(size: number): boolean {
    if (this.pending > 0) this.flush();
    if (this.pending === 0 && this.producer.tryClaim(size)) {
      this.buffer = this.producer.buffer;
      this.claimedOffset = this.producer.claimedOffset;
      this.claimedSize = size;
      this.toBacklog = false;
      return true;
    }
    if (this.sideIn.tryClaim(size)) {
      this.buffer = this.sideIn.buffer;
      this.claimedOffset = this.sideIn.claimedOffset;
      this.claimedSize = size;
      this.toBacklog = true;
      return true;
    }
    this.refusedTotal++;
    return false;
  }

  commit(): void {
    if (this.claimedOffset < 0) throw new Error('BacklogProducer.commit: nothing claimed');
    this.claimedOffset = -1;
    if (this.toBacklog) {
      this.sideIn.commit();
      this.pending++;
      this.pendingBytes += this.claimedSize;
      this.backloggedTotal++;
    } else {
      this.producer.commit();
    }
  }

  abort(): void {
    if (this.claimedOffset < 0) return;
    this.claimedOffset = -1;
    if (this.toBacklog) this.sideIn.abort();
    else this.producer.abort();
  }

  /**
   * Moves backlog records into the ring, oldest first, until the backlog is empty or the ring is
   * full. Returns how many moved. Call it from the idle loop too, not only on the next claim.
   */
  flush(): number {
    let n = 0;
    const out = this.sideOut;
    for (;;) {
      const off = out.peek();
      if (off < 0) break;
      const len = out.buffer.u32[(off + 4) >> 2]!;
      // hasRoom first so that polling a full ring does not inflate the shared full counter.
      if (!this.producer.hasRoom(len) || !this.producer.tryWrite(out.buffer, off, len)) break;
      out.release();
      this.pending--;
      this.pendingBytes -= len;
      n++;
    }
    return n;
  }
}

/** Memory for a never-drop channel: one ring; pass it to both threads. */
export function createNeverDropChannel(capacity: number): SharedArrayBuffer {
  return createQueue(capacity);
}

/** Producer side of a never-drop channel: the ring producer wrapped in a backlog. */
export function openNeverDropProducer(sab: SharedArrayBuffer, backlogCapacity = 1 << 16, opts: WaitOptions = {}): BacklogProducer {
  return new BacklogProducer(new SpscProducer(sab, opts), backlogCapacity);
}

export {
  ConflatedBook,
  BookEvent,
  createMarketDataChannel,
  MarketDataPublisher,
  MarketDataSubscriber,
  type MarketDataChannelMemory,
  type MarketDataHandler,
} from './md-channel.js';
