/**
 * Performance regression gate: runs short, bounded versions of the codec, ipc and rtt benchmarks
 * as child processes, turns their figures into ratios against references measured in the same run
 * (jspurefix, QuickFIX, postMessage), and compares each ratio with bench/baseline.json. Fails
 * (exit 1) when a ratio regresses by more than the tolerance (15%).
 *
 *   npm run bench:gate [-- --strict] [-- --update-baseline] [-- --json] [-- --runs N] [-- --budget-s S]
 *
 * A benchmark that is missing, fails or times out leaves its metrics "not measured": reported, and
 * a failure only with --strict. Noise: each benchmark runs up to 3 times (round-robin, while the
 * time budget allows) and the gate uses the median ratio. Owns bench/gate and bench/baseline.json;
 * it never edits the benchmarks it runs.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { BenchArgs } from '../lib/args.js';
import { isMainModule, repoRoot } from '../lib/paths.js';
import { runBounded } from '../lib/process.js';
import { formatTable, parseLastJsonLine } from '../lib/report.js';
import { buildBaseline, compareAll, median, parseBaseline, type Baseline, type Comparison } from './compare.js';
import { GATE_BENCHES, GATE_METRICS, referenceValue, type BenchId, type BenchOutputs, type GateBench } from './metrics.js';

interface BenchRun {
  bench: BenchId;
  round: number;
  ok: boolean;
  why: string | null;
  durationMs: number;
  output: Record<string, unknown> | null;
}

export function baselinePath(): string {
  return join(repoRoot(), 'bench', 'baseline.json');
}

function scriptPath(b: GateBench): string {
  return join(repoRoot(), 'dist', 'bench', b.script);
}

async function runBench(b: GateBench, round: number): Promise<BenchRun> {
  const r = await runBounded(process.execPath, [...b.nodeArgs, scriptPath(b), ...b.args], {
    timeoutMs: b.timeoutMs,
    // Benchmarks that honour it shorten themselves; the others ignore it.
    env: { ...process.env, KFIX_BENCH_QUICK: '1' },
    cwd: repoRoot(),
  });
  const base = { bench: b.id, round, durationMs: r.durationMs };
  if (r.spawnError) return { ...base, ok: false, why: `could not start: ${r.spawnError}`, output: null };
  if (r.timedOut) return { ...base, ok: false, why: `timed out after ${b.timeoutMs / 1000} s`, output: null };
  const output = parseLastJsonLine(r.stdout);
  if (r.code !== 0) {
    const lastErr = r.stderr.trim().split('\n').filter((l) => !l.startsWith('npm warn')).pop() ?? '';
    return { ...base, ok: false, why: `exit ${r.code ?? r.signal}${lastErr ? `: ${lastErr.slice(0, 160)}` : ''}`, output: null };
  }
  if (!output) return { ...base, ok: false, why: 'no JSON object on the last stdout line', output: null };
  return { ...base, ok: true, why: null, output };
}

/** Whether any metric could use this bench's output (all its benches produced a number). */
function usefulBenches(outputs: BenchOutputs): Set<BenchId> {
  const useful = new Set<BenchId>();
  for (const m of GATE_METRICS) if (m.ratio(outputs) !== null) for (const b of m.benches) useful.add(b);
  return useful;
}

export interface GateRun {
  runs: BenchRun[];
  ratios: Record<string, number | null>;
  perRound: Record<string, Array<number | null>>;
  references: Record<string, number | null>;
  notes: string[];
}

export async function measure(maxRounds: number, budgetMs: number, log: (s: string) => void): Promise<GateRun> {
  const t0 = performance.now();
  const runs: BenchRun[] = [];
  const notes: string[] = [];
  const rounds: BenchOutputs[] = [];
  const firstDuration = new Map<BenchId, number>();
  const dropped = new Set<BenchId>();

  for (const b of GATE_BENCHES) {
    if (!existsSync(scriptPath(b))) {
      notes.push(`${b.id}: not measured — ${join('dist', 'bench', b.script)} not found (build it, or the benchmark does not exist yet)`);
      dropped.add(b.id);
    } else if (b.onlyWith && !existsSync(scriptPath(GATE_BENCHES.find((x) => x.id === b.onlyWith)!))) {
      dropped.add(b.id);
    }
  }

  for (let round = 0; round < maxRounds; round++) {
    const outputs: BenchOutputs = {};
    for (const b of GATE_BENCHES) {
      if (dropped.has(b.id)) continue;
      const elapsed = performance.now() - t0;
      const expected = firstDuration.get(b.id) ?? 0;
      if (round > 0 && elapsed + expected > budgetMs) {
        notes.push(`${b.id}: ${round} run(s) only — another would pass the ${(budgetMs / 1000).toFixed(0)} s budget`);
        dropped.add(b.id);
        continue;
      }
      log(`gate: ${b.id} run ${round + 1}/${maxRounds} ...`);
      const r = await runBench(b, round);
      runs.push(r);
      if (round === 0) firstDuration.set(b.id, r.durationMs);
      log(`gate: ${b.id} run ${round + 1}: ${r.ok ? 'ok' : `failed (${r.why})`} in ${(r.durationMs / 1000).toFixed(1)} s`);
      if (!r.ok) {
        notes.push(`${b.id}: not measured — ${r.why}`);
        dropped.add(b.id);
        continue;
      }
      outputs[b.id] = r.output;
    }
    rounds.push(outputs);
    if (round === 0) {
      // Re-running a bench none of whose metrics came out (e.g. rtt before kfix has a client) is waste.
      const useful = usefulBenches(outputs);
      for (const b of GATE_BENCHES) {
        if (!dropped.has(b.id) && !useful.has(b.id)) {
          dropped.add(b.id);
          const reason = b.id === 'rtt' ? String(outputs.rtt?.['kfix_skipped'] ?? 'no kfix figures') : 'its metrics came out empty';
          notes.push(`${b.id}: ran once, nothing to compare (${reason})`);
        }
      }
    }
    if (GATE_BENCHES.every((b) => dropped.has(b.id))) break;
  }

  const ratios: Record<string, number | null> = {};
  const perRound: Record<string, Array<number | null>> = {};
  const references: Record<string, number | null> = {};
  for (const m of GATE_METRICS) {
    perRound[m.id] = rounds.map((o) => m.ratio(o));
    ratios[m.id] = median(perRound[m.id]!);
    references[m.id] = median(rounds.map((o) => referenceValue(m, o)));
  }
  return { runs, ratios, perRound, references, notes };
}

