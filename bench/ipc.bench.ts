/**
 * Thread hand-off latency and throughput of the SPSC queues, per wake-up scheme.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/ipc.bench.js [--json]
 *
 * Latency: ping-pong between this thread ("strategy") and an echo worker ("hot path") over two
 * queues. Each ping carries t0 = monoNs() in its header; the echo stamps t1 on arrival and replies;
 * t2 is taken when the reply arrives. one-way = t1 - t0 (clocks calibrated to the shared hrtime
 * origin per thread, see src/ipc/clock.ts; error bound printed), rtt = t2 - t0. Pings are paced
 * with a short sleep of this thread (same traffic for every scheme), so waiting schemes really go
 * idle between messages as with real market events, while a spinning echo keeps burning its core.
 *
 *   spin      both sides busy-spin
 *   spinwait  both sides spin SPIN_N polls (default 1000, --spin-n), then Atomics.wait
 *   wait      both sides Atomics.wait at once (no spinning)
 *   waitasync echo (hot-path side) uses Atomics.waitAsync in its event loop; this side Atomics.wait
 *
 * Throughput: a producer worker pushes 56-byte records as fast as it can; this thread consumes
 * (spin-then-wait). Measured per-record publish (commit) and batched publish (64 per publish()).
 * Each phase is bounded by count and wall time; the whole run stays < 30 s.
 *
 * Timing includes monoNs() itself (performance.now(): tens to hundreds of ns on a loaded VM).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import * as hdr from 'hdr-histogram-js';
import {
  clockCalibrationErrorNs,
  createQueue,
  monoNs,
  queueStats,
  RecordBuffer,
  SpscConsumer,
  SpscProducer,
  StatusFlyweight,
  WaitStrategy,
  type RecordHandler,
} from '../src/ipc/index.js';

const JSON_OUT = process.argv.includes('--json');

function numberArg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 0) throw new Error(`${name} needs a non-negative integer`);
  return v;
}
const RECORD = 56;
/** Polls before sleeping for `spinwait` (override: --spin-n N). */
const SPIN_N = numberArg('--spin-n', 1_000);
const LATENCY_BUDGET_MS = 2_500;
const LATENCY_MAX = 30_000;
const WARMUP = 50;
const GAP_MS = 0.02; // requested pause between pings; the OS makes it ~50-100 us
const THROUGHPUT_BUDGET_MS = 2_500;
const THROUGHPUT_MAX = 10_000_000;

type Scheme = 'spin' | 'spinwait' | 'wait' | 'waitasync';
const SCHEMES: Scheme[] = ['spin', 'spinwait', 'wait', 'waitasync'];

// ctl words
const READY = 0;
const STOP = 1;
const DONE = 2;

interface WorkerInput {
  role: 'echo' | 'blast';
  scheme: Scheme;
  ping: SharedArrayBuffer;
  pong: SharedArrayBuffer;
  ctl: SharedArrayBuffer;
  batch: number;
  spinN: number;
}

function waitOptions(scheme: Scheme, side: 'echo' | 'main', spinN: number): { strategy: WaitStrategy; spinIterations: number } {
  switch (scheme) {
    case 'spin':
      return { strategy: WaitStrategy.BusySpin, spinIterations: 0 };
    case 'spinwait':
      return { strategy: WaitStrategy.SpinThenWait, spinIterations: spinN };
    case 'wait':
      return { strategy: WaitStrategy.SpinThenWait, spinIterations: 0 };
    case 'waitasync':
      return side === 'echo'
        ? { strategy: WaitStrategy.WaitAsync, spinIterations: 0 }
        : { strategy: WaitStrategy.SpinThenWait, spinIterations: 0 };
  }
}

// ---------------- worker side ----------------

class Echo implements RecordHandler {
  private readonly in = new StatusFlyweight();
  private readonly out = new StatusFlyweight();
  constructor(private readonly pong: SpscProducer) {}
  onRecord(buf: RecordBuffer, offset: number): void {
    const t1 = monoNs();
    const r = this.in.wrap(buf, offset);
    const p = this.pong;
    if (!p.tryClaim(RECORD)) throw new Error('echo: pong queue full'); // ping-pong: cannot happen
    const w = this.out.wrapForWrite(p.buffer, p.claimedOffset, RECORD);
    w.c.seq = r.c.seq;
    w.c.tSocketRead = r.c.tEnqueued; // t0
    w.c.tParseDone = t1;
    p.commit();
  }
}

