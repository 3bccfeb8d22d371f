/**
 * Memory of the conflating market-data channel (policy in md-channel.ts): the per-instrument
 * "latest state" slots next to the ring, and their seqlock-protected write and read.
 *
 * Slots SAB layout: [0] MAGIC [1] instruments [2] highWaterBytes; byte 64 SLOT_WRITES (producer bumps
 * after every slot write); byte 128 slots (128 B each); then CONSUMED[i] (consumer-owned i32: version
 * of slot i last delivered). A slot is dirty when its version != CONSUMED[i].
 *
 * Seqlock: the producer makes the version odd, writes the fields, makes it even again; a reader
 * copies the fields between two version loads and keeps the copy only if both are equal and even.
 * Plain field accesses between the atomic version accesses are not reordered across them by V8.
 */
import { createQueue } from './queue-layout.js';

const MAGIC_VALUE = 0x4b46534c; // 'KFSL'
export const SLOT_WRITES = 16; // i32 index
const SLOTS_OFFSET = 128;
const SLOT_SIZE = 128;
// Byte offsets inside a slot.
const S_VERSION = 0; // i32, odd while the producer writes
const S_TAIL_AT_WRITE = 4; // i32, producer position when written
const S_TOTAL = 16; // f64, updates conflated since start (consumer derives per-delivery counts)
const S_SEQ = 24;
const S_PRICE = 32;
const S_QTY = 40;
const S_ORDER_ID = 48;
const S_BID_PX = 56;
const S_BID_QTY = 64;
const S_ASK_PX = 72;
const S_ASK_QTY = 80;
const S_T_SOCKET = 88;
const S_T_PARSE = 96;
const S_LEVEL = 104; // u16
const S_SIDE = 106;
const S_ACTION = 107;
const S_PRICE_SCALE = 108; // i8 x 6
const S_QTY_SCALE = 109;
const S_BID_PX_SCALE = 110;
const S_BID_QTY_SCALE = 111;
const S_ASK_PX_SCALE = 112;
const S_ASK_QTY_SCALE = 113;
const S_HAS_TOP = 114;

export interface MarketDataChannelMemory {
  queue: SharedArrayBuffer;
  slots: SharedArrayBuffer;
  instruments: number;
  highWaterBytes: number;
}

export function createMarketDataChannel(opts: {
  capacity: number;
  instruments: number;
  /** Ring fill level above which book updates are conflated. Default capacity / 2. */
  highWaterBytes?: number;
}): MarketDataChannelMemory {
  const { capacity, instruments } = opts;
  const highWaterBytes = opts.highWaterBytes ?? capacity >> 1;
  if (!Number.isInteger(instruments) || instruments < 1 || instruments > 1 << 20) {
    throw new RangeError(`createMarketDataChannel: instruments ${instruments} must be in 1..2^20`);
  }
  if (!Number.isInteger(highWaterBytes) || highWaterBytes < 0 || highWaterBytes > capacity) {
    throw new RangeError(`createMarketDataChannel: highWaterBytes ${highWaterBytes} must be in 0..capacity`);
  }
  const queue = createQueue(capacity);
  const slots = new SharedArrayBuffer(SLOTS_OFFSET + instruments * SLOT_SIZE + instruments * 4);
  const h = new Int32Array(slots, 0, SLOTS_OFFSET >> 2);
  h[1] = instruments;
  h[2] = highWaterBytes;
  Atomics.store(h, 0, MAGIC_VALUE);
  return { queue, slots, instruments, highWaterBytes };
}

export function checkMemory(mem: MarketDataChannelMemory, who: string): void {
  const expected = SLOTS_OFFSET + mem.instruments * (SLOT_SIZE + 4);
  if (!(mem.slots instanceof SharedArrayBuffer) || mem.slots.byteLength !== expected) {
    throw new TypeError(`${who}: memory is not from createMarketDataChannel() (slots buffer)`);
  }
  const h = new Int32Array(mem.slots, 0, SLOTS_OFFSET >> 2);
  if (Atomics.load(h, 0) !== MAGIC_VALUE || h[1] !== mem.instruments || h[2] !== mem.highWaterBytes) {
    throw new TypeError(`${who}: memory is not from createMarketDataChannel()`);
  }
}

/** Reusable input for publishBook: fill the fields, call publishBook, reuse (no allocation). */
export class BookEvent {
  instrumentId = 0;
  /** MDEntryType: 0 bid, 1 offer. */
  side = 0;
  /** MDUpdateAction: 0 new, 1 change, 2 delete. */
  action = 0;
  price = 0;
  priceScale = 0;
  qty = 0;
  qtyScale = 0;
  level = 0xffff;
  orderId = 0;
  seq = 0;
  flags = 0;
  tSocketRead = 0;
  tParseDone = 0;
  tEnqueued = 0;
  /** Top of book after this update; carried only into a conflation slot. */
  hasTop = false;
  bidPx = 0;
  bidPxScale = 0;
  bidQty = 0;
  bidQtyScale = 0;
  askPx = 0;
  askPxScale = 0;
  askQty = 0;
  askQtyScale = 0;
}

/** What a conflated delivery carries; one reusable instance per subscriber. */
export class ConflatedBook extends BookEvent {
  /** Updates conflated since this instrument's previous conflated delivery (>= 1). */
  updatesConflated = 0;
  /** Updates conflated for this instrument since the channel started. */
  totalConflated = 0;
}

