import { describe, expect, it } from 'vitest';
import {
  createLatencyHistogram,
  hgrmText,
  histogramFromSamples,
  MAX_TRACKABLE_NS,
  percentileCurve,
  recordNs,
  summarize,
} from '../../bench/lib/histogram.js';
import { fmt, formatTable, parseLastJsonLine } from '../../bench/lib/report.js';
import { BenchArgs } from '../../bench/lib/args.js';

describe('latency histogram', () => {
  it('reports percentiles in µs from ns samples, within HDR precision', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => (i + 1) * 1000); // 1..1000 µs
    const s = summarize(histogramFromSamples(samples), 1e9);
    expect(s.count).toBe(1000);
    expect(s.p50_us).toBeCloseTo(500, -1);
    expect(s.p90_us).toBeCloseTo(900, -1);
    expect(s.p99_us).toBeCloseTo(990, -1);
    expect(s.max_us).toBeCloseTo(1000, 0);
    expect(s.msgs_per_s).toBe(1000);
    expect(s.p999_us).toBeLessThanOrEqual(s.max_us);
  });

  it('applies the coordinated-omission correction when given an expected interval', () => {
    // One 10 ms stall in a run paced every 1 ms hides ~9 sends that would have waited too.
    const samples = [...Array.from({ length: 99 }, () => 100_000), 10_000_000];
    const plain = summarize(histogramFromSamples(samples));
    const corrected = summarize(histogramFromSamples(samples, 1_000_000));
    expect(plain.count).toBe(100);
    expect(corrected.count).toBeGreaterThan(105);
    expect(corrected.p99_us).toBeGreaterThan(plain.p99_us);
  });

  it('clamps absurd samples instead of throwing, and rejects non-numbers', () => {
    const h = createLatencyHistogram();
    recordNs(h, MAX_TRACKABLE_NS * 10);
    expect(h.clamped).toBe(1);
    expect(() => recordNs(h, Number.NaN)).toThrow(/finite/);
  });

  it('gives a monotonic curve and the standard .hgrm text', () => {
    const h = histogramFromSamples(Array.from({ length: 5000 }, (_, i) => 20_000 + (i % 97) * 1000));
    const c = percentileCurve(h);
    expect(c[0]!.percentile).toBe(0);
    expect(c[c.length - 1]!.percentile).toBeCloseTo(99.99, 6);
    for (let i = 1; i < c.length; i++) expect(c[i]!.value_us).toBeGreaterThanOrEqual(c[i - 1]!.value_us);
    const text = hgrmText(h);
    expect(text).toMatch(/Value\s+Percentile\s+TotalCount/);
    expect(text).toMatch(/#\[Mean\s+=/);
    expect(percentileCurve(createLatencyHistogram())).toEqual([]);
    expect(summarize(createLatencyHistogram()).msgs_per_s).toBeNull();
  });
});

describe('report helpers', () => {
  it('finds the JSON object on the last non-empty line only', () => {
    expect(parseLastJsonLine('hello\n{"a":1}\n\n')).toEqual({ a: 1 });
    expect(parseLastJsonLine('{"a":1}\ntrailing text\n')).toBeNull();
    expect(parseLastJsonLine('{broken')).toBeNull();
    expect(parseLastJsonLine('[1,2]')).toBeNull();
    expect(parseLastJsonLine('')).toBeNull();
  });
  it('aligns a table and prints missing cells as -', () => {
    const t = formatTable(['name', 'v'], [['a', 1], ['bbb', null]]).split('\n');
    expect(t[0]).toBe('name  v');
    expect(t[2]).toBe('a     1');
    expect(t[3]).toBe('bbb   -');
    expect(fmt(null)).toBe('-');
    expect(fmt(1.234, 2)).toBe('1.23');
  });
  it('reads bench arguments and rejects bad ones clearly', () => {
    const a = new BenchArgs(['--quick', '--count', '500', '--series', 'quickfix, kfix', '--rate', 'x']);
    expect(a.has('--quick')).toBe(true);
    expect(a.number('--count', 1)).toBe(500);
    expect(a.number('--warmup', 7)).toBe(7);
    expect(a.list('--series')).toEqual(['quickfix', 'kfix']);
    expect(() => a.number('--rate', 0)).toThrow(/--rate needs a non-negative integer/);
    expect(() => new BenchArgs(['--count']).number('--count', 1)).toThrow(/needs a value/);
  });
});
