/**
 * Same-run reference for the SPSC queue's throughput: the same 56-byte records moved from a worker
 * to the main thread with postMessage (structured clone), the standard Node way. The ipc bench's
 * events/s divided by this one is a ratio that survives a noisy machine.
 *
 *   node dist/bench/gate/postmessage-baseline.js [--json] [--ms 2000]
 *
 * The producer keeps at most WINDOW records un-consumed (a credit counter in a SharedArrayBuffer),
 * as a bounded queue would, so the run measures transfer, not an ever-growing message backlog.
 */
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { BenchArgs } from '../lib/args.js';
import { isMainModule } from '../lib/paths.js';

const RECORD = 56;
const WINDOW = 4096;
const CONSUMED = 0;
const STOP = 1;
const MAX_EVENTS = 50_000_000;

interface ProducerData {
  ctl: SharedArrayBuffer;
}

function producer(): void {
  const ctl = new Int32Array((workerData as ProducerData).ctl);
  const port = parentPort!;
  let sent = 0;
  while (Atomics.load(ctl, STOP) === 0 && sent < MAX_EVENTS) {
    const consumed = Atomics.load(ctl, CONSUMED);
    if (sent - consumed >= WINDOW) {
      Atomics.wait(ctl, CONSUMED, consumed, 5);
      continue;
    }
    const rec = new Uint8Array(RECORD);
    new DataView(rec.buffer).setUint32(0, sent, true);
    port.postMessage(rec);
    sent++;
  }
  port.postMessage('done');
}

export async function measurePostMessage(budgetMs: number): Promise<{ eventsPerS: number; events: number }> {
  const ctlSab = new SharedArrayBuffer(8);
  const ctl = new Int32Array(ctlSab);
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { ctl: ctlSab } satisfies ProducerData });
  let n = 0;
  let t0 = 0;
  let counted = 0;
  let end = 0;
  let bad = 0;
  const done = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: unknown) => {
      if (m === 'done') {
        resolve();
        return;
      }
      const rec = m as Uint8Array;
      if (new DataView(rec.buffer, rec.byteOffset, RECORD).getUint32(0, true) !== n) bad++;
      n++;
      Atomics.store(ctl, CONSUMED, n);
      Atomics.notify(ctl, CONSUMED);
      // Time from the first record, so worker start-up is excluded.
      if (n === 1) t0 = performance.now();
      else if (end === 0 && performance.now() - t0 >= budgetMs) {
        end = performance.now();
        counted = n - 1;
        Atomics.store(ctl, STOP, 1);
      }
    });
    worker.once('error', reject);
    worker.once('exit', () => resolve());
  });
  const hard = setTimeout(() => Atomics.store(ctl, STOP, 1), budgetMs + 20_000);
  await done;
  clearTimeout(hard);
  await worker.terminate();
  if (bad) throw new Error(`postMessage baseline: ${bad} records out of order`);
  if (end === 0) {
    end = performance.now();
    counted = n - 1;
  }
  const elapsed = end - t0;
  return { eventsPerS: elapsed > 0 ? (counted / elapsed) * 1000 : 0, events: counted };
}

async function main(): Promise<void> {
  const args = new BenchArgs();
  const budgetMs = args.number('--ms', 2_000);
  const r = await measurePostMessage(budgetMs);
  console.log(`postMessage baseline: ${(r.eventsPerS / 1e6).toFixed(3)} M events/s (${r.events} ${RECORD}-byte records, window ${WINDOW})`);
  if (args.has('--json')) console.log(JSON.stringify({ postmessage_events_per_s: Math.round(r.eventsPerS), postmessage_events: r.events }));
}

if (!isMainThread) producer();
else if (isMainModule(import.meta.url)) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(`postmessage baseline failed: ${(e as Error).message}`);
      process.exit(1);
    },
  );
}