async function echoWorker(d: WorkerInput): Promise<void> {
  const opts = waitOptions(d.scheme, 'echo', d.spinN);
  const ping = new SpscConsumer(d.ping, opts);
  const echo = new Echo(new SpscProducer(d.pong));
  const ctl = new Int32Array(d.ctl);
  Atomics.store(ctl, READY, 1);
  Atomics.notify(ctl, READY);
  while (Atomics.load(ctl, STOP) === 0) {
    if (ping.poll(echo) > 0) continue;
    if (opts.strategy === WaitStrategy.WaitAsync) await ping.awaitDataAsync(200);
    else ping.awaitData(200);
  }
}

function blastWorker(d: WorkerInput): void {
  const p = new SpscProducer(d.ping, { strategy: WaitStrategy.SpinThenWait, spinIterations: 1000 });
  const f = new StatusFlyweight();
  const ctl = new Int32Array(d.ctl);
  Atomics.store(ctl, READY, 1);
  Atomics.notify(ctl, READY);
  const batch = d.batch;
  for (let seq = 1; ; seq++) {
    if ((seq & 1023) === 0 && Atomics.load(ctl, STOP) !== 0) break;
    if (!p.tryClaim(RECORD)) {
      p.publish();
      while (!p.waitForRoom(RECORD, 100)) if (Atomics.load(ctl, STOP) !== 0) break;
      if (!p.tryClaim(RECORD)) break; // stopped while full
    }
    f.wrapForWrite(p.buffer, p.claimedOffset, RECORD).c.seq = seq;
    if (batch === 1) p.commit();
    else {
      p.commitDeferred();
      if (seq % batch === 0) p.publish();
    }
  }
  p.publish();
  Atomics.store(ctl, DONE, 1);
}

// ---------------- main side ----------------

function tsxBootstrap(file: string): string {
  const require = createRequire(import.meta.url);
  const cjs = require.resolve('tsx/esm/api');
  const mjs = cjs.replace(/\.cjs$/, '.mjs');
  const api = pathToFileURL(existsSync(mjs) ? mjs : cjs).href;
  return `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(file).href)}); });`;
}

function startWorker(input: WorkerInput): Worker {
  const self = fileURLToPath(import.meta.url);
  // Compiled (dist/bench/*.js): start this file. Run through tsx: Node 20 workers need a bootstrap.
  const w = self.endsWith('.ts')
    ? new Worker(tsxBootstrap(self), { eval: true, workerData: input })
    : new Worker(self, { workerData: input });
  w.on('error', (e) => {
    console.error(`worker ${input.role}/${input.scheme} failed:`, e);
    process.exitCode = 1;
  });
  return w;
}

/** Resolves when the worker exits; call after setting STOP. Terminates it if it has not exited in 5 s. */
function joiner(w: Worker): () => Promise<void> {
  let gone = false;
  const exit = new Promise<void>((resolve) =>
    w.once('exit', () => {
      gone = true;
      resolve();
    }),
  );
  return async () => {
    if (gone) return;
    const t = setTimeout(() => void w.terminate(), 5_000);
    await exit;
    clearTimeout(t);
  };
}

class Reply implements RecordHandler {
  t2 = 0;
  t0 = 0;
  t1 = 0;
  seq = 0;
  private readonly f = new StatusFlyweight();
  onRecord(buf: RecordBuffer, offset: number): void {
    this.t2 = monoNs();
    const r = this.f.wrap(buf, offset);
    this.seq = r.c.seq;
    this.t0 = r.c.tSocketRead;
    this.t1 = r.c.tParseDone;
  }
}

interface LatencyResult {
  scheme: Scheme;
  samples: number;
  oneWay: { p50: number; p99: number; p999: number; max: number };
  rtt: { p50: number; p99: number; p999: number };
  clockSkewSamples: number;
  consumerSleeps: number;
}

