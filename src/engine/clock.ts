/**
 * The hot path's wall clock. Production: src/codec's SystemClock, untouched. Tests (EngineOptions
 * clockOffset) may shift it: a Float64 of microseconds in a SharedArrayBuffer that the test thread sets
 * while the engine runs, added to every reading (one load and one add), so a test can bring the engine
 * to a given time of day, e.g. the venue's 22:00 UTC rollover, together with the simulator's clock.
 */
import { SystemClock, type Clock } from '../codec/index.js';

/** A clock offset shared with the engine worker (EngineOptions.clockOffset). */
export class ClockOffset {
  readonly sab: SharedArrayBuffer;
  private readonly f64: Float64Array;

  constructor(sab: SharedArrayBuffer = new SharedArrayBuffer(8)) {
    if (!(sab instanceof SharedArrayBuffer) || sab.byteLength < 8) throw new TypeError('ClockOffset: expected a SharedArrayBuffer of at least 8 bytes');
    this.sab = sab;
    this.f64 = new Float64Array(sab, 0, 1);
  }

  get micros(): number {
    return this.f64[0]!;
  }

  set micros(v: number) {
    if (!Number.isFinite(v)) throw new RangeError(`clock offset must be a finite number of microseconds, got ${v}`);
    this.f64[0] = Math.round(v);
  }
}

class OffsetClock implements Clock {
  private readonly sys = new SystemClock();
  private readonly offset: Float64Array;
  constructor(sab: SharedArrayBuffer) {
    this.offset = new Float64Array(sab, 0, 1);
  }
  nowMicros(): number {
    return this.sys.nowMicros() + this.offset[0]!;
  }
}

export function engineClock(offset: SharedArrayBuffer | null): Clock {
  return offset === null ? new SystemClock() : new OffsetClock(offset);
}
