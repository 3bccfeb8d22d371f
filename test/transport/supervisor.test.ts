// The supervised initiator over real loopback sockets, its timers stepped by a FakeScheduler and its
// jitter drawn from a seeded source: failover, logon timeout ("connected" = logged on), reconnect
// with resumed sequence numbers, backoff and give-up, stop, the outbound buffer bound, TLS, Nagle off.
import { mkdtempSync } from 'node:fs';
import { createServer, Socket, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SystemClock, getDictionary } from '../../src/codec/index.js';
import { FixSession, type SessionApplication } from '../../src/session/index.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { simulatorCertificate } from '../../src/sim/tls-cert.js';
import {
  Backoff,
  InitiatorState,
  clientTlsOptions,
  seededRandom,
  serverTlsOptions,
  startAcceptor,
  startInitiator,
  type AcceptorHandle,
  type InitiatorEvent,
  type InitiatorSupervisor,
  type SupervisorOptions,
} from '../../src/transport/index.js';
import { FakeScheduler } from './fake-scheduler.js';

const clock = new SystemClock();

function session(role: 'initiator' | 'acceptor', application: SessionApplication = {}) {
  return new FixSession({
    role,
    senderCompID: role === 'initiator' ? 'CLIENT' : 'EXCH',
    targetCompID: role === 'initiator' ? 'EXCH' : 'CLIENT',
    dictionary: getDictionary({ kraken: false }),
    store: new MemoryStore({ sessionStartMicros: clock.nowMicros() }),
    clock,
    heartBtIntSec: 30,
    validation: { enabled: true },
    application,
  });
}

function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (cond()) resolve();
      else if (Date.now() > deadline) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(poll, 5);
    };
    poll();
  });
}

/** A port nothing listens on (bound then released). */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  vi.restoreAllMocks();
});

async function acceptorFor(server: FixSession, extra: Partial<Parameters<typeof startAcceptor>[0]> = {}): Promise<AcceptorHandle> {
  const a = await startAcceptor({ port: 0, sessions: (s, t) => (s === 'CLIENT' && t === 'EXCH' ? server : undefined), ...extra });
  cleanups.push(() => a.close());
  return a;
}

/** A TCP server that accepts and never says a word (a venue that does not answer Logons). */
async function silentServer(): Promise<{ port: number; server: Server }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }));
  return { port: (server.address() as { port: number }).port, server };
}

function supervise(options: Omit<SupervisorOptions, 'scheduler' | 'onEvent'>, scheduler: FakeScheduler): { sup: InitiatorSupervisor; events: InitiatorEvent[] } {
  const events: InitiatorEvent[] = [];
  const sup = startInitiator({ ...options, scheduler, onEvent: (e) => events.push(e) });
  cleanups.push(() => sup.stop({ logout: false }));
  return { sup, events };
}

const kinds = (events: InitiatorEvent[]) => events.map((e) => e.kind);
const last = (events: InitiatorEvent[], kind: InitiatorEvent['kind']) => [...events].reverse().find((e) => e.kind === kind);

