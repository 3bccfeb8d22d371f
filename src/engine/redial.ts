/**
 * Redial timing shared by the engine's trading session and its market-data session: the n-th
 * consecutive attempt waits src/transport's Backoff delay (doubling from the first delay up to a cap,
 * with jitter so many engines cut by one venue outage do not come back in lockstep). One pending timer
 * at most; a successful logon starts the next outage from the first delay again.
 */
import { Backoff } from '../transport/backoff.js';

export interface RedialOptions {
  /** Delay before the first attempt after a drop. */
  firstDelayMs: number;
  /** Cap of any delay. */
  maxDelayMs: number;
  /** Random fraction taken off each delay (0..1). Default 0.5. */
  jitter?: number;
  random?: () => number;
}

export class Redial {
  private readonly backoff: Backoff;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(options: RedialOptions) {
    this.backoff = new Backoff(
      { initialDelayMs: options.firstDelayMs, maxDelayMs: Math.max(options.maxDelayMs, options.firstDelayMs), multiplier: 2, jitter: options.jitter ?? 0.5 },
      options.random ?? Math.random,
    );
  }

  /** A redial is scheduled and has not run yet. */
  get pending(): boolean {
    return this.timer !== null;
  }

  /** Attempts scheduled since the last reset(). */
  get attempts(): number {
    return this.attempt;
  }

  /**
   * Runs `fn` after the next backoff delay (at least `minDelayMs`); returns the delay. A redial
   * already pending is kept (its delay is returned as -1).
   */
  schedule(fn: () => void, minDelayMs = 0): number {
    if (this.timer !== null) return -1;
    this.attempt++;
    const delay = Math.max(minDelayMs, this.backoff.delayMs(this.attempt));
    this.timer = setTimeout(() => {
      this.timer = null;
      fn();
    }, delay);
    return delay;
  }

  /** Logged on again: the next drop starts from the first delay. */
  reset(): void {
    this.attempt = 0;
  }

  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
