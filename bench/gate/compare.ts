/**
 * The gate's judgement, kept free of I/O so it can be unit-tested: compare each ratio measured now
 * with bench/baseline.json, with a tolerance band, and decide pass/fail.
 *
 * Ratios, not absolute figures: the machine is shared and noisy, so every metric is our figure
 * divided by a reference measured in the same run (jspurefix's parse rate, QuickFIX's p99, ...).
 * Noise that slows both sides cancels out; a regression of ours does not.
 */

export interface MetricDef {
  id: string;
  /** What the ratio divides by, for the table (e.g. "jspurefix parse msgs/s"). */
  reference: string;
  /** true: ours ÷ reference, bigger is better (throughput). false: smaller is better (latency). */
  higherIsBetter: boolean;
  /**
   * Compared and shown, never fails the gate: for statistics that scheduling on a shared VM moves by
   * several times from run to run (a p99 of a few thousand round trips), where a 15% band means nothing.
   */
  informational?: boolean;
}

export interface BaselineEntry {
  /** Median ratio over the runs when the baseline was taken. */
  ratio: number | null;
  /**
   * Least favourable run at that time (lowest ratio if higher is better, highest otherwise).
   * Optional: absent means the same as `ratio`.
   */
  worst?: number | null;
  higher_is_better: boolean;
  reference: string;
}

export interface Baseline {
  version: 1;
  updated: string;
  /** Allowed regression before the gate fails, as a fraction (0.15 = 15%). */
  tolerance: number;
  note?: string;
  /** Machine context when it was taken (cores, load), for whoever reads it later. */
  machine?: string;
  metrics: Record<string, BaselineEntry>;
}

export type Verdict = 'ok' | 'better' | 'regressed' | 'noisy' | 'not measured' | 'no baseline';

export interface Comparison {
  id: string;
  reference: string;
  higherIsBetter: boolean;
  now: number | null;
  baseline: number | null;
  /** Signed fraction, positive = better than baseline (direction-aware); null if not comparable. */
  change: number | null;
  verdict: Verdict;
  /** Whether this row makes the gate fail (depends on --strict for the soft verdicts). */
  fails: boolean;
}

export const DEFAULT_TOLERANCE = 0.15;

/** Fraction by which `now` is worse than `ref` in the metric's direction (negative = better). */
export function regressionOf(higherIsBetter: boolean, now: number, ref: number): number {
  return higherIsBetter ? (ref - now) / ref : (now - ref) / ref;
}

/**
 * Regression is measured relative to the baseline in the metric's own direction:
 * higher-is-better: (baseline - now) / baseline; lower-is-better: (now - baseline) / baseline.
 * So "20% worse" means 20% less throughput or 20% more latency.
 *
 * Noise: with several runs, `now` is their median and `best` the most favourable run; the
 * baseline likewise has a median and a least favourable run (`baselineWorst`). The gate fails only
 * when even today's best run is worse than the baseline's worst run by more than the tolerance,
 * i.e. when the two sets of runs do not overlap. A median that regresses while the runs overlap is
 * reported as 'noisy' (a pass, unless --strict). With one run on each side both rules coincide.
 */
export function compareMetric(
  def: MetricDef,
  now: number | null,
  baseline: number | null,
  tolerance: number = DEFAULT_TOLERANCE,
  strict = false,
  spread: { best?: number | null; baselineWorst?: number | null } = {},
): Comparison {
  if (def.informational) {
    const c = compareMetric({ ...def, informational: false }, now, baseline, tolerance, false, spread);
    return { ...c, fails: false };
  }
  const row = { id: def.id, reference: def.reference, higherIsBetter: def.higherIsBetter, now, baseline };
  if (now === null || !Number.isFinite(now)) return { ...row, now: null, change: null, verdict: 'not measured', fails: strict };
  if (baseline === null || !Number.isFinite(baseline) || baseline <= 0) return { ...row, change: null, verdict: 'no baseline', fails: strict };
  const change = -regressionOf(def.higherIsBetter, now, baseline);
  const best = spread.best ?? now;
  const worst = spread.baselineWorst ?? baseline;
  // A small epsilon keeps a regression of exactly the tolerance (after float rounding) a pass.
  const beyond = (r: number): boolean => r > tolerance + 1e-9;
  if (worst > 0 && beyond(regressionOf(def.higherIsBetter, best, worst))) return { ...row, change, verdict: 'regressed', fails: true };
  if (beyond(-change)) return { ...row, change, verdict: 'noisy', fails: strict };
  if (change > tolerance) return { ...row, change, verdict: 'better', fails: false };
  return { ...row, change, verdict: 'ok', fails: false };
}

