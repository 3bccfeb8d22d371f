/**
 * A monotonic nanosecond clock that agrees across worker threads, for the header timestamps.
 *
 * performance.now() is cheap and allocation-free but each worker has its own timeOrigin, so raw values
 * from two threads cannot be subtracted. process.hrtime.bigint() shares one origin process-wide but
 * allocates a BigInt per call. So each thread calibrates once: offset = hrtime - performance.now(),
 * taken from the tightest of several bracketed samples; monoNs() is then offset + performance.now().
 * Values are ns since the hrtime origin (exact in an f64 for ~104 days of uptime, then 2 ns steps).
 */

function calibrate(): number {
  let best = Infinity;
  let offset = 0;
  for (let i = 0; i < 200; i++) {
    const a = process.hrtime.bigint();
    const p = performance.now();
    const b = process.hrtime.bigint();
    const width = Number(b - a);
    if (width < best) {
      best = width;
      offset = Number(a) + width / 2 - p * 1e6;
    }
  }
  calibrationErrorNs = best / 2;
  return offset;
}

let calibrationErrorNs = 0;
const offsetNs = calibrate();

/** Monotonic ns on the shared hrtime origin; subtractable across threads (error: calibrationError). */
export function monoNs(): number {
  return offsetNs + performance.now() * 1e6;
}

/** Upper bound (ns) on this thread's offset error, from the bracketing width. */
export function clockCalibrationErrorNs(): number {
  return calibrationErrorNs;
}
