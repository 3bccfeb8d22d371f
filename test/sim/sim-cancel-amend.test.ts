/**
 * Amend (G), cancel (F) scope, mass cancel (q), status (H), cancel-on-disconnect and ExecutionReport
 * replay on a 141=N reconnect, through real sockets.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TARGET_COMP_IDS } from '../../src/sim/index.js';
import { TestClient } from './client.js';
import { ALICE, BOB, CAROL, TT, er, ers, nextId, nos, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

async function order(c: TestClient, f: Parameters<typeof nos>[0]) {
  const from = c.received.length;
  c.send('D', nos(f));
  const [ack] = await c.waitCount('8', 1, from);
  return ack!;
}

function amendFields(id: string, orderID: string, orig: string, qty: string, price: string, side = '1'): [number, string][] {
  return [[11, id], [37, orderID], [38, qty], [40, '2'], [41, orig], [44, price], [54, side], [55, 'XBT/USD'], [59, '1'], [60, TT]];
}

describe('amend (G)', () => {
  it('a quantity decrease keeps queue priority; the report is 150=5/39=5 with 41 = previous ClOrdID', async () => {
    const alice = await h.spot();
    const bob = await h.spot(BOB);
    const carol = await h.spot(CAROL);
    const first = nextId();
    const ack = await order(alice, { id: first, qty: '1', price: '59000.0' });
    await order(bob, { id: nextId(), qty: '1', price: '59000.0' });
    const from = alice.received.length;
    const second = nextId();
    alice.send('G', amendFields(second, ack.get(37)!, first, '0.5', '59000.0'));
    const [rep] = await alice.waitCount('8', 1, from);
    expect([er(rep!), rep!.get(11), rep!.get(41), rep!.get(37), rep!.get(38)]).toEqual(['5/5 cum=0.00000000 leaves=0.50000000', second, first, ack.get(37), '0.50000000']);
    carol.send('D', nos({ id: nextId(), side: 2, qty: '0.5', price: '59000.0' }));
    expect(await ers(alice, 1, from + 1)).toEqual(['F/2 cum=0.50000000 leaves=0.00000000 last=0.50000000@59000.0 avg=59000.00000']);
  });

  it('a quantity increase loses priority: the order behind fills first', async () => {
    const alice = await h.spot();
    const bob = await h.spot(BOB);
    const carol = await h.spot(CAROL);
    const first = nextId();
    const ack = await order(alice, { id: first, qty: '1', price: '59000.0' });
    await order(bob, { id: nextId(), qty: '1', price: '59000.0' });
    const fa = alice.received.length;
    alice.send('G', amendFields(nextId(), ack.get(37)!, first, '2', '59000.0'));
    await alice.waitCount('8', 1, fa);
    const fb = bob.received.length;
    carol.send('D', nos({ id: nextId(), side: 2, qty: '0.5', price: '59000.0' }));
    expect(await ers(bob, 1, fb)).toEqual(['F/1 cum=0.50000000 leaves=0.50000000 last=0.50000000@59000.0 avg=59000.00000']);
    await alice.settle(50);
    expect(alice.received.slice(fa + 1).filter((m) => m.type === '8')).toHaveLength(0);
  });

  it('amending below the filled quantity: 150=5 then the remainder is cancelled', async () => {
    const alice = await h.spot();
    const bob = await h.spot(BOB);
    const first = nextId();
    const ack = await order(alice, { id: first, qty: '1', price: '59000.0' });
    const fa = alice.received.length;
    bob.send('D', nos({ id: nextId(), side: 2, qty: '0.4', price: '59000.0' }));
    await alice.waitCount('8', 1, fa);
    alice.send('G', amendFields(nextId(), ack.get(37)!, first, '0.3', '59000.0'));
    expect(await ers(alice, 3, fa)).toEqual([
      'F/1 cum=0.40000000 leaves=0.60000000 last=0.40000000@59000.0 avg=59000.00000',
      '5/5 cum=0.40000000 leaves=0.00000000',
      '4/4 cum=0.40000000 leaves=0.00000000',
    ]);
  });

  it('changing the side is not an amend: 35=j, the order is untouched', async () => {
    const alice = await h.spot();
    const first = nextId();
    const ack = await order(alice, { id: first, qty: '1', price: '59000.0' });
    const from = alice.received.length;
    const id = nextId();
    alice.send('G', amendFields(id, ack.get(37)!, first, '1', '59000.0', '2'));
    const j = await alice.waitFor((m) => m.type === 'j', 5000, from);
    expect([j.get(379), j.get(380), j.get(372)]).toEqual([id, '0', 'G']);
    expect(j.get(58)).toMatch(/^EOrder:/);
  });
});

describe('cancel (F) scope and mass cancel (q)', () => {
  it('cancels by OrigClOrdID: 150=4/39=4 with 11 = the cancel ClOrdID and 41 = the order', async () => {
    const alice = await h.spot();
    const id = nextId();
    await order(alice, { id, qty: '1', price: '59000.0' });
    const from = alice.received.length;
    const cx = nextId();
    alice.send('F', [[11, cx], [41, id], [54, '1'], [55, 'XBT/USD'], [60, TT]]);
    const [m] = await alice.waitCount('8', 1, from);
    expect([er(m!), m!.get(11), m!.get(41)]).toEqual(['4/4 cum=0.00000000 leaves=0.00000000', cx, id]);
  });

  it("another SenderCompID cannot cancel the order (35=j 380=101); the owner can, even from a later connection", async () => {
    const alice = await h.spot(ALICE, { cancelOnDisconnect: false });
    const ack = await order(alice, { id: nextId(), qty: '1', price: '59000.0' });
    const bob = await h.spot(BOB);
    const fb = bob.received.length;
    const cx = nextId();
    bob.send('F', [[11, cx], [37, ack.get(37)!], [54, '1'], [55, 'XBT/USD'], [60, TT]]);
    const j = await bob.waitFor((m) => m.type === 'j', 5000, fb);
    expect([j.get(380), j.get(58), j.get(379)]).toEqual(['101', 'EOrder:Unknown order', cx]);
    // Alice reconnects (8674=1 kept the order) and cancels it by OrderID.
    alice.close();
    await alice.waitClosed();
    const again = await h.spot(ALICE);
    const fa = again.received.length;
    again.send('F', [[11, nextId()], [37, ack.get(37)!], [54, '1'], [55, 'XBT/USD'], [60, TT]]);
    expect(await ers(again, 1, fa)).toEqual(['4/4 cum=0.00000000 leaves=0.00000000']);
  });

  it('530=1 cancels this session\'s orders on one symbol, 530=6 all of this session, 530=7 also earlier connections', async () => {
    const first = await h.spot(ALICE, { cancelOnDisconnect: false });
    await order(first, { id: nextId(), qty: '1', price: '59000.0' }); // from an earlier connection
    first.close();
    await first.waitClosed();
    const c = await h.spot(ALICE, { cancelOnDisconnect: false });
    await order(c, { id: nextId(), qty: '1', price: '59000.0' });
    await order(c, { id: nextId(), qty: '1', price: '2000.00', symbol: 'ETH/USD' });
    await order(c, { id: nextId(), qty: '1', price: '2001.00', symbol: 'ETH/USD' });
    const mass = async (type: string, extra: [number, string][] = []) => {
      const from = c.received.length;
      const id = nextId();
      c.send('q', [[11, id], ...extra, [60, TT], [530, type]]);
      await c.settle(80);
      return c.received.slice(from).filter((m) => m.type === '8').map((m) => `${m.get(55)} ${m.get(150)}/${m.get(39)} 11=${m.get(11) === id}`);
    };
    expect(await mass('1', [[55, 'ETH/USD']])).toEqual(['ETH/USD 4/4 11=true', 'ETH/USD 4/4 11=true']);
    expect(await mass('6')).toEqual(['XBT/USD 4/4 11=true']);
    expect(await mass('7')).toEqual(['XBT/USD 4/4 11=true']);
    expect(await mass('7')).toEqual([]);
  });

  it('OrderStatusRequest (H) answers 150=I with the current state; unknown order -> 35=j 380=101', async () => {
    const alice = await h.spot();
    const ack = await order(alice, { id: nextId(), qty: '1', price: '59000.0' });
    const from = alice.received.length;
    alice.send('H', [[11, nextId()], [37, ack.get(37)!], [54, '1'], [55, 'XBT/USD']]);
    const [m] = await alice.waitCount('8', 1, from);
    expect(er(m!)).toBe('I/0 cum=0.00000000 leaves=1.00000000');
    alice.send('H', [[11, nextId()], [37, 'AAAAAA-AAAAA-AAAAAA'], [55, 'XBT/USD']]);
    const j = await alice.waitFor((x) => x.type === 'j', 5000, from);
    expect(j.get(380)).toBe('101');
  });
});

describe('cancel-on-disconnect (8674) and replay', () => {
  it('default: a dropped connection cancels the session\'s orders; a 141=N reconnect replays the acks and cancels (43=Y)', async () => {
    const alice = await h.spot();
    const a1 = await order(alice, { id: nextId(), qty: '1', price: '59000.0' });
    await order(alice, { id: nextId(), qty: '1', price: '59001.0' });
    const lastSeen = Math.max(...alice.received.map((m) => Number(m.get(34))));
    const nextOut = alice.seq;
    alice.close();
    await alice.waitClosed();
    await new Promise((r) => setTimeout(r, 50));
    expect(h.sim.stats().codCancels).toBe(2);

    const c = await TestClient.connect({ port: h.sim.ports.spotTrading, sender: ALICE.spot!.senderCompID, target: TARGET_COMP_IDS.spotTrading, clock: h.clock });
    c.seq = nextOut;
    h.clock.advanceMs(1);
    c.logon({ apiKey: ALICE.spot!.apiKey, apiSecret: ALICE.spot!.apiSecret, reset: false });
    const logon = await c.waitFor((m) => m.type === 'A');
    expect(Number(logon.get(34))).toBeGreaterThan(lastSeen + 1);
    c.send('2', [[7, lastSeen + 1], [16, 0]]);
    const replayed = await c.waitCount('8', 2, 1);
    expect(replayed.map((m) => `${m.get(150)}/${m.get(39)} 43=${m.get(43)} 58=${m.get(58)}`)).toEqual([
      '4/4 43=Y 58=EOrder:Cancel on disconnect',
      '4/4 43=Y 58=EOrder:Cancel on disconnect',
    ]);
    expect(replayed[0]!.get(37)).toBe(a1.get(37));
    expect(replayed[0]!.get(122)).toBeDefined();
  });

  it('ResendRequest while connected replays the stored ExecutionReports with PossDupFlag and gap-fills the Logon', async () => {
    const alice = await h.spot();
    await order(alice, { id: nextId(), qty: '1', price: '59000.0' });
    const from = alice.received.length;
    alice.send('2', [[7, 1], [16, 0]]);
    await alice.waitFor((m) => m.type === '8' && m.get(43) === 'Y', 5000, from);
    const got = alice.received.slice(from).map((m) => `${m.type} 34=${m.get(34)} 43=${m.get(43)}${m.type === '4' ? ` 36=${m.get(36)} 123=${m.get(123)}` : ''}`);
    expect(got).toEqual(['4 34=1 43=Y 36=2 123=Y', '8 34=2 43=Y']);
  });

  it('8674=1: orders survive the disconnect', async () => {
    const alice = await h.spot(ALICE, { cancelOnDisconnect: false });
    const ack = await order(alice, { id: nextId(), qty: '1', price: '59000.0' });
    alice.close();
    await alice.waitClosed();
    const again = await h.spot(ALICE);
    const from = again.received.length;
    again.send('H', [[11, nextId()], [37, ack.get(37)!], [55, 'XBT/USD']]);
    expect(await ers(again, 1, from)).toEqual(['I/0 cum=0.00000000 leaves=1.00000000']);
    expect(h.sim.stats().codCancels).toBe(0);
  });
});
