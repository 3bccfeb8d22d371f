/**
 * Order round-trip latency: NewOrderSingle out, ExecutionReport New back, over plain TCP on
 * 127.0.0.1 with a memory store, for QuickFIX C++ <-> QuickFIX, jspurefix <-> jspurefix, kfix <->
 * QuickFIX (kfix-series.ts), and kfix <-> our Kraken simulator over plain TCP and TLS 1.3
 * (sim-series.ts; the simulator's own time per order is reported beside them). Same run, same
 * machine, so the ratios against QuickFIX are the figures that mean something on a shared 2-core box.
 *
 *   npm run build && node dist/bench/rtt/rtt.bench.js [--quick] [--json] [options]
 *     --quick           ping-pong only, small counts (< 20 s)
 *     --count N         measured round trips per run (default 100000, quick 10000)
 *     --warmup W        round trips before measuring (default 10000, quick 1000)
 *     --window K        pipelined mode with K orders in flight (default 16; 0 = off; quick: off)
 *     --rate R          pace sends at R orders/s; latencies get coordinated-omission correction
 *     --series a,b      only these series (quickfix, kfix, kfix_sim, kfix_sim_tls, jspurefix)
 *     --need id         if series `id` cannot run, run nothing and report nulls (used by the gate)
 *     --out-dir DIR     where .hgrm and .svg go (default bench/out)
 *
 * "msgs_per_s" is round trips per second (each is one message out and one back).
 * Output: a table, bench/out/rtt-<series>[-w<K>].hgrm, bench/out/rtt-pingpong.svg (and
 * rtt-pipelined.svg); with --json the last stdout line is one JSON object (keys in resultKeys()).
 */
import { join } from 'node:path';
import { BenchArgs } from '../lib/args.js';
import { histogramFromSamples, percentileCurve, summarize, type LatencyHistogram, type LatencySummary } from '../lib/histogram.js';
import { benchOutDir, isMainModule } from '../lib/paths.js';
import { fmt, formatTable, writeHgrm } from '../lib/report.js';
import { formatLatencyUs, writePercentilePlot, type PlotSeries } from '../lib/svg-plot.js';
import { REFERENCE_SERIES, SERIES_IDS, SERIES_METRIC_KEYS, createSeries } from './registry.js';
import type { RttRunOptions, RttSeries } from './types.js';

interface Outcome {
  series: RttSeries;
  mode: 'pingpong' | 'pipelined';
  window: number;
  summary: LatencySummary | null;
  histogram: LatencyHistogram | null;
  skipped: string | null;
  notes: string[];
  metrics: Record<string, number>;
}

const STAT_KEYS = ['p50_us', 'p90_us', 'p99_us', 'p999_us', 'max_us', 'msgs_per_s'] as const;

export interface RttPlan {
  quick: boolean;
  count: number;
  warmup: number;
  window: number;
  rateHz: number;
  pingpongDurationMs: number;
  pipelinedDurationMs: number;
  seriesTimeoutMs: number;
}

export function planFrom(args: BenchArgs): RttPlan {
  const quick = args.has('--quick');
  return {
    quick,
    count: args.number('--count', quick ? 5_000 : 100_000),
    warmup: args.number('--warmup', quick ? 500 : 10_000),
    window: args.number('--window', quick ? 0 : 16),
    rateHz: args.number('--rate', 0, false),
    // Caps that keep the whole run bounded whatever the engines' speed on a noisy machine.
    pingpongDurationMs: quick ? 2_000 : 10_000,
    pipelinedDurationMs: quick ? 2_000 : 5_000,
    seriesTimeoutMs: quick ? 25_000 : 60_000,
  };
}

function pipelinedSuffix(window: number): string {
  return `w${window}`;
}

