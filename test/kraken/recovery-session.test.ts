// Kraken session profiles on a real sans-I/O FixSession (ManualClock, fake transport output, counterparty messages
// built with FixEncoder): Logon fields and signature, pre-logon clock-drift refusal, and the recovery rules after a
// reconnect and after the 22:00 UTC rollover (instrument list, MD resubscription under new MDReqIDs, Order status
// requests for open orders).

import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/codec/index.js';
import type { SessionOutput } from '../../src/session/index.js';
import { MemoryStore } from '../../src/store/index.js';
import { Credentials, krakenLogonPassword } from '../../src/kraken/index.js';
import { SubState } from '../../src/kraken/md/index.js';
import {
  KRAKEN_SERVICES,
  type KrakenSessionEvent,
  ServerClockMonitor,
  createKrakenSession,
  krakenEndpoint,
  krakenSessionConfig,
  senderCompIDWarnings,
} from '../../src/kraken/session/index.js';
import { makeTable } from './helpers.js';
import { type Fields, encode, field, wireText } from './md-wire.js';

const SOH_RE = /\x01/g;

class FakeOutput implements SessionOutput {
  readonly msgs: string[] = [];
  readonly disconnects: string[] = [];
  write(bytes: Uint8Array, offset: number, length: number): void {
    this.msgs.push(wireText(bytes.subarray(offset, offset + length)));
  }
  disconnect(reason: string): void {
    this.disconnects.push(reason);
  }
  types(): string[] {
    return this.msgs.map((m) => field(m, 35)!);
  }
}

/** 2025-03-03 21:58:00 UTC: two minutes before Kraken's rollover. */
const START_MICROS = Date.UTC(2025, 2, 3, 21, 58, 0) * 1000;
const CREDS = new Credentials('APIKEY', 'c2VjcmV0');
const BTC = { priceDecimals: 1, qtyDecimals: 8 };
const W_BODY: Fields = [[55, 'BTC/USD'], [268, '2'], [269, '0'], [278, 'B30299.9'], [270, '30299.9'], [271, '1.5'], [269, '1'], [278, 'O30300.0'], [270, '30300.0'], [271, '0.75']];

/** Drives one session as the counterparty would. */
class Peer {
  seq = 1;
  constructor(
    readonly session: { onBytes(b: Uint8Array): void; onConnect(o: SessionOutput): void },
    readonly clock: ManualClock,
    readonly compID: string,
  ) {}
  send(msgType: string, fields: Fields, micros = this.clock.micros): void {
    this.session.onBytes(encode(msgType, fields, { seq: this.seq++, sender: this.compID, target: 'CLIENT', micros }));
  }
  /** New connection: our Logon goes out, the peer answers with 141=Y. Returns the connection's output. */
  connect(answer = true): FakeOutput {
    const out = new FakeOutput();
    this.session.onConnect(out);
    this.seq = 1;
    if (answer) this.send('A', [[98, '0'], [108, '60'], [141, 'Y']]);
    return out;
  }
}

describe('profiles', () => {
  it('port / TargetCompID table and SessionConfig defaults follow the spec', () => {
    expect(KRAKEN_SERVICES.map((s) => [s.port, s.venue, s.service, s.targetCompID])).toEqual([
      [4000, 'spot', 'md-l2', 'KRAKEN-MD'],
      [4001, 'spot', 'trading', 'KRAKEN-TRD'],
      [4002, 'derivatives', 'md-l2', 'KRAKEN-DRV-MD'],
      [4003, 'derivatives', 'trading', 'KRAKEN-DRV-TRD'],
      [4004, 'derivatives', 'md-l3', 'KRAKEN-DRV-MD'],
      [4005, 'spot', 'md-l3', 'KRAKEN-MD'],
    ]);
    const clock = new ManualClock(START_MICROS);
    const c = krakenSessionConfig({ venue: 'derivatives', service: 'trading', senderCompID: 'ME_DRV', store: new MemoryStore(), clock });
    expect(c).toMatchObject({
      role: 'initiator', senderCompID: 'ME_DRV', targetCompID: 'KRAKEN-DRV-TRD', heartBtIntSec: 60, resetSeqNumOnLogon: true,
      resendPolicy: 'gap-fill-all', rollover: { hourUtc: 22, minuteUtc: 0 },
      validation: { enabled: true, checkFieldsOutOfOrder: false, checkUserDefinedFields: false },
    });
    expect(krakenSessionConfig({ venue: 'spot', service: 'md-l3', senderCompID: 'ME', store: new MemoryStore(), clock }).validation).toEqual({ enabled: false });
    expect(krakenEndpoint('spot', 'md-l3', 'uat')).toEqual({ host: 'colo-london.vip-fix.uat.kraken.com', port: 4005, servername: 'colo-london.vip-fix.uat.kraken.com' });
    expect(senderCompIDWarnings('derivatives', 'ME')).toHaveLength(1);
    expect(senderCompIDWarnings('derivatives', 'ME_DRV')).toEqual([]);
    expect(() => krakenSessionConfig({ venue: 'spot', service: 'trading', senderCompID: 'has space', store: new MemoryStore(), clock })).toThrow(RangeError);
  });

  it('trading profiles need credentials', () => {
    const clock = new ManualClock(START_MICROS);
    expect(() => createKrakenSession({ venue: 'spot', service: 'trading', senderCompID: 'CLIENT', clock, store: new MemoryStore() })).toThrow(/credentials/);
  });
});

