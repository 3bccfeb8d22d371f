/**
 * Market data through real sockets: snapshots and incrementals rebuilt by the client-side books of
 * src/book with every 5041 checksum verified, trades, MarketDataRequestReject, SecurityList,
 * TradingSessionStatus, and byte-identical feeds for the same seed and clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BookStatus, L2Book, L3Book, NO_CHECKSUM } from '../../src/book/index.js';
import { ManualClock } from '../../src/codec/index.js';
import { TARGET_COMP_IDS, startKrakenSimulator, type SimulatorHandle } from '../../src/sim/index.js';
import { TestClient, type Msg } from './client.js';
import { ALICE, FREE_PORTS, T0 } from './harness.js';

let sim: SimulatorHandle | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(seed = 7) {
  const clock = new ManualClock(T0);
  sim = await startKrakenSimulator({ clock, ports: FREE_PORTS, seed, tickMs: 20 });
  return { sim, clock };
}

async function mdClient(port: number, target: string, sender: string, clock: ManualClock): Promise<TestClient> {
  const c = await TestClient.connect({ port, sender, target, clock });
  c.logon({ heartBtInt: 60 });
  await c.waitFor((m) => m.type === 'A');
  return c;
}

function request(id: string, symbol: string, depth: number, types: string[], extra: [number, string][] = []): [number, string][] {
  return [[262, id], [263, '1'], [264, String(depth)], [265, '1'], ...extra, [267, String(types.length)], ...types.map((t) => [269, t] as [number, string]), [146, '1'], [55, symbol]];
}

function scaled(s: string, d: number): number {
  const [i, f = ''] = s.split('.');
  return Number(i! + f.padEnd(d, '0'));
}

interface Entry {
  action: number;
  type: number;
  id: string;
  price: string;
  qty: string;
  checksum?: string;
  aggressor?: string;
}

/** Entries of a W (start at 269) or X (start at 279). */
function entries(m: Msg): Entry[] {
  const out: Entry[] = [];
  const start = m.type === 'X' ? 279 : 269;
  let cur: Partial<Entry> & { action?: number } = {};
  let open = false;
  for (const [t, v] of m.fields) {
    if (t === start) {
      if (open) out.push(cur as Entry);
      cur = { action: 0 };
      open = true;
    }
    if (!open) continue;
    if (t === 279) cur.action = Number(v);
    else if (t === 269) cur.type = Number(v);
    else if (t === 278) cur.id = v;
    else if (t === 270) cur.price = v;
    else if (t === 271) cur.qty = v;
    else if (t === 5041) cur.checksum = v;
    else if (t === 2446) cur.aggressor = v;
  }
  if (open) out.push(cur as Entry);
  return out;
}

async function drive(clock: ManualClock, s: SimulatorHandle, steps: number): Promise<void> {
  for (let i = 0; i < steps; i++) {
    clock.advanceMs(100);
    s.tick();
    await new Promise((r) => setImmediate(r));
  }
}