describe('InitiatorSupervisor', () => {
  it('fails over to the next endpoint after a jittered backoff, with Nagle off', async () => {
    const noDelay = vi.spyOn(Socket.prototype, 'setNoDelay');
    const server = session('acceptor');
    const live = await acceptorFor(server);
    const dead = await deadPort();
    const sched = new FakeScheduler();
    const client = session('initiator');
    const reconnect = { initialDelayMs: 200, jitter: 0.5 };
    const { sup, events } = supervise({ session: client, endpoints: [{ host: '127.0.0.1', port: dead }, { host: '127.0.0.1', port: live.port }], reconnect, random: seededRandom(1) }, sched);

    await until(() => sup.state === InitiatorState.Waiting, 'the first attempt to fail');
    const failed = last(events, 'attempt-failed') as Extract<InitiatorEvent, { kind: 'attempt-failed' }>;
    expect(failed.endpoint.port).toBe(dead);
    expect(failed.reason).toMatch(new RegExp(`connect to 127.0.0.1:${dead} failed: .*ECONNREFUSED`));
    const retry = last(events, 'retry') as Extract<InitiatorEvent, { kind: 'retry' }>;
    expect(retry.endpoint.port).toBe(live.port);
    expect(retry.delayMs).toBe(new Backoff(reconnect, seededRandom(1)).delayMs(1));
    expect(retry.delayMs).toBeGreaterThanOrEqual(100);
    expect(retry.delayMs).toBeLessThanOrEqual(200);

    // Nothing happens before the backoff has elapsed.
    sched.advance(retry.delayMs - 1);
    await new Promise((r) => setTimeout(r, 30));
    expect(sup.state).toBe(InitiatorState.Waiting);
    sched.advance(1);
    await sup.whenLoggedOn(5000);
    expect(kinds(events)).toEqual(['connecting', 'attempt-failed', 'retry', 'connecting', 'transport-up', 'logged-on']);
    expect(client.isLoggedOn && server.isLoggedOn).toBe(true);
    expect(sup.endpoint.port).toBe(live.port);
    expect(noDelay.mock.contexts).toContain(sup.socket);
    expect(noDelay.mock.calls.every((c) => c[0] === true)).toBe(true);
  });

  it('counts an attempt as connected only when the Logon is answered: a silent host times out', async () => {
    const silent = await silentServer();
    const server = session('acceptor');
    const live = await acceptorFor(server);
    const sched = new FakeScheduler();
    const client = session('initiator');
    const { sup, events } = supervise(
      { session: client, endpoints: [{ host: '127.0.0.1', port: silent.port }, { host: '127.0.0.1', port: live.port }], logonTimeoutMs: 5000, reconnect: { initialDelayMs: 50, jitter: 0 } },
      sched,
    );
    let loggedOn = false;
    void sup.whenLoggedOn(60_000).then(() => { loggedOn = true; }, () => {});
    await until(() => sup.state === InitiatorState.LoggingOn, 'TCP up at the silent host');
    expect(client.isConnected).toBe(true);
    sched.advance(4999);
    await new Promise((r) => setTimeout(r, 30));
    expect(sup.state).toBe(InitiatorState.LoggingOn);
    expect(loggedOn).toBe(false);
    sched.advance(1);
    await until(() => sup.state === InitiatorState.Waiting, 'the logon timeout');
    expect((last(events, 'attempt-failed') as { reason: string }).reason).toBe(`no Logon answer from 127.0.0.1:${silent.port} within 5000 ms`);
    expect(client.isConnected).toBe(false);
    sched.advance(50);
    await until(() => loggedOn, 'logon at the second host');
    expect(sup.endpoint.port).toBe(live.port);
  });

  it('treats a refused Logon as a failed attempt, with the counterparty\'s reason', async () => {
    const server = session('acceptor', { onLogonIn: () => 'bad signature' });
    const live = await acceptorFor(server);
    const sched = new FakeScheduler();
    const { sup, events } = supervise({ session: session('initiator'), endpoints: [{ host: '127.0.0.1', port: live.port }], reconnect: { maxAttempts: 2, initialDelayMs: 10, jitter: 0 } }, sched);
    await until(() => sup.state === InitiatorState.Waiting, 'the refused logon');
    expect((last(events, 'attempt-failed') as { reason: string }).reason).toBe('Logon refused by counterparty: bad signature');
    expect(kinds(events)).not.toContain('logged-on');
    await until(() => !server.isConnected, 'the acceptor to drop the connection');
    sched.advance(10);
    await until(() => sup.state === InitiatorState.Stopped, 'give up after the second refusal');
    expect(last(events, 'gave-up')).toMatchObject({ reason: 'gave up after 2 consecutive failed attempts; last: Logon refused by counterparty: bad signature' });
  });

  it('reconnects to the same endpoint after a drop and resumes sequence numbers without a reset', async () => {
    const got: string[] = [];
    const server = session('acceptor', { onAppMessage: (_s, v, possDup) => got.push(`${v.getString(11)}${possDup ? '*' : ''}`) });
    const live = await acceptorFor(server);
    const sched = new FakeScheduler();
    const client = session('initiator');
    const { sup, events } = supervise({ session: client, endpoints: [{ host: '127.0.0.1', port: live.port }], reconnect: { initialDelayMs: 100, jitter: 0 } }, sched);
    await sup.whenLoggedOn(5000);
    const nos = (id: string) => client.sendFields('D', [[11, id], [40, '1'], [54, '1'], [55, 'X'], [60, '20240514-12:00:00']]);
    expect(nos('c1')).toBe(2);
    await until(() => got.length === 1, 'c1 at the acceptor');
    sup.dropConnection('cable pulled');
    await until(() => sup.state === InitiatorState.Waiting && !server.isConnected, 'both sides to see the drop');
    expect(last(events, 'disconnected')).toEqual({ kind: 'disconnected', endpoint: { host: '127.0.0.1', port: live.port }, reason: 'cable pulled' });
    expect(last(events, 'retry')).toMatchObject({ endpoint: { port: live.port }, delayMs: 100, failures: 1 });
    sched.advance(100);
    await sup.whenLoggedOn(5000);
    // Logon 3 (no ResetSeqNumFlag): both sides kept their numbers.
    expect(client.nextSenderMsgSeqNum()).toBe(4);
    expect(nos('c2')).toBe(4);
    await until(() => got.length === 2, 'c2 at the acceptor');
    expect(got).toEqual(['c1', 'c2']);
  });

  it('backs off exponentially across failures, alternating hosts, and gives up after maxAttempts', async () => {
    const [a, b] = [await deadPort(), await deadPort()];
    const sched = new FakeScheduler();
    const reconnect = { initialDelayMs: 100, multiplier: 3, maxDelayMs: 1000, jitter: 0.3, maxAttempts: 5 };
    const { sup, events } = supervise({ session: session('initiator'), endpoints: [{ host: '127.0.0.1', port: a }, { host: '127.0.0.1', port: b }], reconnect, random: seededRandom(9) }, sched);
    const gaveUp = sup.whenLoggedOn(60_000).then(() => 'logged on', (e: Error) => e.message);
    for (let i = 1; i < 5; i++) {
      await until(() => events.filter((e) => e.kind === 'retry').length === i, `retry ${i}`);
      sched.advance((last(events, 'retry') as { delayMs: number }).delayMs);
    }
    await until(() => sup.state === InitiatorState.Stopped, 'give up');
    const expected = new Backoff(reconnect, seededRandom(9));
    const retries = events.filter((e) => e.kind === 'retry') as Extract<InitiatorEvent, { kind: 'retry' }>[];
    expect(retries.map((r) => r.delayMs)).toEqual([1, 2, 3, 4].map((n) => expected.delayMs(n)));
    expect(retries.map((r) => r.delayMs)[3]).toBeLessThanOrEqual(1000);
    expect(retries.map((r) => r.delayMs)[3]).toBeGreaterThan(retries[0]!.delayMs);
    const tried = (events.filter((e) => e.kind === 'connecting') as Extract<InitiatorEvent, { kind: 'connecting' }>[]).map((e) => e.endpoint.port);
    expect(tried).toEqual([a, b, a, b, a]);
    expect(last(events, 'gave-up')).toMatchObject({ reason: expect.stringMatching(/gave up after 5 consecutive failed attempts; last: connect to .* failed/) });
    expect(await gaveUp).toMatch(/initiator stopped: gave up/);
    await sup.stop();
  });

  it('stop() logs out and never reconnects; stop while waiting cancels the retry', async () => {
    const server = session('acceptor');
    const live = await acceptorFor(server);
    const sched = new FakeScheduler();
    const client = session('initiator');
    const { sup, events } = supervise({ session: client, endpoints: [{ host: '127.0.0.1', port: live.port }] }, sched);
    await sup.whenLoggedOn(5000);
    await sup.stop({ text: 'bye' });
    expect(sup.state).toBe(InitiatorState.Stopped);
    expect(last(events, 'stopped')).toEqual({ kind: 'stopped', reason: 'logout complete' });
    await until(() => !server.isConnected, 'the acceptor to see the logout');
    sched.advance(120_000);
    expect(kinds(events).filter((k) => k === 'connecting')).toHaveLength(1);
    await expect(sup.whenLoggedOn()).rejects.toThrow(/stopped/);

    const sched2 = new FakeScheduler();
    const { sup: sup2, events: events2 } = supervise({ session: session('initiator'), endpoints: [{ host: '127.0.0.1', port: await deadPort() }] }, sched2);
    await until(() => sup2.state === InitiatorState.Waiting, 'a failed attempt');
    await sup2.stop();
    expect(sched2.pendingOneShots()).toEqual([]);
    sched2.advance(120_000);
    expect(kinds(events2)).toEqual(['connecting', 'attempt-failed', 'retry', 'stopped']);
  });

  it('drops a connection whose peer stops reading once the outbound buffer passes its bound', async () => {
    const server = session('acceptor');
    const serverSockets: Socket[] = [];
    const live = await acceptorFor(server);
    live.server.on('connection', (s: Socket) => serverSockets.push(s));
    const sched = new FakeScheduler();
    const client = session('initiator');
    const limit = 256 * 1024;
    const { sup, events } = supervise({ session: client, endpoints: [{ host: '127.0.0.1', port: live.port }], maxBufferedBytes: limit, reconnect: { initialDelayMs: 1000 } }, sched);
    await sup.whenLoggedOn(5000);
    serverSockets[0]!.pause();
    const text = 'x'.repeat(4000);
    let maxQueued = 0;
    let sent = 0;
    // Far more than loopback buffers hold: without the bound Node would queue all of it.
    for (let i = 0; i < 10_000 && sup.socket !== null && !sup.socket.destroyed; i++) {
      client.sendFields('D', [[11, `c${i}`], [40, '1'], [54, '1'], [55, 'X'], [58, text], [60, '20240514-12:00:00']]);
      sent++;
      maxQueued = Math.max(maxQueued, sup.bufferedBytes);
    }
    await until(() => sup.state === InitiatorState.Waiting, 'the overflow drop');
    expect(sent).toBeLessThan(10_000);
    expect(maxQueued).toBeLessThanOrEqual(limit + 4200);
    expect((last(events, 'disconnected') as { reason: string }).reason).toMatch(/^outbound buffer limit exceeded: \d+ bytes not taken by the peer \(limit 262144\); connection dropped$/);
    expect(client.isConnected).toBe(false);
    // Everything sent is in the store, ready for the resend after reconnect.
    expect(client.nextSenderMsgSeqNum()).toBe(sent + 2);
  });

  it('connects over TLS 1.3 and explains a certificate failure', async () => {
    const cert = await simulatorCertificate(mkdtempSync(join(tmpdir(), 'kfix-tls-')));
    const server = session('acceptor');
    const live = await acceptorFor(server, { tls: serverTlsOptions(cert.key, cert.cert) });
    const ep = [{ host: '127.0.0.1', port: live.port }];

    const { sup: bad, events: badEvents } = supervise({ session: session('initiator'), endpoints: ep, tls: clientTlsOptions({ host: '127.0.0.1' }, () => {}), reconnect: { maxAttempts: 1 } }, new FakeScheduler());
    await until(() => bad.state === InitiatorState.Stopped, 'the TLS failure');
    expect((last(badEvents, 'attempt-failed') as { reason: string }).reason).toMatch(/^TLS handshake with 127\.0\.0\.1:\d+ failed: the server certificate is self-signed and not trusted .*\[DEPTH_ZERO_SELF_SIGNED_CERT\]/);

    const client = session('initiator');
    const { sup } = supervise({ session: client, endpoints: ep, tls: () => clientTlsOptions({ host: '127.0.0.1', ca: cert.cert, servername: 'localhost' }, () => {}) }, new FakeScheduler());
    await sup.whenLoggedOn(5000);
    expect((sup.socket as import('node:tls').TLSSocket).getProtocol()).toBe('TLSv1.3');
    await sup.stop();
  });

  it('rejects bad configuration clearly', () => {
    const s = session('initiator');
    expect(() => startInitiator({ session: s, endpoints: [] })).toThrow(/at least one endpoint/);
    expect(() => startInitiator({ session: s, endpoints: [{ host: '127.0.0.1', port: 0 }] })).toThrow(/invalid port/);
    expect(() => startInitiator({ session: s, endpoints: [{ host: '127.0.0.1', port: 1 }], reconnect: { jitter: -1 } })).toThrow(/jitter/);
  });
});
