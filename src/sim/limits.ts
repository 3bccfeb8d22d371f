/**
 * Kraken's server-side limits as the simulator enforces them (spec §8): the Spot counter per account
 * and pair (SpotRateLimiter from the Kraken profile: decay, fixed and age-based costs), the
 * Derivatives budget per FIX session (DerivativesRateLimiter: token bucket), and the error-rate
 * safeguard that disconnects a session producing too many rejects in one second.
 */

/** Sliding one-second window of reject times; `record` says whether the session is now over the limit. */
export class ErrorWindow {
  private readonly times: Float64Array;
  private next = 0;
  private size = 0;

  constructor(
    readonly limit: number,
    readonly windowMicros = 1_000_000,
  ) {
    if (!(Number.isInteger(limit) && limit >= 1)) throw new RangeError(`error-rate limit must be an integer >= 1, got ${limit}`);
    this.times = new Float64Array(limit + 1);
  }

  /** Records one reject at `nowMicros`; true when more than `limit` fell inside the window. */
  record(nowMicros: number): boolean {
    const n = this.times.length;
    this.times[this.next] = nowMicros;
    this.next = (this.next + 1) % n;
    if (this.size < n) this.size++;
    if (this.size < n) return false;
    // The ring holds the last limit+1 rejects; the oldest of them is at `next`.
    return nowMicros - this.times[this.next]! < this.windowMicros;
  }

  reset(): void {
    this.size = 0;
    this.next = 0;
  }
}