/** The flat JSON object: <id>_<stat> for ping-pong, <id>_w<K>_<stat> for pipelined, ratios. */
export function resultKeys(outcomes: Outcome[], plan: RttPlan): Record<string, number | string | null> {
  const out: Record<string, number | string | null> = {
    rtt_mode: plan.quick ? 'quick' : 'full',
    rtt_rate_hz: plan.rateHz,
    rtt_window: plan.window > 1 ? plan.window : null,
  };
  const find = (id: string, mode: Outcome['mode']): Outcome | undefined => outcomes.find((o) => o.series.id === id && o.mode === mode);
  for (const id of SERIES_IDS) {
    const pp = find(id, 'pingpong');
    const extra = SERIES_METRIC_KEYS[id] ?? [];
    for (const k of STAT_KEYS) out[`${id}_${k}`] = pp?.summary ? pp.summary[k] : null;
    for (const k of extra) out[`${id}_${k}`] = pp?.summary ? (pp.metrics[k] ?? null) : null;
    out[`${id}_count`] = pp?.summary?.count ?? null;
    out[`${id}_skipped`] = pp?.skipped ?? (pp ? null : 'not selected');
    if (plan.window > 1) {
      const pl = find(id, 'pipelined');
      for (const k of STAT_KEYS) out[`${id}_${pipelinedSuffix(plan.window)}_${k}`] = pl?.summary ? pl.summary[k] : null;
      for (const k of extra) out[`${id}_${pipelinedSuffix(plan.window)}_${k}`] = pl?.summary ? (pl.metrics[k] ?? null) : null;
    }
  }
  const ref = find(REFERENCE_SERIES, 'pingpong')?.summary;
  for (const id of SERIES_IDS) {
    if (id === REFERENCE_SERIES) continue;
    const s = find(id, 'pingpong')?.summary;
    out[`${id}_vs_quickfix_p50`] = s && ref && ref.p50_us > 0 ? round4(s.p50_us / ref.p50_us) : null;
    out[`${id}_vs_quickfix_p99`] = s && ref && ref.p99_us > 0 ? round4(s.p99_us / ref.p99_us) : null;
  }
  return out;
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

async function runOne(series: RttSeries, mode: Outcome['mode'], window: number, plan: RttPlan): Promise<Outcome> {
  const options: RttRunOptions = {
    count: plan.count,
    warmup: plan.warmup,
    window,
    rateHz: plan.rateHz,
    durationMs: mode === 'pingpong' ? plan.pingpongDurationMs : plan.pipelinedDurationMs,
    timeoutMs: plan.seriesTimeoutMs,
  };
  try {
    const r = await series.run(options);
    if (r.samplesNs.length === 0) throw new Error('no measured round trips');
    const intervalNs = plan.rateHz > 0 ? 1e9 / plan.rateHz : 0;
    const histogram = histogramFromSamples(r.samplesNs, intervalNs);
    const summary = summarize(histogram, r.elapsedNs, r.samplesNs.length);
    return { series, mode, window: r.window, histogram, summary, skipped: null, notes: r.notes, metrics: r.metrics ?? {} };
  } catch (e) {
    return { series, mode, window, histogram: null, summary: null, skipped: `failed: ${(e as Error).message.split('\n')[0]}`, notes: [], metrics: {} };
  }
}

export async function runRttBench(plan: RttPlan, selected: string[] | undefined, need: string | undefined, log: (s: string) => void): Promise<Outcome[]> {
  const all = createSeries();
  for (const id of [...(selected ?? []), ...(need ? [need] : [])]) {
    if (!all.some((s) => s.id === id)) throw new Error(`unknown series '${id}' (known: ${all.map((s) => s.id).join(', ')})`);
  }
  const chosen = all.filter((s) => !selected || selected.includes(s.id));
  const reasons = new Map<string, string | null>();
  for (const s of chosen) reasons.set(s.id, await s.unavailable());
  const outcomes: Outcome[] = [];
  const skip = (s: RttSeries, why: string): void => {
    outcomes.push({ series: s, mode: 'pingpong', window: 1, histogram: null, summary: null, skipped: why, notes: [], metrics: {} });
  };
  if (need && reasons.get(need)) {
    for (const s of chosen) skip(s, s.id === need ? reasons.get(need)! : `not run: ${need} unavailable`);
    log(`${need} cannot run: ${reasons.get(need)}; nothing measured (--need ${need})`);
    return outcomes;
  }
  const runnable = chosen.filter((s) => !reasons.get(s.id));
  try {
    // Start-up (acceptors, module loads) for every series at once, before anything is measured.
    const tPrep = performance.now();
    const prepared = await Promise.allSettled(runnable.map((s) => s.prepare?.()));
    log(`set-up (peers started, modules loaded): ${((performance.now() - tPrep) / 1000).toFixed(1)} s`);
    prepared.forEach((p, i) => {
      if (p.status === 'rejected') reasons.set(runnable[i]!.id, `set-up failed: ${String((p.reason as Error)?.message ?? p.reason).split('\n')[0]}`);
    });
    for (const s of chosen) {
      const why = reasons.get(s.id);
      if (why) {
        log(`${s.id}: skipped — ${why}`);
        skip(s, why);
        continue;
      }
      let t = performance.now();
      outcomes.push(await runOne(s, 'pingpong', 1, plan));
      log(`${s.id}: ping-pong, ${plan.warmup} warm-up + up to ${plan.count} round trips (cap ${plan.pingpongDurationMs / 1000} s): ${((performance.now() - t) / 1000).toFixed(1)} s`);
      if (plan.window > 1 && s.supportsPipelining) {
        t = performance.now();
        outcomes.push(await runOne(s, 'pipelined', plan.window, plan));
        log(`${s.id}: pipelined, window ${plan.window} (cap ${plan.pipelinedDurationMs / 1000} s): ${((performance.now() - t) / 1000).toFixed(1)} s`);
      }
      // Stop this series' peers before the next series is measured.
      await s.dispose?.();
    }
  } finally {
    await Promise.allSettled(chosen.map((s) => s.dispose?.()));
  }
  return outcomes;
}

function report(outcomes: Outcome[], plan: RttPlan, outDir: string, log: (s: string) => void): void {
  const ref = (mode: Outcome['mode']): LatencySummary | null =>
    outcomes.find((o) => o.series.id === REFERENCE_SERIES && o.mode === mode)?.summary ?? null;
  const rows = outcomes.map((o) => {
    const s = o.summary;
    const r = ref(o.mode);
    const mode = o.mode === 'pingpong' ? 'ping-pong' : `window ${o.window}`;
    if (!s) return [o.series.id, mode, o.skipped?.startsWith('failed') ? 'failed' : 'skipped', null, null, null, null, null, null, null, null];
    return [
      o.series.id,
      mode,
      s.count,
      fmt(s.p50_us),
      fmt(s.p90_us),
      fmt(s.p99_us),
      fmt(s.p999_us),
      fmt(s.max_us),
      s.msgs_per_s,
      r ? `${fmt(s.p50_us / r.p50_us, 2)}x` : null,
      r ? `${fmt(s.p99_us / r.p99_us, 2)}x` : null,
    ];
  });
  log('');
  log(`round trip NewOrderSingle -> ExecutionReport New, TCP 127.0.0.1 (kfix_sim_tls: TLS 1.3), memory store, latencies in µs${plan.rateHz > 0 ? `, paced at ${plan.rateHz}/s (CO-corrected)` : ', closed loop'}`);
  log(formatTable(['series', 'mode', 'count', 'p50', 'p90', 'p99', 'p99.9', 'max', 'RT/s', 'p50/QF', 'p99/QF'], rows));
  for (const o of outcomes) {
    if (o.skipped) log(`  ${o.series.id}: ${o.skipped}`);
    for (const n of o.notes) log(`  ${o.series.id} (${o.mode}): ${n}`);
  }
  // The simulator's own share, beside the round trip it is part of.
  for (const o of outcomes) {
    const p50 = o.metrics['processing_p50_us'];
    const p99 = o.metrics['processing_p99_us'];
    if (!o.summary || p50 === undefined || p99 === undefined) continue;
    const mode = o.mode === 'pingpong' ? 'ping-pong' : `window ${o.window}`;
    log(`  ${o.series.id} (${mode}): round trip p50 ${fmt(o.summary.p50_us)} / p99 ${fmt(o.summary.p99_us)} µs, of which the simulator's own time per order p50 ${fmt(p50)} / p99 ${fmt(p99)} µs`);
  }

  for (const mode of ['pingpong', 'pipelined'] as const) {
    const measured = outcomes.filter((o) => o.mode === mode && o.histogram && o.summary);
    if (measured.length === 0) continue;
    const files: string[] = [];
    for (const o of measured) {
      const stem = mode === 'pingpong' ? `rtt-${o.series.id}` : `rtt-${o.series.id}-${pipelinedSuffix(o.window)}`;
      files.push(writeHgrm(outDir, stem, o.histogram!));
    }
    const plot: PlotSeries[] = measured.map((o) => ({
      name: o.series.label,
      points: percentileCurve(o.histogram!),
      note: `p50 ${formatLatencyUs(o.summary!.p50_us)}, p99 ${formatLatencyUs(o.summary!.p99_us)}, p99.9 ${formatLatencyUs(o.summary!.p999_us)}, ${o.summary!.msgs_per_s ?? '-'} RT/s, n=${o.summary!.count}`,
    }));
    const svg = join(outDir, `rtt-${mode}.svg`);
    const what = mode === 'pingpong' ? 'ping-pong (1 in flight)' : `pipelined (${plan.window} in flight)`;
    writePercentilePlot(svg, plot, {
      title: `Order round trip, ${what}`,
      subtitle: `NewOrderSingle -> ExecutionReport, TCP loopback (TLS 1.3 where labelled), memory store; ${new Date().toISOString().slice(0, 16)}Z`,
    });
    log(`wrote ${svg} and ${files.length} .hgrm file(s) in ${outDir}`);
  }
}

async function main(): Promise<void> {
  const args = new BenchArgs();
  const json = args.has('--json');
  const plan = planFrom(args);
  const outDir = benchOutDir(args.string('--out-dir'));
  const t0 = performance.now();
  const log = (s: string): void => console.log(s);
  const outcomes = await runRttBench(plan, args.list('--series'), args.string('--need'), log);
  report(outcomes, plan, outDir, log);
  log(`rtt bench: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (json) console.log(JSON.stringify(resultKeys(outcomes, plan)));
}

// Only when run as a program, so tests can import the pieces.
if (isMainModule(import.meta.url)) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      // A usage mistake gets its message; anything else its stack, to be debuggable.
      const err = e as Error;
      console.error(`rtt bench failed: ${/^unknown series|needs a/.test(err.message) ? err.message : (err.stack ?? String(e))}`);
      process.exit(1);
    },
  );
}
