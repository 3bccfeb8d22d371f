/**
 * Single-producer single-consumer ring of variable-length records over a SharedArrayBuffer
 * (layout in queue-layout.ts).
 *
 * Ordering: record bytes are plain stores followed by Atomics.store(TAIL) (release); the consumer does
 * Atomics.load(TAIL) (acquire) before plain loads, and publishes consumption with Atomics.store(HEAD).
 * A record that would cross the end is preceded by a Padding record filling the tail of the ring.
 * Records are at most capacity/2 bytes, which guarantees any record fits once the ring drains.
 *
 * Wake-up: the consumer raises CONSUMER_WAITING, re-checks TAIL, then Atomics.wait(TAIL, seen). The
 * producer stores TAIL then loads the flag; with sequentially consistent atomics one of the two sees
 * the other, so no wake-up is lost, and a non-sleeping consumer costs the producer one atomic load.
 */
import { RecordBuffer } from './record-buffer.js';
import { HEADER_SIZE, MAX_RECORD_SIZE, RecordType } from './schema.js';
import {
  attach,
  CAPACITY,
  CONSUMER_NOTIFIES,
  CONSUMER_WAITING,
  CONSUMER_WAITS,
  FULL_COUNT,
  HEAD,
  NOTIFY_COUNT,
  PRODUCER_WAITING,
  PRODUCER_WAITS,
  QUEUE_DATA_OFFSET,
  sleepAsync,
  TAIL,
  WaitStrategy,
  type RecordHandler,
  type WaitOptions,
  type WorkProbe,
} from './queue-layout.js';

export {
  createQueue,
  MAX_CAPACITY,
  MIN_CAPACITY,
  QUEUE_DATA_OFFSET,
  queueByteLength,
  queueStats,
  WaitStrategy,
  type QueueStats,
  type RecordHandler,
  type WaitOptions,
  type WorkProbe,
} from './queue-layout.js';

export class SpscProducer {
  /** View of the data region; claimedOffset indexes into it. */
  readonly buffer: RecordBuffer;
  readonly capacity: number;
  /** Largest claimable record: min(capacity / 2, MAX_RECORD_SIZE). */
  readonly maxRecordSize: number;
  /** Offset of the current claim in `buffer`, -1 when none. */
  claimedOffset = -1;
  claimedSize = 0;
  private readonly ctl: Int32Array;
  private readonly mask: number;
  private tail: number;
  private headCache: number;
  private fullCount = 0;
  private notifyCount = 0;
  private waits = 0;
  private readonly strategy: WaitStrategy;
  private readonly spinIterations: number;

  constructor(sab: SharedArrayBuffer, opts: WaitOptions = {}) {
    this.ctl = attach(sab, 'SpscProducer');
    this.capacity = this.ctl[CAPACITY]!;
    this.mask = this.capacity - 1;
    this.maxRecordSize = Math.min(this.capacity >> 1, MAX_RECORD_SIZE);
    this.buffer = new RecordBuffer(sab, QUEUE_DATA_OFFSET, this.capacity);
    this.tail = Atomics.load(this.ctl, TAIL);
    this.headCache = Atomics.load(this.ctl, HEAD);
    // Counters continue from the shared values so a re-attached producer does not reset them.
    this.fullCount = Atomics.load(this.ctl, FULL_COUNT);
    this.notifyCount = Atomics.load(this.ctl, NOTIFY_COUNT);
    this.waits = Atomics.load(this.ctl, PRODUCER_WAITS);
    this.strategy = opts.strategy ?? WaitStrategy.SpinThenWait;
    this.spinIterations = opts.spinIterations ?? 1000;
  }

