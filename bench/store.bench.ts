/**
 * Journal append cost per fsync policy for ~200-byte messages, plus the cost of the coalesced
 * inbound seq update, replay and recovery scan.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/store.bench.js [--json]
 *
 * Each phase is bounded by an operation count and a wall-clock budget (whole run < 20 s). Per-append
 * latency is timed with process.hrtime.bigint (adds ~50-100 ns per sample); appends/s is the
 * count over the phase's wall time. Files live in a temp dir under os.tmpdir() that is removed at
 * the end. 'every' measures this machine's fdatasync, which dominates and varies with the disk.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as hdr from 'hdr-histogram-js';
import { openJournalStore, type FsyncPolicy, type JournalStore } from '../src/store/index.js';

const JSON_OUT = process.argv.includes('--json');
const SOH = '\x01';

/** A pool of distinct ~200-byte NewOrderSingle-like messages, built before timing starts. */
function messagePool(count: number): Buffer[] {
  const pool: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const body =
      `35=D${SOH}34=${100000 + i}${SOH}49=KFIXBENCH${SOH}56=KRAKEN${SOH}52=20240102-03:04:05.123${SOH}` +
      `11=ORD${String(i).padStart(10, '0')}${SOH}55=XBT/USD${SOH}54=1${SOH}38=0.25${SOH}40=2${SOH}44=43000.5${SOH}` +
      `59=1${SOH}60=20240102-03:04:05.123${SOH}58=${'b'.repeat(30)}${SOH}`;
    pool.push(Buffer.from(`8=FIX.4.4${SOH}9=${body.length}${SOH}${body}10=000${SOH}`, 'latin1'));
  }
  return pool;
}

interface PhaseResult {
  appends: number;
  appendsPerS: number;
  p50: number;
  p99: number;
  max: number;
  syncs: number;
}

function appendPhase(dir: string, policy: FsyncPolicy, maxOps: number, budgetMs: number, pool: Buffer[]): PhaseResult {
  const store = openJournalStore({ dir, sessionId: `FIX.4.4:BENCH->${policy.kind}`, fsync: policy });
  const hist = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60e9, numberOfSignificantValueDigits: 3 });
  const deadline = performance.now() + budgetMs;
  const t0 = process.hrtime.bigint();
  let n = 0;
  while (n < maxOps && (n & 63 || performance.now() < deadline)) {
    const m = pool[n % pool.length];
    const seq = store.nextSenderMsgSeqNum();
    const a = process.hrtime.bigint();
    store.recordOutbound(seq, m, 0, m.length, true);
    hist.recordValue(Number(process.hrtime.bigint() - a));
    n++;
  }
  const elapsedNs = Number(process.hrtime.bigint() - t0);
  store.flush();
  const r: PhaseResult = {
    appends: n,
    appendsPerS: Math.round((n * 1e9) / elapsedNs),
    p50: hist.getValueAtPercentile(50),
    p99: hist.getValueAtPercentile(99),
    max: hist.maxValue,
    syncs: store.syncCount,
  };
  store.close();
  return r;
}

function targetPhase(dir: string, ops: number): number {
  const store = openJournalStore({ dir, sessionId: 'FIX.4.4:BENCH->target', fsync: { kind: 'batch', maxMessages: 64, maxDelayMs: 1 } });
  const t0 = process.hrtime.bigint();
  for (let seq = 2; seq < ops + 2; seq++) store.setNextTargetMsgSeqNum(seq);
  const ns = Number(process.hrtime.bigint() - t0) / ops;
  store.close();
  return ns;
}

function replayAndScanPhase(dir: string, count: number, pool: Buffer[]): { replayPerS: number; scanMBPerS: number; fileMB: number } {
  const id = 'FIX.4.4:BENCH->replay';
  let store: JournalStore = openJournalStore({ dir, sessionId: id, fsync: { kind: 'none' } });
  for (let i = 0; i < count; i++) store.recordOutbound(i + 1, pool[i % pool.length], 0, pool[i % pool.length].length, true);
  let bytes = 0;
  let t0 = process.hrtime.bigint();
  store.replay(1, 0, (_seq, b) => (bytes += b.length));
  const replayNs = Number(process.hrtime.bigint() - t0);
  const fileBytes = store.fileSize();
  store.close();
  t0 = process.hrtime.bigint();
  store = openJournalStore({ dir, sessionId: id, fsync: { kind: 'none' } });
  const scanNs = Number(process.hrtime.bigint() - t0);
  if (store.nextSenderMsgSeqNum() !== count + 1 || bytes === 0) throw new Error('bench: replay/scan mismatch');
  store.close();
  return {
    replayPerS: Math.round((count * 1e9) / replayNs),
    scanMBPerS: Math.round(fileBytes / 1e6 / (scanNs / 1e9)),
    fileMB: Math.round(fileBytes / 1e5) / 10,
  };
}

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfix-store-bench-'));
  try {
    const pool = messagePool(1024);
    const avgLen = Math.round(pool.reduce((s, b) => s + b.length, 0) / pool.length);
    appendPhase(path.join(dir, 'warm'), { kind: 'none' }, 50_000, 1000, pool); // JIT warm-up

    const every = appendPhase(path.join(dir, 'every'), { kind: 'every' }, 20_000, 3000, pool);
    const batch = appendPhase(path.join(dir, 'batch'), { kind: 'batch', maxMessages: 64, maxDelayMs: 1 }, 300_000, 3000, pool);
    const none = appendPhase(path.join(dir, 'none'), { kind: 'none' }, 500_000, 2000, pool);
    const targetNs = targetPhase(path.join(dir, 'target'), 2_000_000);
    const rs = replayAndScanPhase(path.join(dir, 'replay'), 100_000, pool);

    const row = (name: string, r: PhaseResult) =>
      `${name.padEnd(22)} ${String(r.appends).padStart(8)} appends  ${String(r.appendsPerS).padStart(9)} appends/s  ` +
      `p50 ${String(r.p50).padStart(9)} ns  p99 ${String(r.p99).padStart(9)} ns  max ${String(r.max).padStart(10)} ns  fdatasyncs ${r.syncs}`;
    console.log(`store append, ${avgLen}-byte messages, temp dir on ${os.tmpdir()}`);
    console.log(row('every', every));
    console.log(row('batch (64 msgs / 1 ms)', batch));
    console.log(row('none', none));
    console.log(`setNextTargetMsgSeqNum (coalesced)  ${targetNs.toFixed(1)} ns/op`);
    console.log(`replay                 ${rs.replayPerS} msgs/s over ${rs.fileMB} MB`);
    console.log(`open + recovery scan   ${rs.scanMBPerS} MB/s`);
    if (JSON_OUT) {
      console.log(
        JSON.stringify({
          store_every_appends_per_s: every.appendsPerS,
          store_batch_appends_per_s: batch.appendsPerS,
          store_none_appends_per_s: none.appendsPerS,
          store_every_p50_ns: every.p50,
          store_every_p99_ns: every.p99,
          store_batch_p50_ns: batch.p50,
          store_batch_p99_ns: batch.p99,
          store_none_p50_ns: none.p50,
          store_none_p99_ns: none.p99,
          store_target_set_ns: Math.round(targetNs * 10) / 10,
          store_replay_msgs_per_s: rs.replayPerS,
          store_scan_mb_per_s: rs.scanMBPerS,
        }),
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
