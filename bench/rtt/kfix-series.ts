/**
 * The kfix series: our engine as an in-process RttClient, driven by the same driver as jspurefix.
 *
 * How our engine plugs in (no edit here needed): add src/engine/rtt-client.ts exporting
 *
 *   export function createRttClient(counterparty: RttEndpoint | null): Promise<RttClient>;
 *
 * (types from bench/rtt/types.ts; copy them or import them as types). `counterparty` is the
 * QuickFIX acceptor the bench started (so kfix and QuickFIX initiators face the identical
 * acceptor), or null when QuickFIX is not installed; the client may ignore it and start the kfix
 * simulator instead. Until that module exists the series is skipped with a message saying so.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { driveClient } from './driver.js';
import { QuickfixAcceptor, ensureQfRtt } from './quickfix.js';
import type { RttClient, RttEndpoint, RttRunOptions, RttRunResult, RttSeries } from './types.js';

/** Relative to this file in both layouts: bench/rtt -> src/engine, dist/bench/rtt -> dist/src/engine. */
export const KFIX_RTT_MODULE = '../../src/engine/rtt-client.js';

interface KfixRttModule {
  createRttClient(counterparty: RttEndpoint | null): Promise<RttClient> | RttClient;
}

/** The module file exists (as compiled .js, or as .ts source when running under tsx/vitest). */
function moduleFileExists(url: string): boolean {
  const path = fileURLToPath(url);
  return existsSync(path) || (path.endsWith('.js') && existsSync(path.slice(0, -3) + '.ts'));
}

async function loadKfixModule(url: string): Promise<KfixRttModule | string> {
  // Checked before importing so that a real import error inside an existing module (a missing
  // dependency, a syntax error) is reported as such and not as "not there yet".
  if (!moduleFileExists(url)) {
    return 'src/engine does not expose a round-trip client yet (expected src/engine/rtt-client.ts exporting createRttClient(counterparty): Promise<RttClient>, see bench/rtt/kfix-series.ts)';
  }
  let mod: Partial<KfixRttModule>;
  try {
    mod = (await import(url)) as Partial<KfixRttModule>;
  } catch (e) {
    return `loading ${url} failed: ${String((e as Error).message).split('\n')[0]}`;
  }
  if (typeof mod.createRttClient !== 'function') return `${url} does not export createRttClient()`;
  return mod as KfixRttModule;
}

export class KfixSeries implements RttSeries {
  readonly id = 'kfix';
  get label(): string {
    return this.acceptor ? 'kfix (src/engine) <-> QuickFIX' : 'kfix (src/engine)';
  }
  readonly supportsPipelining = true;
  private acceptor: QuickfixAcceptor | null = null;
  private mod: KfixRttModule | null = null;

  /** `moduleUrl` is for tests (a stand-in client); the bench uses src/engine/rtt-client. */
  constructor(private readonly moduleUrl: string = new URL(KFIX_RTT_MODULE, import.meta.url).href) {}

  async unavailable(): Promise<string | null> {
    const m = await loadKfixModule(this.moduleUrl);
    if (typeof m === 'string') return m;
    this.mod = m;
    return null;
  }

  async prepare(): Promise<void> {
    if (!this.acceptor && ensureQfRtt() === null) this.acceptor = await QuickfixAcceptor.start(300);
  }

  async run(o: RttRunOptions): Promise<RttRunResult> {
    if (!this.mod) {
      const m = await loadKfixModule(this.moduleUrl);
      if (typeof m === 'string') throw new Error(m);
      this.mod = m;
    }
    if (!this.acceptor && ensureQfRtt() === null) this.acceptor = await QuickfixAcceptor.start(300);
    const client = await this.mod.createRttClient(this.acceptor?.endpoint ?? null);
    const result = await driveClient('kfix', client, o);
    result.notes.push(this.acceptor ? 'counterparty: QuickFIX acceptor' : 'counterparty: chosen by the client (QuickFIX not available)');
    return result;
  }

  async dispose(): Promise<void> {
    await this.acceptor?.stop();
    this.acceptor = null;
  }
}
