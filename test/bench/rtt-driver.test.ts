import { describe, expect, it } from 'vitest';
import { driveClient, measureClient } from '../../bench/rtt/driver.js';
import { planFrom, resultKeys } from '../../bench/rtt/rtt.bench.js';
import { histogramFromSamples, summarize } from '../../bench/lib/histogram.js';
import { BenchArgs } from '../../bench/lib/args.js';
import { runBounded } from '../../bench/lib/process.js';
import type { RttClient, RttRunOptions, RttSeries } from '../../bench/rtt/types.js';

/** An in-memory client: answers after a macrotask, tracks concurrency and lifecycle. */
class FakeClient implements RttClient {
  inFlight = 0;
  peakInFlight = 0;
  calls = 0;
  connected = false;
  closed = 0;
  constructor(
    readonly maxInFlight: number,
    private readonly failAt = -1,
    private readonly hang = false,
  ) {}
  async connect(): Promise<void> {
    this.connected = true;
  }
  roundTrip(): Promise<number> {
    const n = ++this.calls;
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    if (this.hang) return new Promise<number>(() => undefined);
    return new Promise<number>((resolve, reject) =>
      setImmediate(() => {
        this.inFlight--;
        if (n === this.failAt) reject(new Error('rejected by fake'));
        else resolve(1000 * n);
      }),
    );
  }
  async close(): Promise<void> {
    this.closed++;
  }
}

const opts = (o: Partial<RttRunOptions>): RttRunOptions => ({ count: 100, warmup: 10, window: 1, rateHz: 0, durationMs: 0, timeoutMs: 10_000, ...o });

describe('rtt driver', () => {
  it('runs warm-up outside the measurement and one order at a time in ping-pong', async () => {
    const c = new FakeClient(1);
    const r = await driveClient('fake', c, opts({}));
    expect(c.calls).toBe(110);
    expect(r.samplesNs.length).toBe(100);
    expect(r.samplesNs[0]).toBe(11_000); // the first measured call is the 11th
    expect(c.peakInFlight).toBe(1);
    expect(c.connected).toBe(true);
    expect(c.closed).toBe(1);
    expect(r.elapsedNs).toBeGreaterThan(0);
  });

  it('keeps `window` orders in flight when the client allows it, capped by maxInFlight', async () => {
    const wide = new FakeClient(64);
    const r = await measureClient(wide, opts({ window: 8, warmup: 0 }));
    expect(wide.peakInFlight).toBe(8);
    expect(r.window).toBe(8);
    expect(Array.from(r.samplesNs).every((x) => x > 0)).toBe(true);
    const narrow = new FakeClient(2);
    const r2 = await measureClient(narrow, opts({ window: 8, warmup: 0 }));
    expect(narrow.peakInFlight).toBe(2);
    expect(r2.window).toBe(2);
    expect(r2.notes.join()).toMatch(/capped at 2/);
  });

  it('stops early at the duration cap and says so', async () => {
    const r = await measureClient(new FakeClient(1), opts({ count: 10_000_000, warmup: 0, durationMs: 30 }));
    expect(r.samplesNs.length).toBeGreaterThan(0);
    expect(r.samplesNs.length).toBeLessThan(10_000_000);
    expect(r.notes.join()).toMatch(/stopped after 30 ms/);
  });

  it('paces sends at the target rate', async () => {
    const t0 = performance.now();
    const r = await measureClient(new FakeClient(1), opts({ count: 20, warmup: 0, rateHz: 500 }));
    expect(r.samplesNs.length).toBe(20);
    // 20 sends at 500/s span at least 19 intervals of 2 ms.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(19 * 2 - 1);
  });

  it('closes the client and names the series when a round trip fails or hangs', async () => {
    const failing = new FakeClient(1, 5);
    await expect(driveClient('fake', failing, opts({}))).rejects.toThrow(/rejected by fake/);
    expect(failing.closed).toBe(1);
    const hanging = new FakeClient(1, -1, true);
    await expect(driveClient('hung-series', hanging, opts({ timeoutMs: 200 }))).rejects.toThrow(/hung-series: did not finish within 200 ms/);
    expect(hanging.closed).toBe(1);
  });
});

describe('rtt JSON report', () => {
  const series = (id: string): RttSeries => ({
    id,
    label: id,
    supportsPipelining: true,
    unavailable: async () => null,
    run: async () => {
      throw new Error('unused');
    },
  });
  const measured = (id: string, us: number, mode: 'pingpong' | 'pipelined' = 'pingpong', window = 1) => {
    const histogram = histogramFromSamples(Array.from({ length: 100 }, () => us * 1000));
    return { series: series(id), mode, window, histogram, summary: summarize(histogram, 1e9), skipped: null, notes: [] };
  };

  it('has every series key, null for a series that did not run, and ratios against QuickFIX', () => {
    const plan = planFrom(new BenchArgs(['--quick']));
    const skipped = { series: series('kfix'), mode: 'pingpong' as const, window: 1, histogram: null, summary: null, skipped: 'no client yet', notes: [] };
    const j = resultKeys([measured('quickfix', 40), measured('jspurefix', 200), skipped], plan);
    for (const id of ['quickfix', 'jspurefix', 'kfix']) {
      for (const k of ['p50_us', 'p90_us', 'p99_us', 'p999_us', 'max_us', 'msgs_per_s']) expect(j).toHaveProperty(`${id}_${k}`);
    }
    expect(j.quickfix_p50_us).toBeCloseTo(40, 0);
    expect(j.kfix_p99_us).toBeNull();
    expect(j.kfix_skipped).toBe('no client yet');
    expect(j.jspurefix_vs_quickfix_p50).toBeCloseTo(5, 2);
    expect(j.kfix_vs_quickfix_p99).toBeNull();
    expect(j.rtt_mode).toBe('quick');
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });

  it('adds pipelined keys named after the window in full mode', () => {
    const plan = planFrom(new BenchArgs(['--window', '8']));
    const j = resultKeys([measured('quickfix', 40), measured('quickfix', 90, 'pipelined', 8)], plan);
    expect(j.quickfix_w8_p50_us).toBeCloseTo(90, 0);
    expect(j.jspurefix_w8_p50_us).toBeNull();
    expect(j.jspurefix_skipped).toBe('not selected');
  });
});

describe('bounded child processes', () => {
  it('kills a child that outlives its timeout', async () => {
    const r = await runBounded(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(r.durationMs).toBeLessThan(10_000);
  });
  it('reports a command that cannot start instead of throwing', async () => {
    const r = await runBounded('/nonexistent/kfix-no-such-binary', [], { timeoutMs: 2_000 });
    expect(r.spawnError).toMatch(/ENOENT/);
    expect(r.timedOut).toBe(false);
  });
  it('captures stdout and the exit code', async () => {
    const r = await runBounded(process.execPath, ['-e', 'console.log(JSON.stringify({a:1})); process.exit(3)'], { timeoutMs: 10_000 });
    expect(r.code).toBe(3);
    expect(r.stdout.trim()).toBe('{"a":1}');
  });
});
