/**
 * Fuzz campaign runner (`npm run fuzz`): mutational fuzzing of FixFramer and of the FixSession
 * acceptor for a fixed time. The fuzz loop runs in a worker; this thread is a watchdog that sees the
 * current input in shared memory, so a hang (a push that never returns) is caught, saved and reported
 * instead of freezing the run. Inputs that break an oracle are written under os.tmpdir().
 *
 *   node dist/test/fuzz/run.js [--seconds 60] [--seed N] [--target framer|session|both] [--budget-ms 50]
 *   node dist/test/fuzz/run.js --replay /tmp/kfix-fuzz/<run>/<case>.json
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { FRAMING_ERROR_NAMES, getDictionary } from '../../src/codec/index.js';
import { Prng } from '../fault/prng.js';
import { buildCorpus } from './corpus.js';
import { FramerTarget, randomConfig, show, type FramerConfig } from './framer-target.js';
import { classify, KNOWN_ISSUES } from './known-issues.js';
import { mutate } from './mutators.js';
import { SessionTarget } from './session-target.js';

const MAX_INPUT = 1 << 20;
const HANG_MS = 10_000;

interface Options {
  seconds: number;
  seed: number;
  target: 'framer' | 'session' | 'both';
  budgetMs: number;
  replay?: string;
}

interface Finding {
  target: 'framer' | 'session';
  oracle: string;
  known?: string;
  detail: string;
  input: Uint8Array;
  cfg?: FramerConfig;
  chunking?: number[];
  applied?: string[];
}

interface Stats {
  execs: number;
  framerExecs: number;
  sessionExecs: number;
  messages: number;
  errorCodes: Record<string, number>;
  slowPushes: number;
  maxPushMs: number;
  heapStartMB: number;
  heapEndMB: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { seconds: 60, seed: (Date.now() ^ (process.pid << 8)) >>> 0, target: 'both', budgetMs: 50 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    const need = () => {
      if (v === undefined) throw new Error(`${a} needs a value`);
      i++;
      return v;
    };
    if (a === '--seconds') o.seconds = Number(need());
    else if (a === '--seed') o.seed = Number(need()) >>> 0;
    else if (a === '--target') o.target = need() as Options['target'];
    else if (a === '--budget-ms') o.budgetMs = Number(need());
    else if (a === '--replay') o.replay = need();
    else if (a === '--help' || a === '-h') {
      console.log('usage: run.js [--seconds 60] [--seed N] [--target framer|session|both] [--budget-ms 50] [--replay case.json]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!(o.seconds > 0 && o.seconds <= 86_400)) throw new Error('--seconds must be in (0, 86400]');
  if (!['framer', 'session', 'both'].includes(o.target)) throw new Error('--target must be framer, session or both');
  return o;
}

// ------------------------------------------------------------------ worker: the fuzz loop

function heapMB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round((process.memoryUsage().heapUsed / 1048576) * 10) / 10;
}

function fuzzLoop(o: Options, shared: SharedArrayBuffer): void {
  const ctrl = new Int32Array(shared, 0, 4); // [heartbeat, input length, target (1 framer, 2 session)]
  const bytes = new Uint8Array(shared, 16);
  const dictionary = getDictionary({ kraken: true });
  const corpus = buildCorpus();
  const framer = new FramerTarget(dictionary, o.budgetMs);
  const session = new SessionTarget();
  const rng = new Prng(o.seed);
  const stats: Stats = { execs: 0, framerExecs: 0, sessionExecs: 0, messages: 0, errorCodes: {}, slowPushes: 0, maxPushMs: 0, heapStartMB: 0, heapEndMB: 0 };
  const reported = new Map<string, number>();
  const report = (f: Finding) => {
    const key = `${f.target}/${f.oracle}/${f.known ?? 'new'}`;
    const n = reported.get(key) ?? 0;
    reported.set(key, n + 1);
    parentPort!.postMessage({ type: 'finding', finding: f, count: n + 1 });
  };
  const start = Date.now();
  const deadline = start + o.seconds * 1000;
  let lastStats = start;
  let warm = false;
  while (Date.now() < deadline) {
    const useSession = o.target === 'session' || (o.target === 'both' && rng.chance(0.2));
    Atomics.add(ctrl, 0, 1);
    if (!useSession) {
      const { input, applied } = mutate(rng, corpus);
      const cfg = randomConfig(rng);
      const n = Math.min(input.length, MAX_INPUT);
      bytes.set(input.subarray(0, n));
      ctrl[1] = n;
      ctrl[2] = 1;
      const r = framer.run(input, cfg, rng);
      stats.framerExecs++;
      stats.messages += r.messages;
      for (const c of r.errorCodes) {
        const name = FRAMING_ERROR_NAMES[c] ?? String(c);
        stats.errorCodes[name] = (stats.errorCodes[name] ?? 0) + 1;
      }
      stats.slowPushes += r.slowPushes.length;
      stats.maxPushMs = Math.max(stats.maxPushMs, r.maxPushMs);
      for (const v of r.violations) report({ target: 'framer', oracle: v.oracle, known: classify(v, input), detail: v.detail, input, cfg, chunking: r.chunkings[1], applied });
    } else {
      ctrl[2] = 2;
      const r = session.run(rng);
      stats.sessionExecs++;
      for (const v of r.violations) report({ target: 'session', oracle: v.oracle, known: classify(v, r.fed), detail: v.detail, input: r.fed });
    }
    stats.execs++;
    const now = Date.now();
    if (!warm && now - start > 2000) {
      warm = true;
      stats.heapStartMB = heapMB();
    }
    if (now - lastStats > 1000) {
      lastStats = now;
      parentPort!.postMessage({ type: 'stats', stats });
    }
  }
  stats.heapEndMB = heapMB();
  if (!warm) stats.heapStartMB = stats.heapEndMB;
  parentPort!.postMessage({ type: 'done', stats });
}

// ------------------------------------------------------------------ main: watchdog and report

function saveFinding(dir: string, f: Finding, n: number): string {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `${f.target}-${f.oracle}-${f.known ?? 'new'}-${n}`);
  writeFileSync(`${base}.bin`, f.input);
  writeFileSync(`${base}.json`, JSON.stringify({ ...f, input: undefined, inputFile: `${base}.bin` }, null, 2));
  return `${base}.json`;
}

function replay(file: string): void {
  const meta = JSON.parse(readFileSync(file, 'utf8')) as Finding & { inputFile: string };
  const input = readFileSync(meta.inputFile);
  if (meta.target !== 'framer' || !meta.cfg) {
    console.log(`session findings replay through the bytes only:\n${show(input, 4000)}\n${meta.detail}`);
    return;
  }
  const r = new FramerTarget(getDictionary({ kraken: true })).run(input, meta.cfg, new Prng(1), { fresh: true, chunking: meta.chunking });
  console.log(`input ${show(input, 2000)}\nconfig ${JSON.stringify(meta.cfg)}, ${meta.chunking?.length ?? 1} chunks`);
  console.log(r.violations.length === 0 ? 'no violation on replay' : r.violations.map((v) => `${v.oracle}: ${v.detail}`).join('\n'));
  process.exitCode = r.violations.length === 0 ? 0 : 1;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.replay) return replay(o.replay);
  const outDir = join(tmpdir(), 'kfix-fuzz', `${new Date().toISOString().replace(/[:.]/g, '-')}-seed${o.seed}`);
  console.log(`fuzz: target ${o.target}, ${o.seconds} s, seed ${o.seed}, push budget ${o.budgetMs} ms; findings go to ${outDir}`);
  const shared = new SharedArrayBuffer(16 + MAX_INPUT);
  const ctrl = new Int32Array(shared, 0, 4);
  // Worker threads reject --expose-gc in execArgv; V8 flags set on the process reach them anyway.
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { options: o, shared } });
  const findings = new Map<string, { count: number; known?: string; file: string; detail: string }>();
  let stats: Stats | null = null;
  let hang = false;
  const t0 = Date.now();
  await new Promise<void>((resolve) => {
    let lastBeat = -1;
    let lastChange = Date.now();
    const watchdog = setInterval(() => {
      const beat = Atomics.load(ctrl, 0);
      if (beat !== lastBeat) {
        lastBeat = beat;
        lastChange = Date.now();
        return;
      }
      if (Date.now() - lastChange > HANG_MS) {
        hang = true;
        const input = new Uint8Array(shared, 16, ctrl[1]).slice();
        const target = ctrl[2] === 2 ? 'session' : 'framer';
        const file = saveFinding(outDir, { target, oracle: 'hang', detail: `no progress for ${HANG_MS} ms`, input }, 1);
        findings.set(`${target}/hang/new`, { count: 1, file, detail: 'no progress' });
        void worker.terminate();
      }
    }, 500);
    const hardStop = setTimeout(() => void worker.terminate(), (o.seconds + 60) * 1000);
    worker.on('message', (m: { type: string; stats?: Stats; finding?: Finding; count?: number }) => {
      if (m.type === 'stats' || m.type === 'done') stats = m.stats!;
      if (m.type === 'finding') {
        const f = m.finding!;
        const key = `${f.target}/${f.oracle}/${f.known ?? 'new'}`;
        const entry = findings.get(key);
        if (entry) entry.count = m.count!;
        // The first few of each kind are kept; the rest only counted.
        const file = m.count! <= 3 ? saveFinding(outDir, { ...f, input: Buffer.from(f.input) }, m.count!) : entry?.file ?? '';
        if (!entry) {
          findings.set(key, { count: 1, known: f.known, file, detail: f.detail });
          console.log(`  ${f.known ? `known ${f.known}` : 'NEW'}: ${key} -> ${file}`);
        }
      }
      if (m.type === 'done') void worker.terminate();
    });
    worker.on('error', (err) => {
      console.error(`fuzz worker crashed: ${err.stack ?? err}`);
      const input = new Uint8Array(shared, 16, ctrl[1]).slice();
      const file = saveFinding(outDir, { target: ctrl[2] === 2 ? 'session' : 'framer', oracle: 'worker-crash', detail: String(err), input }, 1);
      findings.set('worker-crash', { count: 1, file, detail: String(err) });
    });
    worker.on('exit', () => {
      clearInterval(watchdog);
      clearTimeout(hardStop);
      resolve();
    });
  });
  const secs = (Date.now() - t0) / 1000;
  const s = stats as Stats | null;
  console.log('\n== fuzz summary');
  if (s) {
    console.log(`execs ${s.execs} (framer ${s.framerExecs}, session ${s.sessionExecs}) in ${secs.toFixed(1)} s = ${(s.execs / secs).toFixed(0)} execs/s`);
    console.log(`framer: ${s.messages} messages delivered; error codes seen: ${Object.entries(s.errorCodes).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(`push time: max ${s.maxPushMs.toFixed(1)} ms, ${s.slowPushes} pushes over ${o.budgetMs} ms`);
    console.log(`heap after GC: ${s.heapStartMB} MB after warm-up -> ${s.heapEndMB} MB at the end${(globalThis as { gc?: unknown }).gc ? '' : ' (run node with --expose-gc for exact figures)'}`);
  }
  const newOnes = [...findings].filter(([, f]) => !f.known);
  console.log(`findings: ${findings.size} kinds, ${newOnes.length} new${hang ? ' (HANG)' : ''}`);
  for (const [key, f] of findings) {
    const k = f.known ? KNOWN_ISSUES.find((i) => i.id === f.known) : undefined;
    console.log(`  ${f.known ? `known ${f.known}` : 'NEW     '} ${key} x${f.count}: ${k ? k.summary : f.detail.slice(0, 200)}\n           ${f.file}`);
  }
  process.exitCode = newOnes.length > 0 ? 1 : 0;
}

if (isMainThread) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  });
} else {
  const { options, shared } = workerData as { options: Options; shared: SharedArrayBuffer };
  fuzzLoop(options, shared);
}
