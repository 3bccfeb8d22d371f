/**
 * `npm run soak`: the fault campaigns and the fuzzers, round after round with fresh seeds, for a bounded
 * time (issue 9). `npm test` runs each campaign with three fixed seeds; the soak runs the same tests
 * with many more, so rare interleavings get a chance to show up, and prints how to reproduce any failure.
 *
 *   tsx scripts/soak.ts [--minutes 10] [--seeds-per-round 3] [--fuzz-seconds 60] [--seed N]
 *                       [--only campaign|fuzz] [--step-timeout-minutes 15] [--out DIR]
 *
 * One round: `vitest run test/fault` with KFIX_CAMPAIGN_SEEDS set to fresh seeds (the campaign tests
 * read it), then `dist/test/fuzz/run.js --seed S --seconds N` (needs `npm run build`). Seeds come from
 * one master seed (--seed, printed at the start), so a whole soak can be replayed. No new step starts
 * after the deadline, and a campaign step is skipped when the last one took longer than the time left
 * (round 1 always runs one campaign and at least 10 s of fuzzing, so a short soak still covers both);
 * a step running past --step-timeout-minutes is killed and counted as a failure (a hang is a bug).
 * Logs of failing steps are kept under --out; passing ones are deleted. Exit 0 when every step passed,
 * 1 when any failed, 2 on a usage error.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Options {
  minutes: number;
  seedsPerRound: number;
  fuzzSeconds: number;
  masterSeed: number;
  only: 'campaign' | 'fuzz' | 'both';
  stepTimeoutMs: number;
  out: string;
}

interface StepResult {
  round: number;
  step: 'campaign' | 'fuzz';
  seeds: number[];
  ok: boolean;
  ms: number;
  /** What failed, one line each (test names, fuzz findings, exit status). */
  failures: string[];
  reproduce: string[];
  log: string;
  tests?: { passed: number; failed: number; skipped: number };
  execs?: number;
}

const USAGE = 'usage: tsx scripts/soak.ts [--minutes 10] [--seeds-per-round 3] [--fuzz-seconds 60] [--seed N] [--only campaign|fuzz] [--step-timeout-minutes 15] [--out DIR]';