export interface GateOutcome {
  rows: Comparison[];
  failed: boolean;
}

/**
 * `current` holds each metric's median ratio; `runs` (optional) each metric's per-run ratios, from
 * which the most favourable run is taken (see compareMetric).
 */
export function compareAll(
  defs: MetricDef[],
  current: Record<string, number | null>,
  baseline: Baseline | null,
  options: { strict?: boolean; tolerance?: number; runs?: Record<string, Array<number | null>> } = {},
): GateOutcome {
  const tolerance = options.tolerance ?? baseline?.tolerance ?? DEFAULT_TOLERANCE;
  const rows = defs.map((d) => {
    const entry = baseline?.metrics[d.id];
    const runs = options.runs?.[d.id];
    return compareMetric(d, current[d.id] ?? null, entry?.ratio ?? null, tolerance, options.strict ?? false, {
      best: runs ? extreme(runs, d.higherIsBetter) : null,
      baselineWorst: entry?.worst ?? null,
    });
  });
  return { rows, failed: rows.some((r) => r.fails) };
}

/** Most favourable (best = true) or least favourable run of a metric, or null if none. */
export function extreme(values: Array<number | null | undefined>, higherIsBetter: boolean, best = true): number | null {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (xs.length === 0) return null;
  return higherIsBetter === best ? Math.max(...xs) : Math.min(...xs);
}

/** Median of the finite values, or null when there are none. */
export function median(values: Array<number | null | undefined>): number | null {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const mid = xs.length >> 1;
  return xs.length % 2 === 1 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
}

/**
 * A new baseline from the current ratios. A metric not measured now keeps its previous baseline
 * (so updating on a machine without QuickFIX does not erase QuickFIX's ratio).
 */
export function buildBaseline(
  defs: MetricDef[],
  current: Record<string, number | null>,
  previous: Baseline | null,
  context: { updated: string; machine?: string; tolerance?: number; runs?: Record<string, Array<number | null>> },
): Baseline {
  const metrics: Record<string, BaselineEntry> = {};
  for (const d of defs) {
    const now = current[d.id] ?? null;
    if (now !== null && Number.isFinite(now)) {
      const worst = context.runs?.[d.id] ? extreme(context.runs[d.id]!, d.higherIsBetter, false) : null;
      metrics[d.id] = { ratio: round6(now), worst: worst === null ? round6(now) : round6(worst), higher_is_better: d.higherIsBetter, reference: d.reference };
    } else {
      const prev = previous?.metrics[d.id];
      metrics[d.id] = { ratio: prev?.ratio ?? null, worst: prev?.worst ?? prev?.ratio ?? null, higher_is_better: d.higherIsBetter, reference: d.reference };
    }
  }
  const b: Baseline = {
    version: 1,
    updated: context.updated,
    tolerance: context.tolerance ?? previous?.tolerance ?? DEFAULT_TOLERANCE,
    note: 'Ratios of our figures to references measured in the same run (see bench/gate/metrics.ts). Rewrite with: npm run bench:gate -- --update-baseline',
    metrics,
  };
  if (context.machine) b.machine = context.machine;
  return b;
}

/** Parses and checks bench/baseline.json; throws an Error that says what is wrong. */
export function parseBaseline(text: string): Baseline {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`baseline is not valid JSON: ${(e as Error).message}`);
  }
  if (!v || typeof v !== 'object') throw new Error('baseline must be a JSON object');
  const b = v as Partial<Baseline>;
  if (b.version !== 1) throw new Error(`baseline version ${String(b.version)} is not supported (expected 1)`);
  if (typeof b.tolerance !== 'number' || !(b.tolerance > 0 && b.tolerance < 1)) throw new Error('baseline tolerance must be a number between 0 and 1');
  if (!b.metrics || typeof b.metrics !== 'object') throw new Error('baseline has no "metrics" object');
  for (const [id, m] of Object.entries(b.metrics)) {
    if (!m || typeof m !== 'object') throw new Error(`baseline metric ${id} must be an object`);
    if (m.ratio !== null && typeof m.ratio !== 'number') throw new Error(`baseline metric ${id}: ratio must be a number or null`);
    if (m.worst !== undefined && m.worst !== null && typeof m.worst !== 'number') throw new Error(`baseline metric ${id}: worst must be a number or null`);
    if (typeof m.higher_is_better !== 'boolean') throw new Error(`baseline metric ${id}: higher_is_better must be a boolean`);
  }
  return b as Baseline;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
