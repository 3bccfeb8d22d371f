/**
 * Honest latency under hostile peers (issue 9). A simulator runs in this process with an honest
 * Derivatives session (raw FIX client, also in this process) doing ping-pong: NewOrderSingle (IOC on an
 * empty PF_XBTUSD book) -> ExecutionReport 150=0, round trip measured to the ack, then the 150=4 is
 * awaited before the next order. The round trip is measured without attack, then with each attack
 * running concurrently from a worker thread (its own event loop, so the attacker's client-side work is
 * not charged to the honest client; on 2 cores it still competes for CPU, as a peer on the same host
 * would), with a quiet phase before and after every attack. Prints p50/p99 per attack and the ratio to
 * the quiet phases around it, and how many hostile connections each attack made and the simulator cut.
 *
 * Each phase lasts --phase-ms (default 2000; 13 phases) or --orders round trips, whichever comes first.
 *
 *   node dist/bench/hostile.bench.js [--phase-ms N] [--orders N] [--warmup N] [--attacks a,b] [--json]
 */
import { connect, type Socket } from 'node:net';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import { FixEncoder, FixFramer, SystemClock, getDictionary, msgTypeCode, type MessageView } from '../src/codec/index.js';
import { krakenLogonPassword } from '../src/kraken/auth.js';
import { CombClOrdIdGenerator } from '../src/kraken/clordid.js';
import { Credentials } from '../src/kraken/credentials.js';
import { DEFAULT_ACCOUNTS, TARGET_COMP_IDS, startKrakenSimulator, type SimCredential, type SimulatorStats } from '../src/sim/index.js';
import { BenchArgs } from './lib/args.js';

const ATTACKS = ['garbage-prelogon', 'garbage-postlogon', 'endless-logon', 'oversize', 'connection-flood', 'bad-logons'] as const;
type Attack = (typeof ATTACKS)[number];
/** Parallel hostile connections per attack. */
const PARALLEL: Record<Attack, number> = {
  'garbage-prelogon': 4,
  'garbage-postlogon': 1, // one CompID: it can hold one connection at a time
  'endless-logon': 4,
  oversize: 4,
  'connection-flood': 64,
  'bad-logons': 4,
};
/** A hostile connection the server has not closed after this long is counted as not cut off. */
const NOT_CUT_MS = 10_000;
const TARGET = TARGET_COMP_IDS.derivTrading;

let lastNonce = 0;
/** Nonces must increase per API key; several logons can fall in one millisecond. */
function nextNonce(): string {
  lastNonce = Math.max(Date.now(), lastNonce + 1);
  return String(lastNonce);
}

function logonMessage(cred: SimCredential, badSignature: boolean): Buffer {
  const enc = new FixEncoder({ senderCompID: cred.senderCompID, targetCompID: TARGET });
  const nonce = nextNonce();
  let password = krakenLogonPassword(new Credentials(cred.apiKey, cred.apiSecret), { msgSeqNum: 1, senderCompID: cred.senderCompID, targetCompID: TARGET, nonce });
  if (badSignature) password = (password[0] === 'A' ? 'B' : 'A') + password.slice(1);
  enc.begin(msgTypeCode('A'), 1, Date.now() * 1000).int(98, 0).int(108, 30).char(141, 0x59).str(553, cred.apiKey).str(554, password).str(5025, nonce);
  enc.finish();
  return Buffer.from(enc.message());
}

/** Random bytes without '8', so they never start a FIX frame. */
function garbage(n: number): Buffer {
  const b = randomBytes(n);
  for (let i = 0; i < n; i++) if (b[i] === 0x38) b[i] = 0x39;
  return b;
}

// ------------------------------------------------------------------------------------------ attacker

/** Made once: the attacker's CPU should go into sending, not into making bytes. */
const GARBAGE = garbage(16384);
const FILLER = Buffer.alloc(16384, 0x78);

interface AttackerData {
  port: number;
  /** Credentials of the CompID the post-logon attacks log on with. */
  cred: SimCredential;
}

