/**
 * `kfix bench <name>`: runs one of the compiled benchmarks as a child process, passing its output through,
 * with a progress line on a terminal for anything that takes more than a couple of seconds.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Benchmark name -> compiled entry (relative to dist/bench) and the node flags it needs. */
export const BENCHES: Readonly<Record<string, { entry: string; flags: string[]; typicalSec: number }>> = {
  codec: { entry: 'codec.bench.js', flags: ['--expose-gc'], typicalSec: 30 },
  ipc: { entry: 'ipc.bench.js', flags: [], typicalSec: 20 },
  rtt: { entry: 'rtt/rtt.bench.js', flags: [], typicalSec: 60 },
  gate: { entry: 'gate/gate.js', flags: [], typicalSec: 180 },
  store: { entry: 'store.bench.js', flags: [], typicalSec: 12 },
  match: { entry: 'match.bench.js', flags: [], typicalSec: 15 },
  book: { entry: 'book.bench.js', flags: ['--expose-gc'], typicalSec: 12 },
  engine: { entry: 'engine.bench.js', flags: [], typicalSec: 25 },
  sim: { entry: 'sim.bench.js', flags: [], typicalSec: 15 },
  native: { entry: 'native.bench.js', flags: [], typicalSec: 10 },
};

function distBenchDir(): string {
  // This file is dist/src/cli/bench.js; the benchmarks are in dist/bench.
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench');
}

export function runBench(name: string, args: string[]): Promise<number> {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`kfix bench: unknown benchmark '${name}' (available: ${Object.keys(BENCHES).join(', ')})`);
    return Promise.resolve(2);
  }
  const entry = join(distBenchDir(), bench.entry);
  if (!existsSync(entry)) {
    console.error(`kfix bench: ${entry} is missing; run \`npm run build\` first`);
    return Promise.resolve(2);
  }
  const child = spawn(process.execPath, [...bench.flags, entry, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  if (tty) {
    // A progress bar scaled on the benchmark's typical duration, drawn on stderr so stdout stays parseable.
    timer = setInterval(() => {
      const s = (Date.now() - started) / 1000;
      const width = 30;
      const filled = Math.min(width, Math.round((s / bench.typicalSec) * width));
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${name} ${s.toFixed(0)}s / ~${bench.typicalSec}s `);
    }, 250);
  }
  child.stdout.on('data', (d: Buffer) => {
    if (tty) process.stderr.write('\r\x1b[K');
    process.stdout.write(d);
  });
  return new Promise((resolvePromise) => {
    child.on('close', (code) => {
      if (timer) clearInterval(timer);
      if (tty) process.stderr.write('\r\x1b[K');
      resolvePromise(code ?? 1);
    });
  });
}