function newHist(): ReturnType<typeof hdr.build> {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 10e9, numberOfSignificantValueDigits: 3 });
}

async function latency(scheme: Scheme): Promise<LatencyResult> {
  const ping = createQueue(1 << 16);
  const pong = createQueue(1 << 16);
  const ctlSab = new SharedArrayBuffer(64);
  const ctl = new Int32Array(ctlSab);
  const w = startWorker({ role: 'echo', scheme, ping, pong, ctl: ctlSab, batch: 1, spinN: SPIN_N });
  const join = joiner(w);
  // The worker's own module load needs the event loop: yield until it reports ready.
  const readyBy = performance.now() + 20_000;
  while (Atomics.load(ctl, READY) === 0) {
    if (performance.now() > readyBy) throw new Error('echo worker did not start');
    await new Promise((r) => setTimeout(r, 5));
  }
  const out = new SpscProducer(ping);
  const inn = new SpscConsumer(pong, waitOptions(scheme, 'main', SPIN_N));
  const f = new StatusFlyweight();
  const reply = new Reply();
  const oneWay = newHist();
  const rtt = newHist();
  const nap = new Int32Array(new SharedArrayBuffer(4));
  let skew = 0;
  const deadline = performance.now() + LATENCY_BUDGET_MS;
  let i = 0;
  for (; i < LATENCY_MAX + WARMUP && ((i & 63) !== 0 || performance.now() < deadline); i++) {
    Atomics.wait(nap, 0, 0, GAP_MS);
    if (!out.tryClaim(RECORD)) throw new Error('ping queue full');
    const t0 = monoNs();
    const m = f.wrapForWrite(out.buffer, out.claimedOffset, RECORD);
    m.c.seq = i;
    m.c.tEnqueued = t0;
    out.commit();
    while (inn.poll(reply) === 0) {
      if (!inn.awaitData(5_000)) throw new Error(`${scheme}: no reply to ping ${i}`);
    }
    if (reply.seq !== i) throw new Error(`${scheme}: reply ${reply.seq} for ping ${i}`);
    if (i < WARMUP) continue;
    const ow = reply.t1 - reply.t0;
    if (ow < 0) skew++;
    oneWay.recordValue(Math.max(0, Math.round(ow)));
    rtt.recordValue(Math.max(0, Math.round(reply.t2 - reply.t0)));
  }
  Atomics.store(ctl, STOP, 1);
  out.nudge();
  await join();
  return {
    scheme,
    samples: Math.max(0, i - WARMUP),
    oneWay: {
      p50: oneWay.getValueAtPercentile(50),
      p99: oneWay.getValueAtPercentile(99),
      p999: oneWay.getValueAtPercentile(99.9),
      max: oneWay.maxValue,
    },
    rtt: { p50: rtt.getValueAtPercentile(50), p99: rtt.getValueAtPercentile(99), p999: rtt.getValueAtPercentile(99.9) },
    clockSkewSamples: skew,
    consumerSleeps: queueStats(ping).consumerWaits,
  };
}

class Count implements RecordHandler {
  n = 0;
  last = 0;
  bad = 0;
  private readonly f = new StatusFlyweight();
  onRecord(buf: RecordBuffer, offset: number): void {
    const s = this.f.wrap(buf, offset).c.seq;
    if (s !== this.last + 1) this.bad++;
    this.last = s;
    this.n++;
  }
}

