/**
 * Every order type, TIF and STP mode through real sockets, each checked by the exact ExecutionReport
 * sequence (ExecType/OrdStatus, CumQty, LeavesQty, fills) the order's owner receives.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatUtcTimestamp } from '../../src/codec/index.js';
import { BOB, ers, nextId, nos, startHarness, type Harness } from './harness.js';
import type { TestClient } from './client.js';

let h: Harness;
let alice: TestClient;
let bob: TestClient;
beforeEach(async () => {
  h = await startHarness();
  alice = await h.spot();
  bob = await h.spot(BOB);
});
afterEach(async () => {
  await h.close();
});

/** Bob rests a sell (or buy) and waits for its ack. */
async function rest(side: 1 | 2, qty: string, price: string): Promise<string> {
  const id = nextId();
  const from = bob.received.length;
  bob.send('D', nos({ id, side, qty, price }));
  await ers(bob, 1, from);
  return id;
}

/** Alice sends an order; returns her next `n` ER summaries. */
async function place(n: number, f: Parameters<typeof nos>[0]): Promise<string[]> {
  const from = alice.received.length;
  alice.send('D', nos(f));
  return ers(alice, n, from);
}

describe('order types', () => {
  it('market (40=1) sweeps two levels: fills at each maker price, AvgPx weighted', async () => {
    await rest(2, '1', '60000.0');
    await rest(2, '1', '60001.0');
    expect(await place(3, { id: nextId(), type: '1', qty: '1.5' })).toEqual([
      '0/0 cum=0.00000000 leaves=1.50000000',
      'F/1 cum=1.00000000 leaves=0.50000000 last=1.00000000@60000.0 avg=60000.00000',
      'F/2 cum=1.50000000 leaves=0.00000000 last=0.50000000@60001.0 avg=60000.33333',
    ]);
  });

  it('market order with nothing to trade is cancelled unsolicited', async () => {
    const from = alice.received.length;
    alice.send('D', nos({ id: nextId(), type: '1', qty: '1' }));
    const [ack, cxl] = await alice.waitCount('8', 2, from);
    expect([ack!.get(150), cxl!.get(150), cxl!.get(39), cxl!.get(151)]).toEqual(['0', '4', '4', '0.00000000']);
    expect(cxl!.get(58)).toMatch(/^EOrder:/);
  });

  it('limit IOC (59=3): partial fill then the residual is cancelled', async () => {
    await rest(2, '0.3', '60000.0');
    const from = alice.received.length;
    alice.send('D', nos({ id: nextId(), qty: '1', price: '60000.0', tif: '3' }));
    const m = await alice.waitCount('8', 3, from);
    expect(m.map((x) => `${x.get(150)}/${x.get(39)} cum=${x.get(14)} leaves=${x.get(151)}`)).toEqual([
      '0/0 cum=0.00000000 leaves=1.00000000',
      'F/1 cum=0.30000000 leaves=0.70000000',
      '4/4 cum=0.30000000 leaves=0.00000000',
    ]);
    expect(m[2]!.get(58)).toMatch(/^EOrder:/);
  });

  it('FOK (59=4) that cannot fill completely trades nothing', async () => {
    await rest(2, '0.3', '60000.0');
    const out = await place(2, { id: nextId(), qty: '1', price: '60000.0', tif: '4' });
    expect(out).toEqual(['0/0 cum=0.00000000 leaves=1.00000000', '4/4 cum=0.00000000 leaves=0.00000000']);
  });

  it('post-only (18=P) that would take is cancelled; one that rests is acked', async () => {
    await rest(2, '1', '60000.0');
    expect(await place(2, { id: nextId(), qty: '1', price: '60000.0', execInst: 'P' })).toEqual([
      '0/0 cum=0.00000000 leaves=1.00000000',
      '4/4 cum=0.00000000 leaves=0.00000000',
    ]);
    expect(await place(1, { id: nextId(), qty: '1', price: '59999.9', execInst: 'P' })).toEqual(['0/0 cum=0.00000000 leaves=1.00000000']);
  });

  it('iceberg (1138): reports DisplayQty and fills beyond the shown slice', async () => {
    const from = alice.received.length;
    alice.send('D', nos({ id: nextId(), side: 2, qty: '1.5', price: '60000.0', extra: [[1138, '0.1']] }));
    const [ack] = await alice.waitCount('8', 1, from);
    expect(ack!.get(1138)).toBe('0.10000000');
    const f2 = alice.received.length;
    bob.send('D', nos({ id: nextId(), side: 1, qty: '0.25', price: '60000.0' }));
    const fills = await ers(alice, 3, f2);
    expect(fills).toEqual([
      'F/1 cum=0.10000000 leaves=1.40000000 last=0.10000000@60000.0 avg=60000.00000',
      'F/1 cum=0.20000000 leaves=1.30000000 last=0.10000000@60000.0 avg=60000.00000',
      'F/1 cum=0.25000000 leaves=1.25000000 last=0.05000000@60000.0 avg=60000.00000',
    ]);
  });

  it('stop-loss (40=3) waits untriggered, fires on a trade at the stop (150=D, 40 -> 1) and trades', async () => {
    await h.print('60000.0');
    await rest(1, '1', '59000.0');
    expect(await place(1, { id: nextId(), side: 2, type: '3', qty: '0.5', stopPx: '59500.0' })).toEqual(['0/0 cum=0.00000000 leaves=0.50000000']);
    const from = alice.received.length;
    await h.print('59500.0');
    const m = await alice.waitCount('8', 2, from);
    expect(m.map((x) => `${x.get(150)}/${x.get(39)} 40=${x.get(40)} cum=${x.get(14)}`)).toEqual(['D/0 40=1 cum=0.00000000', 'F/2 40=1 cum=0.50000000']);
    expect(m[1]!.get(31)).toBe('59000.0');
  });

  it('stop-loss-limit (40=4) fires and rests at its limit', async () => {
    await h.print('60000.0');
    expect(await place(1, { id: nextId(), side: 2, type: '4', qty: '0.5', stopPx: '59500.0', price: '59400.0' })).toEqual(['0/0 cum=0.00000000 leaves=0.50000000']);
    const from = alice.received.length;
    await h.print('59450.0');
    const [d] = await alice.waitCount('8', 1, from);
    expect([d!.get(150), d!.get(39), d!.get(40), d!.get(44)]).toEqual(['D', '0', '2', '59400.0']);
  });

  it('take-profit (R) sell fires at or above the trigger; take-profit-limit (T) buy at or below', async () => {
    await h.print('60000.0');
    expect(await place(1, { id: nextId(), side: 2, type: 'R', qty: '0.01', stopPx: '60100.0' })).toEqual(['0/0 cum=0.00000000 leaves=0.01000000']);
    expect(await place(1, { id: nextId(), side: 1, type: 'T', qty: '0.01', stopPx: '59900.0', price: '59800.0' })).toEqual(['0/0 cum=0.00000000 leaves=0.01000000']);
    let from = alice.received.length;
    await rest(1, '0.01', '60000.0'); // a bid for the take-profit's market sell, used up by it
    await h.print('60100.0');
    expect((await alice.waitCount('8', 2, from)).map((x) => `${x.get(150)}/${x.get(39)} 40=${x.get(40)}`)).toEqual(['D/0 40=1', 'F/2 40=1']);
    from = alice.received.length;
    await h.print('59900.0');
    const [d] = await alice.waitCount('8', 1, from);
    expect([d!.get(150), d!.get(40), d!.get(44)]).toEqual(['D', '2', '59800.0']);
  });

  it('trailing stop (U): the trigger trails the best price by StopPx and fires on the pullback', async () => {
    await h.print('60000.0');
    expect(await place(1, { id: nextId(), side: 2, type: 'U', qty: '0.01', stopPx: '100.0' })).toEqual(['0/0 cum=0.00000000 leaves=0.01000000']);
    await h.print('60500.0'); // watermark 60500 -> trigger 60400
    const from = alice.received.length;
    await h.print('60450.0'); // above the trigger: nothing
    await rest(1, '1', '60300.0');
    expect(alice.received.slice(from).filter((m) => m.type === '8')).toHaveLength(0);
    await h.print('60400.0');
    expect((await alice.waitCount('8', 2, from)).map((x) => `${x.get(150)}/${x.get(39)} 40=${x.get(40)} last=${x.get(31)}`)).toEqual([
      'D/0 40=1 last=undefined',
      'F/2 40=1 last=60300.0', // the market sell hits Bob's bid
    ]);
  });

  it('trailing-stop-limit (V): fires at the trailed trigger and rests at trigger - offset', async () => {
    await h.print('60000.0');
    expect(await place(1, { id: nextId(), side: 2, type: 'V', qty: '0.01', stopPx: '100.0', price: '50.0' })).toEqual(['0/0 cum=0.00000000 leaves=0.01000000']);
    const from = alice.received.length;
    await h.print('59900.0');
    const [d] = await alice.waitCount('8', 1, from);
    expect([d!.get(150), d!.get(40), d!.get(44)]).toEqual(['D', '2', '59850.0']);
  });

  it('GTD (59=6) expires at ExpireTime with 150=C/39=C', async () => {
    const expire = formatUtcTimestamp(h.clock.nowMicros() + 60_000_000, 0);
    const from = alice.received.length;
    alice.send('D', nos({ id: nextId(), qty: '0.1', price: '50000.0', tif: '6', extra: [[126, expire]] }));
    await alice.waitCount('8', 1, from);
    h.clock.advanceMs(61_000);
    h.sim.tick();
    const m = await alice.waitCount('8', 2, from);
    expect(m.map((x) => `${x.get(150)}/${x.get(39)} leaves=${x.get(151)}`)).toEqual(['0/0 leaves=0.10000000', 'C/C leaves=0.00000000']);
  });

  it('scheduled start (168): 150=A/39=A, then 150=0 at EffectiveTime', async () => {
    const eff = formatUtcTimestamp(h.clock.nowMicros() + 10_000_000, 3);
    const from = alice.received.length;
    alice.send('D', nos({ id: nextId(), qty: '0.1', price: '50000.0', extra: [[168, eff]] }));
    await alice.waitCount('8', 1, from);
    h.clock.advanceMs(10_000);
    h.sim.tick();
    const m = await alice.waitCount('8', 2, from);
    expect(m.map((x) => `${x.get(150)}/${x.get(39)}`)).toEqual(['A/A', '0/0']);
  });

  it('derivatives: COMB ClOrdID, 18=s, UUID OrderID, fills between two accounts', async () => {
    const a = await h.deriv();
    const b = await h.deriv(BOB);
    const fa = a.received.length;
    a.send('D', nos({ id: h.comb(), side: 2, qty: '0.5', price: '60000', symbol: 'PF_XBTUSD', execInst: 's' }));
    const [ack] = await a.waitCount('8', 1, fa);
    expect(ack!.get(37)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    const fb = b.received.length;
    b.send('D', nos({ id: h.comb(), side: 1, qty: '0.2', type: '1', symbol: 'PF_XBTUSD', execInst: 's' }));
    expect(await ers(b, 2, fb)).toEqual(['0/0 cum=0.0000 leaves=0.2000', 'F/2 cum=0.2000 leaves=0.0000 last=0.2000@60000 avg=60000.0000']);
  });
});

describe('self-trade prevention (7928)', () => {
  async function own(): Promise<number> {
    const from = alice.received.length;
    alice.send('D', nos({ id: nextId(), side: 2, qty: '1', price: '60000.0' }));
    await alice.waitCount('8', 1, from);
    return alice.received.length;
  }

  it('1 (default, cancel newest): the arriving order is cancelled, the resting one stays', async () => {
    const from = await own();
    alice.send('D', nos({ id: nextId(), side: 1, qty: '1', price: '60000.0' }));
    const m = await alice.waitCount('8', 2, from);
    expect(m.map((x) => `${x.get(150)}/${x.get(39)} 54=${x.get(54)}`)).toEqual(['0/0 54=1', '4/4 54=1']);
    await alice.settle(50);
    expect(alice.received.slice(from).filter((x) => x.type === '8')).toHaveLength(2);
  });

  it('0 (cancel both): both orders are cancelled', async () => {
    const from = await own();
    alice.send('D', nos({ id: nextId(), side: 1, qty: '1', price: '60000.0', extra: [[7928, '0']] }));
    const m = await alice.waitCount('8', 3, from);
    expect(m.map((x) => `${x.get(150)}/${x.get(39)} 54=${x.get(54)}`).sort()).toEqual(['0/0 54=1', '4/4 54=1', '4/4 54=2']);
  });

  it('2 (cancel oldest): the resting order is cancelled and the arriving one rests', async () => {
    const from = await own();
    alice.send('D', nos({ id: nextId(), side: 1, qty: '1', price: '60000.0', extra: [[7928, '2']] }));
    const m = await alice.waitCount('8', 2, from);
    expect(m.map((x) => `${x.get(150)}/${x.get(39)} 54=${x.get(54)}`).sort()).toEqual(['0/0 54=1', '4/4 54=2']);
    await alice.settle(50);
    expect(alice.received.slice(from).filter((x) => x.type === '8')).toHaveLength(2);
  });
});
