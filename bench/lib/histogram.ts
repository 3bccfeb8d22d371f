/**
 * Latency statistics for benchmarks: HDR histograms (hdr-histogram-js) recorded in nanoseconds and
 * reported in microseconds, so every series (ours, QuickFIX's raw samples, jspurefix's) goes through
 * the same code and the same percentile definition.
 *
 * Coordinated omission: when a benchmark paces its sends at a target rate, a stall delays the sends
 * behind it and a naive histogram never sees the latency those sends would have had. Recording with
 * recordValueWithExpectedInterval back-fills the missing samples (HdrHistogram's standard correction);
 * pass the pacing interval as `expectedIntervalNs`. Closed-loop ping-pong has no target rate, so no
 * correction applies there: a round trip is defined as the time until the answer.
 */
import * as hdr from 'hdr-histogram-js';

/** Longest latency a histogram accepts; larger samples are clamped (and counted in `clamped`). */
export const MAX_TRACKABLE_NS = 60e9;

export interface LatencyHistogram {
  readonly histogram: hdr.Histogram;
  /** Samples above MAX_TRACKABLE_NS, recorded as MAX_TRACKABLE_NS. */
  clamped: number;
}

export interface LatencySummary {
  count: number;
  p50_us: number;
  p90_us: number;
  p99_us: number;
  p999_us: number;
  max_us: number;
  mean_us: number;
  /** Completed operations (round trips, messages) per second of measured wall time; null if unknown. */
  msgs_per_s: number | null;
}

export function createLatencyHistogram(): LatencyHistogram {
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: MAX_TRACKABLE_NS,
    numberOfSignificantValueDigits: 3,
    bitBucketSize: 32,
    useWebAssembly: false,
  });
  return { histogram, clamped: 0 };
}

/** Records one sample. `expectedIntervalNs` > 0 applies the coordinated-omission correction. */
export function recordNs(h: LatencyHistogram, ns: number, expectedIntervalNs = 0): void {
  if (!Number.isFinite(ns)) throw new Error(`latency sample is not a finite number: ${ns}`);
  let v = Math.max(1, Math.round(ns));
  if (v > MAX_TRACKABLE_NS) {
    v = MAX_TRACKABLE_NS;
    h.clamped++;
  }
  if (expectedIntervalNs > 0) h.histogram.recordValueWithExpectedInterval(v, Math.round(expectedIntervalNs));
  else h.histogram.recordValue(v);
}

/** Builds a histogram from raw samples (ns), e.g. those a C++ peer wrote to a file. */
export function histogramFromSamples(samplesNs: ArrayLike<number>, expectedIntervalNs = 0): LatencyHistogram {
  const h = createLatencyHistogram();
  for (let i = 0; i < samplesNs.length; i++) recordNs(h, samplesNs[i]!, expectedIntervalNs);
  return h;
}

/** Percentiles in microseconds; `elapsedNs` (measured wall time) gives msgs_per_s = count / elapsed. */
export function summarize(h: LatencyHistogram, elapsedNs?: number, operations?: number): LatencySummary {
  const hist = h.histogram;
  // getValueAtPercentile answers a bucket's upper bound, which may exceed the exact max; clamp so
  // a report never shows p99.9 > max.
  const us = (p: number): number => round3(Math.min(hist.getValueAtPercentile(p), hist.maxValue) / 1000);
  const count = hist.totalCount;
  const ops = operations ?? count;
  return {
    count,
    p50_us: us(50),
    p90_us: us(90),
    p99_us: us(99),
    p999_us: us(99.9),
    max_us: round3(hist.maxValue / 1000),
    mean_us: round3(hist.mean / 1000),
    msgs_per_s: elapsedNs && elapsedNs > 0 ? Math.round((ops / elapsedNs) * 1e9) : null,
  };
}

/** One point of a percentile-distribution curve: percentile (0..100) and latency in µs. */
export interface CurvePoint {
  percentile: number;
  value_us: number;
}

/**
 * Samples the percentile distribution on a "nines" scale: x = -log10(1 - p/100), from the median
 * region up to `maxNines` (4 = 99.99%), plus the max. Points are evenly spaced in x so the tail gets
 * as much resolution as the body.
 */
export function percentileCurve(h: LatencyHistogram, maxNines = 4, stepsPerNine = 20): CurvePoint[] {
  const hist = h.histogram;
  if (hist.totalCount === 0) return [];
  const points: CurvePoint[] = [];
  const steps = Math.round(maxNines * stepsPerNine);
  for (let i = 0; i <= steps; i++) {
    const nines = (i / steps) * maxNines;
    const percentile = 100 * (1 - Math.pow(10, -nines));
    points.push({ percentile, value_us: hist.getValueAtPercentile(percentile) / 1000 });
  }
  return points;
}

/** The standard .hgrm text (HdrHistogram percentile distribution), values in microseconds. */
export function hgrmText(h: LatencyHistogram): string {
  return h.histogram.outputPercentileDistribution(5, 1000);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