describe('market data feeds', () => {
  it('L2 (4000): snapshot then incrementals keep a client L2Book in sync; every 5041 matches; trades carry 2446', async () => {
    const { sim: s, clock } = await start();
    const c = await mdClient(s.ports.spotMd, TARGET_COMP_IDS.spotMd, ALICE.spot!.senderCompID, clock);
    c.send('V', request('r1', 'XBT/USD', 10, ['0', '1', '2']));
    const w = await c.waitFor((m) => m.type === 'W');
    const book = new L2Book({ depthCap: 10 });
    const pd = 1;
    const qd = 8;
    expect(book.beginSnapshot()).toBe(BookStatus.Ok);
    const snap = entries(w);
    expect(snap.length).toBeGreaterThan(10); // up to 10 levels a side
    expect(snap.length).toBeLessThanOrEqual(20);
    expect(snap[0]!.id).toMatch(/^B\d+\.\d$/);
    for (const e of snap) expect(book.applySnapshotEntry(e.type, scaled(e.price, pd), scaled(e.qty, qd))).toBe(BookStatus.Ok);
    expect(book.endMessage(NO_CHECKSUM)).toBe(BookStatus.Ok);
    await drive(clock, s, 60);
    await c.settle(50);
    const xs = c.received.filter((m) => m.type === 'X');
    expect(xs.length).toBeGreaterThan(20);
    let trades = 0;
    let checked = 0;
    for (const x of xs) {
      expect(x.get(262)).toBe('r1');
      expect(x.fields.find(([t]) => t === 268)).toBeDefined();
      expect(book.beginIncremental()).toBe(BookStatus.Ok);
      let checksum = NO_CHECKSUM;
      for (const e of entries(x)) {
        if (e.type === 2) {
          trades++;
          expect(['1', '2']).toContain(e.aggressor);
          continue;
        }
        if (e.checksum !== undefined) checksum = Number(e.checksum);
        expect(book.applyEntry(e.action, e.type, scaled(e.price, pd), scaled(e.qty, qd))).toBe(BookStatus.Ok);
      }
      if (checksum !== NO_CHECKSUM) checked++;
      expect(book.endMessage(checksum)).toBe(BookStatus.Ok);
    }
    expect(trades).toBeGreaterThan(0);
    expect(checked).toBeGreaterThan(10);
    expect(book.bestBidPrice()).toBeLessThan(book.bestAskPrice());
  });

  it('L3 (4005): order-by-order snapshot and incrementals keep a client L3Book in sync with 5041', async () => {
    const { sim: s, clock } = await start(11);
    const c = await mdClient(s.ports.spotMdL3, TARGET_COMP_IDS.spotMd, ALICE.spot!.senderCompID, clock);
    c.send('V', request('l3', 'ETH/USD', 0, ['0', '1'], [[266, 'N']]));
    const w = await c.waitFor((m) => m.type === 'W');
    const book = new L3Book({ depthCap: 1000, levelSlack: 64, maxOrders: 4096 });
    const pd = 2;
    const qd = 8;
    expect(book.beginSnapshot()).toBe(BookStatus.Ok);
    for (const e of entries(w)) expect(book.applySnapshotEntryStr(e.type, e.id, scaled(e.price, pd), scaled(e.qty, qd))).toBe(BookStatus.Ok);
    expect(book.endMessage(NO_CHECKSUM)).toBe(BookStatus.Ok);
    expect(w.get(278)).toMatch(/^[A-Z2-7]{6}-[A-Z2-7]{5}-[A-Z2-7]{6}$/);
    expect(w.get(5273)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    await drive(clock, s, 40);
    await c.settle(50);
    const xs = c.received.filter((m) => m.type === 'X');
    expect(xs.length).toBeGreaterThan(10);
    for (const x of xs) {
      expect(book.beginIncremental()).toBe(BookStatus.Ok);
      let checksum = NO_CHECKSUM;
      for (const e of entries(x)) {
        expect(e.type).not.toBe(2);
        if (e.checksum !== undefined) checksum = Number(e.checksum);
        expect(book.applyEntryStr(e.action, e.type, e.id, scaled(e.price, pd), scaled(e.qty, qd))).toBe(BookStatus.Ok);
      }
      expect(book.endMessage(checksum)).toBe(BookStatus.Ok);
    }
  });

  it('same seed and clock give byte-identical market data; another seed does not', async () => {
    const capture = async (seed: number) => {
      const { sim: s, clock } = await start(seed);
      const c = await mdClient(s.ports.derivMd, TARGET_COMP_IDS.derivMd, ALICE.derivatives!.senderCompID, clock);
      c.send('V', request('rep', 'PF_ETHUSD', 25, ['0', '1', '2']));
      await c.waitFor((m) => m.type === 'W');
      await drive(clock, s, 50);
      await c.settle(50);
      c.close();
      await s.close();
      sim = undefined;
      return { bytes: Buffer.concat(c.bytes), xs: c.received.filter((m) => m.type === 'X').length };
    };
    const a = await capture(3);
    const b = await capture(3);
    const other = await capture(4);
    expect(a.xs).toBeGreaterThan(10);
    expect(a.bytes.length).toBeGreaterThan(5000);
    expect(b.bytes.equals(a.bytes)).toBe(true);
    expect(other.bytes.equals(a.bytes)).toBe(false);
  });

  it('rejects bad requests with 35=Y and the documented 281 codes', async () => {
    const { sim: s, clock } = await start();
    const c = await mdClient(s.ports.spotMd, TARGET_COMP_IDS.spotMd, ALICE.spot!.senderCompID, clock);
    const cases: [[number, string][], string][] = [
      [request('a', 'TEST/TEST', 10, ['0', '1']), '0'],
      [request('b', 'XBT/USD', 7, ['0', '1']), '5'],
      [request('c', 'XBT/USD', 10, ['0']), '8'],
      [request('d', 'XBT/USD', 10, ['0', '1'], [[266, 'N']]), 'B'],
    ];
    for (const [fields, code] of cases) {
      const from = c.received.length;
      c.send('V', fields);
      const y = await c.waitFor((m) => m.type === 'Y', 5000, from);
      expect([y.get(262), y.get(281)]).toEqual([fields[0]![1], code]);
    }
    expect(c.received.find((m) => m.get(281) === '0')!.get(58)).toBe('MarketData subscription failed due to unsupported symbol: TEST/TEST');
    c.send('V', request('e', 'XBT/USD', 10, ['0', '1']));
    await c.waitFor((m) => m.type === 'W');
    const from = c.received.length;
    c.send('V', request('e', 'ETH/USD', 10, ['0', '1']));
    expect((await c.waitFor((m) => m.type === 'Y', 5000, from)).get(281)).toBe('1');
    const l3 = await mdClient(s.ports.derivMdL3, TARGET_COMP_IDS.derivMd, ALICE.derivatives!.senderCompID, clock);
    l3.send('V', request('f', 'PF_XBTUSD', 0, ['0', '1', '2'], [[266, 'N']]));
    expect((await l3.waitFor((m) => m.type === 'Y')).get(281)).toBe('C');
  });

  it('SecurityList (x -> y) lists instruments with precisions; TradingSessionStatus (g -> h) says online', async () => {
    const { sim: s, clock } = await start();
    const c = await mdClient(s.ports.spotMd, TARGET_COMP_IDS.spotMd, ALICE.spot!.senderCompID, clock);
    c.send('x', [[320, 'sl1'], [559, '4']]);
    const y = await c.waitFor((m) => m.type === 'y');
    expect(y.all(55)).toEqual(['XBT/USD', 'ETH/USD']);
    expect([y.get(320), y.get(560), y.get(146), y.get(562), y.get(2349), y.get(5010), y.get(5011), y.get(5013), y.get(5022), y.get(5032)]).toEqual(['sl1', '0', '2', '0.00000001', '1', '8', '0.0001', '0.5', '0.1', '1']);
    c.send('g', [[335, 'ts1'], [336, 'SESSION'], [263, '0']]);
    const h = await c.waitFor((m) => m.type === 'h');
    expect([h.get(335), h.get(336), h.get(340)]).toEqual(['ts1', 'SESSION', '2']);
    const d = await mdClient(s.ports.derivMd, TARGET_COMP_IDS.derivMd, ALICE.derivatives!.senderCompID, clock);
    d.send('x', [[320, 'sl2'], [559, '4']]);
    const dy = await d.waitFor((m) => m.type === 'y');
    expect(dy.all(55)).toEqual(['PI_XBTUSD', 'PF_XBTUSD', 'PF_ETHUSD']);
    expect(dy.all(5022)).toEqual(['0.5', '1', '0.1']);
  });
});