function parseArgs(argv: string[]): Options {
  const o: Options = {
    minutes: 10,
    seedsPerRound: 3,
    fuzzSeconds: 60,
    masterSeed: (Date.now() ^ (process.pid << 10)) >>> 0,
    only: 'both',
    stepTimeoutMs: 15 * 60_000,
    out: '',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v!;
    };
    if (a === '--minutes') o.minutes = Number(value());
    else if (a === '--seeds-per-round') o.seedsPerRound = Number(value());
    else if (a === '--fuzz-seconds') o.fuzzSeconds = Number(value());
    else if (a === '--seed') o.masterSeed = Number(value()) >>> 0;
    else if (a === '--only') o.only = value() as Options['only'];
    else if (a === '--step-timeout-minutes') o.stepTimeoutMs = Number(value()) * 60_000;
    else if (a === '--out') o.out = value();
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else usage(`unknown argument ${a}`);
  }
  if (!(o.minutes > 0 && o.minutes <= 24 * 60)) usage('--minutes must be in (0, 1440]');
  if (!(Number.isInteger(o.seedsPerRound) && o.seedsPerRound >= 1 && o.seedsPerRound <= 100)) usage('--seeds-per-round must be an integer 1..100');
  if (!(o.fuzzSeconds >= 5 && o.fuzzSeconds <= 3600)) usage('--fuzz-seconds must be 5..3600');
  if (!['campaign', 'fuzz', 'both'].includes(o.only)) usage('--only takes campaign or fuzz');
  if (!(o.stepTimeoutMs >= 60_000)) usage('--step-timeout-minutes must be >= 1');
  if (o.out === '') o.out = join(tmpdir(), `kfix-soak-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  return o;
}

function usage(message: string): never {
  console.error(`soak: ${message}\n${USAGE}`);
  process.exit(2);
}

/** The project root: the nearest directory above this file with a package.json (works from scripts/ and dist/scripts/). */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('soak: cannot find the project root (package.json)');
    dir = up;
  }
  return dir;
}

/** mulberry32: small, seedable, and the same sequence on every machine. */
class SeedSource {
  private state: number;
  private readonly used = new Set<number>();
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  private next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) & 0x7fffffff;
  }
  /** A seed not handed out before in this soak (campaign seeds are plain integers; s + 7919 r stays safe). */
  fresh(): number {
    for (;;) {
      const s = this.next() % 1_000_000_000;
      if (!this.used.has(s)) {
        this.used.add(s);
        return s;
      }
    }
  }
}

interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  output: string;
}

let current: ReturnType<typeof spawn> | null = null;

/** Runs a child in its own process group (vitest forks workers: a timeout must take them all), teeing output to `log`. */
function runChild(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; log: string; timeoutMs: number }): Promise<ChildRun> {
  return new Promise((done) => {
    const out = createWriteStream(opts.log);
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
    current = child;
    let tail = '';
    const keep = (d: Buffer) => {
      out.write(d);
      tail = (tail + d.toString()).slice(-200_000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, 'SIGKILL');
    }, opts.timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      current = null;
      out.end(() => done({ code, signal, timedOut, output: tail }));
    });
    child.on('error', (err) => keep(Buffer.from(`\nsoak: cannot start ${cmd}: ${err.message}\n`)));
  });
}

function killGroup(child: ReturnType<typeof spawn>, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform !== 'win32') process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // already gone
  }
}

interface VitestJson {
  numPassedTests?: number;
  numFailedTests?: number;
  numPendingTests?: number;
  numTodoTests?: number;
  testResults?: { name: string; status: string; message?: string; assertionResults?: { fullName: string; status: string; failureMessages?: string[] }[] }[];
}

async function campaignStep(root: string, o: Options, round: number, seeds: number[]): Promise<StepResult> {
  const log = join(o.out, `round-${round}-campaign.log`);
  const json = join(o.out, `round-${round}-campaign.json`);
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const started = Date.now();
  const env = { ...process.env, KFIX_CAMPAIGN_SEEDS: seeds.join(','), KFIX_CAMPAIGN_RUNS: '1' };
  const r = await runChild(process.execPath, [vitest, 'run', 'test/fault', '--reporter=default', '--reporter=json', `--outputFile.json=${json}`], { cwd: root, env, log, timeoutMs: o.stepTimeoutMs });
  const failures: string[] = [];
  let tests: StepResult['tests'];
  const failedNames: string[] = [];
  if (existsSync(json)) {
    try {
      const report = JSON.parse(readFileSync(json, 'utf8')) as VitestJson;
      tests = { passed: report.numPassedTests ?? 0, failed: report.numFailedTests ?? 0, skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0) };
      for (const file of report.testResults ?? []) {
        const rel = file.name.startsWith(root) ? file.name.slice(root.length + 1) : file.name;
        const failed = (file.assertionResults ?? []).filter((a) => a.status === 'failed');
        for (const a of failed) {
          failedNames.push(a.fullName);
          failures.push(`${rel} > ${a.fullName}: ${firstLine(a.failureMessages?.[0] ?? 'failed')}`);
        }
        if (failed.length === 0 && file.status === 'failed') failures.push(`${rel}: ${firstLine(file.message ?? 'the file failed to run')}`);
      }
    } catch {
      failures.push(`unreadable vitest JSON report ${json}`);
    }
  }
  const ok = !r.timedOut && r.code === 0 && failures.length === 0;
  if (!ok && failures.length === 0) failures.push(r.timedOut ? `timed out after ${o.stepTimeoutMs / 60_000} min (hang?)` : `vitest exited ${r.code ?? r.signal}: ${lastLines(r.output, 3)}`);
  if (r.timedOut && failures.length > 0 && !failures[0]!.startsWith('timed out')) failures.unshift(`timed out after ${o.stepTimeoutMs / 60_000} min (hang?)`);
  const base = `KFIX_CAMPAIGN_SEEDS=${seeds.join(',')} KFIX_CAMPAIGN_RUNS=1 npx vitest run test/fault`;
  const reproduce = ok ? [] : [base, ...[...new Set(failedNames)].slice(0, 5).map((n) => `${base} -t ${shellQuote(n)}`)];
  return { round, step: 'campaign', seeds, ok, ms: Date.now() - started, failures, reproduce, log, ...(tests ? { tests } : {}) };
}

async function fuzzStep(root: string, o: Options, round: number, seed: number, seconds: number): Promise<StepResult> {
  const log = join(o.out, `round-${round}-fuzz.log`);
  const runner = join(root, 'dist', 'test', 'fuzz', 'run.js');
  const started = Date.now();
  const args = ['--expose-gc', runner, '--seconds', String(seconds), '--seed', String(seed)];
  const r = await runChild(process.execPath, args, { cwd: root, env: process.env, log, timeoutMs: Math.min(o.stepTimeoutMs, seconds * 1000 + 120_000) });
  const failures: string[] = [];
  const replays: string[] = [];
  // The runner prints `NEW ... -> <finding>.json` as it goes and `NEW <key> xN: <summary>` in its summary.
  for (const m of r.output.matchAll(/^\s*NEW\s+(\S+) x(\d+): (.*)$/gm)) failures.push(`fuzz finding ${m[1]} x${m[2]}: ${m[3]}`);
  for (const m of r.output.matchAll(/NEW: \S+ -> (\S+\.json)/g)) replays.push(`node dist/test/fuzz/run.js --replay ${m[1]}`);
  if (/\(HANG\)/.test(r.output)) failures.push('fuzz: a push hung (see the log)');
  const ok = !r.timedOut && r.code === 0 && failures.length === 0;
  if (!ok && failures.length === 0) failures.push(r.timedOut ? 'fuzz runner timed out' : `fuzz runner exited ${r.code ?? r.signal}: ${lastLines(r.output, 3)}`);
  const execs = /execs (\d+)/.exec(r.output);
  const reproduce = ok ? [] : [`node --expose-gc dist/test/fuzz/run.js --seconds ${seconds} --seed ${seed}`, ...[...new Set(replays)].slice(0, 5)];
  return { round, step: 'fuzz', seeds: [seed], ok, ms: Date.now() - started, failures, reproduce, log, ...(execs ? { execs: Number(execs[1]) } : {}) };
}

function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim() !== '')?.trim().slice(0, 300) ?? '';
}

function lastLines(s: string, n: number): string {
  return s.trim().split('\n').slice(-n).join(' | ').slice(0, 500);
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function fmtMs(ms: number): string {
  return ms >= 60_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`;
}

