// Test-side driver for the QuickFIX C++ peers in build/quickfix (built by scripts/build-quickfix.sh):
// spawns one, collects its stdout event lines, waits for patterns with a deadline, sends stdin
// commands, and stops it. Test infrastructure only; nothing under src/ may import it.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './runner.js';

export const QUICKFIX_BUILD_DIR = join(repoRoot(), 'build', 'quickfix');
export const FIX44_DICT = join(repoRoot(), '..', 'shared', 'spec', 'FIX44.xml');

/** True when Debian's libquickfix-dev headers are installed. */
export function quickfixAvailable(): boolean {
  return existsSync('/usr/include/quickfix/Session.h');
}

/** Runs scripts/build-quickfix.sh (idempotent). Throws if a wanted binary is still missing. */
export function buildQuickfix(wanted: string[] = []): void {
  execFileSync('bash', [join(repoRoot(), 'scripts', 'build-quickfix.sh')], { stdio: 'pipe', timeout: 180_000 });
  for (const name of wanted) {
    if (!existsSync(join(QUICKFIX_BUILD_DIR, name))) throw new Error(`build did not produce ${name}`);
  }
}

export class QfProcess {
  readonly lines: string[] = [];
  private partial = '';
  private waiters: Array<() => void> = [];
  private exited = false;
  exitCode: number | null = null;

  private constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (d: Buffer) => {
      this.partial += d.toString();
      let nl: number;
      while ((nl = this.partial.indexOf('\n')) >= 0) {
        this.lines.push(this.partial.slice(0, nl));
        this.partial = this.partial.slice(nl + 1);
      }
      this.wakeAll();
    });
    child.once('exit', (code) => {
      this.exited = true;
      this.exitCode = code;
      this.wakeAll();
    });
  }

  /** Spawns build/quickfix/<name> with args; stdin stays open so the peer lives until stop(). */
  static start(name: string, args: string[]): QfProcess {
    const bin = join(QUICKFIX_BUILD_DIR, name);
    if (!existsSync(bin)) throw new Error(`${bin} not built (run scripts/build-quickfix.sh)`);
    return new QfProcess(spawn(bin, args, { stdio: ['pipe', 'pipe', 'inherit'] }));
  }

  /** Resolves with the first line (from index `from`) matching re; rejects after timeoutMs or on exit. */
  async waitFor(re: RegExp, timeoutMs = 10_000, from = 0): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = from; i < this.lines.length; i++) {
        const m = re.exec(this.lines[i]);
        if (m) return m;
      }
      if (this.exited) throw new Error(`process exited (${this.exitCode}) before ${re}; output:\n${this.lines.join('\n')}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out waiting for ${re}; output:\n${this.lines.join('\n')}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, remaining);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  command(line: string): void {
    this.child.stdin!.write(line + '\n');
  }

  /** Closes stdin (the peer logs out and exits), then SIGTERM/SIGKILL if it lingers. */
  async stop(timeoutMs = 5000): Promise<void> {
    if (this.exited) return;
    this.child.stdin!.end();
    const gone = new Promise<void>((r) => this.child.once('exit', () => r()));
    const timer = setTimeout(() => this.child.kill('SIGTERM'), timeoutMs);
    const hard = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs * 2);
    await gone;
    clearTimeout(timer);
    clearTimeout(hard);
  }

  private wakeAll(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