  /**
   * Reserves `size` bytes (multiple of 8, header included). Never blocks: false when the ring lacks
   * room, and the shared full counter is incremented. Write the record at claimedOffset, then commit().
   */
  tryClaim(size: number): boolean {
    if ((size & 7) !== 0 || size < HEADER_SIZE || size > this.maxRecordSize) this.badSize(size);
    if (this.claimedOffset >= 0) throw new Error('tryClaim: previous claim was neither committed nor aborted');
    const tail = this.tail;
    let pos = tail & this.mask;
    const toEnd = this.capacity - pos;
    const needed = size <= toEnd ? size : toEnd + size;
    if (this.capacity - ((tail - this.headCache) | 0) < needed) {
      this.headCache = Atomics.load(this.ctl, HEAD);
      if (this.capacity - ((tail - this.headCache) | 0) < needed) {
        Atomics.store(this.ctl, FULL_COUNT, ++this.fullCount);
        return false;
      }
    }
    if (size > toEnd) {
      // Padding becomes visible together with the record at commit().
      const b = this.buffer;
      b.u16[pos >> 1] = RecordType.Padding;
      b.u16[(pos + 2) >> 1] = 0;
      b.u32[(pos + 4) >> 2] = toEnd;
      this.tail = (tail + toEnd) | 0;
      pos = 0;
    }
    this.claimedOffset = pos;
    this.claimedSize = size;
    return true;
  }

  /** Publishes the claimed record and wakes the consumer if (and only if) it is asleep. */
  commit(): void {
    this.commitDeferred();
    this.publish();
  }

  /**
   * Completes the claimed record without making it visible yet: a batch of records (e.g. all MD
   * entries of one FIX message) then costs one publish() (two atomics) instead of one per record.
   * Until publish(), the consumer does not see them and the ring counts them as used.
   */
  commitDeferred(): void {
    const off = this.claimedOffset;
    if (off < 0) throw new Error('commit: nothing claimed');
    this.buffer.u32[(off + 4) >> 2] = this.claimedSize; // the header length is what the consumer trusts
    this.tail = (this.tail + this.claimedSize) | 0;
    this.claimedOffset = -1;
  }

  /** Makes every committed record visible and wakes the consumer if it is asleep. */
  publish(): void {
    Atomics.store(this.ctl, TAIL, this.tail);
    if (Atomics.load(this.ctl, CONSUMER_WAITING) !== 0) {
      Atomics.store(this.ctl, NOTIFY_COUNT, ++this.notifyCount);
      Atomics.notify(this.ctl, TAIL, 1);
    }
  }

  /**
   * Publishes an 8-byte padding record and wakes a sleeping consumer. For state that changes outside
   * the ring (conflation slots): moving TAIL is what makes a sleeping consumer's Atomics.wait return.
   * False if the ring has no 8 bytes free (then the consumer has data and is not asleep).
   */
  nudge(): boolean {
    if (this.claimedOffset >= 0) throw new Error('nudge: a claim is open');
    if (this.capacity - ((this.tail - this.headCache) | 0) < 8) {
      this.headCache = Atomics.load(this.ctl, HEAD);
      if (this.capacity - ((this.tail - this.headCache) | 0) < 8) return false;
    }
    const pos = this.tail & this.mask;
    const b = this.buffer;
    b.u16[pos >> 1] = RecordType.Padding;
    b.u16[(pos + 2) >> 1] = 0;
    b.u32[(pos + 4) >> 2] = 8;
    this.tail = (this.tail + 8) | 0;
    this.publish();
    return true;
  }

  /** True while the consumer has announced it is (about to be) asleep. */
  consumerWaiting(): boolean {
    return Atomics.load(this.ctl, CONSUMER_WAITING) !== 0;
  }

  /** Drops the current claim (the bytes are never published). */
  abort(): void {
    this.claimedOffset = -1;
  }

  /** Copies a complete record (header length = len) from another buffer; false when full. */
  tryWrite(src: RecordBuffer, srcOffset: number, len: number): boolean {
    if (!this.tryClaim(len)) return false;
    RecordBuffer.copy(src, srcOffset, this.buffer, this.claimedOffset, len);
    this.commit();
    return true;
  }

  /** Bytes published and not yet consumed, as of the last HEAD refresh (refresh = true reloads it). */
  usedBytes(refresh: boolean): number {
    if (refresh) this.headCache = Atomics.load(this.ctl, HEAD);
    return (this.tail - this.headCache) | 0;
  }

  /** Producer position after everything committed so far (used by conflation ordering). */
  get position(): number {
    return this.tail;
  }

