import { describe, expect, it } from 'vitest';
import {
  buildBaseline,
  compareAll,
  compareMetric,
  extreme,
  median,
  parseBaseline,
  type Baseline,
  type MetricDef,
} from '../../bench/gate/compare.js';
import { GATE_METRICS, ratioOf } from '../../bench/gate/metrics.js';

const throughput: MetricDef = { id: 'parse', reference: 'jspurefix parse msgs/s', higherIsBetter: true };
const latency: MetricDef = { id: 'rtt_p99', reference: 'QuickFIX p99', higherIsBetter: false };

function baselineOf(metrics: Record<string, number | null>, tolerance = 0.15): Baseline {
  return {
    version: 1,
    updated: '2026-01-01T00:00:00Z',
    tolerance,
    metrics: Object.fromEntries(
      Object.entries(metrics).map(([id, ratio]) => [id, { ratio, higher_is_better: id !== 'rtt_p99', reference: 'x' }]),
    ),
  };
}

describe('compareMetric: throughput ratio (higher is better)', () => {
  it('fails a 20% regression', () => {
    const r = compareMetric(throughput, 4.0, 5.0);
    expect(r.verdict).toBe('regressed');
    expect(r.fails).toBe(true);
    expect(r.change).toBeCloseTo(-0.2, 10);
  });
  it('passes a 10% regression', () => {
    const r = compareMetric(throughput, 4.5, 5.0);
    expect(r.verdict).toBe('ok');
    expect(r.fails).toBe(false);
    expect(r.change).toBeCloseTo(-0.1, 10);
  });
  it('passes exactly at the tolerance and fails just past it', () => {
    expect(compareMetric(throughput, 4.25, 5.0).fails).toBe(false);
    expect(compareMetric(throughput, 4.2, 5.0).fails).toBe(true);
  });
  it('passes an improvement and labels a large one', () => {
    expect(compareMetric(throughput, 5.4, 5.0)).toMatchObject({ verdict: 'ok', fails: false });
    const r = compareMetric(throughput, 7.0, 5.0);
    expect(r).toMatchObject({ verdict: 'better', fails: false });
    expect(r.change).toBeCloseTo(0.4, 10);
  });
});

describe('compareMetric: latency ratio (lower is better)', () => {
  it('fails when the ratio grows by 20%', () => {
    expect(compareMetric(latency, 1.2, 1.0)).toMatchObject({ verdict: 'regressed', fails: true });
  });
  it('passes when it grows by 10%', () => {
    expect(compareMetric(latency, 1.1, 1.0)).toMatchObject({ verdict: 'ok', fails: false });
  });
  it('treats a lower ratio as better', () => {
    const r = compareMetric(latency, 0.5, 1.0);
    expect(r).toMatchObject({ verdict: 'better', fails: false });
    expect(r.change).toBeCloseTo(0.5, 10);
  });
});

describe('compareMetric: missing figures', () => {
  it('reports a metric that was not measured and passes unless strict', () => {
    expect(compareMetric(throughput, null, 5.0)).toMatchObject({ verdict: 'not measured', fails: false, change: null });
    expect(compareMetric(throughput, null, 5.0, 0.15, true)).toMatchObject({ verdict: 'not measured', fails: true });
  });
  it('treats NaN as not measured', () => {
    expect(compareMetric(throughput, Number.NaN, 5.0).verdict).toBe('not measured');
  });
  it('reports a metric without baseline and passes unless strict', () => {
    expect(compareMetric(throughput, 5.0, null)).toMatchObject({ verdict: 'no baseline', fails: false });
    expect(compareMetric(throughput, 5.0, null, 0.15, true).fails).toBe(true);
    expect(compareMetric(throughput, 5.0, 0).verdict).toBe('no baseline');
  });
});

