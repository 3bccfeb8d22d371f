import { describe, expect, it } from 'vitest';
import {
  DerivativesRateLimiter,
  ErrorRateGuard,
  SPOT_TIERS,
  SpotRateLimiter,
  spotActionCost,
  spotBatchAddCost,
  spotBatchCancelCost,
} from '../../src/kraken/index.js';

const S = 1_000_000; // µs per second

describe('Spot cost table (§8)', () => {
  it('add/amend/cancel/edit costs by age bucket', () => {
    expect(spotActionCost('add')).toBe(1);
    expect([0, 4.99, 5, 9.99, 10, 14.99, 15, 100].map((a) => spotActionCost('amend', a))).toEqual([4, 4, 3, 3, 2, 2, 1, 1]);
    expect([0, 5, 10, 15, 45, 90, 299.9, 300, 1e6].map((a) => spotActionCost('cancel', a))).toEqual([8, 6, 5, 4, 2, 1, 1, 0, 0]);
    expect([1, 6, 11, 20, 60, 200, 400].map((a) => spotActionCost('edit-legacy', a))).toEqual([7, 6, 5, 3, 2, 1, 1]);
    expect(spotBatchAddCost(10)).toBe(5);
    expect(spotBatchCancelCost([1, 7, 400])).toBe(8 + 6 + 0);
  });

  it('worked example: add, amend after 7 s, cancel 36 s after the amend = 8', () => {
    const total = spotActionCost('add') + spotActionCost('amend', 7) + spotActionCost('cancel', 36);
    expect(total).toBe(8);
    // Same through the counter, with decay switched off to see the raw sum.
    const rl = new SpotRateLimiter({ tier: 'pro', limits: { decayPerSec: 0 } });
    rl.charge('XBT/USD', 'add', 0, 0);
    rl.charge('XBT/USD', 'amend', 7, 7 * S);
    rl.charge('XBT/USD', 'cancel', 36, 43 * S);
    expect(rl.counter('XBT/USD', 43 * S)).toBe(8);
    // With Pro decay (3.75/s) the counter is back at 0 by then (floored, never negative).
    const pro = new SpotRateLimiter({ tier: 'pro' });
    pro.charge('XBT/USD', 'add', 0, 0);
    expect(pro.charge('XBT/USD', 'amend', 7, 7 * S)).toBe(3);
    expect(pro.charge('XBT/USD', 'cancel', 36, 43 * S)).toBe(4);
  });
});

describe('Spot counter: thresholds and decay per tier', () => {
  for (const tier of ['starter', 'intermediate', 'pro'] as const) {
    it(`${tier}: ${SPOT_TIERS[tier].threshold} fits, one more exceeds, decay ${SPOT_TIERS[tier].decayPerSec}/s frees room`, () => {
      const { threshold, decayPerSec } = SPOT_TIERS[tier];
      const rl = new SpotRateLimiter({ tier });
      for (let i = 0; i < threshold; i++) {
        expect(rl.wouldExceed('ETH/USD', 'add', 0, 0).exceeds).toBe(false);
        rl.charge('ETH/USD', 'add', 0, 0);
      }
      expect(rl.counter('ETH/USD', 0)).toBe(threshold);
      const chk = rl.wouldExceed('ETH/USD', 'add', 0, 0);
      expect(chk.exceeds).toBe(true);
      // fits again once 1 unit has decayed
      const wait = Math.ceil(S / decayPerSec);
      expect(chk.exceeds && chk.earliestUs).toBe(wait);
      expect(rl.wouldExceed('ETH/USD', 'add', 0, wait - 1).exceeds).toBe(true);
      expect(rl.wouldExceed('ETH/USD', 'add', 0, wait).exceeds).toBe(false);
      // continuous decay: after 10 s the counter dropped by 10 x decay
      expect(rl.counter('ETH/USD', 10 * S)).toBeCloseTo(threshold - 10 * decayPerSec, 6);
      // pairs are independent
      expect(rl.wouldExceed('BTC/USD', 'add', 0, 0).exceeds).toBe(false);
      // never negative
      expect(rl.counter('ETH/USD', 10_000 * S)).toBe(0);
    });
  }

  it('reject-locally vs queue, and cancels bypass by default', () => {
    const rl = new SpotRateLimiter({ tier: 'starter' });
    rl.chargeCost('P', 60, 0);
    expect(rl.decide('P', 'add', 0, 0, 'reject')).toEqual({ kind: 'reject', cost: 1, retryAtUs: S });
    expect(rl.decide('P', 'add', 0, 0, 'queue')).toEqual({ kind: 'queue', cost: 1, atUs: S });
    expect(rl.decide('P', 'amend', 2, 0, 'queue')).toEqual({ kind: 'queue', cost: 4, atUs: 4 * S });
    expect(rl.decide('P', 'cancel', 1, 0, 'reject')).toEqual({ kind: 'send', cost: 8 });
    const strict = new SpotRateLimiter({ tier: 'starter', cancelsBypassLimit: false });
    strict.chargeCost('P', 60, 0);
    expect(strict.decide('P', 'cancel', 1, 0, 'reject').kind).toBe('reject');
    // a cost larger than the threshold can never fit
    const never = strict.wouldExceedCost('Q', 61, 0);
    expect(never.exceeds && never.earliestUs).toBeNull();
  });

  it('a clock going backwards neither inflates nor under-counts (conservative: no decay until it catches up)', () => {
    const rl = new SpotRateLimiter({ tier: 'pro' });
    rl.chargeCost('P', 100, 10 * S);
    expect(rl.counter('P', 5 * S)).toBe(100);
    expect(rl.chargeCost('P', 1, 6 * S)).toBe(101);
    expect(rl.counter('P', 11 * S)).toBeCloseTo(97.25, 6);
  });
});

