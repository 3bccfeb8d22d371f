/**
 * Test rig of the engine fault campaign: the Kraken simulator (system clock, free ports, venue ledger
 * on), the seeded fault proxy in front of its Spot trading port, and our real engine (startEngine)
 * running order-strategy.ts against the proxy with a durable journal store and 141=N logons, so
 * sequence numbers and missed ExecutionReports survive a reconnect.
 *
 * Recovery model: the engine reconnects by itself (config reconnect, on by default): after a drop it
 * redials with backoff and logs on again continuing its sequence numbers; the venue replays the reports
 * we missed, and the commands it missed are gap-filled and reported to the strategy as not delivered.
 * The rig only watches (Rig.watch): it counts the engine's reconnects and, after each drop, checks
 * cancel-on-disconnect at the venue. Only the SIGKILL scenario restarts a process
 * (child.ts), as a process manager restarting `kfix run` would. The strategy's budget and log live
 * outside the engine (a SharedArrayBuffer and a file), so a restarted strategy carries on.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClockOffset, startEngine, type EngineConfig, type EngineCounters, type EngineHandle, type StrategyMode } from '../../../src/engine/index.js';
import type { InstrumentSpec } from '../../../src/kraken/index.js';
import { DEFAULT_ACCOUNTS, TARGET_COMP_IDS, startKrakenSimulator, type SimulatorHandle, type SimulatorStartOptions } from '../../../src/sim/index.js';
import { FaultProxy, type Scenario } from '../proxy.js';
import { checkInvariants, parseStrategyLog, type CheckResult, type StrategyLog } from './invariants.js';

export const STRATEGY = fileURLToPath(new URL('./order-strategy.ts', import.meta.url));
export const ALICE = DEFAULT_ACCOUNTS[0]!.spot!;
export const FREE_PORTS = { spotMd: 0, spotTrading: 0, derivMd: 0, derivTrading: 0, derivMdL3: 0, spotMdL3: 0 };

/** XBT/USD as the simulator lists it (tick 0.1, lot 1e-8, min 0.0001). */
export const XBT_USD: InstrumentSpec = {
  symbol: 'XBT/USD', venue: 'spot', tickSize: '0.1', priceDecimals: 1, qtyIncrement: '0.00000001', qtyDecimals: 8, qtyMin: '0.0001', qtyMax: '10000', minCost: '0.5',
};

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function until(cond: () => boolean, what: string, ms = 8_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await sleep(5);
  }
}

export interface RigOptions {
  scenario: Scenario;
  sim?: SimulatorStartOptions;
  /** Strategy params beyond logPath/control (orders, perTick, cancelEvery, fault...). */
  params?: Record<string, unknown>;
  mode?: StrategyMode;
  engine?: Partial<EngineConfig>;
}

/** The engine configuration every campaign engine runs with (in this process or in child.ts). */
export function campaignEngineConfig(o: {
  port: number;
  journalDir: string;
  logPath: string;
  control: SharedArrayBuffer;
  mode?: StrategyMode;
  params?: Record<string, unknown>;
  extra?: Partial<EngineConfig>;
}): EngineConfig {
  return {
    port: o.port,
    senderCompID: ALICE.senderCompID,
    targetCompID: TARGET_COMP_IDS.spotTrading,
    credentials: { apiKey: ALICE.apiKey, secretBase64: ALICE.apiSecret },
    heartBtIntSec: 5,
    // 141=N with a durable journal: reports the venue sent while we were away are replayed.
    resetSeqNumOnLogon: false,
    store: { kind: 'journal', dir: o.journalDir },
    instruments: [XBT_USD],
    strategies: [{ name: 'orders', module: STRATEGY, mode: o.mode ?? 'inline', params: { logPath: o.logPath, control: o.control, ...o.params } }],
    logonTimeoutMs: 5_000,
    restartBackoffMs: 20,
    // The engine's own reconnect, quick for tests (the first delay is jittered down to half of this).
    reconnectMs: 100,
    reconnectMaxMs: 1_000,
    ...o.extra,
  };
}

