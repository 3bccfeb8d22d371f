/**
 * The machine floor (bench/floor/floor.cpp): the engine benchmark's traffic handled by plain C++, no
 * Node/V8, in the same run as our series, so our latency can be read against what this box gives any
 * engine (syscalls, thread wake-ups, hypervisor jitter) rather than against the targets alone.
 *
 * runFloor() builds the program (bench/floor/build.sh, idempotent), runs it under a timeout and parses
 * its one JSON line. It never throws for an environment problem: it returns null and says why through
 * `log` (no g++, build failure, timeout, bad output).
 *
 *   node dist/bench/floor/floor.js [--count N] [--warmup N]   runs it alone and prints its table
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BenchArgs } from '../lib/args.js';
import { repoRoot, isMainModule } from '../lib/paths.js';
import { runBounded } from '../lib/process.js';
import { parseLastJsonLine } from '../lib/report.js';

export const FLOOR_SERIES = ['inline_wait', 'inline_spin', 'worker_wait', 'worker_spin'] as const;
export type FloorSeriesKey = (typeof FLOOR_SERIES)[number];
export const FLOOR_INTERVALS = ['w2s', 's2w', 'write'] as const;
export type FloorInterval = (typeof FLOOR_INTERVALS)[number];

export interface FloorStats {
  count: number;
  p50_us: number;
  p90_us: number | null;
  p99_us: number;
  p999_us: number | null;
  max_us: number;
}

export interface FloorSeries {
  w2s: FloorStats;
  s2w: FloorStats;
  /** The write() syscall alone (loopback: includes the venue side's TCP receive and wake-up). */
  write: FloorStats;
  /** Spinning series: longest idle-loop gap per 1 ms window (p90/p99.9 not reported). */
  hiccup: FloorStats | null;
  hiccupStrategy: FloorStats | null;
  stealMs: number | null;
}

export interface FloorRun {
  /** Every numeric key of the program's JSON line (floor_<series>_<interval>_<pct>_us, ...). */
  keys: Record<string, number>;
  series: Partial<Record<FloorSeriesKey, FloorSeries>>;
  /** The program's own table (stderr). */
  table: string;
  durationMs: number;
}

export interface FloorOptions {
  /** Recorded messages per series (default: the program's, 3000). */
  count?: number;
  warmup?: number;
  /** Kill the program after this long (default 40 s; it has its own 20 s watchdog). */
  timeoutMs?: number;
  /** Where the reason for a null result goes (default console.error). */
  log?: (line: string) => void;
}

export function floorBinary(): string {
  return join(repoRoot(), 'build', 'floor', 'floor');
}

/** Runs build.sh; returns null when the binary is there, else why not. */
export function buildFloor(): string | null {
  const script = join(repoRoot(), 'bench', 'floor', 'build.sh');
  let out = '';
  try {
    out = execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  } catch (e) {
    const err = e as Error & { stderr?: string };
    return `build failed: ${(err.stderr || err.message).trim().split('\n').slice(0, 5).join(' | ')}`;
  }
  return existsSync(floorBinary()) ? null : `not built (${out.trim() || 'build.sh printed nothing'})`;
}

export async function runFloor(opts: FloorOptions = {}): Promise<FloorRun | null> {
  const log = opts.log ?? ((line: string) => console.error(line));
  const skip = (reason: string): null => {
    log(`machine floor skipped: ${reason}`);
    return null;
  };
  const built = buildFloor();
  if (built !== null) return skip(built);
  const args: string[] = [];
  if (opts.count !== undefined) args.push('--count', String(opts.count));
  if (opts.warmup !== undefined) args.push('--warmup', String(opts.warmup));
  const r = await runBounded(floorBinary(), args, { timeoutMs: opts.timeoutMs ?? 40_000 });
  // The program's own error line ("floor: ...") if it printed one, else the end of its output.
  const tail = (s: string): string => {
    const lines = s.trim().split('\n');
    return lines.find((l) => l.startsWith('floor:')) ?? lines.slice(-3).join(' | ');
  };
  if (r.spawnError !== undefined) return skip(`cannot start ${floorBinary()}: ${r.spawnError}`);
  if (r.timedOut) return skip(`timed out after ${Math.round(r.durationMs)} ms (${tail(r.stderr)})`);
  if (r.code !== 0) return skip(`exited with ${r.code ?? r.signal}: ${tail(r.stderr)}`);
  const json = parseLastJsonLine(r.stdout);
  if (json === null) return skip(`no JSON line on stdout (${tail(r.stdout)})`);
  const keys: Record<string, number> = {};
  for (const [k, v] of Object.entries(json)) if (typeof v === 'number' && Number.isFinite(v)) keys[k] = v;
  const series: Partial<Record<FloorSeriesKey, FloorSeries>> = {};
  for (const s of FLOOR_SERIES) {
    const w2s = stats(keys, `floor_${s}_w2s`);
    const s2w = stats(keys, `floor_${s}_s2w`);
    const write = stats(keys, `floor_${s}_write`);
    if (w2s === null || s2w === null || write === null) continue;
    series[s] = {
      w2s,
      s2w,
      write,
      hiccup: stats(keys, `floor_${s}_hiccup`),
      hiccupStrategy: stats(keys, `floor_${s}_hiccup_strategy`),
      stealMs: keys[`floor_${s}_steal_ms`] ?? null,
    };
  }
  if (Object.keys(series).length === 0) return skip('the JSON line has no series');
  return { keys, series, table: r.stderr.trim(), durationMs: r.durationMs };
}

function stats(keys: Record<string, number>, prefix: string): FloorStats | null {
  const count = keys[`${prefix}_count`];
  const p50 = keys[`${prefix}_p50_us`];
  const p99 = keys[`${prefix}_p99_us`];
  const max = keys[`${prefix}_max_us`];
  if (count === undefined || p50 === undefined || p99 === undefined || max === undefined || count === 0) return null;
  return { count, p50_us: p50, p90_us: keys[`${prefix}_p90_us`] ?? null, p99_us: p99, p999_us: keys[`${prefix}_p999_us`] ?? null, max_us: max };
}

if (isMainModule(import.meta.url)) {
  const args = new BenchArgs();
  const count = args.has('--count') ? args.number('--count', 3000) : undefined;
  const warmup = args.has('--warmup') ? args.number('--warmup', 300) : undefined;
  const run = await runFloor({ count, warmup });
  if (run === null) process.exitCode = 1;
  else {
    console.error(run.table);
    console.log(JSON.stringify(run.keys));
  }
}
