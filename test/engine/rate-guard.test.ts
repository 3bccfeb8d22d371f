// The engine's model of Kraken's Spot rate counters (src/engine/rate-guard.ts, rules in
// src/kraken/ratelimit.ts): unit checks of what is refused and charged, and one run through the engine
// where a burst past the Starter threshold is refused locally and never reaches the venue.
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, type EngineHandle } from '../../src/engine/index.js';
import { SpotRateGuard } from '../../src/engine/rate-guard.js';
import type { FakeVenue } from '../../src/engine/testing/fake-venue.js';
import { engineConfig, fixture, startVenue, until } from './helpers.js';

const T = 1_000_000_000_000; // µs
const S = 1_000_000;

describe('SpotRateGuard (Starter: threshold 60, decay 1/s)', () => {
  it('admits adds up to the threshold, refuses the next, and admits again once the counter has decayed', () => {
    const g = new SpotRateGuard('starter', ['XBT/USD']);
    for (let i = 1; i <= 60; i++) expect(g.admitPlace(0, i, T)).toBe(true);
    expect(g.admitPlace(0, 61, T)).toBe(false);
    expect(g.headroom(0, T)).toBeCloseTo(0, 6); // the refused one was not charged
    expect(g.admitPlace(0, 61, T + 1.01 * S)).toBe(true);
  });

  it('charges cancels and amends by the order age, and never refuses a cancel', () => {
    const g = new SpotRateGuard('starter', ['XBT/USD']);
    g.admitPlace(0, 10, T);
    const h0 = g.headroom(0, T + 7 * S);
    expect(g.admitAmend(0, 10, 11, T + 7 * S)).toBe(true); // 7 s old: +1 fixed +2
    expect(h0 - g.headroom(0, T + 7 * S)).toBeCloseTo(3, 6);
    const h1 = g.headroom(0, T + 8 * S);
    g.chargeCancel(0, 11, T + 8 * S); // 1 s after the amend: +8
    expect(h1 - g.headroom(0, T + 8 * S)).toBeCloseTo(8, 6);
    for (let i = 0; i < 20; i++) g.chargeCancel(0, 999_000 + i, T + 8 * S); // unknown age: charged as youngest
    expect(g.headroom(0, T + 8 * S)).toBeLessThan(0);
    expect(g.admitPlace(0, 12, T + 8 * S)).toBe(false);
  });

  it('leaves instruments it does not count alone', () => {
    const g = new SpotRateGuard('starter', [null]);
    for (let i = 1; i <= 100; i++) expect(g.admitPlace(0, i, T)).toBe(true);
    expect(g.admitPlace(5, 1, T)).toBe(true);
  });
});

let venue: FakeVenue | undefined;
let engine: EngineHandle | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
  await venue?.close();
  venue = undefined;
});

describe('engine with rateLimitTier', () => {
  it('refuses the orders of a burst that would pass the Starter threshold; the venue never sees them', async () => {
    venue = await startVenue();
    const progress = new SharedArrayBuffer(16);
    const p = new Int32Array(progress);
    engine = await startEngine(
      engineConfig(venue.port, [{ name: 'burst', module: fixture('burst.ts'), mode: 'inline', params: { progress, orders: 65 } }], { rateLimitTier: 'starter' }),
    );
    await until(() => Atomics.load(p, 1) + Atomics.load(p, 2) >= 65, 'every order answered (ack or reject)');
    expect(Atomics.load(p, 0)).toBe(65); // all passed the strategy's own checks
    expect(Atomics.load(p, 1)).toBe(60); // acked by the venue
    expect(Atomics.load(p, 2)).toBe(5); // refused by the engine
    expect(Atomics.load(p, 3)).toBe(1);
    expect(venue.received.D).toBe(60);
    expect(engine.counters().rateLimited).toBe(5);
  });

  it('refuses an unknown tier in the config', async () => {
    await expect(startEngine(engineConfig(1, [], { rateLimitTier: 'gold' as never }))).rejects.toThrow(/rateLimitTier/);
  });
});