export class Rig {
  readonly dir: string;
  readonly logPath: string;
  readonly journalDir: string;
  /** Int32: [0] placed, [1] cancel-all request, [2] ERs seen, [3] faults injected. */
  readonly control = new SharedArrayBuffer(16);
  readonly ctl = new Int32Array(this.control);
  engine: EngineHandle | null = null;
  engineStarts = 0;
  /** Venue open orders of our session right after each disconnect (cancel-on-disconnect check). */
  readonly openAfterDisconnect: number[] = [];
  readonly errors: string[] = [];
  /** The engine's wall-clock offset (EngineOptions.clockOffset): scenarios move the engine in time. */
  readonly clock = new ClockOffset();
  /** Drops of the trading session the rig has seen (engine counter `disconnects`). */
  disconnectsSeen = 0;

  private constructor(readonly sim: SimulatorHandle, readonly proxy: FaultProxy, readonly options: RigOptions) {
    this.dir = mkdtempSync(join(tmpdir(), 'kfix-fault-engine-'));
    this.logPath = join(this.dir, 'strategy.log');
    this.journalDir = join(this.dir, 'journal');
  }

  static async start(options: RigOptions): Promise<Rig> {
    const sim = await startKrakenSimulator({ ports: FREE_PORTS, flow: { enabled: false }, tickMs: 20, seed: options.scenario.seed, ledger: true, ...options.sim });
    try {
      const proxy = await FaultProxy.start({ upstreamPort: sim.ports.spotTrading, scenario: options.scenario, idleTimeoutMs: 20_000, maxLifetimeMs: 60_000 });
      return new Rig(sim, proxy, options);
    } catch (err) {
      await sim.close();
      throw err;
    }
  }

  engineConfig(extra: Partial<EngineConfig> = {}): EngineConfig {
    return campaignEngineConfig({ port: this.proxy.port, journalDir: this.journalDir, logPath: this.logPath, control: this.control, mode: this.options.mode, params: this.options.params, extra: { ...this.options.engine, ...extra } });
  }

  /** Starts an engine (retrying while the venue refuses or is down); resolves once logged on. */
  async startEngine(extra: Partial<EngineConfig> = {}, attempts = 20): Promise<EngineHandle> {
    let last: Error | null = null;
    for (let i = 0; i < attempts; i++) {
      try {
        this.engine = await startEngine(this.engineConfig(extra), { onError: (e) => this.errors.push(`${e.source}: ${e.message}`), clockOffset: this.clock.sab });
        this.engineStarts++;
        return this.engine;
      } catch (err) {
        last = err as Error;
        await sleep(50);
      }
    }
    throw new Error(`engine did not log on after ${attempts} attempts: ${last?.message}`);
  }

  /** The engine gave up (reconnect off or refused logons) or its worker died. */
  get down(): boolean {
    const h = this.engine?.health();
    return h !== undefined && (h.state === 'disconnected' || h.state === 'failed');
  }

  /** Times the engine logged on again by itself (last seen; kept after the engine stopped). */
  recoveries = 0;
  /** Engine counters as last seen (kept after the engine stopped). */
  lastCounters: EngineCounters | null = null;

  private sample(): void {
    if (this.engine === null) return;
    this.lastCounters = this.engine.counters();
    this.recoveries = this.lastCounters.reconnects;
  }

