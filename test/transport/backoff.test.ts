// Exponential backoff with jitter: growth, cap, jitter bounds, determinism with a seeded source, bad input.
import { describe, expect, it } from 'vitest';
import { Backoff, seededRandom } from '../../src/transport/index.js';

describe('Backoff', () => {
  it('grows exponentially up to the cap without jitter', () => {
    const b = new Backoff({ initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2, jitter: 0 }, () => 0.99);
    expect([1, 2, 3, 4, 5, 6, 100, 10_000].map((n) => b.delayMs(n))).toEqual([100, 200, 400, 800, 1000, 1000, 1000, 1000]);
  });

  it('takes a random fraction up to `jitter` off the delay', () => {
    const b = new Backoff({ initialDelayMs: 1000, maxDelayMs: 1000, jitter: 0.5 }, seededRandom(7));
    const delays = Array.from({ length: 200 }, () => b.delayMs(1));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(500);
    expect(Math.max(...delays)).toBeLessThanOrEqual(1000);
    // Jitter spreads clients: the delays are not all the same.
    expect(new Set(delays).size).toBeGreaterThan(50);
    const full = new Backoff({ initialDelayMs: 1000, jitter: 1 }, () => 0.999999);
    expect(full.delayMs(1)).toBe(0);
  });

  it('is reproducible with the same seed', () => {
    const a = new Backoff({}, seededRandom(42));
    const b = new Backoff({}, seededRandom(42));
    const c = new Backoff({}, seededRandom(43));
    const seq = (x: Backoff) => [1, 2, 3, 4, 5].map((n) => x.delayMs(n));
    expect(seq(a)).toEqual(seq(b));
    expect(seq(a)).not.toEqual(seq(c));
  });

  it('ignores a broken random source instead of producing NaN or negative delays', () => {
    for (const r of [NaN, -1, 1, 5]) {
      const d = new Backoff({ initialDelayMs: 100, jitter: 0.5 }, () => r).delayMs(1);
      expect(d).toBe(100);
    }
  });

  it('rejects bad options with a clear error', () => {
    expect(() => new Backoff({ initialDelayMs: -1 }, Math.random)).toThrow(/initialDelayMs/);
    expect(() => new Backoff({ initialDelayMs: 100, maxDelayMs: 50 }, Math.random)).toThrow(/maxDelayMs/);
    expect(() => new Backoff({ multiplier: 0.5 }, Math.random)).toThrow(/multiplier/);
    expect(() => new Backoff({ jitter: 2 }, Math.random)).toThrow(/jitter/);
    expect(() => new Backoff({ initialDelayMs: NaN }, Math.random)).toThrow(/initialDelayMs/);
  });
});
