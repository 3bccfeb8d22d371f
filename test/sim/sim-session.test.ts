/**
 * Logon authentication, Kraken's reject layers, rate limits, the error-rate safeguard, the 22:00 UTC
 * rollover and TLS, through real sockets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/codec/index.js';
import { TARGET_COMP_IDS } from '../../src/sim/index.js';
import { TestClient } from './client.js';
import { ALICE, BOB, TT, er, ers, nextId, nos, startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function refused(c: TestClient): Promise<string | undefined> {
  const m = await c.waitFor((x) => x.type === '5' || x.type === 'A');
  expect(m.type).toBe('5');
  await c.waitClosed();
  return m.get(58);
}

describe('logon authentication (§2)', () => {
  it('refuses a wrong API key, a wrong signature, a stale nonce, a repeated nonce and an unknown CompID, and counts them', async () => {
    h = await startHarness();
    const sim = h.sim;
    const spot = (sender: string) => TestClient.connect({ port: sim.ports.spotTrading, sender, target: TARGET_COMP_IDS.spotTrading, clock: h!.clock });
    const cred = ALICE.spot!;

    let c = await spot(cred.senderCompID);
    c.logon({ apiKey: 'not-alice', apiSecret: cred.apiSecret });
    expect(await refused(c)).toBe('Invalid API key');

    c = await spot(cred.senderCompID);
    c.logon({ apiKey: cred.apiKey, apiSecret: cred.apiSecret, badSignature: true });
    expect(await refused(c)).toBe('Invalid signature');

    c = await spot(cred.senderCompID);
    c.logon({ apiKey: cred.apiKey, apiSecret: Buffer.from('another secret').toString('base64') });
    expect(await refused(c)).toBe('Invalid signature');

    c = await spot(cred.senderCompID);
    c.logon({ apiKey: cred.apiKey, apiSecret: cred.apiSecret, nonce: String(h.clock.nowMicros() / 1000 - 5_001) });
    expect(await refused(c)).toBe('Nonce out of window');

    const nonce = String(h.clock.nowMicros() / 1000 + 1000);
    c = await spot(cred.senderCompID);
    c.logon({ apiKey: cred.apiKey, apiSecret: cred.apiSecret, nonce });
    expect((await c.waitFor((m) => m.type === 'A' || m.type === '5')).type).toBe('A');
    c.close();
    await c.waitClosed();
    await new Promise((r) => setTimeout(r, 30));
    c = await spot(cred.senderCompID);
    c.logon({ apiKey: cred.apiKey, apiSecret: cred.apiSecret, nonce });
    expect(await refused(c)).toBe('Nonce not increasing');

    c = await spot('MALLORY');
    c.logon({ apiKey: cred.apiKey, apiSecret: cred.apiSecret });
    expect(await refused(c)).toBe('Unknown SenderCompID');

    // Market data: CompID only.
    const md = await TestClient.connect({ port: sim.ports.spotMd, sender: 'MALLORY', target: TARGET_COMP_IDS.spotMd, clock: h.clock });
    md.logon();
    expect(await refused(md)).toBe('Unknown SenderCompID');
    const ok = await TestClient.connect({ port: sim.ports.spotMd, sender: cred.senderCompID, target: TARGET_COMP_IDS.spotMd, clock: h.clock });
    ok.logon();
    expect((await ok.waitFor((m) => m.type === 'A' || m.type === '5')).type).toBe('A');
    ok.close();

    const st = sim.stats();
    expect(st.logonsRefused).toBe(7);
    expect(st.logonRefusals).toMatchObject({ 'Invalid API key': 1, 'Invalid signature': 2, 'Nonce out of window': 1, 'Nonce not increasing': 1, 'Unknown SenderCompID': 2 });
  });

  it('the signature covers the real TargetCompID: a Spot-signed logon is refused on Derivatives', async () => {
    h = await startHarness();
    const cred = ALICE.derivatives!;
    const c = await TestClient.connect({ port: h.sim.ports.derivTrading, sender: cred.senderCompID, target: TARGET_COMP_IDS.derivTrading, clock: h.clock });
    // Sign as if the target were KRAKEN-TRD (the mistake in Kraken's Python sample).
    const wrong = await TestClient.connect({ port: h.sim.ports.derivTrading, sender: cred.senderCompID, target: TARGET_COMP_IDS.spotTrading, clock: h.clock });
    wrong.logon({ apiKey: cred.apiKey, apiSecret: cred.apiSecret });
    expect(await refused(wrong)).toBe('Invalid TargetCompID');
    c.logon({ apiKey: cred.apiKey, apiSecret: cred.apiSecret });
    expect((await c.waitFor((m) => m.type === 'A' || m.type === '5')).type).toBe('A');
  });
});

describe('reject layers (§4.1, §9)', () => {
  it('35=3 for a missing field, 35=j with 379=ClOrdID for business failures, no ER', async () => {
    h = await startHarness();
    const c = await h.spot();
    const from = c.received.length;
    const id = nextId();
    c.send('D', nos({ id, qty: '1', price: '60000.0' }).filter(([t]) => t !== 54));
    const r = await c.waitFor((m) => m.type === '3', 5000, from);
    expect([r.get(45), r.get(371), r.get(372), r.get(373), r.get(58)]).toEqual([String(c.seq - 1), '54', 'D', '1', 'Missing mandatory field: Side (54)']);

    const accepted = id;
    const cases: [Parameters<typeof nos>[0], string, string][] = [
      [{ id: nextId(), qty: '1', price: '60000.0', symbol: 'TEST/TEST' }, '2', 'EQuery:Unknown asset pair'],
      [{ id: nextId(), qty: '1', price: '60000.05' }, '0', 'EOrder:Invalid price'], // more decimals than 2349
      [{ id: nextId(), qty: '0.00001', price: '60000.0' }, '0', 'EOrder:Order minimum not met'],
      [{ id: nextId(), qty: '1000', price: '60000.0' }, '0', 'EOrder:Insufficient funds'],
      [{ id: accepted, qty: '0.1', price: '50000.0' }, '0', 'EOrder:Duplicate ClOrdID'],
    ];
    // A 35=3-rejected message never reached order entry: its ClOrdID is still free.
    c.send('D', nos({ id, qty: '0.1', price: '50000.0' }));
    expect(er((await c.waitCount('8', 1, from))[0]!)).toBe('0/0 cum=0.00000000 leaves=0.10000000');
    for (const [f, reason, text] of cases) {
      const at = c.received.length;
      c.send('D', nos(f));
      const j = await c.waitFor((m) => m.type === 'j', 5000, at);
      expect([j.get(379), j.get(380), j.get(58), j.get(372)]).toEqual([f.id, reason, text, 'D']);
    }
    expect(c.received.filter((m) => m.type === '8')).toHaveLength(1);
  });

  it('ClOrdID format: non-integer on Spot and integer on Derivatives get 35=3 on 11', async () => {
    h = await startHarness();
    const s = await h.spot();
    s.send('D', nos({ id: 'abc', qty: '1', price: '60000.0' }));
    const r1 = await s.waitFor((m) => m.type === '3');
    expect([r1.get(371), r1.get(373)]).toEqual(['11', '5']);
    const d = await h.deriv();
    d.send('D', nos({ id: nextId(), qty: '1', price: '60000', symbol: 'PF_XBTUSD', execInst: 's' }));
    const r2 = await d.waitFor((m) => m.type === '3');
    expect([r2.get(371), r2.get(58)]).toEqual(['11', 'ClOrdID invalid value (COMB UUID required)']);
    d.send('D', nos({ id: h.comb(), qty: '1', price: '60000', symbol: 'PF_XBTUSD' }));
    const r3 = await d.waitFor((m) => m.type === '3' && m.get(371) === '18');
    expect(r3.get(373)).toBe('5');
    // PI_XBTUSD ticks are 0.5: 60000.3 has the right decimals but is off the tick.
    const id = h.comb();
    d.send('D', nos({ id, qty: '1', price: '60000.3', symbol: 'PI_XBTUSD', execInst: 's' }));
    const j = await d.waitFor((m) => m.type === 'j');
    expect([j.get(379), j.get(58)]).toEqual([id, 'EOrder:Tick size check failed']);
  });
});

describe('rate limits (§8)', () => {
  it('Spot: adds cost 1, a cancel within 5 s costs 8; the 35=j is EOrder:Rate limit exceeded, and the counter decays', async () => {
    h = await startHarness();
    const c = await h.spot();
    const ids: string[] = [];
    // 7 add+cancel pairs within 5 s: 7 * 9 = 63 (cancels pass even over the starter threshold of 60).
    for (let i = 0; i < 7; i++) {
      const id = nextId();
      ids.push(id);
      c.send('D', nos({ id, qty: '0.001', price: '50000.0' }));
      c.send('F', [[11, nextId()], [41, id], [54, '1'], [55, 'XBT/USD'], [60, TT]]);
    }
    await c.waitCount('8', 14);
    const at = c.received.length;
    const id = nextId();
    c.send('D', nos({ id, qty: '0.001', price: '50000.0' }));
    const j = await c.waitFor((m) => m.type === 'j', 5000, at);
    expect([j.get(58), j.get(379), j.get(380)]).toEqual(['EOrder:Rate limit exceeded', id, '0']);
    // Starter decays 1/s: 63 -> 59 after 4 s, room for one add.
    h.clock.advanceMs(4_000);
    const at2 = c.received.length;
    c.send('D', nos({ id: nextId(), qty: '0.001', price: '50000.0' }));
    expect(await ers(c, 1, at2)).toEqual(['0/0 cum=0.00000000 leaves=0.00100000']);
    expect(h.sim.stats().rateLimitRejects).toBe(1);
  });

  it('Derivatives: per-session bucket; an exhausted bucket rejects with 35=j', async () => {
    h = await startHarness({ derivativesBucket: { capacity: 30, refillPerSec: 10 } });
    const c = await h.deriv();
    for (let i = 0; i < 4; i++) c.send('D', nos({ id: h.comb(), qty: '0.001', price: '50000', symbol: 'PF_XBTUSD', execInst: 's' }));
    await c.waitFor((m) => m.type === 'j');
    expect(c.received.filter((m) => m.type === '8')).toHaveLength(3);
    expect(c.received.find((m) => m.type === 'j')!.get(58)).toBe('EOrder:Rate limit exceeded');
    // Another session has its own bucket.
    const b = await h.deriv(BOB);
    b.send('D', nos({ id: h.comb(), qty: '0.001', price: '50000', symbol: 'PF_XBTUSD', execInst: 's' }));
    expect(er((await b.waitCount('8', 1))[0]!)).toBe('0/0 cum=0.0000 leaves=0.0010');
  });
});

describe('error-rate safeguard', () => {
  it('disconnects a session that sends more bad messages per second than the threshold', async () => {
    h = await startHarness({ errorRateLimitPerSec: 3 });
    const c = await h.spot();
    for (let i = 0; i < 4; i++) c.send('D', nos({ id: nextId(), qty: '1', price: '60000.0' }).filter(([t]) => t !== 54));
    const lo = await c.waitFor((m) => m.type === '5', 5000, 1);
    expect(lo.get(58)).toBe('Too many errors per second');
    await c.waitClosed();
    expect(c.received.filter((m) => m.type === '3')).toHaveLength(4);
    expect(h.sim.stats().errorRateDisconnects).toBe(1);
  });

  it('spread-out errors do not disconnect', async () => {
    h = await startHarness({ errorRateLimitPerSec: 3 });
    const c = await h.spot();
    for (let i = 0; i < 6; i++) {
      c.send('D', nos({ id: nextId(), qty: '1', price: '60000.0' }).filter(([t]) => t !== 54));
      await c.waitCount('3', i + 1);
      h.clock.advanceMs(400);
    }
    expect(c.closed).toBe(false);
  });
});

describe('daily rollover at 22:00 UTC (§3)', () => {
  it('cancels the session\'s orders (reports first), logs out, resets sequence numbers', async () => {
    const clock = new ManualClock(Date.UTC(2025, 2, 3, 21, 59, 50) * 1000);
    h = await startHarness({ clock });
    const c = await h.spot();
    const from = c.received.length;
    c.send('D', nos({ id: nextId(), qty: '0.1', price: '50000.0' }));
    await c.waitCount('8', 1, from);
    clock.advanceMs(11_000);
    const lo = await c.waitFor((m) => m.type === '5', 5000, from);
    expect(lo.get(58)).toBe('Session rollover');
    await c.waitClosed();
    const after = c.received.slice(from).map((m) => (m.type === '8' ? er(m) : m.type));
    expect(after).toEqual(['0/0 cum=0.00000000 leaves=0.10000000', '4/4 cum=0.00000000 leaves=0.00000000', '5']);
    // Next logon starts a new sequence-number day.
    const again = await TestClient.connect({ port: h.sim.ports.spotTrading, sender: ALICE.spot!.senderCompID, target: TARGET_COMP_IDS.spotTrading, clock });
    again.seq = 7; // without 141=Y: the simulator expects 1 after the reset
    again.logon({ apiKey: ALICE.spot!.apiKey, apiSecret: ALICE.spot!.apiSecret, reset: false });
    const a = await again.waitFor((m) => m.type === 'A' || m.type === '5');
    expect([a.type, a.get(34)]).toEqual(['A', '1']);
    again.close();
  });
});

describe('TLS 1.3', () => {
  it('serves the trading port over TLS with the self-signed certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kfix-sim-tls-'));
    try {
      h = await startHarness({ tls: { certDir: dir } });
      const cert = h.sim.certificate!;
      const c = await TestClient.connect({ port: h.sim.ports.spotTrading, sender: ALICE.spot!.senderCompID, target: TARGET_COMP_IDS.spotTrading, clock: h.clock, tls: { ca: cert.cert } });
      expect((c.socket as import('node:tls').TLSSocket).getProtocol()).toBe('TLSv1.3');
      c.logon({ apiKey: ALICE.spot!.apiKey, apiSecret: ALICE.spot!.apiSecret });
      expect((await c.waitFor((m) => m.type === 'A' || m.type === '5')).type).toBe('A');
      c.send('D', nos({ id: nextId(), qty: '0.1', price: '50000.0' }));
      expect(er((await c.waitCount('8', 1))[0]!)).toBe('0/0 cum=0.00000000 leaves=0.10000000');
      c.close();
    } finally {
      await h?.close();
      h = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
