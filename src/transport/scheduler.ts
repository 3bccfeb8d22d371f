/**
 * Time and chance as ports, so reconnect and timeout behaviour can be driven step by step in tests:
 * a Scheduler (monotonic now, one-shot timers, a repeating tick) and a random source in [0, 1).
 */

export type TimerHandle = unknown;

export interface Scheduler {
  /** Monotonic milliseconds. */
  now(): number;
  /** One-shot timer; it keeps the process alive (a supervisor waiting to reconnect must not let it exit). */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /** Repeating timer; does not keep the process alive on its own (the socket does). */
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

export type RandomSource = () => number;

export const systemScheduler: Scheduler = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  setInterval: (fn, ms) => setInterval(fn, ms).unref(),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

/** Deterministic random source (mulberry32) for tests and reproducible jitter. */
export function seededRandom(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
