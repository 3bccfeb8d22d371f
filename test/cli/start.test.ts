// `kfix start` as a user runs it (the compiled CLI, after the build `npm test` does first): simulator,
// engine and the example strategies trade for a few seconds, then the process prints its summary and
// exits by itself with code 0.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..');
const KFIX = join(ROOT, 'bin', 'kfix.js');

function run(args: string[], timeoutMs: number): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [KFIX, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr });
    });
  });
}

function count(stdout: string, re: RegExp): number {
  const m = re.exec(stdout);
  return m ? Number(m[1]) : NaN;
}

describe('kfix start', () => {
  it('trades against the simulator, prints the summary and exits 0 by itself', async () => {
    expect(existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')), 'dist/ missing: run npm run build').toBe(true);
    const r = await run(['start'], 50_000);
    expect(r.signal, `killed (did not exit by itself)\n${r.stdout}\n${r.stderr}`).toBeNull();
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/kfix start: ok/);
    expect(count(r.stdout, /orders sent\s+(\d+) new/)).toBeGreaterThan(0);
    expect(count(r.stdout, /acknowledged\s+(\d+) new/)).toBeGreaterThan(0);
    expect(count(r.stdout, /fills\s+(\d+)/)).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/rejects\s+venue \d+ .*local \d+/);
    for (const row of ['round trip \\(order -> ack\\)', 'wire -> strategy', 'strategy -> wire', 'simulator per-order processing']) {
      // count, then p50 (and more) as numbers
      const m = new RegExp(`${row}\\s+(\\d+)\\s+(\\d+\\.\\d)`).exec(r.stdout);
      expect(m, `latency row ${row}`).not.toBeNull();
      expect(Number(m![1])).toBeGreaterThan(0);
      expect(Number(m![2])).toBeGreaterThan(0);
    }
    expect(r.stdout).toMatch(/latency \(µs.*p50\s+p90\s+p99\s+p99\.9\s+max/);
  }, 60_000);
});