describe('compareMetric: several runs', () => {
  it('calls a median regression "noisy" (a pass) when some run today overlaps the baseline runs', () => {
    // median 20% down, but the best run today is within 15% of the baseline's worst run
    const r = compareMetric(throughput, 4.0, 5.0, 0.15, false, { best: 4.6, baselineWorst: 4.8 });
    expect(r).toMatchObject({ verdict: 'noisy', fails: false });
    expect(compareMetric(throughput, 4.0, 5.0, 0.15, true, { best: 4.6, baselineWorst: 4.8 }).fails).toBe(true);
  });
  it('fails when even the best run today is past the tolerance from the worst baseline run', () => {
    expect(compareMetric(throughput, 3.0, 5.0, 0.15, false, { best: 3.5, baselineWorst: 4.5 })).toMatchObject({ verdict: 'regressed', fails: true });
    expect(compareMetric(latency, 1.5, 1.0, 0.15, false, { best: 1.4, baselineWorst: 1.1 })).toMatchObject({ verdict: 'regressed', fails: true });
    expect(compareMetric(latency, 1.3, 1.0, 0.15, false, { best: 1.2, baselineWorst: 1.1 })).toMatchObject({ verdict: 'noisy', fails: false });
  });
  it('takes the most favourable run in the metric direction', () => {
    const b = baselineOf({ parse: 5.0, rtt_p99: 1.0 });
    const out = compareAll([throughput, latency], { parse: 4.0, rtt_p99: 1.3 }, b, { runs: { parse: [3.9, 4.0, 4.5], rtt_p99: [1.3, 1.1, null] } });
    expect(out.rows.map((r) => r.verdict)).toEqual(['noisy', 'noisy']);
    expect(out.failed).toBe(false);
    expect(extreme([3, null, 5, 4], true)).toBe(5);
    expect(extreme([3, null, 5, 4], false)).toBe(3);
    expect(extreme([3, 5], true, false)).toBe(3);
    expect(extreme([null], true)).toBeNull();
  });
});

describe('compareAll', () => {
  it('fails the gate when any metric regresses, and uses the baseline tolerance', () => {
    const b = baselineOf({ parse: 5.0, rtt_p99: 1.0 });
    expect(compareAll([throughput, latency], { parse: 5.1, rtt_p99: 1.05 }, b).failed).toBe(false);
    const bad = compareAll([throughput, latency], { parse: 5.1, rtt_p99: 1.3 }, b);
    expect(bad.failed).toBe(true);
    expect(bad.rows.map((r) => r.verdict)).toEqual(['ok', 'regressed']);
    // A looser tolerance in the baseline file lets the same figures pass.
    expect(compareAll([throughput, latency], { parse: 5.1, rtt_p99: 1.3 }, baselineOf({ parse: 5.0, rtt_p99: 1.0 }, 0.5)).failed).toBe(false);
  });
  it('handles a metric absent from the current run and from the baseline', () => {
    const out = compareAll([throughput, latency], { parse: 5.0 }, baselineOf({ parse: 5.0 }));
    expect(out.rows.map((r) => r.verdict)).toEqual(['ok', 'not measured']);
    expect(out.failed).toBe(false);
    expect(compareAll([throughput, latency], { parse: 5.0 }, baselineOf({ parse: 5.0 }), { strict: true }).failed).toBe(true);
  });
  it('works with no baseline file at all', () => {
    const out = compareAll([throughput], { parse: 5.0 }, null);
    expect(out.rows[0]!.verdict).toBe('no baseline');
    expect(out.failed).toBe(false);
  });
});

describe('median', () => {
  it('takes the middle of odd and the mean of the middle two of even counts, ignoring gaps', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([null, 7, undefined, Number.NaN])).toBe(7);
    expect(median([null, null])).toBeNull();
  });
});