describe('Logon hook', () => {
  it('signs this Logon: 553/554/5025 over its own MsgSeqNum, CompIDs and nonce (spec test vector), plus 8674 and 109', () => {
    const nonceMs = 1724512345678;
    const clock = new ManualClock(nonceMs * 1000);
    const events: KrakenSessionEvent[] = [];
    const { session } = createKrakenSession({
      venue: 'spot', service: 'trading', senderCompID: 'CLIENT', clock, credentials: CREDS, clientID: 'CLIENT',
      store: new MemoryStore({ sessionStartMicros: clock.micros }), overrides: { resetSeqNumOnLogon: false },
      onEvent: (e) => events.push(e),
    });
    session.setNextSenderMsgSeqNum(7);
    const out = new FakeOutput();
    session.onConnect(out);
    expect(out.msgs).toHaveLength(1);
    const logon = out.msgs[0]!;
    expect(logon).toMatch(/\|35=A\|34=7\|49=CLIENT\|52=20240824-15:12:25.678\|56=KRAKEN-TRD\|98=0\|108=60\|553=APIKEY\|554=[^|]+\|5025=1724512345678\|8674=0\|109=CLIENT\|10=/);
    expect(field(logon, 554)).toBe('MwX+M7nvuHXxD5aGI/TFpghXxg2iblxXYyz7lRzLCPMA4UJYI3osNrUKWCiI3fDnOLkEQ5WKSK58Mp3nvu1Klw==');
    expect(field(logon, 554)).toBe(krakenLogonPassword(CREDS, { msgSeqNum: 7, senderCompID: 'CLIENT', targetCompID: 'KRAKEN-TRD', nonce: '1724512345678' }));
    expect(events.map((e) => e.kind)).toEqual(['clock-unverified', 'logon-sent']);
    expect(JSON.stringify(events)).not.toContain('c2VjcmV0');
  });

  it('every Logon signs its own seq and a fresh, increasing nonce (141=Y: seq 1)', () => {
    const clock = new ManualClock(START_MICROS);
    const { session } = createKrakenSession({
      venue: 'derivatives', service: 'trading', senderCompID: 'CLIENT_DRV', clock, credentials: CREDS, store: new MemoryStore({ sessionStartMicros: clock.micros }),
    });
    const peer = new Peer(session, clock, 'KRAKEN-DRV-TRD');
    const nonces: string[] = [];
    for (let i = 0; i < 2; i++) {
      const out = peer.connect(false);
      const logon = out.msgs[0]!;
      expect(field(logon, 141)).toBe('Y');
      expect(field(logon, 34)).toBe('1');
      nonces.push(field(logon, 5025)!);
      expect(field(logon, 554)).toBe(krakenLogonPassword(CREDS, { msgSeqNum: 1, senderCompID: 'CLIENT_DRV', targetCompID: 'KRAKEN-DRV-TRD', nonce: nonces[i]! }));
      session.onDisconnect('test');
    }
    expect(Number(nonces[1])).toBeGreaterThan(Number(nonces[0]));
  });

  it('MD Logons carry no credentials, only 109 when configured', () => {
    const clock = new ManualClock(START_MICROS);
    const { session } = createKrakenSession({ venue: 'spot', service: 'md-l2', senderCompID: 'CLIENT', clientID: 'CLIENT', clock, store: new MemoryStore({ sessionStartMicros: clock.micros }) });
    const out = new FakeOutput();
    session.onConnect(out);
    expect(out.msgs[0]).toMatch(/\|35=A\|34=1\|.*\|98=0\|108=60\|141=Y\|109=CLIENT\|10=/);
    expect(out.msgs[0]).not.toContain('|553=');
  });
});