function summarise(o: Options, results: StepResult[], startedAt: number, interrupted: boolean): number {
  const campaign = results.filter((r) => r.step === 'campaign');
  const fuzz = results.filter((r) => r.step === 'fuzz');
  const failed = results.filter((r) => !r.ok);
  const rounds = new Set(results.map((r) => r.round)).size;
  const tests = campaign.reduce((a, r) => ({ passed: a.passed + (r.tests?.passed ?? 0), failed: a.failed + (r.tests?.failed ?? 0) }), { passed: 0, failed: 0 });
  const lines = [
    '',
    `== soak summary${interrupted ? ' (interrupted)' : ''}: ${fmtMs(Date.now() - startedAt)}, master seed ${o.masterSeed}`,
    `rounds ${rounds}; campaign runs ${campaign.length} (${campaign.filter((r) => r.ok).length} passed) over ${campaign.reduce((n, r) => n + r.seeds.length, 0)} seeds, ${tests.passed} test cases passed, ${tests.failed} failed`,
    `fuzz runs ${fuzz.length} (${fuzz.filter((r) => r.ok).length} passed), ${fuzz.reduce((n, r) => n + (r.execs ?? 0), 0)} executions`,
    `campaign seeds: ${campaign.map((r) => r.seeds.join(',')).join(' | ') || '-'}`,
    `fuzz seeds: ${fuzz.map((r) => r.seeds[0]).join(', ') || '-'}`,
  ];
  if (failed.length === 0) {
    lines.push(results.length === 0 ? 'soak: nothing ran' : 'soak: ok, no failures');
  } else {
    lines.push(`soak: FAILED, ${failed.length} step(s):`);
    for (const f of failed) {
      lines.push(`  round ${f.round} ${f.step}, seed(s) ${f.seeds.join(',')}, log ${f.log}`);
      for (const x of f.failures.slice(0, 10)) lines.push(`    ${x}`);
      for (const c of f.reproduce) lines.push(`    reproduce: ${c}`);
    }
  }
  lines.push(`whole soak again: tsx scripts/soak.ts --seed ${o.masterSeed} --minutes ${o.minutes} --seeds-per-round ${o.seedsPerRound} --fuzz-seconds ${o.fuzzSeconds}${o.only !== 'both' ? ` --only ${o.only}` : ''}`);
  console.log(lines.join('\n'));
  writeFileSync(join(o.out, 'summary.json'), JSON.stringify({ masterSeed: o.masterSeed, minutes: o.minutes, interrupted, results }, null, 2));
  console.log(`summary: ${join(o.out, 'summary.json')}`);
  return failed.length > 0 || results.length === 0 ? 1 : 0;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const root = projectRoot();
  o.out = resolve(o.out);
  mkdirSync(o.out, { recursive: true });
  if (o.only !== 'campaign' && !existsSync(join(root, 'dist', 'test', 'fuzz', 'run.js'))) usage('dist/test/fuzz/run.js is missing: run `npm run build` first (or --only campaign)');
  const seeds = new SeedSource(o.masterSeed);
  const startedAt = Date.now();
  const deadline = startedAt + o.minutes * 60_000;
  const results: StepResult[] = [];
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    if (current) killGroup(current, 'SIGTERM');
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  console.log(`soak: ${o.minutes} min, master seed ${o.masterSeed}, ${o.seedsPerRound} campaign seeds and ${o.fuzzSeconds} s of fuzzing per round; logs in ${o.out}`);

  let lastCampaignMs = 0;
  let round = 0;
  while (!interrupted && Date.now() < deadline) {
    round++;
    let ranSomething = false;
    if (o.only !== 'fuzz') {
      const left = deadline - Date.now();
      // The first round always runs the campaign; later ones only when a run fits in the time left.
      if (lastCampaignMs === 0 || lastCampaignMs <= left) {
        const roundSeeds = Array.from({ length: o.seedsPerRound }, () => seeds.fresh());
        const r = await campaignStep(root, o, round, roundSeeds);
        lastCampaignMs = r.ms;
        results.push(r);
        ranSomething = true;
        report(r);
      }
    }
    if (interrupted) break;
    if (o.only !== 'campaign') {
      // Round 1 fuzzes at least 10 s even when the campaign used up a short budget: every soak covers both.
      const left = Math.floor((deadline - Date.now()) / 1000);
      const seconds = Math.min(o.fuzzSeconds, round === 1 ? Math.max(10, left) : left);
      if (seconds >= 5) {
        const r = await fuzzStep(root, o, round, seeds.fresh(), seconds);
        results.push(r);
        ranSomething = true;
        report(r);
      }
    }
    if (!ranSomething) break;
  }
  process.exitCode = summarise(o, results, startedAt, interrupted);
}

function report(r: StepResult): void {
  const what = r.step === 'campaign'
    ? `campaign seeds ${r.seeds.join(',')}: ${r.tests ? `${r.tests.passed} passed, ${r.tests.failed} failed, ${r.tests.skipped} skipped` : 'no report'}`
    : `fuzz seed ${r.seeds[0]}: ${r.execs ?? '?'} execs`;
  console.log(`round ${r.round} ${r.ok ? 'ok  ' : 'FAIL'} ${what} (${fmtMs(r.ms)})`);
  if (r.ok) {
    rmSync(r.log, { force: true });
    rmSync(r.log.replace(/\.log$/, '.json'), { force: true });
  } else {
    for (const f of r.failures.slice(0, 5)) console.log(`    ${f}`);
    for (const c of r.reproduce) console.log(`    reproduce: ${c}`);
  }
}

main().catch((err) => {
  console.error(`soak: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  process.exit(2);
});
