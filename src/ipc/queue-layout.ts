/**
 * Memory layout of the SPSC ring (see spsc-queue.ts for the producer and consumer), creation and
 * validation of the shared buffer, wait strategies and counters.
 *
 * Layout (Int32 words; hot words on their own 64-byte line so producer and consumer do not
 * false-share):
 *   byte   0  TAIL               producer's write position (bytes, wraps at 2^32 via |0 arithmetic)
 *   byte  64  HEAD               consumer's read position
 *   byte 128  CONSUMER_WAITING   1 while the consumer sleeps on TAIL (producer notifies only then)
 *   byte 192  PRODUCER_WAITING   1 while the producer sleeps on HEAD waiting for room
 *   byte 256  producer stats     FULL_COUNT, NOTIFY_COUNT, PRODUCER_WAITS
 *   byte 320  consumer stats     CONSUMER_WAITS, CONSUMER_NOTIFIES
 *   byte 384  MAGIC, VERSION, CAPACITY
 *   byte 512  data: `capacity` bytes (power of two), records 8-byte aligned
 */
import { RecordBuffer } from './record-buffer.js';

export const TAIL = 0;
export const HEAD = 16;
export const CONSUMER_WAITING = 32;
export const PRODUCER_WAITING = 48;
export const FULL_COUNT = 64;
export const NOTIFY_COUNT = 65;
export const PRODUCER_WAITS = 66;
export const CONSUMER_WAITS = 80;
export const CONSUMER_NOTIFIES = 81;
const MAGIC = 96;
const VERSION = 97;
export const CAPACITY = 98;

// lib ES2023 lacks Atomics.waitAsync (ES2024); Node >= 16 has it.
type WaitAsyncResult =
  | { async: false; value: 'not-equal' | 'timed-out' }
  | { async: true; value: Promise<'ok' | 'timed-out'> };
const atomicsWaitAsync = (
  Atomics as unknown as { waitAsync: (a: Int32Array, i: number, v: number, t?: number) => WaitAsyncResult }
).waitAsync;

function noop(): void {}

/**
 * Atomics.waitAsync does not keep Node's event loop alive: a worker whose only pending work is the
 * wait would exit. A ref'd timer for the same duration keeps it alive (idle path only).
 */
export async function sleepAsync(ctl: Int32Array, index: number, value: number, timeoutMs: number): Promise<void> {
  const r = atomicsWaitAsync(ctl, index, value, timeoutMs);
  if (!r.async) return;
  const keepAlive = setTimeout(noop, Math.ceil(timeoutMs) + 1);
  try {
    await r.value;
  } finally {
    clearTimeout(keepAlive);
  }
}

const MAGIC_VALUE = 0x4b464951; // 'KFIQ'
const LAYOUT_VERSION = 1;
export const QUEUE_DATA_OFFSET = 512;
export const MIN_CAPACITY = 1024;
export const MAX_CAPACITY = 1 << 30;

/** How a side waits when there is nothing to do. */
export const WaitStrategy = {
  /** Poll continuously: lowest latency, burns a core. */
  BusySpin: 0,
  /** Spin `spinIterations` polls, then sleep in Atomics.wait (blocks the thread: strategy workers). */
  SpinThenWait: 1,
  /** Spin, then Atomics.waitAsync so the event loop keeps running (hot-path worker, sockets). */
  WaitAsync: 2,
} as const;
export type WaitStrategy = (typeof WaitStrategy)[keyof typeof WaitStrategy];

export interface WaitOptions {
  strategy?: WaitStrategy;
  /** Polls before sleeping (SpinThenWait, WaitAsync). Default 1000. */
  spinIterations?: number;
}

export interface QueueStats {
  capacity: number;
  usedBytes: number;
  /** tryClaim refusals (queue full). */
  fullCount: number;
  /** Atomics.notify calls made by the producer (consumer was asleep). */
  notifyCount: number;
  producerWaits: number;
  consumerWaits: number;
  consumerNotifies: number;
}

/** Out-of-ring work a consumer must not sleep through (e.g. dirty conflation slots). */
export interface WorkProbe {
  hasWork(): boolean;
}

/** Receives records from poll(); must not throw (a throw re-delivers the batch's unconsumed tail). */
export interface RecordHandler {
  onRecord(buf: RecordBuffer, offset: number, recordType: number, length: number): void;
}

export function queueByteLength(capacity: number): number {
  return QUEUE_DATA_OFFSET + capacity;
}

/** Allocates and initialises a queue; share the returned SAB with the other thread (postMessage/workerData). */
export function createQueue(capacity: number): SharedArrayBuffer {
  if (!Number.isInteger(capacity) || capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || (capacity & (capacity - 1)) !== 0) {
    throw new RangeError(`createQueue: capacity ${capacity} must be a power of two in [${MIN_CAPACITY}, 2^30]`);
  }
  const sab = new SharedArrayBuffer(queueByteLength(capacity));
  const ctl = new Int32Array(sab, 0, QUEUE_DATA_OFFSET >> 2);
  ctl[CAPACITY] = capacity;
  ctl[VERSION] = LAYOUT_VERSION;
  Atomics.store(ctl, MAGIC, MAGIC_VALUE);
  return sab;
}

/** Validates a SAB received from another thread; returns its control words. */
export function attach(sab: SharedArrayBuffer, who: string): Int32Array {
  if (!(sab instanceof SharedArrayBuffer) || sab.byteLength < QUEUE_DATA_OFFSET + MIN_CAPACITY) {
    throw new TypeError(`${who}: expected a SharedArrayBuffer from createQueue()`);
  }
  const ctl = new Int32Array(sab, 0, QUEUE_DATA_OFFSET >> 2);
  if (Atomics.load(ctl, MAGIC) !== MAGIC_VALUE || ctl[VERSION] !== LAYOUT_VERSION) {
    throw new TypeError(`${who}: buffer is not a kfix queue (bad magic/version)`);
  }
  if (sab.byteLength !== queueByteLength(ctl[CAPACITY]!)) {
    throw new TypeError(`${who}: buffer length ${sab.byteLength} does not match capacity ${ctl[CAPACITY]}`);
  }
  if (((Atomics.load(ctl, TAIL) | Atomics.load(ctl, HEAD)) & 7) !== 0) {
    throw new TypeError(`${who}: corrupt queue (positions not 8-byte aligned)`);
  }
  return ctl;
}

export function queueStats(sab: SharedArrayBuffer): QueueStats {
  const ctl = attach(sab, 'queueStats');
  return {
    capacity: ctl[CAPACITY]!,
    usedBytes: (Atomics.load(ctl, TAIL) - Atomics.load(ctl, HEAD)) | 0,
    fullCount: Atomics.load(ctl, FULL_COUNT) >>> 0,
    notifyCount: Atomics.load(ctl, NOTIFY_COUNT) >>> 0,
    producerWaits: Atomics.load(ctl, PRODUCER_WAITS) >>> 0,
    consumerWaits: Atomics.load(ctl, CONSUMER_WAITS) >>> 0,
    consumerNotifies: Atomics.load(ctl, CONSUMER_NOTIFIES) >>> 0,
  };
}

