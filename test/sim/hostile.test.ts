/**
 * Hostile peers against a running simulator over real sockets (issue 9): garbage floods before and
 * after logon, endless and oversize messages, connection floods and logons with wrong credentials.
 * Each hostile connection must be closed by the server within a bounded time and counted in
 * SimulatorStats.hostile, while an honest Derivatives session logged on throughout keeps placing IOC
 * orders and getting their acks (150=0) and final reports (150=4), and is never disconnected.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TARGET_COMP_IDS, type SimulatorStats } from '../../src/sim/index.js';
import { LogonThrottle } from '../../src/sim/hostile.js';
import { TestClient } from './client.js';
import { ALICE, BOB, CAROL, DAVE, nos, startHarness, type Harness } from './harness.js';

/** Bound on how long the server may take to close a hostile connection (generous: CI has 2 noisy cores). */
const CLOSE_WITHIN_MS = 3000;
/** How long each attack keeps going while the honest session trades. */
const ATTACK_MS = 400;
const LOGON_TIMEOUT_MS = 300;
const MAX_PENDING_PER_ADDRESS = 8;

/** The honest session: one IOC order at a time on an empty book, each must be acked and finished. */
class Pinger {
  roundTrips = 0;
  error: Error | null = null;
  private running = true;
  private readonly done: Promise<void>;

  constructor(
    private readonly c: TestClient,
    private readonly h: Harness,
  ) {
    this.done = this.loop().catch((err: Error) => {
      this.error = err;
    });
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const from = this.c.received.length;
      const id = this.h.comb();
      this.c.send('D', nos({ id, qty: '0.001', price: '1000', symbol: 'PF_XBTUSD', execInst: 's', tif: '3' }));
      await this.c.waitFor((m) => m.type === '8' && m.get(11) === id && m.get(150) === '4', 5000, from);
      const ack = this.c.received.slice(from).find((m) => m.type === '8' && m.get(11) === id && m.get(150) === '0');
      if (ack === undefined) throw new Error(`order ${id} finished without an ack`);
      this.roundTrips++;
      await new Promise((r) => setTimeout(r, 1));
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }
}

let h: Harness;
let honest: TestClient;
let pinger: Pinger;
const logLines: string[] = [];

beforeAll(async () => {
  h = await startHarness({
    derivativesBucket: { capacity: 1e12, refillPerSec: 1e12 },
    logonTimeoutMs: LOGON_TIMEOUT_MS,
    maxPendingPerAddress: MAX_PENDING_PER_ADDRESS,
    log: (line) => logLines.push(line),
  });
  honest = await h.deriv(ALICE);
  expect(honest.received.at(-1)?.type).toBe('A');
  pinger = new Pinger(honest, h);
});

afterAll(async () => {
  await pinger?.stop();
  await h?.close();
});

function hostile(): SimulatorStats['hostile'] {
  return h.sim.stats().hostile;
}

/** Runs `attack` from `workers` parallel attackers for ATTACK_MS; checks the honest session traded meanwhile. */
async function during(workers: number, attack: () => Promise<void>): Promise<number> {
  const before = pinger.roundTrips;
  const end = Date.now() + ATTACK_MS;
  let attempts = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < end) {
        attempts++;
        await attack();
      }
    }),
  );
  expect(pinger.error).toBeNull();
  expect(pinger.roundTrips - before).toBeGreaterThanOrEqual(3);
  expect(honest.closed).toBe(false);
  return attempts;
}

/** A raw connection: `feed` writes to it until the server closes it; resolves with the close. */
function raw(port: number, feed: (s: Socket) => void): Promise<{ closedAfterMs: number; received: number }> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port });
    let t0 = 0;
    let received = 0;
    const guard = setTimeout(() => {
      s.destroy();
      reject(new Error(`server did not close the connection within ${CLOSE_WITHIN_MS} ms`));
    }, CLOSE_WITHIN_MS);
    s.on('connect', () => {
      t0 = Date.now();
      feed(s);
    });
    s.on('data', (d) => (received += d.length));
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(guard);
      resolve({ closedAfterMs: t0 === 0 ? 0 : Date.now() - t0, received });
    });
  });
}