  /**
   * Waits until `size` bytes could be claimed or timeoutMs passes; true if room is available.
   * BusySpin spins; SpinThenWait spins then sleeps on HEAD (consumer notifies). WaitAsync producers
   * must use waitForRoomAsync.
   */
  waitForRoom(size: number, timeoutMs: number): boolean {
    if (this.hasRoom(size)) return true;
    this.publish(); // deferred commits must be visible, or the consumer can never free room
    if (this.strategy === WaitStrategy.WaitAsync) throw new Error('waitForRoom: WaitAsync producer, use waitForRoomAsync');
    const spin = this.strategy === WaitStrategy.BusySpin ? 0x7fffffff : this.spinIterations;
    const deadline = performance.now() + timeoutMs;
    for (let i = 0; i < spin; i++) {
      if (this.hasRoom(size)) return true;
      if ((i & 1023) === 1023 && performance.now() >= deadline) return false;
    }
    for (;;) {
      if (this.hasRoom(size)) return true;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      Atomics.store(this.ctl, PRODUCER_WAITING, 1);
      const head = Atomics.load(this.ctl, HEAD);
      if (head === this.headCache) {
        Atomics.store(this.ctl, PRODUCER_WAITS, ++this.waits);
        Atomics.wait(this.ctl, HEAD, head, left);
      }
      Atomics.store(this.ctl, PRODUCER_WAITING, 0);
    }
  }

  async waitForRoomAsync(size: number, timeoutMs: number): Promise<boolean> {
    this.publish();
    for (let i = 0; i < this.spinIterations; i++) if (this.hasRoom(size)) return true;
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      if (this.hasRoom(size)) return true;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      Atomics.store(this.ctl, PRODUCER_WAITING, 1);
      const head = Atomics.load(this.ctl, HEAD);
      if (head === this.headCache) {
        Atomics.store(this.ctl, PRODUCER_WAITS, ++this.waits);
        await sleepAsync(this.ctl, HEAD, head, left);
      }
      Atomics.store(this.ctl, PRODUCER_WAITING, 0);
    }
  }

  /** Reloads HEAD; true if `size` bytes can be claimed now. */
  hasRoom(size: number): boolean {
    this.headCache = Atomics.load(this.ctl, HEAD);
    const pos = this.tail & this.mask;
    const toEnd = this.capacity - pos;
    const needed = size <= toEnd ? size : toEnd + size;
    return this.capacity - ((this.tail - this.headCache) | 0) >= needed;
  }

  private badSize(size: number): never {
    throw new RangeError(
      `tryClaim: size ${size} must be a multiple of 8 in [${HEADER_SIZE}, ${this.maxRecordSize}] (capacity ${this.capacity})`,
    );
  }
}

export class SpscConsumer {
  readonly buffer: RecordBuffer;
  readonly capacity: number;
  private readonly ctl: Int32Array;
  private readonly mask: number;
  private head: number;
  private tailCache: number;
  private peekedLength = 0;
  private waits = 0;
  private notifies = 0;
  private readonly strategy: WaitStrategy;
  private readonly spinIterations: number;

  constructor(sab: SharedArrayBuffer, opts: WaitOptions = {}) {
    this.ctl = attach(sab, 'SpscConsumer');
    this.capacity = this.ctl[CAPACITY]!;
    this.mask = this.capacity - 1;
    this.buffer = new RecordBuffer(sab, QUEUE_DATA_OFFSET, this.capacity);
    this.head = Atomics.load(this.ctl, HEAD);
    this.tailCache = this.head;
    this.waits = Atomics.load(this.ctl, CONSUMER_WAITS);
    this.notifies = Atomics.load(this.ctl, CONSUMER_NOTIFIES);
    this.strategy = opts.strategy ?? WaitStrategy.SpinThenWait;
    this.spinIterations = opts.spinIterations ?? 1000;
  }

  /** Consumer position: everything before it has been delivered. */
  get position(): number {
    return this.head;
  }

  /**
   * Delivers up to `limit` records to handler.onRecord in order, then publishes the new HEAD once
   * for the whole batch. Returns the number delivered (padding excluded).
   */
  poll(handler: RecordHandler, limit = 0x7fffffff): number {
    const tail = Atomics.load(this.ctl, TAIL);
    this.tailCache = tail;
    let head = this.head;
    if (head === tail) return 0;
    const b = this.buffer;
    let n = 0;
    while (head !== tail && n < limit) {
      const pos = head & this.mask;
      const type = b.u16[pos >> 1]!;
      const len = b.u32[(pos + 4) >> 2]!;
      if (len < 8 || (len & 7) !== 0 || len > this.capacity - pos) this.corrupt(pos, len);
      if (type !== RecordType.Padding) {
        handler.onRecord(b, pos, type, len);
        n++;
      }
      head = (head + len) | 0;
    }
    this.publishHead(head);
    return n;
  }