function fmtRatio(v: number | null): string {
  return v === null ? '-' : v >= 100 ? v.toFixed(1) : v.toPrecision(3);
}

function fmtRef(v: number | null): string {
  if (v === null) return '-';
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (v >= 1e4) return `${(v / 1e3).toFixed(0)}k`;
  if (v >= 100) return v.toFixed(0);
  return v.toPrecision(3);
}

export function renderTable(rows: Comparison[], g: Pick<GateRun, 'perRound' | 'references'>): string {
  return formatTable(
    ['metric', '', 'reference (same run)', 'ref value', 'runs', 'spread', 'ratio now', 'baseline', 'change', 'verdict'],
    rows.map((r) => {
      const xs = (g.perRound[r.id] ?? []).filter((x): x is number => x !== null);
      return [
        r.id,
        r.higherIsBetter ? '↑' : '↓',
        r.reference,
        fmtRef(g.references[r.id] ?? null),
        xs.length,
        // min..max over runs: how much the median can be trusted on this machine today
        xs.length > 1 ? `${fmtRatio(Math.min(...xs))}..${fmtRatio(Math.max(...xs))}` : null,
        fmtRatio(r.now),
        fmtRatio(r.baseline),
        r.change === null ? '-' : `${r.change >= 0 ? '+' : ''}${(r.change * 100).toFixed(1)}%`,
        r.fails ? `${r.verdict.toUpperCase()} (fail)` : r.verdict,
      ];
    }),
    [1, 2, 9],
  );
}

function readBaseline(): Baseline | null {
  const p = baselinePath();
  if (!existsSync(p)) return null;
  return parseBaseline(readFileSync(p, 'utf8'));
}

async function main(): Promise<number> {
  const args = new BenchArgs();
  const strict = args.has('--strict');
  const update = args.has('--update-baseline');
  const json = args.has('--json');
  const maxRounds = Math.max(1, args.number('--runs', 3));
  const budgetMs = args.number('--budget-s', 200) * 1000;
  const log = (s: string): void => console.log(s);

  let baseline: Baseline | null = null;
  try {
    baseline = readBaseline();
  } catch (e) {
    console.error(`gate: ${baselinePath()}: ${(e as Error).message}`);
    if (!update) return 2;
  }
  const load = loadavg().map((x) => x.toFixed(1)).join(' ');
  log(`gate: ${cpus().length} cores, load average ${load}; up to ${maxRounds} run(s) per benchmark within ${budgetMs / 1000} s`);
  const t0 = performance.now();
  const g = await measure(maxRounds, budgetMs, log);
  const outcome = compareAll(GATE_METRICS, g.ratios, baseline, { strict, runs: g.perRound });

  log('');
  log(`ratios: ours ÷ same-run reference (↑ higher is better, ↓ lower is better), median of the runs; tolerance ${((baseline?.tolerance ?? 0.15) * 100).toFixed(0)}%${strict ? '; --strict' : ''}`);
  log(renderTable(outcome.rows, g));
  for (const n of g.notes) log(`  ${n}`);
  if (!baseline) log(`  no baseline at ${baselinePath()} — run with --update-baseline to create it`);
  if (outcome.rows.some((r) => r.verdict === 'noisy')) {
    log('  noisy: the median is past the tolerance but some run today is within it of the baseline\'s worst run; not a failure (--strict makes it one)');
  }
  if (loadavg()[0]! > cpus().length * 2) log(`  warning: load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores — ratios are unreliable; re-run on a quieter machine before trusting a verdict`);
  log(`gate: ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  let code = outcome.failed ? 1 : 0;
  if (update) {
    const next = buildBaseline(GATE_METRICS, g.ratios, baseline, {
      runs: g.perRound,
      updated: new Date().toISOString(),
      machine: `${cpus().length} cores, load average ${load}, node ${process.version}`,
    });
    writeFileSync(baselinePath(), JSON.stringify(next, null, 2) + '\n');
    log(`gate: baseline written to ${baselinePath()}`);
    code = 0;
  } else {
    const regressed = outcome.rows.filter((r) => r.fails).map((r) => `${r.id} (${r.verdict})`);
    log(regressed.length ? `gate: FAIL — ${regressed.join(', ')}` : 'gate: pass');
  }
  if (json) {
    const o: Record<string, unknown> = { gate_passed: code === 0 };
    for (const r of outcome.rows) {
      o[`${r.id}_ratio`] = r.now;
      o[`${r.id}_baseline`] = r.baseline;
      o[`${r.id}_verdict`] = r.verdict;
    }
    console.log(JSON.stringify(o));
  }
  return code;
}

if (isMainModule(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`gate failed to run: ${(e as Error).stack ?? String(e)}`);
      process.exit(2);
    },
  );
}
