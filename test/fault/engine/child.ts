// Child process of the campaign's SIGKILL scenario: our engine with the campaign strategy, on a durable
// journal, until the parent SIGKILLs it or says `drain` / `stop` on stdin. Run with `node --import tsx`.
//   argv[2]: JSON { port, journalDir, logPath, params, maxSeconds }
//   stdin:   drain (strategy mass-cancels) | stop (engine stops, logs out, exit 0)
//   stdout:  LOGGED_ON | STOPPED | ERROR <text>
import { createInterface } from 'node:readline';
import { startEngine, type EngineHandle } from '../../../src/engine/index.js';
import { campaignEngineConfig } from './rig.js';

interface Args {
  port: number;
  journalDir: string;
  logPath: string;
  params: Record<string, unknown>;
  maxSeconds: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const say = (line: string) => process.stdout.write(line + '\n');
const control = new SharedArrayBuffer(16);
const ctl = new Int32Array(control);
setTimeout(() => {
  say(`ERROR no stop within ${args.maxSeconds} s`);
  process.exit(3);
}, args.maxSeconds * 1000).unref();

let engine: EngineHandle;
try {
  engine = await startEngine(campaignEngineConfig({ port: args.port, journalDir: args.journalDir, logPath: args.logPath, control, params: args.params }));
} catch (err) {
  say(`ERROR ${(err as Error).message}`);
  process.exit(2);
}
say('LOGGED_ON');
const keepAlive = setInterval(() => {}, 1000);
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'drain') Atomics.store(ctl, 1, 1);
  if (line === 'stop') {
    await engine.stop();
    say('STOPPED');
    clearInterval(keepAlive);
    process.exit(0);
  }
}
