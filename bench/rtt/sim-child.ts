/**
 * Process entry for the kfix simulator as the round-trip benchmark's counterparty (sim-series.ts): the
 * simulator gets its own process, hence its own thread, as the QuickFIX acceptor has.
 *
 *   node dist/bench/rtt/sim-child.js [--tls] [--cert-dir DIR] [--max-seconds S]
 *
 * stdout: one JSON line {"port":P,"certPath":...} once the Derivatives trading acceptor listens (port 0,
 * 127.0.0.1; certPath only with --tls, the PEM a client trusts as its CA). Then, per stdin line:
 *   stats   -> one JSON line {"stats": stats().orderProcessing} (the simulator's own time per order)
 *   exit    -> the same line, then exit
 * Stdin closing, SIGTERM or SIGINT also print the stats and exit; after S seconds it exits regardless.
 * Rate limits are set so they never trigger and the synthetic flow is off, so the book stays empty
 * and the client's IOC orders are acknowledged and cancelled, never resting.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startKrakenSimulator, type SimulatorHandle } from '../../src/sim/index.js';
import { BenchArgs } from '../lib/args.js';

const args = new BenchArgs();
const tls = args.has('--tls');
const certDir = args.string('--cert-dir') ?? join(tmpdir(), 'kfix-rtt-sim-cert');
const maxSeconds = args.number('--max-seconds', 300);

let sim: SimulatorHandle | null = null;
let exiting = false;

function printStats(): void {
  if (sim) process.stdout.write(`${JSON.stringify({ stats: sim.stats().orderProcessing })}\n`);
}

async function exit(code: number): Promise<void> {
  if (exiting) return;
  exiting = true;
  printStats();
  await Promise.race([sim?.close(), new Promise((r) => setTimeout(r, 2_000))]);
  process.exit(code);
}

process.on('SIGTERM', () => void exit(0));
process.on('SIGINT', () => void exit(0));
setTimeout(() => void exit(0), maxSeconds * 1000).unref();

try {
  sim = await startKrakenSimulator({
    ports: { spotMd: 0, spotTrading: 0, derivMd: 0, derivTrading: 0, derivMdL3: 0, spotMdL3: 0 },
    tls: tls ? { certDir } : false,
    flow: { enabled: false },
    derivativesBucket: { capacity: 1e12, refillPerSec: 1e12 },
    errorRateLimitPerSec: 1_000_000,
    // The bench logs on again for each run (ping-pong, then pipelined) with the same SenderCompID.
    badLogonLimit: false,
  });
} catch (e) {
  process.stdout.write(`${JSON.stringify({ error: (e as Error).message })}\n`);
  process.exit(1);
}
process.stdout.write(`${JSON.stringify({ port: sim.ports.derivTrading, ...(sim.certificate ? { certPath: sim.certificate.certPath } : {}) })}\n`);

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const cmd = line.trim();
  if (cmd === 'stats') printStats();
  else if (cmd === 'exit') void exit(0);
  else if (cmd !== '') process.stdout.write(`${JSON.stringify({ error: `unknown command ${JSON.stringify(cmd)} (stats, exit)` })}\n`);
});
rl.on('close', () => void exit(0));
