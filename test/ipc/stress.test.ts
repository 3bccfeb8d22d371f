/**
 * Two real worker threads sharing the queues. Figures are printed, never asserted (bench/ owns
 * performance); the assertions are about loss, order and accounting.
 */
import { describe, expect, it } from 'vitest';
import {
  createMarketDataChannel,
  createNeverDropChannel,
  queueStats,
  SpscProducer,
  StatusFlyweight,
} from '../../src/ipc/index.js';
import { firstMessage, fixturePath, startTsWorker } from './fixtures/launch.js';
import type { StressInput } from './fixtures/stress-worker.js';

const WORKER = fixturePath('./stress-worker.ts');
const TIMEOUT_MS = 50_000;

function run<T>(input: StressInput): Promise<T> {
  const w = startTsWorker(WORKER, { workerData: input });
  return firstMessage<T>(w, TIMEOUT_MS + 5_000, input.role);
}

interface NdProducerResult { ms: number; backlogged: number; refused: number; waits: number; error?: string }
interface NdConsumerResult { ms: number; received: number; lastSeq: number; errors: number; firstError: string; error?: string }

describe('stress: two worker threads', () => {
  it('never-drop queue: 10,000,000 records, zero loss, strictly increasing sequence', async () => {
    const count = 10_000_000;
    const queue = createNeverDropChannel(1 << 20);
    const ctl = new SharedArrayBuffer(64);
    const base = { ctl, queue, count, timeoutMs: TIMEOUT_MS };
    const [p, c] = await Promise.all([
      run<NdProducerResult>({ ...base, role: 'nd-producer' }),
      run<NdConsumerResult>({ ...base, role: 'nd-consumer' }),
    ]);
    const stats = queueStats(queue);
    console.log(
      `[ipc stress] never-drop: ${count} records in ${c.ms.toFixed(0)} ms ` +
        `(${((count / c.ms) * 1000 / 1e6).toFixed(2)} M/s); ring full ${stats.fullCount}x, ` +
        `backlogged ${p.backlogged}, producer sleeps ${stats.producerWaits}, consumer sleeps ${stats.consumerWaits}`,
    );
    expect(p.error).toBeUndefined();
    expect(c.error).toBeUndefined();
    expect(c.firstError).toBe('');
    expect(c.errors).toBe(0);
    expect(c.received).toBe(count);
    expect(c.lastSeq).toBe(count);
    expect(stats.usedBytes).toBe(0);
  }, 60_000);

  it('market data with a slow consumer: conflation happens, is reported per instrument, and loses no state', async () => {
    const count = 2_000_000;
    const instruments = 8;
    const md = createMarketDataChannel({ capacity: 1 << 16, instruments, highWaterBytes: 1 << 15 });
    const ctl = new SharedArrayBuffer(64 + 8 * instruments);
    const base = { ctl, md, count, instruments, timeoutMs: TIMEOUT_MS };
    const [p, c] = await Promise.all([
      run<{ ms: number; queued: number; conflated: number; perInstrument: number[]; error?: string }>({
        ...base,
        role: 'md-producer',
      }),
      run<{
        ms: number;
        queued: number;
        conflatedDeliveries: number;
        conflatedUpdates: number;
        orderViolations: number;
        torn: number;
        seqlockRetries: number;
        lastSeq: number[];
        expectedLast: number[];
        perInstrument: number[];
        error?: string;
      }>({ ...base, role: 'md-consumer' }),
    ]);
    console.log(
      `[ipc stress] market data: ${count} updates; queued ${p.queued}, conflated ${p.conflated} ` +
        `(${c.conflatedDeliveries} conflated deliveries, ${c.seqlockRetries} seqlock retries); ` +
        `per instrument ${JSON.stringify(c.perInstrument)}; producer ${p.ms.toFixed(0)} ms, consumer ${c.ms.toFixed(0)} ms`,
    );
    expect(p.error).toBeUndefined();
    expect(c.error).toBeUndefined();
    expect(c.torn).toBe(0);
    expect(c.orderViolations).toBe(0);
    // The latest state of every instrument reached the consumer.
    expect(c.lastSeq).toEqual(c.expectedLast);
    expect(c.expectedLast.every((s) => s > 0)).toBe(true);
    // Every update is accounted for: delivered from the ring, or folded into a reported conflation.
    expect(c.queued).toBe(p.queued);
    expect(c.conflatedUpdates).toBe(p.conflated);
    expect(p.queued + p.conflated).toBe(count);
    // The slow consumer really fell behind, for every instrument, and the counts agree on both sides.
    expect(p.conflated).toBeGreaterThan(count / 2);
    expect(c.perInstrument).toEqual(p.perInstrument);
    expect(c.perInstrument.every((n) => n > 0)).toBe(true);
  }, 60_000);

  it('a waitAsync consumer in an otherwise idle worker is woken by the producer (event loop kept alive)', async () => {
    const queue = createNeverDropChannel(1 << 12);
    const ctlSab = new SharedArrayBuffer(64);
    const ctl = new Int32Array(ctlSab);
    const result = run<{ received: number; errors: number; lastSeq: number; error?: string }>({
      role: 'async-consumer',
      ctl: ctlSab,
      queue,
      count: 3,
      timeoutMs: 20_000,
    });
    result.catch(() => undefined); // awaited below; avoid an unhandled rejection while we set up
    const readyBy = Date.now() + 20_000;
    while (Atomics.load(ctl, 0) === 0 && Date.now() < readyBy) await new Promise((r) => setTimeout(r, 10));
    const p = new SpscProducer(queue);
    const f = new StatusFlyweight();
    for (let seq = 1; seq <= 3; seq++) {
      await new Promise((r) => setTimeout(r, 100)); // let the worker fall asleep each time
      expect(p.tryClaim(56)).toBe(true);
      f.wrapForWrite(p.buffer, p.claimedOffset, 56).c.seq = seq;
      f.instrumentId = (seq ^ 0x5a5a5a5a) >>> 0;
      p.commit();
    }
    const r = await result;
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ received: 3, errors: 0, lastSeq: 3 });
    expect(queueStats(queue).notifyCount).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