interface AttackResult {
  attempts: number;
  /** Closed by the server (not by the attacker's stop or the NOT_CUT_MS guard). */
  cutByServer: number;
}

class Attacker {
  private readonly sockets = new Set<Socket>();
  private stopping = false;
  private result: AttackResult = { attempts: 0, cutByServer: 0 };
  private loops: Promise<void>[] = [];

  constructor(private readonly d: AttackerData) {}

  start(attack: Attack): void {
    this.stopping = false;
    this.result = { attempts: 0, cutByServer: 0 };
    this.loops = Array.from({ length: PARALLEL[attack] }, () => this.loop(attack));
  }

  async stop(): Promise<AttackResult> {
    this.stopping = true;
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.loops);
    return this.result;
  }

  private async loop(attack: Attack): Promise<void> {
    while (!this.stopping) {
      this.result.attempts++;
      if (await this.one(attack)) this.result.cutByServer++;
      // A refused connect fails at once: yield so a flood does not starve this thread's own timers.
      await new Promise((r) => setImmediate(r));
    }
  }

  /** One hostile connection; true when the server closed it. */
  private one(attack: Attack): Promise<boolean> {
    return new Promise((resolve) => {
      const s = connect({ host: '127.0.0.1', port: this.d.port });
      this.sockets.add(s);
      let timer: ReturnType<typeof setInterval> | null = null;
      const guard = setTimeout(() => s.destroy(), NOT_CUT_MS);
      const flood = (chunk: () => Buffer) => {
        timer = setInterval(() => {
          if (!s.destroyed && s.writable && s.writableLength < 1 << 20) s.write(chunk());
        }, 1);
      };
      s.on('error', () => {});
      s.resume(); // read (and drop) what the server sends, so its FIN is seen
      s.on('close', () => {
        this.sockets.delete(s);
        clearTimeout(guard);
        if (timer !== null) clearInterval(timer);
        resolve(!this.stopping);
      });
      s.on('connect', () => {
        s.setNoDelay(true);
        switch (attack) {
          case 'garbage-prelogon':
            flood(() => GARBAGE);
            return;
          case 'garbage-postlogon':
            s.write(logonMessage(this.d.cred, false));
            s.once('data', () => flood(() => GARBAGE));
            return;
          case 'endless-logon':
            s.write(`8=FIX.4.4\x019=60000\x0135=A\x0134=1\x0149=EVE\x0156=${TARGET}\x01`);
            flood(() => FILLER);
            return;
          case 'oversize':
            s.write('8=FIX.4.4\x019=70000\x0135=D\x01');
            flood(() => FILLER);
            return;
          case 'connection-flood':
            return;
          case 'bad-logons':
            s.write(logonMessage(this.d.cred, true));
            return;
        }
      });
    });
  }
}

function runAttacker(): void {
  const attacker = new Attacker(workerData as AttackerData);
  parentPort!.on('message', (m: { type: 'start'; attack: Attack } | { type: 'stop' }) => {
    if (m.type === 'start') {
      attacker.start(m.attack);
      parentPort!.postMessage({ type: 'started' });
    } else {
      void attacker.stop().then((r) => parentPort!.postMessage({ type: 'stopped', result: r }));
    }
  });
}

// ------------------------------------------------------------------------------------------ honest side

