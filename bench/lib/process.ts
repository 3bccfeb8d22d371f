/**
 * Child processes for benchmarks: line-oriented peers (spawned, waited on for a line, stopped) and
 * bounded one-shot runs (a benchmark run with --json under a timeout). Every child is bounded: a
 * deadline kills it, so a wedged peer can never hang a benchmark or the gate.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export class PeerProcess {
  readonly lines: string[] = [];
  readonly stderrLines: string[] = [];
  exitCode: number | null = null;
  private partial = '';
  private partialErr = '';
  private exited = false;
  private waiters: Array<() => void> = [];
  private readonly exitPromise: Promise<void>;

  private constructor(
    readonly child: ChildProcess,
    readonly label: string,
  ) {
    child.stdout!.on('data', (d: Buffer) => {
      this.partial += d.toString();
      let nl: number;
      while ((nl = this.partial.indexOf('\n')) >= 0) {
        this.lines.push(this.partial.slice(0, nl));
        this.partial = this.partial.slice(nl + 1);
      }
      this.wakeAll();
    });
    child.stderr!.on('data', (d: Buffer) => {
      this.partialErr += d.toString();
      let nl: number;
      while ((nl = this.partialErr.indexOf('\n')) >= 0) {
        this.stderrLines.push(this.partialErr.slice(0, nl));
        this.partialErr = this.partialErr.slice(nl + 1);
      }
    });
    this.exitPromise = new Promise<void>((resolve) => {
      const done = (code: number | null): void => {
        if (this.exited) return;
        this.exited = true;
        this.exitCode = code;
        this.wakeAll();
        resolve();
      };
      child.once('exit', (code) => done(code));
      child.once('error', (e) => {
        this.stderrLines.push(`spawn error: ${e.message}`);
        done(-1);
      });
    });
  }

  /** Spawns `command args`; stdin stays open (closing it is the peer's cue to stop). */
  static start(command: string, args: string[], label = command): PeerProcess {
    return new PeerProcess(spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] }), label);
  }

  get hasExited(): boolean {
    return this.exited;
  }

  /** First line (from index `from`) matching re; rejects on timeout or exit, with the output so far. */
  async waitFor(re: RegExp, timeoutMs = 10_000, from = 0): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = from; i < this.lines.length; i++) {
        const m = re.exec(this.lines[i]!);
        if (m) return m;
      }
      if (this.exited) throw new Error(`${this.label} exited (${this.exitCode}) before ${re}\n${this.describeOutput()}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`${this.label}: timed out waiting for ${re}\n${this.describeOutput()}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, remaining);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /** Resolves when the process has exited, or after timeoutMs (then it is killed). */
  async waitExit(timeoutMs: number): Promise<number | null> {
    if (!this.exited) {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
      await this.exitPromise;
      clearTimeout(timer);
    }
    return this.exitCode;
  }

  /** Closes stdin, then SIGTERM and SIGKILL if the process lingers. */
  async stop(timeoutMs = 3_000): Promise<void> {
    if (this.exited) return;
    this.child.stdin!.end();
    const term = setTimeout(() => this.child.kill('SIGTERM'), timeoutMs);
    const kill = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs * 2);
    await this.exitPromise;
    clearTimeout(term);
    clearTimeout(kill);
  }

  describeOutput(maxLines = 20): string {
    const tail = (xs: string[]): string => xs.slice(-maxLines).join('\n');
    return `--- stdout (tail) ---\n${tail(this.lines)}\n--- stderr (tail) ---\n${tail(this.stderrLines)}`;
  }

  private wakeAll(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
  /** Set when the command could not be started at all. */
  spawnError?: string;
}

/** Runs a command to completion with a hard timeout (SIGTERM, then SIGKILL 2 s later). */
export function runBounded(
  command: string,
  args: string[],
  options: { timeoutMs: number; env?: NodeJS.ProcessEnv; cwd?: string },
): Promise<RunResult> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let spawnError: string | undefined;
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env, cwd: options.cwd });
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const term = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, options.timeoutMs);
    const kill = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs + 2_000);
    child.once('error', (e) => (spawnError = e.message));
    child.once('close', (code, signal) => {
      clearTimeout(term);
      clearTimeout(kill);
      const result: RunResult = { code, signal, stdout, stderr, timedOut, durationMs: performance.now() - t0 };
      if (spawnError !== undefined) result.spawnError = spawnError;
      resolve(result);
    });
  });
}
