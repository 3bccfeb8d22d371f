import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOB, er, ers, nextId, nos, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('simulator: logon and NewOrderSingle through real sockets', () => {
  it('accepts a signed logon and acks a resting limit order with 150=0/39=0', async () => {
    const c = await h.spot();
    expect(c.received[0]!.type).toBe('A');
    expect(c.received[0]!.get(553)).toBeUndefined();
    const id = nextId();
    const from = c.received.length;
    c.send('D', nos({ id, qty: '0.5', price: '60000.0' }));
    const [m] = await c.waitCount('8', 1, from);
    expect(er(m!)).toBe('0/0 cum=0.00000000 leaves=0.50000000');
    expect(m!.get(11)).toBe(id);
    expect(m!.get(37)).toMatch(/^[A-Z2-7]{6}-[A-Z2-7]{5}-[A-Z2-7]{6}$/);
    expect(m!.get(17)).toBeTruthy();
    expect(m!.get(44)).toBe('60000.0');
    expect(m!.get(55)).toBe('XBT/USD');
    expect(h.sim.stats().orderProcessing.count).toBe(1);
  });

  it('fills a resting order against another account with the exact ER sequence and AvgPx', async () => {
    const a = await h.spot();
    const b = await h.spot(BOB);
    a.send('D', nos({ id: nextId(), side: 2, qty: '1', price: '60000.0' }));
    await a.waitCount('8', 1);
    const fa = a.received.length;
    const fb = b.received.length;
    b.send('D', nos({ id: nextId(), side: 1, qty: '0.4', price: '60010.0' }));
    expect(await ers(b, 2, fb)).toEqual(['0/0 cum=0.00000000 leaves=0.40000000', 'F/2 cum=0.40000000 leaves=0.00000000 last=0.40000000@60000.0 avg=60000.00000']);
    expect(await ers(a, 1, fa)).toEqual(['F/1 cum=0.40000000 leaves=0.60000000 last=0.40000000@60000.0 avg=60000.00000']);
    const fill = (await b.waitCount('8', 2, fb))[1]!;
    expect(fill.get(527)).toBe('1');
    expect(fill.get(851)).toBe('2');
  });
});