describe('baseline file', () => {
  it('keeps the previous ratio of a metric not measured now', () => {
    const prev = baselineOf({ parse: 5.0, rtt_p99: 0.8 });
    const next = buildBaseline([throughput, latency], { parse: 6.0, rtt_p99: null }, prev, { updated: 'now', runs: { parse: [6.0, 5.5, 6.2] } });
    expect(next.metrics.parse!.ratio).toBe(6);
    expect(next.metrics.parse!.worst).toBe(5.5);
    expect(next.metrics.rtt_p99!.ratio).toBe(0.8);
    expect(next.metrics.rtt_p99!.worst).toBe(0.8);
    expect(next.metrics.rtt_p99!.higher_is_better).toBe(false);
    expect(next.tolerance).toBe(0.15);
  });
  it('round-trips through parseBaseline', () => {
    const b = buildBaseline([throughput], { parse: 1.23456789 }, null, { updated: 'now', machine: '2 cores' });
    const parsed = parseBaseline(JSON.stringify(b));
    expect(parsed.metrics.parse!.ratio).toBe(1.234568);
    expect(parsed.machine).toBe('2 cores');
  });
  it('rejects malformed baselines with a clear message', () => {
    expect(() => parseBaseline('{nope')).toThrow(/not valid JSON/);
    expect(() => parseBaseline('{"version":2}')).toThrow(/version 2/);
    expect(() => parseBaseline('{"version":1,"tolerance":3,"metrics":{}}')).toThrow(/tolerance/);
    expect(() => parseBaseline('{"version":1,"tolerance":0.15}')).toThrow(/metrics/);
    expect(() => parseBaseline('{"version":1,"tolerance":0.15,"metrics":{"a":{"ratio":"x","higher_is_better":true}}}')).toThrow(/ratio/);
  });
});

describe('gate metrics', () => {
  const codec = { parse_msgs_per_s: 3e6, jspurefix_parse_msgs_per_s: 3e5, encode_msgs_per_s: 2e6, jspurefix_encode_msgs_per_s: 4e5, quickfix_parse_msgs_per_s: 1e6 };
  const byId = (id: string) => GATE_METRICS.find((m) => m.id === id)!;

  it('divides ours by the same-run reference', () => {
    expect(byId('codec_parse_vs_jspurefix').ratio({ codec })).toBeCloseTo(10, 10);
    expect(byId('codec_encode_vs_jspurefix').ratio({ codec })).toBeCloseTo(5, 10);
    expect(byId('codec_parse_vs_quickfix').ratio({ codec })).toBeCloseTo(3, 10);
    expect(byId('ipc_spsc_vs_postmessage').ratio({ ipc: { ipc_throughput_events_per_s: 5e6 }, postmessage: { postmessage_events_per_s: 1e5 } })).toBeCloseTo(50, 10);
    expect(byId('rtt_p99_vs_quickfix').ratio({ rtt: { kfix_p99_us: 30, quickfix_p99_us: 60 } })).toBeCloseTo(0.5, 10);
  });
  it('gives null, never 0 or Infinity, when a figure is missing, null or zero', () => {
    expect(byId('codec_encode_vs_quickfix').ratio({ codec })).toBeNull();
    expect(byId('rtt_p99_vs_quickfix').ratio({ rtt: { kfix_p99_us: null, quickfix_p99_us: 60 } })).toBeNull();
    expect(byId('ipc_spsc_vs_postmessage').ratio({ ipc: { ipc_throughput_events_per_s: 5e6 } })).toBeNull();
    expect(byId('codec_parse_vs_jspurefix').ratio({ codec: null })).toBeNull();
    expect(ratioOf(1, 0)).toBeNull();
    expect(ratioOf(0, 1)).toBeNull();
  });
  it('has unique ids and a direction for each', () => {
    expect(new Set(GATE_METRICS.map((m) => m.id)).size).toBe(GATE_METRICS.length);
    expect(GATE_METRICS.filter((m) => m.id.startsWith('rtt_')).every((m) => !m.higherIsBetter)).toBe(true);
  });

  it('an informational metric is compared and shown but never fails the gate', () => {
    const info: MetricDef = { ...latency, informational: true };
    const out = compareAll([throughput, info], { parse: 5.1, rtt_p99: 3.0 }, baselineOf({ parse: 5.0, rtt_p99: 1.0 }));
    expect(out.rows[1]!.verdict).toBe('regressed');
    expect(out.rows[1]!.fails).toBe(false);
    expect(out.failed).toBe(false);
    // The same figures gated fail.
    expect(compareAll([throughput, latency], { parse: 5.1, rtt_p99: 3.0 }, baselineOf({ parse: 5.0, rtt_p99: 1.0 })).failed).toBe(true);
  });
});
