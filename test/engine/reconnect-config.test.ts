// Reconnect, rollover and clock-hook plumbing of the engine: configuration defaults and errors, the
// shared redial timing (md-session.ts and trading-link.ts), and the test clock offset.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClockOffset, KRAKEN_ROLLOVER, resolveEngineConfig, type EngineConfig } from '../../src/engine/index.js';
import { engineClock } from '../../src/engine/clock.js';
import { Redial } from '../../src/engine/redial.js';
import { SystemClock } from '../../src/codec/index.js';
import { XBT } from './helpers.js';

const base = (extra: Partial<EngineConfig> = {}): EngineConfig => ({ port: 1, senderCompID: 'ME', targetCompID: 'KRAKEN-TRD', instruments: [XBT], strategies: [], ...extra });

describe('engine config: reconnect and rollover', () => {
  it('reconnects by default (250 ms first delay, 5 s cap, 5 refused logons) and knows Kraken\'s 22:00 UTC rollover', () => {
    const c = resolveEngineConfig(base());
    expect(c).toMatchObject({ reconnect: true, reconnectMs: 250, reconnectMaxMs: 5_000, maxLogonRefusals: 5 });
    expect(c.rollover).toEqual({ hourUtc: 22, minuteUtc: 0, graceMs: 2_000, quietMs: 1_000, pauseMs: 30_000 });
    expect(c.rollover).toEqual(KRAKEN_ROLLOVER);
  });

  it('has no rollover for other venues unless configured, and null switches it off', () => {
    expect(resolveEngineConfig(base({ targetCompID: 'OTHER' })).rollover).toBeNull();
    expect(resolveEngineConfig(base({ rollover: null })).rollover).toBeNull();
    expect(resolveEngineConfig(base({ targetCompID: 'OTHER', rollover: { hourUtc: 17, minuteUtc: 5, pauseMs: 0 } })).rollover).toEqual({ hourUtc: 17, minuteUtc: 5, graceMs: 2_000, quietMs: 1_000, pauseMs: 0 });
  });

  it('refuses bad values with a clear error', () => {
    expect(() => resolveEngineConfig(base({ reconnectMs: 0 }))).toThrow(/reconnectMs must be a finite number > 0/);
    expect(() => resolveEngineConfig(base({ reconnectMs: 500, reconnectMaxMs: 100 }))).toThrow(/reconnectMaxMs must be finite and >= reconnectMs/);
    expect(() => resolveEngineConfig(base({ maxLogonRefusals: 0 }))).toThrow(/maxLogonRefusals must be an integer >= 1/);
    expect(() => resolveEngineConfig(base({ reconnect: 'yes' as unknown as boolean }))).toThrow(/reconnect must be true or false/);
    expect(() => resolveEngineConfig(base({ rollover: { hourUtc: 24, minuteUtc: 0 } }))).toThrow(/rollover time must be hourUtc 0..23/);
    expect(() => resolveEngineConfig(base({ rollover: { hourUtc: 22, minuteUtc: 0, graceMs: -1 } }))).toThrow(/graceMs/);
  });
});

describe('Redial', () => {
  afterEach(() => vi.useRealTimers());

  it('doubles the delay per attempt up to the cap, with jitter, and starts over after reset()', () => {
    vi.useFakeTimers();
    let r = 0;
    const redial = new Redial({ firstDelayMs: 100, maxDelayMs: 500, jitter: 0.5, random: () => r });
    const delays: number[] = [];
    const fn = (): void => undefined;
    for (let i = 0; i < 5; i++) {
      delays.push(redial.schedule(fn));
      vi.runAllTimers();
    }
    expect(delays).toEqual([100, 200, 400, 500, 500]);
    r = 0.999;
    expect(redial.schedule(fn)).toBeGreaterThanOrEqual(250);
    vi.runAllTimers();
    redial.reset();
    r = 0.5;
    expect(redial.schedule(fn)).toBe(75);
    expect(redial.attempts).toBe(1);
  });

  it('keeps one pending attempt, honours a minimum delay and can be cancelled', () => {
    vi.useFakeTimers();
    const redial = new Redial({ firstDelayMs: 10, maxDelayMs: 100, random: () => 0 });
    let ran = 0;
    expect(redial.schedule(() => ran++, 1_000)).toBe(1_000);
    expect(redial.pending).toBe(true);
    expect(redial.schedule(() => ran++)).toBe(-1);
    vi.advanceTimersByTime(999);
    expect(ran).toBe(0);
    redial.cancel();
    vi.runAllTimers();
    expect(ran).toBe(0);
    expect(redial.pending).toBe(false);
  });
});

describe('ClockOffset (EngineOptions.clockOffset)', () => {
  it('shifts the engine clock by what the other side stores, and only then', () => {
    const offset = new ClockOffset();
    const shifted = engineClock(offset.sab);
    expect(engineClock(null)).toBeInstanceOf(SystemClock);
    const sys = new SystemClock();
    offset.micros = 3_600_000_000;
    const d = shifted.nowMicros() - sys.nowMicros();
    expect(d).toBeGreaterThan(3_599_000_000);
    expect(d).toBeLessThan(3_601_000_000);
    // Another view of the same memory (as the engine worker has) sees the change.
    new ClockOffset(offset.sab).micros = 0;
    expect(Math.abs(shifted.nowMicros() - sys.nowMicros())).toBeLessThan(1_000_000);
    expect(() => (offset.micros = Number.NaN)).toThrow(/finite/);
  });
});