/** Typed views over the slots SAB plus the seqlock write/read; one per side. */
export class SlotViews {
  readonly hdr: Int32Array;
  readonly i32: Int32Array;
  readonly f64: Float64Array;
  readonly u8: Uint8Array;
  readonly i8: Int8Array;
  readonly u16: Uint16Array;
  /** CONSUMED[i]: written by the consumer only. */
  readonly consumed: Int32Array;

  constructor(mem: MarketDataChannelMemory, who: string) {
    checkMemory(mem, who);
    const s = mem.slots;
    const slotBytes = mem.instruments * SLOT_SIZE;
    this.hdr = new Int32Array(s, 0, SLOTS_OFFSET >> 2);
    this.i32 = new Int32Array(s, SLOTS_OFFSET, slotBytes >> 2);
    this.f64 = new Float64Array(s, SLOTS_OFFSET, slotBytes >> 3);
    this.u8 = new Uint8Array(s, SLOTS_OFFSET, slotBytes);
    this.i8 = new Int8Array(s, SLOTS_OFFSET, slotBytes);
    this.u16 = new Uint16Array(s, SLOTS_OFFSET, slotBytes >> 1);
    this.consumed = new Int32Array(s, SLOTS_OFFSET + slotBytes, mem.instruments);
  }

  version(id: number): number {
    return Atomics.load(this.i32, (id * SLOT_SIZE + S_VERSION) >> 2);
  }

  /** Cumulative conflated-update count of one instrument. */
  total(id: number): number {
    return this.f64[(id * SLOT_SIZE + S_TOTAL) >> 3]!;
  }

  tailAtWrite(id: number): number {
    return this.i32[(id * SLOT_SIZE + S_TAIL_AT_WRITE) >> 2]!;
  }

  /** Producer: overwrites slot `id` (current version v, even) with ev; returns the new version. */
  write(id: number, v: number, ev: BookEvent, tailAtWrite: number): number {
    const base = id * SLOT_SIZE;
    const vIdx = (base + S_VERSION) >> 2;
    Atomics.store(this.i32, vIdx, (v + 1) | 0);
    const f = this.f64;
    const i8 = this.i8;
    const u8 = this.u8;
    f[(base + S_TOTAL) >> 3] = f[(base + S_TOTAL) >> 3]! + 1;
    f[(base + S_SEQ) >> 3] = ev.seq;
    f[(base + S_PRICE) >> 3] = ev.price;
    f[(base + S_QTY) >> 3] = ev.qty;
    f[(base + S_ORDER_ID) >> 3] = ev.orderId;
    f[(base + S_BID_PX) >> 3] = ev.bidPx;
    f[(base + S_BID_QTY) >> 3] = ev.bidQty;
    f[(base + S_ASK_PX) >> 3] = ev.askPx;
    f[(base + S_ASK_QTY) >> 3] = ev.askQty;
    f[(base + S_T_SOCKET) >> 3] = ev.tSocketRead;
    f[(base + S_T_PARSE) >> 3] = ev.tParseDone;
    this.u16[(base + S_LEVEL) >> 1] = ev.level;
    u8[base + S_SIDE] = ev.side;
    u8[base + S_ACTION] = ev.action;
    i8[base + S_PRICE_SCALE] = ev.priceScale;
    i8[base + S_QTY_SCALE] = ev.qtyScale;
    i8[base + S_BID_PX_SCALE] = ev.bidPxScale;
    i8[base + S_BID_QTY_SCALE] = ev.bidQtyScale;
    i8[base + S_ASK_PX_SCALE] = ev.askPxScale;
    i8[base + S_ASK_QTY_SCALE] = ev.askQtyScale;
    u8[base + S_HAS_TOP] = ev.hasTop ? 1 : 0;
    this.i32[(base + S_TAIL_AT_WRITE) >> 2] = tailAtWrite;
    Atomics.store(this.i32, vIdx, (v + 2) | 0);
    return (v + 2) | 0;
  }

  /** Consumer: copies slot `id` into s. Valid only if version(id) is unchanged afterwards. */
  read(id: number, s: ConflatedBook): void {
    const base = id * SLOT_SIZE;
    const f = this.f64;
    const i8 = this.i8;
    const u8 = this.u8;
    s.instrumentId = id;
    s.totalConflated = f[(base + S_TOTAL) >> 3]!;
    s.seq = f[(base + S_SEQ) >> 3]!;
    s.price = f[(base + S_PRICE) >> 3]!;
    s.qty = f[(base + S_QTY) >> 3]!;
    s.orderId = f[(base + S_ORDER_ID) >> 3]!;
    s.bidPx = f[(base + S_BID_PX) >> 3]!;
    s.bidQty = f[(base + S_BID_QTY) >> 3]!;
    s.askPx = f[(base + S_ASK_PX) >> 3]!;
    s.askQty = f[(base + S_ASK_QTY) >> 3]!;
    s.tSocketRead = f[(base + S_T_SOCKET) >> 3]!;
    s.tParseDone = f[(base + S_T_PARSE) >> 3]!;
    s.level = this.u16[(base + S_LEVEL) >> 1]!;
    s.side = u8[base + S_SIDE]!;
    s.action = u8[base + S_ACTION]!;
    s.priceScale = i8[base + S_PRICE_SCALE]!;
    s.qtyScale = i8[base + S_QTY_SCALE]!;
    s.bidPxScale = i8[base + S_BID_PX_SCALE]!;
    s.bidQtyScale = i8[base + S_BID_QTY_SCALE]!;
    s.askPxScale = i8[base + S_ASK_PX_SCALE]!;
    s.askQtyScale = i8[base + S_ASK_QTY_SCALE]!;
    s.hasTop = u8[base + S_HAS_TOP] === 1;
  }
}
