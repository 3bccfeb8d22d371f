/**
 * QuickFIX C++ (Debian libquickfix-dev 1.15.1) on both ends of the round-trip benchmark, through
 * build/quickfix/qf-rtt (bench/rtt/qf-rtt.cpp): one acceptor process, one initiator process that
 * times every round trip in C++ and writes the raw samples (int64 ns) for us to histogram.
 * Also provides the QuickFIX acceptor as a counterparty for in-process clients (kfix).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../lib/paths.js';
import { PeerProcess } from '../lib/process.js';
import type { RttEndpoint, RttRunOptions, RttRunResult, RttSeries } from './types.js';

export const QF_INITIATOR_COMP = 'QFRTT-I';
export const QF_ACCEPTOR_COMP = 'QFRTT-A';

export function qfRttBinary(): string {
  return join(repoRoot(), 'build', 'quickfix', 'qf-rtt');
}

export function quickfixInstalled(): boolean {
  return existsSync('/usr/include/quickfix/Session.h');
}

let buildTried: string | null | undefined;

/**
 * Builds qf-rtt when missing or older than its source (bench/rtt/build.sh is idempotent).
 * Returns null when the binary is usable, else why not.
 */
export function ensureQfRtt(): string | null {
  if (buildTried !== undefined) return buildTried;
  if (!quickfixInstalled()) return (buildTried = 'libquickfix-dev not installed (apt-get install libquickfix-dev)');
  const bin = qfRttBinary();
  const src = join(repoRoot(), 'bench', 'rtt', 'qf-rtt.cpp');
  const stale = !existsSync(bin) || (existsSync(src) && statSync(src).mtimeMs > statSync(bin).mtimeMs);
  if (stale) {
    try {
      execFileSync('bash', [join(repoRoot(), 'bench', 'rtt', 'build.sh')], { stdio: 'pipe', timeout: 180_000 });
    } catch (e) {
      return (buildTried = `building qf-rtt failed: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return (buildTried = existsSync(bin) ? null : 'qf-rtt was not built (bench/rtt/build.sh)');
}

/** A running QuickFIX acceptor (silent; answers NewOrderSingle with ExecutionReport New). */
export class QuickfixAcceptor {
  private constructor(
    private readonly proc: PeerProcess,
    readonly endpoint: RttEndpoint,
  ) {}

  static async start(maxSeconds: number): Promise<QuickfixAcceptor> {
    const proc = PeerProcess.start(qfRttBinary(), ['--role', 'acceptor', '--port', '0', '--max-seconds', String(Math.ceil(maxSeconds))], 'qf-rtt acceptor');
    try {
      // QuickFIX parses its XML dictionary at start-up: ~1 s idle, far more on a saturated machine.
      const m = await proc.waitFor(/^READY (\d+)$/, 45_000);
      const port = Number(m[1]);
      if (!(port > 0)) throw new Error(`qf-rtt acceptor reported port ${m[1]}`);
      return new QuickfixAcceptor(proc, { host: '127.0.0.1', port, senderCompID: QF_INITIATOR_COMP, targetCompID: QF_ACCEPTOR_COMP, engine: 'quickfix' });
    } catch (e) {
      await proc.stop();
      throw e;
    }
  }

  stop(): Promise<void> {
    return this.proc.stop();
  }
}

/** Reads the initiator's sample file: little-endian int64 nanoseconds. */
export function readSampleFile(path: string): Float64Array {
  const buf = readFileSync(path);
  if (buf.length % 8 !== 0) throw new Error(`${path}: ${buf.length} bytes is not a whole number of int64 samples`);
  const out = new Float64Array(buf.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = Number(buf.readBigInt64LE(i * 8));
  return out;
}

export class QuickfixSeries implements RttSeries {
  readonly id = 'quickfix';
  readonly label = 'QuickFIX C++ 1.15 <-> QuickFIX';
  readonly supportsPipelining = true;
  private acceptor: QuickfixAcceptor | null = null;

  async unavailable(): Promise<string | null> {
    return ensureQfRtt();
  }

  async prepare(): Promise<void> {
    this.acceptor ??= await QuickfixAcceptor.start(300);
  }

  async run(o: RttRunOptions): Promise<RttRunResult> {
    const maxSeconds = Math.ceil(o.timeoutMs / 1000) + 5;
    this.acceptor ??= await QuickfixAcceptor.start(300);
    const dir = mkdtempSync(join(tmpdir(), 'kfix-qf-rtt-'));
    const out = join(dir, 'samples.bin');
    const args = ['--role', 'initiator', '--port', String(this.acceptor.endpoint.port), '--count', String(o.count), '--warmup', String(o.warmup)];
    args.push('--window', String(o.window), '--rate', String(Math.round(o.rateHz)), '--out', out, '--max-seconds', String(maxSeconds));
    if (o.durationMs > 0) args.push('--duration-ms', String(Math.round(o.durationMs)));
    const proc = PeerProcess.start(qfRttBinary(), args, 'qf-rtt initiator');
    try {
      const m = await proc.waitFor(/^RESULT (\{.*\})$/, o.timeoutMs);
      const result = JSON.parse(m[1]!) as { count: number; elapsed_ns: number };
      await proc.waitExit(5_000);
      const samplesNs = readSampleFile(out);
      if (samplesNs.length !== result.count) throw new Error(`qf-rtt wrote ${samplesNs.length} samples but reported ${result.count}`);
      const notes: string[] = [];
      if (result.count < o.count) notes.push(`stopped after ${o.durationMs} ms: ${result.count} of ${o.count} round trips`);
      return { samplesNs, elapsedNs: result.elapsed_ns, window: o.window, notes };
    } finally {
      await proc.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  async dispose(): Promise<void> {
    await this.acceptor?.stop();
    this.acceptor = null;
  }
}