/** Writes `chunk()` every millisecond until the socket closes. */
function stream(s: Socket, chunk: () => Buffer): void {
  const timer = setInterval(() => {
    if (s.destroyed || !s.writable) clearInterval(timer);
    else s.write(chunk());
  }, 1);
  s.on('close', () => clearInterval(timer));
}

/** Random bytes without '8' (0x38), so they can never start a FIX frame. */
function garbage(n: number): Buffer {
  const b = randomBytes(n);
  for (let i = 0; i < n; i++) if (b[i] === 0x38) b[i] = 0x39;
  return b;
}

describe('hostile peers are cut off and counted, the honest session keeps trading', () => {
  it('garbage before logon: closed at the first unframeable bytes', async () => {
    const before = hostile();
    const attempts = await during(4, async () => {
      const r = await raw(h.sim.ports.derivTrading, (s) => stream(s, () => garbage(4096)));
      expect(r.received).toBe(0);
    });
    expect(hostile().garbage - before.garbage).toBe(attempts);
    expect(logLines.some((l) => /garbage/.test(l) && /totals garbage=\d+/.test(l))).toBe(true);
  });

  it('garbage after logon: Logout with the reason, then closed', async () => {
    const before = hostile();
    const attempts = await during(1, async () => {
      const c = await h.deriv(BOB);
      expect(c.received.at(-1)?.type).toBe('A');
      stream(c.socket, () => garbage(4096));
      await c.waitClosed(CLOSE_WITHIN_MS);
      expect(c.received.find((m) => m.type === '5')?.get(58)).toMatch(/^garbled input/);
    });
    expect(hostile().garbage - before.garbage).toBe(attempts);
  });

  it('endless Logon (bytes run past the declared BodyLength, no CheckSum ever): closed at the declared end', async () => {
    const before = hostile();
    const attempts = await during(2, async () => {
      await raw(h.sim.ports.derivTrading, (s) => {
        s.write('8=FIX.4.4\x019=60000\x0135=A\x0134=1\x0149=EVE\x0156=KRAKEN-DRV-TRD\x01');
        stream(s, () => Buffer.alloc(4096, 0x78));
      });
    });
    expect(hostile().garbage - before.garbage).toBe(attempts);
  });

  it('stalled Logon (half a message, then silence): closed at the logon timeout', async () => {
    const before = hostile();
    const attempts = await during(2, async () => {
      const r = await raw(h.sim.ports.derivTrading, (s) => s.write('8=FIX.4.4\x019=200\x0135=A\x0134=1\x01'));
      expect(r.closedAfterMs).toBeGreaterThanOrEqual(LOGON_TIMEOUT_MS - 50);
    });
    expect(hostile().logonTimeouts - before.logonTimeouts).toBe(attempts);
  });

  it('oversize message before and after logon: closed at the BodyLength', async () => {
    const before = hostile();
    const huge = '8=FIX.4.4\x019=70000\x0135=D\x01';
    const attempts = await during(1, async () => {
      await raw(h.sim.ports.derivTrading, (s) => {
        s.write(huge);
        stream(s, () => Buffer.alloc(4096, 0x78));
      });
      const c = await h.deriv(CAROL);
      expect(c.received.at(-1)?.type).toBe('A');
      c.socket.write(huge);
      stream(c.socket, () => Buffer.alloc(4096, 0x78));
      await c.waitClosed(CLOSE_WITHIN_MS);
      expect(c.received.find((m) => m.type === '5')?.get(58)).toMatch(/^message too large/);
    });
    expect(hostile().oversize - before.oversize).toBe(2 * attempts);
  });

  it('connection flood: over the per-address cap refused at accept, the rest closed at the logon timeout', async () => {
    const before = hostile();
    let slow = 0;
    const attempts = await during(3 * MAX_PENDING_PER_ADDRESS, async () => {
      const r = await raw(h.sim.ports.derivTrading, () => {});
      if (r.closedAfterMs >= LOGON_TIMEOUT_MS / 2) slow++;
    });
    const after = hostile();
    const refused = after.connectionsRefused - before.connectionsRefused;
    const timedOut = after.logonTimeouts - before.logonTimeouts;
    expect(refused + timedOut).toBe(attempts);
    expect(refused).toBeGreaterThan(0);
    expect(timedOut).toBeGreaterThan(0);
    // Every connection counted as timed out was held for the timeout (refused ones close at once).
    expect(slow).toBeGreaterThanOrEqual(timedOut);
  });

  it('wrong credentials: refused, closed and counted; a CompID failing too often is throttled', async () => {
    const before = hostile();
    const limit = 10;
    const texts: string[] = [];
    for (let i = 0; i < limit + 3; i++) {
      const c = await h.deriv(DAVE, { badSignature: true });
      const m = c.received.at(-1)!;
      expect(m.type).toBe('5');
      texts.push(m.get(58) ?? '');
      await c.waitClosed(CLOSE_WITHIN_MS);
    }
    // The limit is 10 failures: the 11th is still checked (and trips the throttle), later ones are not.
    expect(texts.slice(0, limit + 1)).toEqual(Array(limit + 1).fill('Invalid signature'));
    expect(texts.slice(limit + 1)).toEqual(Array(2).fill('Too many failed logons, try again later'));
    // While throttled even the right signature is refused unchecked.
    const ok = await h.deriv(DAVE);
    expect(ok.received.at(-1)?.get(58)).toBe('Too many failed logons, try again later');
    await ok.waitClosed(CLOSE_WITHIN_MS);

    // The honest CompID from another connection: refused as a duplicate, the honest session untouched.
    const dup = await TestClient.connect({ port: h.sim.ports.derivTrading, sender: ALICE.derivatives!.senderCompID, target: TARGET_COMP_IDS.derivTrading, clock: h.clock });
    h.clock.advanceMs(1);
    dup.logon({ apiKey: 'guess', apiSecret: Buffer.from('guess').toString('base64') });
    await dup.waitClosed(CLOSE_WITHIN_MS);
    expect(dup.received).toEqual([]);

    const after = hostile();
    expect(after.badLogons - before.badLogons).toBe(limit + 3 + 1 + 1);
    expect(after.logonsThrottled - before.logonsThrottled).toBe(3);
    const before2 = pinger.roundTrips;
    await new Promise((r) => setTimeout(r, 100));
    expect(pinger.roundTrips).toBeGreaterThan(before2);
    expect(pinger.error).toBeNull();
    expect(honest.closed).toBe(false);
  });

  it('the honest session was never disconnected and saw no Logout', () => {
    expect(honest.closed).toBe(false);
    expect(honest.received.filter((m) => m.type === '5')).toEqual([]);
    expect(pinger.error).toBeNull();
    expect(pinger.roundTrips).toBeGreaterThan(20);
  });
});

describe('LogonThrottle', () => {
  it('blocks a key after more than `failures` within the window, for one window, and only that key', () => {
    const t = new LogonThrottle({ failures: 3, windowMs: 1000 });
    const us = (ms: number) => ms * 1000;
    for (let i = 0; i < 3; i++) expect(t.fail('A', us(i))).toBe(false);
    expect(t.blocked('A', us(3))).toBe(false);
    expect(t.fail('A', us(10))).toBe(true);
    expect(t.blocked('A', us(11))).toBe(true);
    expect(t.blocked('B', us(11))).toBe(false);
    expect(t.blocked('A', us(1009))).toBe(true);
    expect(t.blocked('A', us(1010))).toBe(false);
  });

  it('forgets failures spread wider than the window; false disables it', () => {
    const t = new LogonThrottle({ failures: 2, windowMs: 1000 });
    for (let i = 0; i < 10; i++) expect(t.fail('A', i * 600_000)).toBe(false);
    const off = new LogonThrottle(false);
    for (let i = 0; i < 100; i++) expect(off.fail('A', i)).toBe(false);
    expect(off.blocked('A', 100)).toBe(false);
  });
});