function pct(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

class HonestClient {
  private readonly enc: FixEncoder;
  private readonly framer = new FixFramer(getDictionary({ kraken: true }));
  private readonly ids = new CombClOrdIdGenerator();
  private readonly clock = new SystemClock();
  private seq = 2;
  private onAck: (() => void) | null = null;
  private onFinal: (() => void) | null = null;
  loggedOn = false;
  closed = false;

  constructor(
    private readonly socket: Socket,
    cred: SimCredential,
  ) {
    this.enc = new FixEncoder({ senderCompID: cred.senderCompID, targetCompID: TARGET });
    const handler = {
      onMessage: (v: MessageView) => {
        if (v.msgTypeCode === 0x41) this.loggedOn = true;
        if (v.msgTypeCode !== 0x38) return;
        const et = v.getChar(150);
        if (et === 0x30) this.onAck?.();
        else if (et === 0x34) this.onFinal?.();
      },
      onError: () => {},
    };
    socket.on('data', (c: Buffer) => this.framer.push(c, handler));
    socket.on('close', () => (this.closed = true));
    socket.write(logonMessage(cred, false));
  }

  /** One order: µs to the ack (150=0); resolves after the final report (150=4). */
  roundTrip(): Promise<number> {
    return new Promise((resolve, reject) => {
      if (this.closed) { reject(new Error('honest session disconnected')); return; }
      let ackUs = 0;
      const t0 = performance.now();
      this.onAck = () => (ackUs = (performance.now() - t0) * 1000);
      this.onFinal = () => resolve(ackUs);
      const now = this.clock.nowMicros();
      this.enc.begin(0x44, this.seq++, now).str(11, this.ids.next()).str(18, 's').str(38, '0.0010').char(40, 0x32).str(44, '1000');
      this.enc.char(54, 0x31).str(55, 'PF_XBTUSD').char(59, 0x33).timestamp(60, now);
      this.enc.finish();
      this.socket.write(Buffer.from(this.enc.message()));
    });
  }
}

interface Phase {
  attack: Attack;
  orders: number;
  p50Us: number;
  p99Us: number;
  /** The no-attack phases just before and after this one, pooled. */
  baselineP50Us?: number;
  baselineP99Us?: number;
  ratioP50?: number;
  ratioP99?: number;
  attempts?: number;
  cutByServer?: number;
  hostile: SimulatorStats['hostile'];
}

function pool(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, b) => n + b.length, 0));
  let o = 0;
  for (const b of parts) {
    out.set(b, o);
    o += b.length;
  }
  return out.sort();
}

function hostileDelta(a: SimulatorStats['hostile'], b: SimulatorStats['hostile']): SimulatorStats['hostile'] {
  const out = { ...b };
  for (const k of Object.keys(out) as (keyof typeof out)[]) out[k] = b[k] - a[k];
  return out;
}

