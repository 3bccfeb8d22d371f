/**
 * Exponential backoff with jitter for reconnects: the n-th consecutive retry waits
 * min(maxDelayMs, initialDelayMs * multiplier^(n-1)), of which a random fraction up to `jitter` is
 * taken off, so many clients cut at once by one venue outage do not come back in lockstep.
 */
import type { RandomSource } from './scheduler.js';

export interface BackoffOptions {
  /** Delay before the first retry. Default 250 ms. */
  initialDelayMs?: number;
  /** Upper bound of any delay. Default 30 s. */
  maxDelayMs?: number;
  /** Growth per consecutive failure. Default 2. */
  multiplier?: number;
  /** Fraction of the delay that is random, 0 (none) to 1 (full jitter). Default 0.5. */
  jitter?: number;
}

export class Backoff {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly multiplier: number;
  readonly jitter: number;

  constructor(options: BackoffOptions, private readonly random: RandomSource) {
    this.initialDelayMs = options.initialDelayMs ?? 250;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.multiplier = options.multiplier ?? 2;
    this.jitter = options.jitter ?? 0.5;
    if (!(this.initialDelayMs >= 0) || !Number.isFinite(this.initialDelayMs)) throw new RangeError(`backoff initialDelayMs must be a finite number >= 0, got ${this.initialDelayMs}`);
    if (!(this.maxDelayMs >= this.initialDelayMs) || !Number.isFinite(this.maxDelayMs)) throw new RangeError(`backoff maxDelayMs must be finite and >= initialDelayMs (${this.initialDelayMs}), got ${this.maxDelayMs}`);
    if (!(this.multiplier >= 1) || !Number.isFinite(this.multiplier)) throw new RangeError(`backoff multiplier must be >= 1, got ${this.multiplier}`);
    if (!(this.jitter >= 0 && this.jitter <= 1)) throw new RangeError(`backoff jitter must be between 0 and 1, got ${this.jitter}`);
  }

  /** Upper bound of the delay before the n-th consecutive retry (n >= 1), before jitter. */
  ceilingMs(n: number): number {
    const exponent = Math.max(0, n - 1);
    // Capped early so a long outage never overflows to Infinity.
    return Math.min(this.maxDelayMs, this.initialDelayMs * Math.pow(this.multiplier, Math.min(exponent, 64)));
  }

  /** Delay before the n-th consecutive retry, jitter applied: in [ceiling * (1 - jitter), ceiling]. */
  delayMs(n: number): number {
    const ceiling = this.ceilingMs(n);
    const r = this.random();
    const unit = r >= 0 && r < 1 ? r : 0;
    return Math.round(ceiling * (1 - this.jitter * unit));
  }
}
