/** `kfix sim`: starts a simulator profile and keeps it running until a signal or --duration. */
import { startAtAcceptor } from '../sim/at/index.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_ACCOUNTS, KRAKEN_PORTS, startKrakenSimulator, type SimService } from '../sim/index.js';
import { FixLogTap, FixMessageLog } from './fix-log.js';

/** One masked FIX log per session, opened on its first connection and closed when the simulator stops. */
class FixLogs {
  private readonly logs = new Map<string, FixMessageLog>();
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }
  tap(name: string): FixLogTap {
    let log = this.logs.get(name);
    if (!log) {
      log = new FixMessageLog(join(this.dir, `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.log`));
      this.logs.set(name, log);
    }
    return new FixLogTap(log);
  }
  async close(): Promise<void> {
    await Promise.all([...this.logs.values()].map((l) => l.close()));
  }
}

export interface SimCliOptions {
  profile: string;
  port: number;
  /** Kraken profile: ports are base..base+5 in Kraken's order (4000-4005 by default); 0 picks free ports. */
  portBase?: number;
  host: string;
  tlsCertDir?: string;
  seed?: number;
  durationSec?: number;
  verbose: boolean;
  /** Directory for masked FIX message logs, one file per session. */
  fixLogDir?: string;
}

export async function runSimulator(o: SimCliOptions): Promise<number> {
  if (o.profile !== 'at' && o.profile !== 'kraken') {
    console.error(`kfix sim: unknown profile '${o.profile}' (available: kraken, at)`);
    return 2;
  }
  let close: () => Promise<void>;
  const logs = o.fixLogDir ? new FixLogs(o.fixLogDir) : undefined;
  try {
    close = o.profile === 'at' ? await startAt(o, logs) : await startKraken(o, logs);
  } catch (err) {
    console.error(`kfix sim: cannot start on ${o.host}: ${(err as Error).message}`);
    return 2;
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (o.durationSec !== undefined) setTimeout(stop, o.durationSec * 1000).unref();
  });
  await close();
  await logs?.close();
  return 0;
}

async function startAt(o: SimCliOptions, logs?: FixLogs): Promise<() => Promise<void>> {
  const handle = await startAtAcceptor({
    port: o.port,
    host: o.host,
    ...(logs ? { tap: (sender: string, target: string) => logs.tap(`at-${target}-${sender}`) } : {}),
    onEvent: o.verbose ? (s, e) => console.log(`${s.targetCompID} ${e.kind}: ${e.text}`) : undefined,
  });
  console.log(`kfix sim: QuickFIX acceptance-test acceptor (SenderCompID ISLD) listening on ${o.host}:${handle.port}`);
  return () => handle.close();
}

async function startKraken(o: SimCliOptions, logs?: FixLogs): Promise<() => Promise<void>> {
  const ports: Partial<Record<SimService, number>> = {};
  if (o.portBase !== undefined) {
    for (const [service, port] of Object.entries(KRAKEN_PORTS) as [SimService, number][]) {
      ports[service] = o.portBase === 0 ? 0 : o.portBase + (port - 4000);
    }
  }
  const handle = await startKrakenSimulator({
    host: o.host,
    ports,
    seed: o.seed,
    tls: o.tlsCertDir ? { certDir: o.tlsCertDir } : false,
    ...(logs ? { tap: (service: SimService, sender: string, target: string) => logs.tap(`${service}-${target}-${sender}`) } : {}),
    onEvent: o.verbose ? (service, compID, kind, text) => console.log(`${service} ${compID} ${kind}: ${text}`) : undefined,
    // Hostile peers cut off (garbage, oversize, connection caps, bad logons): rate-limited in the simulator.
    log: (line: string) => console.log(line),
  });
  console.log(`kfix sim: Kraken simulator on ${o.host}${o.tlsCertDir ? ` (TLS 1.3, certificate ${handle.certificate?.certPath})` : ' (plain TCP)'}`);
  for (const [service, port] of Object.entries(handle.ports)) console.log(`  ${service.padEnd(12)} ${port}`);
  console.log('  test accounts (SenderCompID / API key / base64 secret):');
  for (const a of DEFAULT_ACCOUNTS) {
    for (const c of [a.spot, a.derivatives]) if (c) console.log(`    ${c.senderCompID} / ${c.apiKey} / ${c.apiSecret}`);
  }
  return async () => {
    const s = handle.stats();
    console.log(`kfix sim: stopping after ${s.logons} logons, ${s.ordersReceived} orders, ${s.executionReports} execution reports; simulator p50 ${s.orderProcessing.p50Us} µs per order`);
    await handle.close();
  };
}