describe('clock drift before logon', () => {
  it('a sample showing Kraken 10 s away stops the next Logon before it is sent, with a typed event', () => {
    const clock = new ManualClock(START_MICROS);
    const events: KrakenSessionEvent[] = [];
    const { session, profile } = createKrakenSession({
      venue: 'spot', service: 'trading', senderCompID: 'CLIENT', clock, credentials: CREDS, store: new MemoryStore({ sessionStartMicros: clock.micros }),
      orderEntryInstruments: makeTable(), onEvent: (e) => events.push(e),
    });
    const peer = new Peer(session, clock, 'KRAKEN-TRD');
    peer.connect();
    expect(session.isLoggedOn).toBe(true);
    // Kraken's SendingTime is 10 s ahead of our clock (within the session's 120 s accuracy check).
    peer.send('h', [[336, 'SESSION'], [340, '2']], clock.micros + 10_000_000);
    expect(profile.checkClock()).toMatchObject({ status: 'drift', error: { code: 'CLOCK_DRIFT_NONCE_WINDOW' } });
    session.onDisconnect('network');

    const out = new FakeOutput();
    session.onConnect(out);
    expect(out.msgs).toEqual([]); // nothing reached the wire
    expect(out.disconnects).toHaveLength(1);
    expect(out.disconnects[0]).toMatch(/Logon not sent: local clock is 100\d\d ms behind Kraken/);
    expect(session.isConnected).toBe(false);
    const drift = events.find((e) => e.kind === 'clock-drift');
    expect(drift).toMatchObject({ refused: true, error: { code: 'CLOCK_DRIFT_NONCE_WINDOW', limitMs: 5000 } });
    expect((drift as { error: { driftMs: number } }).error.driftMs).toBeLessThan(-9_000);
  });

  it("policy 'warn' reports and still logs on; a good sample passes silently", () => {
    const clock = new ManualClock(START_MICROS);
    const monitor = new ServerClockMonitor();
    monitor.observe(clock.micros + 8_000_000, clock.micros);
    const events: KrakenSessionEvent[] = [];
    const { session } = createKrakenSession({
      venue: 'spot', service: 'trading', senderCompID: 'CLIENT', clock, credentials: CREDS, store: new MemoryStore({ sessionStartMicros: clock.micros }),
      clockMonitor: monitor, clockDriftPolicy: 'warn', onEvent: (e) => events.push(e),
    });
    const out = new FakeOutput();
    session.onConnect(out);
    expect(out.types()).toEqual(['A']);
    expect(events[0]).toMatchObject({ kind: 'clock-drift', refused: false });
    session.onDisconnect('x');
    monitor.observe(clock.micros + 20_000, clock.micros);
    events.length = 0;
    session.onConnect(new FakeOutput());
    expect(events.map((e) => e.kind)).toEqual(['logon-sent']);
  });
});

