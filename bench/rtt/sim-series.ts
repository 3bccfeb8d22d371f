/**
 * The kfix_sim and kfix_sim_tls series: our RttClient (src/engine/rtt-client.ts) against our Kraken
 * simulator (src/sim) in a child process (sim-child.ts), on the Derivatives trading port: Kraken logon
 * authentication, COMB UUID ClOrdIDs, IOC limit orders on an empty PF_XBTUSD book (acknowledged with
 * ExecutionReport New, then cancelled, so nothing rests). Plain TCP or TLS 1.3, the client trusting the
 * simulator's self-signed certificate as its CA (verification stays on).
 *
 * Each run (ping-pong, pipelined) gets a fresh simulator, so the simulator's own time per order
 * (SimulatorStats.orderProcessing) reported beside the round trip covers that run only.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRttClient, type RttClientOptions, type RttOrderTemplate } from '../../src/engine/rtt-client.js';
import { Credentials } from '../../src/kraken/credentials.js';
import { DEFAULT_ACCOUNTS, TARGET_COMP_IDS } from '../../src/sim/config.js';
import type { ProcessingTimeStats } from '../../src/sim/stats.js';
import { nodeScriptCommand } from '../lib/paths.js';
import { PeerProcess } from '../lib/process.js';
import { driveClient } from './driver.js';
import type { RttRunOptions, RttRunResult, RttSeries } from './types.js';

/** As bench/sim.bench.ts: an IOC buy far below any price on a book the (disabled) flow leaves empty. */
export const SIM_ORDER: RttOrderTemplate = {
  symbol: 'PF_XBTUSD',
  side: '1',
  orderQty: '0.0010',
  price: '1000',
  timeInForce: '3',
  execInst: 's',
  clOrdID: 'comb-uuid',
};

/** Extra JSON keys of these series (see RttRunResult.metrics). */
export const SIM_METRIC_KEYS = ['processing_p50_us', 'processing_p99_us'] as const;

/** One simulator child process: its port, its certificate (TLS), its stats on request. */
export class SimChild {
  private constructor(
    private readonly proc: PeerProcess,
    readonly port: number,
    /** PEM of the simulator's certificate (TLS only). */
    readonly ca: string | undefined,
  ) {}

  static async start(tlsCertDir: string | null, maxSeconds = 300): Promise<SimChild> {
    const { command, args } = nodeScriptCommand(import.meta.url, 'sim-child');
    const extra = tlsCertDir === null ? [] : ['--tls', '--cert-dir', tlsCertDir];
    const proc = PeerProcess.start(command, [...args, ...extra, '--max-seconds', String(maxSeconds)], `simulator child${tlsCertDir === null ? '' : ' (TLS)'}`);
    try {
      const m = await proc.waitFor(/^(\{"(?:port|error)".*\})$/, 30_000);
      const info = JSON.parse(m[1]!) as { port?: number; certPath?: string; error?: string };
      if (info.error !== undefined) throw new Error(`simulator child failed to start: ${info.error}`);
      if (!(typeof info.port === 'number' && info.port > 0)) throw new Error(`simulator child reported port ${String(info.port)}`);
      if (tlsCertDir !== null && !info.certPath) throw new Error('simulator child serves TLS but reported no certificate');
      return new SimChild(proc, info.port, info.certPath ? readFileSync(info.certPath, 'utf8') : undefined);
    } catch (e) {
      await proc.stop();
      throw e;
    }
  }

  /** The simulator's own time per NewOrderSingle so far. */
  async stats(timeoutMs = 10_000): Promise<ProcessingTimeStats> {
    const from = this.proc.lines.length;
    this.proc.child.stdin!.write('stats\n');
    const m = await this.proc.waitFor(/^\{"stats":(\{.*\})\}$/, timeoutMs, from);
    return JSON.parse(m[1]!) as ProcessingTimeStats;
  }

  stop(): Promise<void> {
    return this.proc.stop();
  }
}

/** RttClient options for the simulator's first derivatives account (its real secret), with overrides. */
export function simClientOptions(port: number, extra: Partial<RttClientOptions> = {}): RttClientOptions {
  const cred = DEFAULT_ACCOUNTS[0]!.derivatives!;
  return {
    host: '127.0.0.1',
    port,
    senderCompID: cred.senderCompID,
    targetCompID: TARGET_COMP_IDS.derivTrading,
    credentials: new Credentials(cred.apiKey, cred.apiSecret),
    order: SIM_ORDER,
    ...extra,
  };
}

export class SimSeries implements RttSeries {
  readonly supportsPipelining = true;
  readonly label: string;
  /** A simulator started ahead of the next run (prepare), so start-up overlaps other series'. */
  private next: SimChild | null = null;
  private certDir: string | null = null;

  constructor(
    readonly id: string,
    private readonly tls: boolean,
  ) {
    this.label = `kfix (src/engine) <-> kfix simulator${tls ? ', TLS 1.3' : ''}`;
  }

  async unavailable(): Promise<string | null> {
    const { args } = nodeScriptCommand(import.meta.url, 'sim-child');
    const script = args[args.length - 1]!;
    return existsSync(script) ? null : `${script} is missing (run npm run build)`;
  }

  async prepare(): Promise<void> {
    this.next ??= await this.startChild();
  }

  async run(o: RttRunOptions): Promise<RttRunResult> {
    const child = this.next ?? (await this.startChild());
    this.next = null;
    try {
      const client = await createRttClient(simClientOptions(child.port, this.tls ? { tls: { ca: child.ca!, verify: true } } : {}));
      const result = await driveClient(this.id, client, o);
      const p = await child.stats();
      result.metrics = { processing_p50_us: round2(p.p50Us), processing_p99_us: round2(p.p99Us) };
      const span = p.window < p.count ? `its last ${p.window} of ${p.count} orders` : `all ${p.count} orders, warm-up included`;
      result.notes.push(`simulator's own time per order (p50/p99 in the summary below): mean ${p.meanUs.toFixed(1)} µs, max ${p.maxUs.toFixed(1)} µs, over ${span}`);
      return result;
    } finally {
      await child.stop();
    }
  }

  async dispose(): Promise<void> {
    const child = this.next;
    this.next = null;
    await child?.stop();
    if (this.certDir !== null) rmSync(this.certDir, { recursive: true, force: true });
    this.certDir = null;
  }

  private startChild(): Promise<SimChild> {
    // A certificate of this bench run's own: concurrent runs never share half-written key files.
    if (this.tls) this.certDir ??= mkdtempSync(join(tmpdir(), 'kfix-rtt-sim-cert-'));
    return SimChild.start(this.tls ? this.certDir : null);
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