  /** Offset of the next record (padding skipped), or -1 if none. Call release() when done with it. */
  peek(): number {
    const b = this.buffer;
    for (;;) {
      if (this.head === this.tailCache) {
        this.tailCache = Atomics.load(this.ctl, TAIL);
        if (this.head === this.tailCache) return -1;
      }
      const pos = this.head & this.mask;
      const len = b.u32[(pos + 4) >> 2]!;
      if (len < 8 || (len & 7) !== 0 || len > this.capacity - pos) this.corrupt(pos, len);
      if (b.u16[pos >> 1] !== RecordType.Padding) {
        this.peekedLength = len;
        return pos;
      }
      this.head = (this.head + len) | 0;
    }
  }

  /** Consumes the record returned by the last peek(). */
  release(): void {
    if (this.peekedLength === 0) throw new Error('release: no record peeked');
    const head = (this.head + this.peekedLength) | 0;
    this.peekedLength = 0;
    this.publishHead(head);
  }

  /** True if a record (or padding) is waiting. */
  hasData(): boolean {
    return Atomics.load(this.ctl, TAIL) !== this.head;
  }

  /**
   * Blocks per the wait strategy until data arrives or timeoutMs passes; true if data is available.
   * BusySpin never sleeps; SpinThenWait spins then Atomics.wait. WaitAsync consumers use awaitDataAsync.
   */
  awaitData(timeoutMs: number, probe: WorkProbe | null = null): boolean {
    if (this.hasData() || (probe !== null && probe.hasWork())) return true;
    if (this.strategy === WaitStrategy.WaitAsync) throw new Error('awaitData: WaitAsync consumer, use awaitDataAsync');
    const spin = this.strategy === WaitStrategy.BusySpin ? 0x7fffffff : this.spinIterations;
    const deadline = performance.now() + timeoutMs;
    for (let i = 0; i < spin; i++) {
      if (this.hasData() || (probe !== null && probe.hasWork())) return true;
      if ((i & 1023) === 1023 && performance.now() >= deadline) return false;
    }
    for (;;) {
      if (this.hasData() || (probe !== null && probe.hasWork())) return true;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      // Flag first, then re-check everything: a producer that changed state before seeing the flag
      // is caught by the re-check; one that sees the flag moves TAIL (commit/nudge) and notifies.
      Atomics.store(this.ctl, CONSUMER_WAITING, 1);
      const tail = Atomics.load(this.ctl, TAIL);
      if (tail === this.head && (probe === null || !probe.hasWork())) {
        Atomics.store(this.ctl, CONSUMER_WAITS, ++this.waits);
        Atomics.wait(this.ctl, TAIL, tail, left);
      }
      Atomics.store(this.ctl, CONSUMER_WAITING, 0);
    }
  }

  /** Event-loop friendly wait: spins spinIterations, then Atomics.waitAsync on TAIL. */
  async awaitDataAsync(timeoutMs: number, probe: WorkProbe | null = null): Promise<boolean> {
    for (let i = 0; i < this.spinIterations; i++) if (this.hasData() || (probe !== null && probe.hasWork())) return true;
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      if (this.hasData() || (probe !== null && probe.hasWork())) return true;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      Atomics.store(this.ctl, CONSUMER_WAITING, 1);
      const tail = Atomics.load(this.ctl, TAIL);
      if (tail === this.head && (probe === null || !probe.hasWork())) {
        Atomics.store(this.ctl, CONSUMER_WAITS, ++this.waits);
        await sleepAsync(this.ctl, TAIL, tail, left);
      }
      Atomics.store(this.ctl, CONSUMER_WAITING, 0);
    }
  }

  private publishHead(head: number): void {
    this.head = head;
    Atomics.store(this.ctl, HEAD, head);
    if (Atomics.load(this.ctl, PRODUCER_WAITING) !== 0) {
      Atomics.store(this.ctl, CONSUMER_NOTIFIES, ++this.notifies);
      Atomics.notify(this.ctl, HEAD, 1);
    }
  }

  private corrupt(pos: number, len: number): never {
    throw new Error(`SpscConsumer: corrupt record at offset ${pos}: length ${len} (capacity ${this.capacity})`);
  }
}