async function main(): Promise<void> {
  const args = new BenchArgs();
  const orders = args.number('--orders', 200_000);
  const warmup = args.number('--warmup', 2000);
  const phaseMs = args.number('--phase-ms', 2000);
  if (phaseMs * (2 * ATTACKS.length + 1) > 45_000) throw new Error('--phase-ms too long: the run must stay under 60 s');
  const json = args.has('--json');
  const only = args.list('--attacks');
  for (const a of only ?? []) if (!(ATTACKS as readonly string[]).includes(a)) throw new Error(`unknown attack '${a}' (one of ${ATTACKS.join(', ')})`);
  const attacks = ATTACKS.filter((a) => only === undefined || only.includes(a));
  // The whole run stays bounded whatever happens below.
  const deadline = setTimeout(() => {
    console.error('hostile bench: over 58 s, giving up');
    process.exit(2);
  }, 58_000);
  deadline.unref();

  const sim = await startKrakenSimulator({
    ports: { spotMd: 0, spotTrading: 0, derivMd: 0, derivTrading: 0, derivMdL3: 0, spotMdL3: 0 },
    flow: { enabled: false },
    derivativesBucket: { capacity: 1e12, refillPerSec: 1e12 },
    errorRateLimitPerSec: 1_000_000,
  });
  const port = sim.ports.derivTrading;
  const honestCred = DEFAULT_ACCOUNTS[0]!.derivatives!;
  const socket = connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  await new Promise<void>((r) => socket.once('connect', () => r()));
  const honest = new HonestClient(socket, honestCred);
  for (let i = 0; i < 200 && !honest.loggedOn; i++) await new Promise((r) => setTimeout(r, 5));
  if (!honest.loggedOn) throw new Error('honest session did not log on');

  const worker = new Worker(new URL(import.meta.url), { workerData: { port, cred: DEFAULT_ACCOUNTS[1]!.derivatives! } satisfies AttackerData });
  const ask = <T>(msg: object, answer: string) =>
    new Promise<T>((resolve) => {
      const on = (m: { type: string; result?: T }) => {
        if (m.type !== answer) return;
        worker.off('message', on);
        resolve(m.result as T);
      };
      worker.on('message', on);
      worker.postMessage(msg);
    });

  for (let i = 0; i < warmup; i++) await honest.roundTrip();

  const measure = async (): Promise<Float64Array> => {
    const rtt = new Float64Array(orders);
    const end = performance.now() + phaseMs;
    let n = 0;
    while (n < orders && performance.now() < end) rtt[n++] = await honest.roundTrip();
    return rtt.slice(0, n).sort();
  };
  const phases: Phase[] = [];
  const baselines: Float64Array[] = [];
  const runPhase = async (attack: Attack | 'none'): Promise<Float64Array> => {
    const before = sim.stats().hostile;
    let r: AttackResult | undefined;
    if (attack !== 'none') {
      await ask({ type: 'start', attack }, 'started');
      await new Promise((res) => setTimeout(res, 100)); // let the attack get going
    }
    const sorted = await measure();
    if (attack !== 'none') r = await ask<AttackResult>({ type: 'stop' }, 'stopped');
    await new Promise((res) => setTimeout(res, 100)); // closes settle before the next phase
    if (attack === 'none') baselines.push(sorted);
    else {
      phases.push({
        attack,
        orders: sorted.length,
        p50Us: pct(sorted, 0.5),
        p99Us: pct(sorted, 0.99),
        ...(r ? { attempts: r.attempts, cutByServer: r.cutByServer } : {}),
        hostile: hostileDelta(before, sim.stats().hostile),
      });
    }
    return sorted;
  };

  // Baseline, attack, baseline, attack... : each attack is compared with the quiet phases on either
  // side of it, so drift of a shared, noisy machine over the run does not land on one attack.
  let prev = await runPhase('none');
  for (const a of attacks) {
    await runPhase(a);
    const next = await runPhase('none');
    const around = pool([prev, next]);
    const p = phases[phases.length - 1]!;
    p.baselineP50Us = pct(around, 0.5);
    p.baselineP99Us = pct(around, 0.99);
    p.ratioP50 = p.p50Us / p.baselineP50Us;
    p.ratioP99 = p.p99Us / p.baselineP99Us;
    prev = next;
  }
  const pooled = pool(baselines);
  const base = { orders: pooled.length, p50Us: pct(pooled, 0.5), p99Us: pct(pooled, 0.99) };
  const honestDisconnected = honest.closed;
  await worker.terminate();
  socket.destroy();
  await sim.close();

  const f = (x: number) => x.toFixed(1);
  console.log(`honest ping-pong: NewOrderSingle -> ER 150=0 round trip, IOC on PF_XBTUSD, loopback, one order at a time, ${phaseMs} ms per phase`);
  console.log(`no attack (all ${base.orders} quiet-phase orders pooled): p50 ${f(base.p50Us)} µs  p99 ${f(base.p99Us)} µs`);
  console.log('attack             orders   p50 µs   p99 µs  quiet p50/p99 µs  p50 x   p99 x  hostile conns (cut by server)  counted');
  for (const p of phases) {
    const counted = Object.entries(p.hostile).filter(([, v]) => v > 0).map(([k, v]) => `${k}=${v}`).join(' ');
    const conns = `${p.attempts} (${p.cutByServer})`;
    const quiet = `${f(p.baselineP50Us!)}/${f(p.baselineP99Us!)}`;
    console.log(
      `${p.attack.padEnd(17)} ${String(p.orders).padStart(7)} ${f(p.p50Us).padStart(8)} ${f(p.p99Us).padStart(8)}  ${quiet.padStart(16)} ${p.ratioP50!.toFixed(2).padStart(6)} ${p.ratioP99!.toFixed(2).padStart(6)}  ${conns.padEnd(29)} ${counted}`,
    );
  }
  console.log(`honest session disconnected: ${honestDisconnected ? 'YES' : 'no'}`);
  if (json) console.log(JSON.stringify({ bench: 'hostile', baseline: base, honestDisconnected, phases }));
}

if (isMainThread) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  runAttacker();
}
