/**
 * `kfix start` / `npm start`: the whole system on one box for a few seconds. The Kraken simulator runs
 * on free 127.0.0.1 ports with a seeded synthetic order flow; the engine logs on as the simulator's test
 * account ALICE (signed trading logon, separate market-data session) and runs the example market maker
 * (worker thread, XBT/USD) and imbalance taker (inline on the hot path, ETH/USD) against that flow.
 * Then everything stops and a summary is printed: orders, fills, rejects, cancels/amends, the engine's
 * latency percentiles and the simulator's own per-order processing time.
 * Exit code 0 when orders were acknowledged and filled; 1 with a reason otherwise.
 */
import { fileURLToPath } from 'node:url';
import { Interval, startEngine, type EngineCounters, type EngineHandle, type Percentiles } from '../engine/index.js';
import { DEFAULT_ACCOUNTS, startKrakenSimulator, TARGET_COMP_IDS, type SimulatorHandle, type SimulatorStats } from '../sim/index.js';
import { isTypeScript } from '../strategy/loader.js';
import { simulatorInstruments } from './run.js';

export interface StartOptions {
  /** How long the strategies trade after the warm-up. Default 5000 ms. */
  durationMs?: number;
  /**
   * Trading before latency is measured (default 1000 ms): worker strategies start after logon, so the
   * first book updates wait in their queues for the thread to come up; that start-up is not latency.
   */
  warmUpMs?: number;
  /** Simulator seed (order ids and synthetic flow). Default 42. */
  seed?: number;
  log?: (line: string) => void;
}

const SYMBOLS = ['XBT/USD', 'ETH/USD'];
const STEP_TIMEOUT_MS = 15_000;

/** Example strategy module: compiled .js next to this file's build, the .ts source under tsx/vitest. */
function exampleModule(name: string): string {
  const ext = isTypeScript(import.meta.url) ? 'ts' : 'js';
  return fileURLToPath(new URL(`../../examples/strategies/${name}.${ext}`, import.meta.url));
}