async function throughput(batch: number): Promise<{ eventsPerS: number; events: number; fullCount: number }> {
  const ring = createQueue(1 << 20);
  const ctlSab = new SharedArrayBuffer(64);
  const ctl = new Int32Array(ctlSab);
  const w = startWorker({ role: 'blast', scheme: 'spinwait', ping: ring, pong: ring, ctl: ctlSab, batch, spinN: SPIN_N });
  const join = joiner(w);
  const c = new SpscConsumer(ring, { strategy: WaitStrategy.SpinThenWait, spinIterations: 1000 });
  const h = new Count();
  const readyBy = performance.now() + 20_000;
  while (Atomics.load(ctl, READY) === 0) {
    if (performance.now() > readyBy) throw new Error('blast worker did not start');
    await new Promise((r) => setTimeout(r, 5));
  }
  // Time from the first record seen, so worker start-up is excluded.
  while (c.poll(h, 1) === 0) c.awaitData(1_000);
  const t0 = performance.now();
  const n0 = h.n;
  const deadline = t0 + THROUGHPUT_BUDGET_MS;
  while (h.n < THROUGHPUT_MAX) {
    if (c.poll(h, 4096) === 0) c.awaitData(10);
    if ((h.n & 0xffff) < 4096 && performance.now() > deadline) break;
  }
  const elapsed = performance.now() - t0;
  const events = h.n - n0;
  Atomics.store(ctl, STOP, 1);
  while (Atomics.load(ctl, DONE) === 0) {
    c.poll(h);
    c.awaitData(5);
  }
  c.poll(h);
  await join();
  if (h.bad !== 0) throw new Error(`throughput: ${h.bad} sequence errors`);
  return { eventsPerS: (events / elapsed) * 1000, events, fullCount: queueStats(ring).fullCount };
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const results: Record<string, number | string> = {};
  console.log(`ipc bench: ${RECORD}-byte records; spinwait N=${SPIN_N}; clock calibration error <= ${clockCalibrationErrorNs().toFixed(0)} ns (main thread)`);
  console.log('scheme      samples  one-way p50    p99     p99.9   max      | rtt p50   p99      p99.9   | skew<0  echo sleeps');
  const lat: LatencyResult[] = [];
  for (const s of SCHEMES) {
    const r = await latency(s);
    lat.push(r);
    const o = r.oneWay;
    console.log(
      `${s.padEnd(10)} ${String(r.samples).padStart(8)}  ${ns(o.p50)} ${ns(o.p99)} ${ns(o.p999)} ${ns(o.max)} | ` +
        `${ns(r.rtt.p50)} ${ns(r.rtt.p99)} ${ns(r.rtt.p999)} | ${String(r.clockSkewSamples).padStart(6)}  ${r.consumerSleeps}`,
    );
    results[`ipc_${s}_p50_ns`] = o.p50;
    results[`ipc_${s}_p99_ns`] = o.p99;
    results[`ipc_${s}_p999_ns`] = o.p999;
    results[`ipc_${s}_rtt_p50_ns`] = r.rtt.p50;
    results[`ipc_${s}_samples`] = r.samples;
  }
  const tp1 = await throughput(1);
  const tp64 = await throughput(64);
  console.log(
    `throughput: ${(tp1.eventsPerS / 1e6).toFixed(2)} M events/s publish-per-record (${tp1.events} events, ring full ${tp1.fullCount}x); ` +
      `${(tp64.eventsPerS / 1e6).toFixed(2)} M events/s publishing every 64`,
  );
  const measured = lat.filter((r) => r.samples >= 100);
  const fastest = [...measured].sort((a, b) => a.oneWay.p50 - b.oneWay.p50)[0];
  const steadiest = [...measured].sort((a, b) => a.oneWay.p99 - b.oneWay.p99)[0];
  console.log(
    `fastest p50: ${fastest?.scheme ?? 'n/a'}; lowest p99: ${steadiest?.scheme ?? 'n/a'} ` +
      `(schemes with >= 100 samples); run ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  results.ipc_throughput_events_per_s = Math.round(tp1.eventsPerS);
  results.ipc_throughput_batched_events_per_s = Math.round(tp64.eventsPerS);
  results.ipc_fastest_p50_scheme = fastest?.scheme ?? 'n/a';
  results.ipc_lowest_p99_scheme = steadiest?.scheme ?? 'n/a';
  results.ipc_clock_calibration_error_ns = Math.round(clockCalibrationErrorNs());
  if (JSON_OUT) console.log(JSON.stringify(results));
}

function ns(v: number): string {
  const s = v >= 1e6 ? `${(v / 1e6).toFixed(2)}ms` : v >= 1e3 ? `${(v / 1e3).toFixed(1)}us` : `${v}ns`;
  return s.padStart(8);
}

if (isMainThread) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
} else {
  const d = workerData as WorkerInput;
  if (d.role === 'echo') void echoWorker(d);
  else blastWorker(d);
}
