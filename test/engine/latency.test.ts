import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Interval, LatencyHistograms, LatencyRing } from '../../src/engine/latency.js';

describe('latency ring and histograms', () => {
  it('delivers samples in order and reports percentiles in microseconds', () => {
    const ring = new LatencyRing(1024);
    for (let i = 1; i <= 1000; i++) ring.record(Interval.ROUND_TRIP, i * 1000);
    const seen: number[] = [];
    ring.drain((_, ns) => seen.push(ns));
    expect(seen).toHaveLength(1000);
    expect(seen[0]).toBe(1000);
    expect(seen[999]).toBe(1_000_000);
    const h = new LatencyHistograms();
    for (const ns of seen) h.record(Interval.ROUND_TRIP, ns);
    const p = h.percentiles(Interval.ROUND_TRIP);
    expect(p.count).toBe(1000);
    expect(p.p50_us).toBeGreaterThan(495);
    expect(p.p50_us).toBeLessThan(505);
    expect(p.max_us).toBeGreaterThan(995);
    expect(h.hgrm(Interval.ROUND_TRIP)).toMatch(/Value\s+Percentile\s+TotalCount/);
  });

  it('drops and counts samples when the main thread does not drain', () => {
    const ring = new LatencyRing(8);
    for (let i = 0; i < 20; i++) ring.record(Interval.PARSE, i);
    expect(ring.dropped()).toBe(12);
    expect(ring.drain(() => {})).toBe(8);
  });

  it('is shared with another thread through its SharedArrayBuffer', async () => {
    const ring = new LatencyRing(4096);
    const code = `
      const { workerData, parentPort } = require('node:worker_threads');
      const h = new Int32Array(workerData.sab, 0, 4);
      const cap = h[3];
      const ids = new Int32Array(workerData.sab, 16, cap);
      const vals = new Float64Array(workerData.sab, Math.ceil((16 + cap * 4) / 8) * 8, cap);
      for (let i = 0; i < 1000; i++) { const t = Atomics.load(h, 1); ids[t & (cap - 1)] = 2; vals[t & (cap - 1)] = i; Atomics.store(h, 1, t + 1); }
      parentPort.postMessage('done');`;
    const w = new Worker(code, { eval: true, workerData: { sab: ring.sab } });
    await new Promise((r) => w.once('message', r));
    await w.terminate();
    let n = 0;
    let last = -1;
    ring.drain((id, ns) => { expect(id).toBe(2); expect(ns).toBe(last + 1); last = ns; n++; });
    expect(n).toBe(1000);
  });
});
