/**
 * Issue 9, security: the simulator refuses what Kraken refuses. test/sim/sim-session.test.ts already
 * covers a wrong API key, a corrupted signature, a signature made with another secret, a stale nonce,
 * a repeated nonce, an unknown SenderCompID and a Spot-signed Logon on Derivatives. This file adds the
 * cases it does not: a Logon with no credentials at all (or only part of them), business messages
 * before any Logon, a nonce from the future, and a byte-for-byte replay of a captured good Logon.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TARGET_COMP_IDS } from '../../src/sim/index.js';
import { TestClient } from '../sim/client.js';
import { ALICE, nextId, nos, startHarness, type Harness } from '../sim/harness.js';
import { connect } from 'node:net';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const SPOT = ALICE.spot!;
const DRV = ALICE.derivatives!;

async function refusal(c: TestClient): Promise<string | undefined> {
  const m = await c.waitFor((x) => x.type === '5' || x.type === 'A');
  expect(m.type, `expected a refusal, got ${m.raw}`).toBe('5');
  await c.waitClosed();
  return m.get(58);
}

function spotClient(): Promise<TestClient> {
  return TestClient.connect({ port: h!.sim.ports.spotTrading, sender: SPOT.senderCompID, target: TARGET_COMP_IDS.spotTrading, clock: h!.clock });
}

describe('unauthenticated logons', () => {
  it('a trading Logon without 553/554/5025 is refused on Spot and Derivatives, and counted', async () => {
    h = await startHarness();
    const spot = await spotClient();
    spot.logon(); // no apiKey/apiSecret: 98/108/141 only
    expect(await refusal(spot)).toBe('Missing Username, Password or Nonce');
    const drv = await TestClient.connect({ port: h.sim.ports.derivTrading, sender: DRV.senderCompID, target: TARGET_COMP_IDS.derivTrading, clock: h.clock });
    drv.logon();
    expect(await refusal(drv)).toBe('Missing Username, Password or Nonce');
    expect(h.sim.stats().logonRefusals['Missing Username, Password or Nonce']).toBe(2);
    expect(h.sim.stats().logons).toBe(0);
  });

  it('a Logon with the key and nonce but no signature (554) is refused', async () => {
    h = await startHarness();
    const nonce = String(h.clock.nowMicros() / 1000);
    const noPassword = await spotClient();
    noPassword.send('A', [[98, 0], [108, 30], [141, 'Y'], [553, SPOT.apiKey], [5025, nonce]]);
    expect(await refusal(noPassword)).toBe('Missing Username, Password or Nonce');
    const noNonce = await spotClient();
    noNonce.send('A', [[98, 0], [108, 30], [141, 'Y'], [553, SPOT.apiKey], [554, 'c2lnbmF0dXJl']]);
    expect(await refusal(noNonce)).toBe('Missing Username, Password or Nonce');
    const emptyPassword = await spotClient();
    emptyPassword.send('A', [[98, 0], [108, 30], [141, 'Y'], [553, SPOT.apiKey], [554, 'x'], [5025, nonce]]);
    expect(await refusal(emptyPassword)).toBe('Invalid signature');
  });

  it('an order sent before any Logon is never processed: the connection closes without a reply', async () => {
    h = await startHarness();
    const c = await spotClient();
    c.send('D', nos({ id: nextId(), qty: '0.1', price: '50000.0' }));
    await c.waitClosed();
    expect(c.received).toEqual([]);
    expect(h.sim.stats().ordersReceived).toBe(0);
  });

  it('an order sent right after a refused Logon is not processed', async () => {
    h = await startHarness();
    const c = await spotClient();
    c.logon({ apiKey: SPOT.apiKey, apiSecret: SPOT.apiSecret, badSignature: true });
    c.send('D', nos({ id: nextId(), qty: '0.1', price: '50000.0' }));
    expect(await refusal(c)).toBe('Invalid signature');
    expect(c.received.some((m) => m.type === '8')).toBe(false);
    expect(h.sim.stats().ordersReceived).toBe(0);
  });
});

describe('nonces and replays', () => {
  it('a nonce beyond the window in the future is refused', async () => {
    h = await startHarness();
    const c = await spotClient();
    c.logon({ apiKey: SPOT.apiKey, apiSecret: SPOT.apiSecret, nonce: String(h.clock.nowMicros() / 1000 + 5_001) });
    expect(await refusal(c)).toBe('Nonce out of window');
  });

  it('a byte-for-byte replay of a captured good Logon is refused', async () => {
    const captured: Buffer[] = [];
    h = await startHarness({
      tap: (service, sender) => (service === 'spotTrading' && sender === SPOT.senderCompID ? { inbound: (b) => void captured.push(Buffer.from(b)), outbound: () => {} } : undefined),
    });
    const good = await spotClient();
    h.clock.advanceMs(1);
    good.logon({ apiKey: SPOT.apiKey, apiSecret: SPOT.apiSecret });
    expect((await good.waitFor((m) => m.type === 'A' || m.type === '5')).type).toBe('A');
    good.close();
    await good.waitClosed();
    await new Promise((r) => setTimeout(r, 30));
    const wire = Buffer.concat(captured);
    const end = wire.indexOf('\x0110=') + 8; // the Logon is the first message: up to its CheckSum field
    const logonBytes = wire.subarray(0, end);
    expect(logonBytes.toString('latin1')).toMatch(/^8=FIX\.4\.4\x019=\d+\x0135=A\x01.*\x01554=[^\x01]+\x01.*10=\d{3}\x01$/);

    // An attacker who recorded those bytes sends them again, unchanged, within the nonce window.
    const replayed = await new Promise<string>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port: h!.sim.ports.spotTrading }, () => s.write(logonBytes));
      let text = '';
      s.on('data', (d: Buffer) => (text += d.toString('latin1')));
      s.on('close', () => resolve(text));
      s.on('error', reject);
      setTimeout(() => s.destroy(), 5_000).unref();
    });
    expect(replayed).toMatch(/\x0135=5\x01/);
    expect(replayed).toContain('\x0158=Nonce not increasing\x01');
    expect(replayed).not.toMatch(/\x0135=A\x01/);
    expect(h.sim.stats().logons).toBe(1);
  });
});