describe('derived throughput (§8 "Derived")', () => {
  /** Simulate add/cancel pairs at `ratePerSec` for `seconds`; cancel each order `restSec` after its add. */
  function pairsFit(ratePerSec: number, restSec: number, seconds: number): boolean {
    const rl = new SpotRateLimiter({ tier: 'pro', cancelsBypassLimit: false });
    const interval = Math.round(S / ratePerSec);
    const cancels: number[] = []; // add times, FIFO
    let next = 0;
    for (let t = 0; t <= seconds * S; t += interval) {
      while (cancels.length > 0 && cancels[0]! + restSec * S <= t) {
        const addedAt = cancels.shift()!;
        const at = addedAt + restSec * S;
        if (rl.wouldExceed('XBT/USD', 'cancel', restSec, at).exceeds) return false;
        rl.charge('XBT/USD', 'cancel', restSec, at);
      }
      if (rl.wouldExceed('XBT/USD', 'add', 0, t).exceeds) return false;
      rl.charge('XBT/USD', 'add', 0, t);
      cancels.push(t);
      next++;
    }
    return next > 0;
  }

  it('Pro sustains ~3.75 add/cancel pairs/s when orders rest > 300 s', () => {
    expect(pairsFit(3.75, 301, 2_000)).toBe(true);
    expect(pairsFit(4.0, 301, 2_000)).toBe(false); // +0.25/s net: exceeds 180 after ~12 min
  });

  it('only ~0.42 pairs/s (25/min) when cancelling within 5 s (cost 9), after a burst of 20', () => {
    expect(spotActionCost('add') + spotActionCost('cancel', 1)).toBe(9);
    expect(3.75 / 9).toBeCloseTo(0.4167, 4);
    expect(pairsFit(0.4, 1, 3_000)).toBe(true);
    expect(pairsFit(0.45, 1, 3_000)).toBe(false);
    // burst from an empty counter: 20 pairs fit (20 x 9 = 180), the 21st add does not
    const rl = new SpotRateLimiter({ tier: 'pro', cancelsBypassLimit: false });
    let pairs = 0;
    while (!rl.wouldExceed('XBT/USD', 'add', 0, 0).exceeds && !rl.wouldExceedCost('XBT/USD', 9, 0).exceeds) {
      rl.charge('XBT/USD', 'add', 0, 0);
      rl.charge('XBT/USD', 'cancel', 1, 0);
      pairs++;
    }
    expect(pairs).toBe(20);
  });
});

describe('Derivatives token bucket', () => {
  it('500 capacity, 10 per order action: 50 burst, then 5/s', () => {
    const b = new DerivativesRateLimiter();
    let n = 0;
    while (!b.wouldExceed('order', 0).exceeds) {
      b.charge('order', 0);
      n++;
    }
    expect(n).toBe(50);
    const chk = b.wouldExceed('order', 0);
    expect(chk.exceeds && chk.earliestUs).toBe(200_000); // 10 tokens at 50/s
    expect(b.decide('order', 0, 'queue')).toEqual({ kind: 'queue', cost: 10, atUs: 200_000 });
    expect(b.decide('order', 0, 'reject')).toEqual({ kind: 'reject', cost: 10, retryAtUs: 200_000 });
    // sustained: 5 per second
    let sent = 0;
    for (let t = 0; t <= 10 * S; t += 10_000) {
      if (!b.wouldExceed('order', t).exceeds) {
        b.charge('order', t);
        sent++;
      }
    }
    expect(sent).toBe(50); // 10 s x 5/s (+ the 0.2 s refill boundary)
    expect(b.costOf('mass-cancel')).toBe(25);
  });

  it('mass cancel costs 25 and the bucket never exceeds capacity', () => {
    const b = new DerivativesRateLimiter();
    expect(b.tokens(1_000 * S)).toBe(500);
    b.charge('mass-cancel', 1_000 * S);
    expect(b.tokens(1_000 * S)).toBe(475);
    expect(b.tokens(1_000 * S + 250_000)).toBe(487.5);
    expect(b.tokens(2_000 * S)).toBe(500);
    expect(new DerivativesRateLimiter({ capacity: 20 }).wouldExceed('mass-cancel', 0)).toMatchObject({ exceeds: true, earliestUs: null });
  });
});

describe('error-rate guard', () => {
  it('says throttle before the configured limit, and when it will clear', () => {
    const g = new ErrorRateGuard({ limit: 10, throttleFraction: 0.5 });
    expect(g.throttleAt).toBe(5);
    for (let i = 0; i < 4; i++) expect(g.recordReject(i * 100_000).throttle).toBe(false);
    const st = g.recordReject(400_000);
    expect(st).toEqual({ count: 5, throttle: true, resumeAtUs: 1_000_000 });
    expect(g.status(999_999).throttle).toBe(true);
    expect(g.status(1_000_000)).toEqual({ count: 4, throttle: false, resumeAtUs: null });
    expect(g.status(10 * S).count).toBe(0);
  });

  it('a steady trickle below the threshold never throttles', () => {
    const g = new ErrorRateGuard({ limit: 10 });
    for (let t = 0; t < 20 * S; t += 250_000) expect(g.recordReject(t).throttle).toBe(false); // 4/s < 5
  });
});
