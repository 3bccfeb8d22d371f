/**
 * Times an in-process RttClient: warm-up, then `count` round trips with up to `window` in flight,
 * optionally paced at a target rate. Every in-process series (jspurefix, kfix) goes through this
 * one function, so their figures differ only by the engine under test.
 */
import type { RttClient, RttRunOptions, RttRunResult } from './types.js';

export function nowNs(): number {
  return performance.now() * 1e6;
}

/**
 * Waits until the monotonic clock reaches `dueNs` without blocking I/O: a timer for the bulk,
 * then setImmediate turns (each lets the event loop poll sockets) for the last millisecond.
 */
async function waitUntil(dueNs: number): Promise<void> {
  let remainingMs = (dueNs - nowNs()) / 1e6;
  if (remainingMs > 1.5) await new Promise<void>((r) => setTimeout(r, remainingMs - 1));
  while ((remainingMs = (dueNs - nowNs()) / 1e6) > 0) await new Promise<void>((r) => setImmediate(r));
}

/** Runs warm-up and measured round trips on a connected client. */
export async function measureClient(client: RttClient, o: RttRunOptions): Promise<RttRunResult> {
  const notes: string[] = [];
  const window = Math.max(1, Math.min(o.window, client.maxInFlight));
  if (window < o.window) notes.push(`window capped at ${window} (client maxInFlight)`);
  // Warm-up is bounded in time too (a third of the measured budget, at least 1 s), so a slow
  // engine on a loaded machine cannot spend the run warming up.
  const warmupEnd = nowNs() + Math.max(1_000, (o.durationMs || 3_000) / 3) * 1e6;
  let warmed = 0;
  while (warmed < o.warmup && (warmed < 10 || nowNs() < warmupEnd)) {
    await client.roundTrip();
    warmed++;
  }
  if (warmed < o.warmup) notes.push(`warm-up cut to ${warmed} round trips by its time bound`);

  const samples = new Float64Array(o.count);
  const intervalNs = o.rateHz > 0 ? 1e9 / o.rateHz : 0;
  let next = 0;
  let stopped = false;
  const t0 = nowNs();
  const stopAt = o.durationMs > 0 ? t0 + o.durationMs * 1e6 : Number.POSITIVE_INFINITY;
  let lastDone = t0;

  // Each lane keeps one order in flight; `window` lanes give the pipelined mode.
  const lane = async (): Promise<void> => {
    for (;;) {
      if (stopped) return;
      const i = next++;
      if (i >= o.count) return;
      if (intervalNs > 0) await waitUntil(t0 + i * intervalNs);
      samples[i] = await client.roundTrip();
      const t = nowNs();
      if (t > lastDone) lastDone = t;
      if (t >= stopAt) stopped = true;
    }
  };
  const lanes: Promise<void>[] = [];
  for (let w = 0; w < window; w++) lanes.push(lane());
  await Promise.all(lanes);
  const measured = Math.min(next, o.count);
  if (measured < o.count) notes.push(`stopped after ${o.durationMs} ms: ${measured} of ${o.count} round trips`);
  return { samplesNs: samples.subarray(0, measured), elapsedNs: lastDone - t0, window, notes };
}

/**
 * connect + measure + close under a hard deadline. The client is always closed; a timeout or an
 * error is rethrown with the series name.
 */
export async function driveClient(name: string, client: RttClient, o: RttRunOptions): Promise<RttRunResult> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name}: did not finish within ${o.timeoutMs} ms`)), o.timeoutMs);
  });
  try {
    return await Promise.race([
      (async () => {
        await client.connect();
        return measureClient(client, o);
      })(),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
    await Promise.race([client.close().catch(() => undefined), new Promise((r) => setTimeout(r, 3_000))]);
  }
}
