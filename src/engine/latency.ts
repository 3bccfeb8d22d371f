/**
 * Per-stage latency instrumentation. The hot path only writes (stage, nanoseconds) pairs into a
 * SharedArrayBuffer ring, which costs two stores and never allocates; the main thread drains the ring
 * into HDR histograms (hdr-histogram-js) whenever it likes, so reading percentiles never stops the
 * hot path. Samples are statistics, not business: when the ring is full they are dropped and counted.
 */
import * as hdr from 'hdr-histogram-js';

/** Timestamps taken along an order's or an event's way through the engine. */
export const Stage = {
  SOCKET_READ: 0,
  PARSE_DONE: 1,
  EVENT_ENQUEUED: 2,
  STRATEGY_RECEIVED: 3,
  COMMAND_ENQUEUED: 4,
  ENCODE_DONE: 5,
  SOCKET_WRITE: 6,
} as const;

/** Intervals we report; each is measured from the first stage to the second. */
export const Interval = {
  PARSE: 0, // socket read -> parse done
  WIRE_TO_STRATEGY: 1, // socket read -> strategy received
  STRATEGY_TO_WIRE: 2, // command enqueued -> socket write
  ENCODE: 3, // command enqueued -> encode done
  ROUND_TRIP: 4, // order sent -> its acknowledgement read
  QUEUE_HANDOFF: 5, // event enqueued -> strategy received
} as const;
export const INTERVAL_NAMES = ['parse', 'wire_to_strategy', 'strategy_to_wire', 'encode', 'round_trip', 'queue_handoff'];

const HEADER_INTS = 4; // head, tail, dropped, capacity

/** SPSC ring of latency samples: Int32 interval id + Float64 nanoseconds per slot. */
export class LatencyRing {
  readonly sab: SharedArrayBuffer;
  private readonly header: Int32Array;
  private readonly ids: Int32Array;
  private readonly values: Float64Array;
  private readonly mask: number;

  constructor(capacityOrSab: number | SharedArrayBuffer) {
    if (typeof capacityOrSab === 'number') {
      const capacity = 1 << Math.ceil(Math.log2(Math.max(2, capacityOrSab)));
      this.sab = new SharedArrayBuffer(HEADER_INTS * 4 + capacity * 4 + capacity * 8 + 8);
      this.header = new Int32Array(this.sab, 0, HEADER_INTS);
      this.header[3] = capacity;
    } else {
      this.sab = capacityOrSab;
      this.header = new Int32Array(this.sab, 0, HEADER_INTS);
    }
    const capacity = this.header[3]!;
    this.mask = capacity - 1;
    this.ids = new Int32Array(this.sab, HEADER_INTS * 4, capacity);
    // Float64 views need 8-byte alignment.
    const valuesAt = Math.ceil((HEADER_INTS * 4 + capacity * 4) / 8) * 8;
    this.values = new Float64Array(this.sab, valuesAt, capacity);
  }

  /** Producer side (hot path): never blocks, never allocates. */
  record(interval: number, ns: number): void {
    const h = this.header;
    const tail = Atomics.load(h, 1);
    if (tail - Atomics.load(h, 0) > this.mask) {
      Atomics.add(h, 2, 1);
      return;
    }
    const slot = tail & this.mask;
    this.ids[slot] = interval;
    this.values[slot] = ns;
    Atomics.store(h, 1, tail + 1);
  }

  /** Consumer side (main thread). */
  drain(visit: (interval: number, ns: number) => void): number {
    const h = this.header;
    let head = Atomics.load(h, 0);
    const tail = Atomics.load(h, 1);
    const n = tail - head;
    for (; head !== tail; head++) visit(this.ids[head & this.mask]!, this.values[head & this.mask]!);
    Atomics.store(h, 0, head);
    return n;
  }

  dropped(): number {
    return Atomics.load(this.header, 2);
  }
}

export interface Percentiles {
  count: number;
  p50_us: number;
  p90_us: number;
  p99_us: number;
  p999_us: number;
  max_us: number;
}

/** Main-thread side: histograms per interval, in nanoseconds. */
export class LatencyHistograms {
  private readonly histograms: hdr.Histogram[] = INTERVAL_NAMES.map(() =>
    hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60e9, numberOfSignificantValueDigits: 3 }),
  );

  record(interval: number, ns: number, expectedIntervalNs = 0): void {
    const h = this.histograms[interval];
    if (!h) return;
    const v = Math.max(1, Math.round(ns));
    if (expectedIntervalNs > 0) h.recordValueWithExpectedInterval(v, expectedIntervalNs);
    else h.recordValue(v);
  }

  drainFrom(ring: LatencyRing): number {
    return ring.drain((i, ns) => this.record(i, ns));
  }

  percentiles(interval: number): Percentiles {
    const h = this.histograms[interval]!;
    const us = (p: number) => h.getValueAtPercentile(p) / 1000;
    return { count: h.totalCount, p50_us: us(50), p90_us: us(90), p99_us: us(99), p999_us: us(99.9), max_us: h.maxValue / 1000 };
  }

  /** The standard .hgrm percentile distribution, in microseconds. */
  hgrm(interval: number): string {
    return this.histograms[interval]!.outputPercentileDistribution(5, 1000);
  }
}