function withTimeout<T>(p: Promise<T>, what: string, ms = STEP_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runStart(options: StartOptions = {}): Promise<number> {
  const log = options.log ?? ((line: string) => console.log(line));
  const durationMs = options.durationMs ?? 5_000;
  const warmUpMs = options.warmUpMs ?? 1_000;
  const seed = options.seed ?? 42;
  const alice = DEFAULT_ACCOUNTS.find((a) => a.name === 'alice')!;
  const cred = alice.spot!;
  let sim: SimulatorHandle | undefined;
  let engine: EngineHandle | undefined;
  try {
    sim = await withTimeout(
      startKrakenSimulator({
        host: '127.0.0.1',
        ports: { spotTrading: 0, spotMd: 0, derivTrading: 0, derivMd: 0, derivMdL3: 0, spotMdL3: 0 },
        seed,
        tickMs: 10,
        // A market maker amends often: the 'pro' tier's rate limit (§8) lets it requote every ~100 ms.
        accounts: DEFAULT_ACCOUNTS.map((a) => (a.name === 'alice' ? { ...a, tier: 'pro' as const } : a)),
        flow: { seed, stepMs: 20, actionsPerStep: 3, takeFraction: 0.25 },
      }),
      'starting the simulator',
    );
    log(`kfix start: Kraken simulator on 127.0.0.1 (spot trading :${sim.ports.spotTrading}, spot L2 market data :${sim.ports.spotMd}), seed ${seed}`);
    engine = await withTimeout(
      startEngine({
        host: '127.0.0.1',
        port: sim.ports.spotTrading,
        senderCompID: cred.senderCompID,
        targetCompID: TARGET_COMP_IDS.spotTrading,
        credentials: { apiKey: cred.apiKey, secretBase64: cred.apiSecret },
        marketData: { port: sim.ports.spotMd, senderCompID: cred.senderCompID, targetCompID: TARGET_COMP_IDS.spotMd, depth: 10 },
        instruments: simulatorInstruments(SYMBOLS),
        strategies: [
          {
            name: 'market-maker',
            module: exampleModule('market-maker'),
            mode: 'worker',
            params: { symbol: 'XBT/USD', halfSpreadTicks: 1, minRequoteMs: 100, requoteTicks: 2, maxPositionLots: 5 },
          },
          {
            name: 'imbalance-taker',
            module: exampleModule('imbalance-taker'),
            mode: 'inline',
            params: { symbol: 'ETH/USD', levels: 3, threshold: 0.3, cooldownMs: 100, maxPositionLots: 5 },
          },
        ],
        logonTimeoutMs: 5_000,
      }),
      'starting the engine',
    );
    log(
      `engine logged on as ${cred.senderCompID} (trading ${TARGET_COMP_IDS.spotTrading}, market data ${TARGET_COMP_IDS.spotMd}); ` +
        `market maker (worker, XBT/USD) and imbalance taker (inline, ETH/USD) trading for ${((warmUpMs + durationMs) / 1000).toFixed(1)} s ...`,
    );
    await sleep(warmUpMs);
    engine.resetLatency();
    await sleep(durationMs);
    const health = engine.health();
    await withTimeout(engine.stop(), 'stopping the engine');
    const counters = engine.counters();
    const latency = engine.latency();
    const simStats = sim.stats();
    await withTimeout(sim.close(), 'closing the simulator');
    sim = undefined;

    const pct = (i: number) => latency.percentiles(i);
    printSummary(log, warmUpMs, counters, simStats, {
      roundTrip: pct(Interval.ROUND_TRIP),
      wireToStrategy: pct(Interval.WIRE_TO_STRATEGY),
      strategyToWire: pct(Interval.STRATEGY_TO_WIRE),
      parse: pct(Interval.PARSE),
    });
    const errors = health.errors.filter((e) => e.final || e.source === 'engine');
    for (const e of health.errors) log(`  note: ${e.source}${e.strategy ? ` ${e.strategy}` : ''}: ${e.message}`);
    const failures: string[] = [];
    if (counters.ordersSent === 0) failures.push('no order was sent');
    if (counters.erNew === 0) failures.push('no order was acknowledged');
    if (counters.erFills === 0) failures.push('nothing traded (no fills)');
    if (counters.mdMessages === 0) failures.push('no market data arrived');
    if (errors.length > 0) failures.push(`${errors.length} engine/strategy failure(s)`);
    for (const s of health.strategies) if (s.state === 'failed' || s.state === 'crashed') failures.push(`strategy ${s.name} ${s.state}: ${s.lastError ?? ''}`);
    if (failures.length > 0) {
      log(`kfix start: FAILED: ${failures.join('; ')}`);
      return 1;
    }
    log('kfix start: ok');
    return 0;
  } catch (err) {
    log(`kfix start: FAILED: ${(err as Error).message}`);
    return 1;
  } finally {
    await engine?.stop().catch(() => undefined);
    await sim?.close().catch(() => undefined);
  }
}

interface Latencies {
  roundTrip: Percentiles;
  wireToStrategy: Percentiles;
  strategyToWire: Percentiles;
  parse: Percentiles;
}

function printSummary(log: (l: string) => void, warmUpMs: number, c: EngineCounters, s: SimulatorStats, l: Latencies): void {
  const n = (v: number) => String(Math.round(v));
  log('');
  log('summary');
  log(`  orders sent      ${n(c.ordersSent)} new, ${n(c.amendsSent)} amends, ${n(c.cancelsSent)} cancels, ${n(c.massCancelsSent)} mass cancels`);
  log(`  acknowledged     ${n(c.erNew)} new, ${n(c.erReplaced)} replaced, ${n(c.erCanceled)} canceled`);
  log(`  fills            ${n(c.erFills)}`);
  log(`  rejects          venue ${n(c.erRejected + c.rejectsIn)} (${n(c.erRejected)} order rejects, ${n(c.rejectsIn)} session/business/cancel rejects), local ${n(c.commandsRejected)}`);
  log(`  market data      ${n(c.mdMessages)} messages, ${n(c.mdEntries)} entries, ${n(c.mdConflated)} conflated, ${n(c.mdRequests)} request(s), ${n(c.mdRejects)} rejected`);
  log(`  simulator        ${s.ordersReceived} orders received, ${s.executionReports} execution reports, ${s.rejects} rejects, ${s.rateLimitRejects} rate-limited, ${s.flowOrders} synthetic flow orders`);
  log('');
  log(`latency (µs, after a ${warmUpMs} ms warm-up)   count      p50      p90      p99    p99.9      max`);
  const row = (name: string, p: Percentiles) =>
    log(`  ${name.padEnd(34)}${String(p.count).padStart(7)}${[p.p50_us, p.p90_us, p.p99_us, p.p999_us, p.max_us].map((v) => v.toFixed(1).padStart(9)).join('')}`);
  row('round trip (order -> ack)', l.roundTrip);
  row('wire -> strategy', l.wireToStrategy);
  row('strategy -> wire', l.strategyToWire);
  row('parse (socket read -> parsed)', l.parse);
  const o = s.orderProcessing;
  log(`  simulator per-order processing   ${String(o.count).padStart(7)}${[o.p50Us, NaN, o.p99Us, o.p999Us, o.maxUs].map((v) => (Number.isNaN(v) ? '        -' : v.toFixed(1).padStart(9))).join('')}   (mean ${o.meanUs.toFixed(1)})`);
}
