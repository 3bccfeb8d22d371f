// The engine's own recovery, case by case (the campaign runs it under seeded faults): an order the venue
// never received is reported back, commands while the session is down are refused at once, reconnect can
// be switched off, and refused logons back off and end in a final error instead of a fast loop.
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, type EngineHandle } from '../../../src/engine/index.js';
import { DEFAULT_ACCOUNTS, startKrakenSimulator, type SimulatorHandle } from '../../../src/sim/index.js';
import { isNotDelivered } from './invariants.js';
import { ALICE, campaignEngineConfig, FREE_PORTS, Rig, sleep, until } from './rig.js';

const PRO = DEFAULT_ACCOUNTS.map((a) => ({ ...a, tier: 'pro' as const }));

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('orders the venue never received', () => {
  it('a NewOrderSingle lost on the wire and gap-filled is rejected locally as not delivered', async () => {
    // Up message 1 is the Logon, 2.. are NewOrderSingles (no cancels): #4 never reaches the venue; #5
    // reveals the gap and is held by the venue, which asks from 4 up to what we sent (EndSeqNo 0); the
    // engine gap-fills that range, so 4, 5 and any order sent before the ResendRequest arrived never
    // reach the venue's book.
    rig = await Rig.start({
      scenario: { name: 'lost-order', seed: 1, rules: [{ kind: 'swallow', dir: 'up', conn: 0, messages: [4] }] },
      sim: { accounts: PRO },
      params: { orders: 8, intervalMs: 10, cancelEvery: 0 },
    });
    await rig.drive(8);
    await rig.drain();
    const log = rig.log();
    const undelivered = log.rejects.filter(isNotDelivered);
    expect(undelivered.length).toBeGreaterThanOrEqual(1);
    for (const line of undelivered) {
      expect(line).toMatch(/^\d+ L engine:_SEND_FAILED:_not_delivered:_dropped_in_reconnect_gap_fill,_never_reached_the_venue$/);
      const id = line.split(' ')[0]!;
      expect(log.placed).toContain(id);
      expect(rig.sim.orders(ALICE.senderCompID).some((o) => o.clOrdID === id)).toBe(false);
    }
    // The first of them is the swallowed one: the third order placed.
    expect(undelivered[0]!.split(' ')[0]).toBe(log.placed[2]);
    expect(rig.lastCounters!.notDelivered).toBe(undelivered.length);
    expect(rig.recoveries).toBe(0);
    const check = rig.check();
    expect(check).toMatchObject({ ok: true, notDelivered: undelivered.length, unbooked: 0, booked: 8 - undelivered.length });
  }, 20_000);
});

describe('while the session is down', () => {
  it('refuses commands at once with the reason, and reconnect: false makes a drop final', async () => {
    rig = await Rig.start({
      scenario: { name: 'drop-final', seed: 1, rules: [{ kind: 'drop', dir: 'down', conn: 0, atMessage: 4 }] },
      sim: { accounts: PRO },
      params: { orders: 1_000, intervalMs: 10, cancelEvery: 0, placeWhileDown: true },
      engine: { reconnect: false },
    });
    const engine = await rig.startEngine();
    await until(() => engine.health().state === 'disconnected', 'the drop to be final');
    const down = () => rig!.log().rejects.filter((r) => r.includes('session_down_for_good'));
    await until(() => down().length >= 2, 'commands placed while down to be refused');
    expect(down()[0]).toMatch(/^\d+ L engine:_NOT_LOGGED_ON:_session_down_for_good/);
    const h = engine.health();
    expect(h.errors.some((e) => e.final && e.source === 'session' && /reconnect is off/.test(e.message))).toBe(true);
    expect(h.reconnects).toBe(0);
    await sleep(300);
    expect(rig.proxy.counters().accepted).toBe(1);
  }, 20_000);

  it('reconnects by itself and refuses commands until logged on again ("reconnecting")', async () => {
    rig = await Rig.start({
      scenario: { name: 'drop-reconnect', seed: 1, rules: [{ kind: 'drop', dir: 'down', conn: 0, atMessage: 4 }] },
      sim: { accounts: PRO },
      params: { orders: 1_000, intervalMs: 5, cancelEvery: 0, placeWhileDown: true },
      engine: { reconnectMs: 300 },
    });
    const engine = await rig.startEngine();
    // health() reports the reconnect and the state it leads to together (one message from the worker).
    await until(() => engine.health().reconnects === 1, 'the engine to reconnect');
    expect(engine.health().state).toBe('running');
    expect(engine.counters().reconnects).toBe(1);
    expect(engine.health().errors.some((e) => !e.final && /reconnecting in \d+/.test(e.message))).toBe(true);
    expect(rig.log().rejects.some((r) => /^\d+ L engine:_NOT_LOGGED_ON:_session_disconnected,_reconnecting/.test(r))).toBe(true);
    expect(rig.log().status.join(' ')).toMatch(/S 0 4.*S 2 1.*S 3 2/);
    // 141=N: the numbers went on from the first connection's.
    expect(engine.counters().nextSenderMsgSeqNum).toBeGreaterThan(4);
  }, 20_000);
});

describe('refused logons', () => {
  let simA: SimulatorHandle | undefined;
  let simB: SimulatorHandle | undefined;
  let engine: EngineHandle | undefined;
  afterEach(async () => {
    await engine?.stop();
    await simA?.close();
    await simB?.close();
    engine = simA = simB = undefined;
  });

  it('back off and end in a final error after maxLogonRefusals in a row', async () => {
    simA = await startKrakenSimulator({ ports: FREE_PORTS, flow: { enabled: false }, accounts: PRO });
    const port = simA.ports.spotTrading;
    const control = new SharedArrayBuffer(16);
    const errors: string[] = [];
    engine = await startEngine(
      campaignEngineConfig({
        port,
        journalDir: `${process.env.TMPDIR ?? '/tmp'}/kfix-refused-${process.pid}-${Date.now()}`,
        logPath: '/dev/null',
        control,
        params: { orders: 0 },
        extra: { reconnectMs: 40, reconnectMaxMs: 200, maxLogonRefusals: 3, store: { kind: 'sequence' } },
      }),
      { onError: (e) => errors.push(`${e.final ? 'FINAL ' : ''}${e.message}`) },
    );
    // The venue comes back with another secret for ALICE: every logon is refused with a Logout.
    await simA.close();
    simA = undefined;
    const wrong = PRO.map((a) => (a.name === 'alice' ? { ...a, spot: { ...a.spot!, apiSecret: Buffer.from('not-the-secret').toString('base64') } } : a));
    simB = await startKrakenSimulator({ ports: { ...FREE_PORTS, spotTrading: port }, flow: { enabled: false }, accounts: wrong });
    await until(() => engine!.health().state === 'disconnected', 'the engine to give up', 10_000);
    const c = engine.counters();
    expect(c.logonsRefused).toBe(3);
    expect(errors.some((e) => e.startsWith('FINAL ') && /3 logons refused in a row, giving up; last: Logon refused by counterparty/.test(e))).toBe(true);
    // Given up for good: no further attempt.
    const attempts = c.reconnectAttempts;
    await sleep(500);
    expect(engine.counters().reconnectAttempts).toBe(attempts);
    expect(simB.stats().logonsRefused ?? 3).toBeGreaterThanOrEqual(3);
  }, 20_000);
});
