// Shared plumbing of the QuickFIX interop tests: the visible skip, polling with a deadline, and tallies of who
// received which ClOrdID (and how often as new, how often as a PossDup resend).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { FIX44_DICT, QfProcess, quickfixAvailable } from '../at/qf-peer.js';
import { repoRoot } from '../at/runner.js';
import { CutProxy } from './cut-proxy.js';

export const SKIP_INTEROP = !quickfixAvailable() || !existsSync(FIX44_DICT);

export function warnIfSkipped(name: string): void {
  if (SKIP_INTEROP) console.warn(`[${name}] SKIPPED: libquickfix-dev (/usr/include/quickfix) or ../shared/spec/FIX44.xml is missing`);
}

export { clock, journalSession, sendNewOrderSingle, answerNewOrderSingle } from './session-kit.js';

export type Cleanup = () => Promise<void> | void;

/** Cleanups registered during a test, run after it in reverse order; one that fails never masks the test's own failure. */
export function cleanupsAfterEach(): Cleanup[] {
  const cleanups: Cleanup[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) {
      try {
        await c();
      } catch {
        // cleanup must not mask the test's own failure
      }
    }
  });
  return cleanups;
}

/** A temporary directory removed after the test. */
export function tempDir(cleanups: Cleanup[], prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A QuickFIX acceptor (SRV, expecting CLIENT, keeping its sequence numbers on logon) behind a CutProxy. */
export async function quickfixAcceptorBehindProxy(cleanups: Cleanup[]): Promise<{ peer: QfProcess; proxy: CutProxy }> {
  const peer = QfProcess.start('qf-peer', ['--role', 'acceptor', '--port', '0', '--sender', 'SRV', '--target', 'CLIENT', '--dict', FIX44_DICT, '--reset-on-logon', 'N', '--max-seconds', '90']);
  cleanups.push(() => peer.stop());
  const peerPort = Number((await peer.waitFor(/^READY (\d+)$/))[1]);
  const proxy = await CutProxy.start(peerPort);
  cleanups.push(() => proxy.close());
  return { peer, proxy };
}

/** How often each ClOrdID arrived, as new and as PossDup resend. */
export class Tally {
  readonly fresh = new Map<string, number>();
  readonly possDup = new Map<string, number>();

  add(clOrdID: string, possDup: boolean): void {
    const m = possDup ? this.possDup : this.fresh;
    m.set(clOrdID, (m.get(clOrdID) ?? 0) + 1);
  }

  total(id: string): number {
    return (this.fresh.get(id) ?? 0) + (this.possDup.get(id) ?? 0);
  }

  /** Distinct ClOrdIDs seen at least once. */
  get distinct(): number {
    return new Set([...this.fresh.keys(), ...this.possDup.keys()]).size;
  }

  /** ClOrdIDs that arrived more than once as new (must be none). */
  duplicatesAsNew(): string[] {
    return [...this.fresh].filter(([, n]) => n > 1).map(([id]) => id);
  }

  /** ClOrdIDs that arrived more than once in total. */
  duplicates(): string[] {
    return [...new Set([...this.fresh.keys(), ...this.possDup.keys()])].filter((id) => this.total(id) > 1);
  }

  missing(ids: readonly string[]): string[] {
    return ids.filter((id) => this.total(id) === 0);
  }

  possDupIds(): string[] {
    return [...this.possDup.keys()];
  }
}

/** Tally of the peer's `APP <MsgType> <MsgSeqNum> <ClOrdID> <PossDup>` lines for one MsgType. */
export function peerTally(peer: QfProcess, msgType: string): Tally {
  const t = new Tally();
  for (const line of peer.lines) {
    const m = /^APP (\S+) (\d+) (\S+) ([YN])$/.exec(line);
    if (m && m[1] === msgType) t.add(m[3]!, m[4] === 'Y');
  }
  return t;
}

export function ids(prefix: string, from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);
}

export function until(cond: () => boolean, what: string, ms = 15_000, detail?: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (cond()) resolve();
      else if (Date.now() > deadline) reject(new Error(`timed out after ${ms} ms waiting for ${what}${detail ? `\n${detail()}` : ''}`));
      else setTimeout(poll, 5);
    };
    poll();
  });
}

export const tick = () => new Promise<void>((r) => setImmediate(r));

export function sortIds(list: readonly string[]): string[] {
  return [...list].sort((a, b) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')));
}

/** A child process whose stdout is collected as lines (the kill-and-restart fixture). */
export class ChildLines {
  readonly lines: string[] = [];
  stderr = '';
  exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  readonly exited: Promise<void>;
  private partial = '';

  constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (d: Buffer) => {
      this.partial += d.toString();
      let nl: number;
      while ((nl = this.partial.indexOf('\n')) >= 0) {
        this.lines.push(this.partial.slice(0, nl));
        this.partial = this.partial.slice(nl + 1);
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      if (this.stderr.length < 20_000) this.stderr += d.toString();
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve();
      });
    });
  }

  /** Runs a TypeScript file with `node --import tsx` from the repository root. */
  static tsx(file: string, args: string[]): ChildLines {
    return new ChildLines(spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  find(re: RegExp): RegExpExecArray | null {
    for (const l of this.lines) {
      const m = re.exec(l);
      if (m) return m;
    }
    return null;
  }

  async waitFor(re: RegExp, ms = 15_000): Promise<RegExpExecArray> {
    let found: RegExpExecArray | null = null;
    await until(() => (found = this.find(re)) !== null || this.exit !== null, `${re} from the child`, ms, () => this.describe());
    if (found === null) throw new Error(`child exited (${JSON.stringify(this.exit)}) before ${re}\n${this.describe()}`);
    return found;
  }

  /** SIGKILL if still running, and wait for the exit. */
  async kill(): Promise<void> {
    if (this.exit === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  describe(): string {
    return `child stdout (last 20): ${this.lines.slice(-20).join(' | ')}\nchild stderr: ${this.stderr.slice(-2000)}`;
  }
}
