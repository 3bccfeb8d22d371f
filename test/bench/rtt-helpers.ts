/** What the round-trip benchmark tests share: a short run's options and the completeness check of its samples. */
import { expect } from 'vitest';
import type { RttRunOptions, RttRunResult } from '../../bench/rtt/types.js';

/** A short ping-pong run (bounded by a 40 s timeout); `o` overrides any field. */
export function smallRun(count: number, warmup: number, o: Partial<RttRunOptions> = {}): RttRunOptions {
  return { count, warmup, window: 1, rateHz: 0, durationMs: 0, timeoutMs: 40_000, ...o };
}

/** Every measured round trip came back, each a finite positive time under 30 s. */
export function expectSamplesComplete(r: RttRunResult, count: number): void {
  expect(r.samplesNs.length).toBe(count);
  expect(Array.from(r.samplesNs).every((ns) => Number.isFinite(ns) && ns > 0 && ns < 30e9)).toBe(true);
}