  /**
   * One look at the engine: fails when it gave up, and after each new drop records how many orders
   * placed before the drop the venue still holds open (cancel-on-disconnect). Orders placed after it
   * (the engine may already be back) have higher ClOrdIDs and are not counted.
   */
  async watch(maxRecoveries: number): Promise<void> {
    if (this.engine === null) return;
    if (this.down) throw new Error(`the engine gave up: ${this.errors.join('; ')}`);
    this.sample();
    const drops = this.lastCounters!.disconnects;
    if (drops > this.disconnectsSeen) {
      this.disconnectsSeen = drops;
      const placed = this.log().placed;
      const bound = placed.length === 0 ? 0n : placed.map((id) => BigInt(id)).reduce((a, b) => (a > b ? a : b));
      // The venue sees the close a moment later; cancel-on-disconnect runs when it does.
      await sleep(60);
      this.openAfterDisconnect.push(this.sim.orders(ALICE.senderCompID).filter((o) => o.open && /^\d+$/.test(o.clOrdID) && BigInt(o.clOrdID) <= bound).length);
    }
    if (this.recoveries > maxRecoveries) throw new Error(`more than ${maxRecoveries} reconnects; errors: ${this.errors.join('; ')}`);
  }

  placed(): number {
    return Atomics.load(this.ctl, 0);
  }

  /** Waits until the strategy placed `n` orders and the venue answered each (or `ms` passed). */
  async awaitPlaced(n: number, ms = 8_000): Promise<void> {
    await until(() => this.placed() >= n, `${n} orders placed (have ${this.placed()})`, ms);
  }

  /**
   * Runs the engine until the strategy placed `budget` orders, watching it reconnect by itself after
   * every drop (at most `maxRecoveries` reconnects).
   */
  async drive(budget: number, o: { maxRecoveries?: number; ms?: number; until?: () => boolean } = {}): Promise<void> {
    if (this.engine === null) await this.startEngine();
    const deadline = Date.now() + (o.ms ?? 15_000);
    while (this.placed() < budget && !(o.until?.() ?? false)) {
      if (Date.now() > deadline) throw new Error(`drive: ${this.placed()}/${budget} orders placed in time (engine ${this.engine?.health().state}; errors: ${this.errors.join('; ')})`);
      await this.watch(o.maxRecoveries ?? 3);
      await sleep(5);
    }
  }

  /**
   * End of a scenario: the strategy mass-cancels, then the rig waits until nothing of ours is open at
   * the venue and every report the venue produced reached the strategy (bounded; watching reconnects
   * like drive), and stops the engine.
   */
  async drain(o: { maxRecoveries?: number; ms?: number } = {}): Promise<void> {
    Atomics.store(this.ctl, 1, 1);
    const deadline = Date.now() + (o.ms ?? 8_000);
    // Done when the session is up, nothing of ours is open, no report is missing, and the strategy log
    // has been quiet for 60 ms (venue rejects are not in the ledger; an order in flight may be booked late).
    let quietSince = Date.now();
    let size = -1;
    while (Date.now() < deadline) {
      await this.watch(o.maxRecoveries ?? 3);
      const now = this.logSize();
      if (now !== size) quietSince = Date.now();
      size = now;
      const open = this.sim.orders(ALICE.senderCompID).filter((x) => x.open).length;
      if (open > 0 || this.missingReports() > 0 || this.engine?.health().state !== 'running') quietSince = Date.now();
      else if (Date.now() - quietSince >= 60) break;
      await sleep(10);
    }
    this.sample();
    await this.engine?.stop();
    this.engine = null;
  }

  private missingReports(): number {
    const seen = new Set(this.log().reports.map((r) => r.execID));
    return this.sim.executions(ALICE.senderCompID).filter((e) => !seen.has(e.execID)).length;
  }

  private logSize(): number {
    try {
      return statSync(this.logPath).size;
    } catch {
      return 0;
    }
  }

  log(): StrategyLog {
    let text = '';
    try {
      text = readFileSync(this.logPath, 'latin1');
    } catch {
      // nothing logged yet
    }
    return parseStrategyLog(text);
  }

  check(o: { allowUnbooked?: boolean } = {}): CheckResult {
    return checkInvariants(this.log(), { orders: this.sim.orders(ALICE.senderCompID), executions: this.sim.executions(ALICE.senderCompID) }, this.openAfterDisconnect, o);
  }

  async close(): Promise<void> {
    try {
      await this.engine?.stop();
    } finally {
      this.engine = null;
      await this.proxy.close();
      await this.sim.close();
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