describe('recovery after reconnect and after the 22:00 UTC rollover', () => {
  it('MD session: instrument list, trading-session status and every subscription re-requested with new MDReqIDs', () => {
    const clock = new ManualClock(START_MICROS);
    const events: KrakenSessionEvent[] = [];
    const { session, md, endpoint } = createKrakenSession({
      venue: 'spot', service: 'md-l2', senderCompID: 'CLIENT', clientID: 'CLIENT', clock,
      store: new MemoryStore({ sessionStartMicros: clock.micros }), md: { idPrefix: 'md' }, onEvent: (e) => events.push(e),
    });
    expect(endpoint.port).toBe(4000);
    const sub = md!.subscribe({ symbols: ['BTC/USD'], depth: 10, decimals: { 'BTC/USD': BTC } });
    if (!sub.ok) throw new Error('subscribe');
    expect(sub.value.state).toBe(SubState.Pending); // not logged on yet: waits
    const peer = new Peer(session, clock, 'KRAKEN-MD');
    const ids: string[] = [];
    const appMessages = (out: FakeOutput) => out.msgs.filter((m) => !['A', '0', '5'].includes(field(m, 35)!));
    const expectRecovery = (out: FakeOutput) => {
      const app = appMessages(out);
      expect(app.map((m) => field(m, 35))).toEqual(['x', 'g', 'V']);
      expect(field(app[0]!, 559)).toBe('4');
      expect(field(app[1]!, 336)).toBe('SESSION');
      expect(field(app[2]!, 263)).toBe('1');
      ids.push(field(app[2]!, 262)!);
      const w = encode('W', [[262, ids[ids.length - 1]!], ...W_BODY], { seq: peer.seq++, sender: 'KRAKEN-MD', target: 'CLIENT', micros: clock.micros });
      session.onBytes(w);
      expect(md!.book('BTC/USD')!.isLive()).toBe(true);
      expect(sub.value.state).toBe(SubState.Live);
    };

    // 1. First logon.
    const out1 = peer.connect();
    expect(field(out1.msgs[0]!, 109)).toBe('CLIENT');
    expectRecovery(out1);

    // 2. Connection lost, then back.
    session.onDisconnect('connection reset by peer');
    expect(sub.value.state).toBe(SubState.Pending);
    expect(md!.book('BTC/USD')!.isLive()).toBe(false);
    clock.advanceMs(5_000);
    const out2 = peer.connect();
    expectRecovery(out2);

    // 3. Crossing 22:00 UTC: the session logs out and drops; after ~30 s it logs on again with 141=Y.
    clock.micros = Date.UTC(2025, 2, 3, 22, 0, 0, 300) * 1000;
    session.onTimer();
    expect(field(out2.msgs[out2.msgs.length - 1]!, 58)).toBe('Session rollover');
    expect(session.isConnected).toBe(false);
    expect(sub.value.state).toBe(SubState.Pending);
    clock.advanceMs(30_000);
    const out3 = peer.connect();
    expect(field(out3.msgs[0]!, 34)).toBe('1');
    expect(field(out3.msgs[0]!, 141)).toBe('Y');
    expectRecovery(out3);

    expect(new Set(ids).size).toBe(3); // a new MDReqID every time
    expect(sub.value.history).toEqual(ids);
    const rec = events.filter((e) => e.kind === 'recovered') as Extract<KrakenSessionEvent, { kind: 'recovered' }>[];
    expect(rec.map((e) => e.cause)).toEqual(['logon', 'reconnect', 'rollover']);
    expect(rec[2]!.md).toEqual({ instrumentRequests: 1, tradingSessionRequests: 1, subscriptions: 1 });
    expect(events.filter((e) => e.kind === 'rollover')).toHaveLength(1);
  });

  it('MD session: an inbound MsgSeqNum gap renews the subscription (books cannot trust a gap fill)', () => {
    const clock = new ManualClock(START_MICROS);
    const events: KrakenSessionEvent[] = [];
    const { session, md } = createKrakenSession({
      venue: 'spot', service: 'md-l2', senderCompID: 'CLIENT', clock, store: new MemoryStore({ sessionStartMicros: clock.micros }),
      md: { idPrefix: 'md' }, onEvent: (e) => events.push(e),
    });
    md!.subscribe({ symbols: ['BTC/USD'], depth: 10, decimals: { 'BTC/USD': BTC } });
    const peer = new Peer(session, clock, 'KRAKEN-MD');
    const out = peer.connect();
    const id = field(out.msgs.filter((m) => field(m, 35) === 'V')[0]!, 262)!;
    peer.send('W', [[262, id], ...W_BODY]);
    const before = out.msgs.length;
    peer.seq++; // one message lost
    peer.send('X', [[262, id], [55, 'BTC/USD'], [268, '1'], [279, '1'], [269, '0'], [270, '30299.9'], [271, '1']]);
    const sent = out.msgs.slice(before);
    expect(sent.map((m) => [field(m, 35), field(m, 262) ?? field(m, 7), field(m, 263) ?? field(m, 16)])).toEqual([
      ['V', id, '2'],
      ['V', md!.subscriptions[0]!.mdReqID, '1'],
      ['2', '3', '0'], // the session's ResendRequest (its 'gap' event comes first)
    ]);
    expect(md!.subscriptions[0]!.mdReqID).not.toBe(id);
    expect(md!.stats.gapResubscribes).toBe(1);
    expect(events.find((e) => e.kind === 'md-gap-resubscribe')).toMatchObject({ subscriptions: 1 });
  });

  it('trading session: open orders get OrderStatusRequests after a reconnect and after the rollover', () => {
    const clock = new ManualClock(START_MICROS);
    const events: KrakenSessionEvent[] = [];
    const { session, trading } = createKrakenSession({
      venue: 'spot', service: 'trading', senderCompID: 'CLIENT', clientID: 'CLIENT', clock, credentials: CREDS,
      store: new MemoryStore({ sessionStartMicros: clock.micros }), orderEntryInstruments: makeTable(), onEvent: (e) => events.push(e),
    });
    const client = trading!;
    const peer = new Peer(session, clock, 'KRAKEN-TRD');
    const out1 = peer.connect();
    expect(field(out1.msgs[0]!, 553)).toBe('APIKEY');

    const placed = client.place({ symbol: 'BTC/USD', side: 'buy', ordType: 'limit', orderQty: '0.01', price: '84000.5', timeInForce: 'GTC' });
    expect(placed.status).toBe('sent');
    const clOrdID = (placed as { clOrdID: string }).clOrdID;
    const filled = client.place({ symbol: 'BTC/USD', side: 'sell', ordType: 'limit', orderQty: '0.01', price: '85000', timeInForce: 'GTC' });
    const filledID = (filled as { clOrdID: string }).clOrdID;
    const er = (id: string, oid: string, execID: string, ordStatus: string, leaves: string) =>
      peer.send('8', [[37, oid], [11, id], [17, execID], [150, ordStatus === '2' ? 'F' : '0'], [39, ordStatus], [54, id === clOrdID ? '1' : '2'], [55, 'BTC/USD'],
        [38, '0.01'], [151, leaves], [14, ordStatus === '2' ? '0.01' : '0'], [6, ordStatus === '2' ? '85000' : '0'], [31, '85000'], [32, ordStatus === '2' ? '0.01' : '0']]);
    er(clOrdID, 'OKWUQF-YPJM2-DTAJHH', 'E1', '0', '0.01');
    er(filledID, 'OFILLD-YPJM2-DTAJHH', 'E2', '2', '0');
    expect(client.oms.order(clOrdID)?.orderID).toBe('OKWUQF-YPJM2-DTAJHH');
    expect(client.oms.openOrders().map((o) => o.clOrdID)).toEqual([clOrdID]);

    // Kraken asks for a resend: answered with one SequenceReset-GapFill, the NewOrderSingles are never replayed.
    const before = out1.msgs.length;
    peer.send('2', [[7, '1'], [16, '0']]);
    const answer = out1.msgs.slice(before);
    expect(answer.map((m) => [field(m, 35), field(m, 123), field(m, 43)])).toEqual([['4', 'Y', 'Y']]);

    const statusRequests = (out: FakeOutput) => out.msgs.filter((m) => field(m, 35) === 'H');
    // Reconnect: exactly one H, for the open order (the filled one is closed).
    session.onDisconnect('connection reset by peer');
    const out2 = peer.connect();
    const h2 = statusRequests(out2);
    expect(h2).toHaveLength(1);
    expect(h2[0]).toMatch(/\|35=H\|.*\|37=OKWUQF-YPJM2-DTAJHH\|55=BTC\/USD\|54=1\|10=/);

    // Rollover at 22:00 UTC, reconnect: asked again.
    clock.micros = Date.UTC(2025, 2, 3, 22, 0, 1) * 1000;
    session.onTimer();
    expect(session.isConnected).toBe(false);
    clock.advanceMs(30_000);
    const out3 = peer.connect();
    expect(statusRequests(out3)).toHaveLength(1);
    expect(field(statusRequests(out3)[0]!, 37)).toBe('OKWUQF-YPJM2-DTAJHH');

    const rec = events.filter((e) => e.kind === 'recovered') as Extract<KrakenSessionEvent, { kind: 'recovered' }>[];
    expect(rec.map((e) => [e.cause, e.orders?.statusRequests])).toEqual([['logon', 0], ['reconnect', 1], ['rollover', 1]]);
    expect(out3.msgs.join('\n').replace(SOH_RE, '|')).not.toContain('c2VjcmV0');
  });
});
