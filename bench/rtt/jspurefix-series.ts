/**
 * The jspurefix series: the in-process JspurefixRttClient (through the shared driver) against a
 * jspurefix acceptor in a child process (jspf-acceptor.ts), kept for all of the series' runs.
 * jspurefix itself is imported lazily: loading it takes seconds on a busy machine, and a run that
 * skips this series (the gate's) should not pay for it.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { nodeScriptCommand } from '../lib/paths.js';
import { PeerProcess } from '../lib/process.js';
import { driveClient } from './driver.js';
import type { RttEndpoint, RttRunOptions, RttRunResult, RttSeries } from './types.js';

export function jspurefixVersion(): string | null {
  try {
    const req = createRequire(import.meta.url);
    return (req('jspurefix/package.json') as { version: string }).version;
  } catch {
    return null;
  }
}

export class JspurefixSeries implements RttSeries {
  readonly id = 'jspurefix';
  readonly label = `jspurefix ${jspurefixVersion() ?? ''} <-> jspurefix`.replace('  ', ' ');
  readonly supportsPipelining = true;
  private acceptor: PeerProcess | null = null;
  private endpoint: RttEndpoint | null = null;

  async unavailable(): Promise<string | null> {
    if (jspurefixVersion() === null) return 'jspurefix is not installed (npm package jspurefix)';
    const { args } = nodeScriptCommand(import.meta.url, 'jspf-acceptor');
    const script = args[args.length - 1]!;
    if (!existsSync(script)) return `${script} is missing (run npm run build)`;
    return null;
  }

  /** Starts the acceptor and loads jspurefix here, concurrently, before anything is measured. */
  async prepare(): Promise<void> {
    await Promise.all([this.startAcceptor(), import('./jspurefix.js').then((m) => m.preloadDefinitions())]);
  }

  async run(o: RttRunOptions): Promise<RttRunResult> {
    const [endpoint, { JspurefixRttClient }] = await Promise.all([this.startAcceptor(), import('./jspurefix.js')]);
    return driveClient('jspurefix', new JspurefixRttClient(endpoint), o);
  }

  async dispose(): Promise<void> {
    await this.acceptor?.stop();
    this.acceptor = null;
    this.endpoint = null;
  }

  private starting: Promise<RttEndpoint> | null = null;

  private startAcceptor(): Promise<RttEndpoint> {
    if (this.endpoint && this.acceptor && !this.acceptor.hasExited) return Promise.resolve(this.endpoint);
    this.starting ??= this.spawnAcceptor().finally(() => (this.starting = null));
    return this.starting;
  }

  private async spawnAcceptor(): Promise<RttEndpoint> {
    const { command, args } = nodeScriptCommand(import.meta.url, 'jspf-acceptor');
    const proc = PeerProcess.start(command, [...args, '--port', '0', '--max-seconds', '300'], 'jspurefix acceptor');
    this.acceptor = proc;
    // Parsing the FIX 4.4 dictionary takes jspurefix a few seconds on a busy machine.
    const m = await proc.waitFor(/^READY (\d+)$/, 40_000);
    // CompIDs as in jspurefix.ts (JSPF_INITIATOR_COMP / JSPF_ACCEPTOR_COMP), not imported to stay lazy.
    this.endpoint = { host: '127.0.0.1', port: Number(m[1]), senderCompID: 'JSPF-I', targetCompID: 'JSPF-A', engine: 'jspurefix' };
    return this.endpoint;
  }
}
