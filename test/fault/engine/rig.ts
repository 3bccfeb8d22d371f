/**
 * Test rig of the engine fault campaign: the Kraken simulator (system clock, free ports, venue ledger
 * on), the seeded fault proxy in front of its Spot trading port, and our real engine (startEngine)
 * running order-strategy.ts against the proxy with a durable journal store and 141=N logons, so
 * sequence numbers and missed ExecutionReports survive a reconnect.
 *
 * Recovery model: the engine's trading session does not reconnect by itself (a dropped connection
 * leaves it 'disconnected'), so the rig plays the supervisor: it stops that engine and starts a new
 * one on the same journal directory, as a process manager restarting `kfix run` would. The strategy's
 * budget and log live outside the engine (a SharedArrayBuffer and a file), so the restarted strategy
 * carries on where the old one stopped.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEngine, type EngineConfig, type EngineHandle, type StrategyMode } from '../../../src/engine/index.js';
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
        this.engine = await startEngine(this.engineConfig(extra), { onError: (e) => this.errors.push(`${e.source}: ${e.message}`) });
        this.engineStarts++;
        return this.engine;
      } catch (err) {
        last = err as Error;
        await sleep(50);
      }
    }
    throw new Error(`engine did not log on after ${attempts} attempts: ${last?.message}`);
  }

  get disconnected(): boolean {
    const h = this.engine?.health();
    return h !== undefined && (h.state === 'disconnected' || h.state === 'failed');
  }

  /** Waits until the engine lost its session, then records what the venue still has open for us. */
  async awaitDisconnect(ms = 8_000): Promise<void> {
    await until(() => this.disconnected, 'the engine to see the disconnect', ms);
    // The venue sees the close a moment later; cancel-on-disconnect runs when it does.
    await sleep(60);
    this.openAfterDisconnect.push(this.sim.orders(ALICE.senderCompID).filter((o) => o.open).length);
  }

  /** The supervisor's move: stop the dead engine, start a new one on the same journal. */
  async recover(extra: Partial<EngineConfig> = {}): Promise<EngineHandle> {
    await this.engine?.stop();
    this.engine = null;
    return this.startEngine(extra);
  }

  placed(): number {
    return Atomics.load(this.ctl, 0);
  }

  /** Waits until the strategy placed `n` orders and the venue answered each (or `ms` passed). */
  async awaitPlaced(n: number, ms = 8_000): Promise<void> {
    await until(() => this.placed() >= n, `${n} orders placed (have ${this.placed()})`, ms);
  }

  /**
   * Runs the engine until the strategy placed `budget` orders, playing the supervisor on every
   * disconnect (at most `maxRecoveries`; `recoverWith` picks the next engine's config overrides).
   */
  async drive(budget: number, o: { maxRecoveries?: number; recoverWith?: () => Partial<EngineConfig>; ms?: number; until?: () => boolean } = {}): Promise<void> {
    if (this.engine === null) await this.startEngine();
    const deadline = Date.now() + (o.ms ?? 15_000);
    while (this.placed() < budget && !(o.until?.() ?? false)) {
      if (Date.now() > deadline) throw new Error(`drive: ${this.placed()}/${budget} orders placed in time`);
      await this.recoverIfDown(o);
      await sleep(5);
    }
  }

  recoveries = 0;

  private async recoverIfDown(o: { maxRecoveries?: number; recoverWith?: () => Partial<EngineConfig> }): Promise<void> {
    if (!this.disconnected) return;
    await this.awaitDisconnect();
    if (this.recoveries++ >= (o.maxRecoveries ?? 3)) throw new Error(`more than ${o.maxRecoveries ?? 3} disconnects; errors: ${this.errors.join('; ')}`);
    await this.recover(o.recoverWith?.() ?? {});
  }

  /**
   * End of a scenario: the strategy mass-cancels, then the rig waits until nothing of ours is open at
   * the venue and every report the venue produced reached the strategy (bounded; recovering from a
   * disconnect like drive), and stops the engine.
   */
  async drain(o: { maxRecoveries?: number; recoverWith?: () => Partial<EngineConfig>; ms?: number } = {}): Promise<void> {
    Atomics.store(this.ctl, 1, 1);
    const deadline = Date.now() + (o.ms ?? 8_000);
    // Done when nothing of ours is open, no report is missing, and the strategy log has been quiet
    // for 60 ms (venue rejects are not in the ledger; an order still in flight may be booked late).
    let quietSince = Date.now();
    let size = -1;
    while (Date.now() < deadline) {
      await this.recoverIfDown(o);
      const now = this.logSize();
      if (now !== size) quietSince = Date.now();
      size = now;
      const open = this.sim.orders(ALICE.senderCompID).filter((x) => x.open).length;
      if (open > 0 || this.missingReports() > 0) quietSince = Date.now();
      else if (Date.now() - quietSince >= 60) break;
      await sleep(10);
    }
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

  check(): CheckResult {
    return checkInvariants(this.log(), { orders: this.sim.orders(ALICE.senderCompID), executions: this.sim.executions(ALICE.senderCompID) }, this.openAfterDisconnect);
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
