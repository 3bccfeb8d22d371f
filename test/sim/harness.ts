/**
 * Shared setup of the simulator scenario tests: a simulator on free ports with a ManualClock, the
 * default test accounts, and logged-on raw clients.
 */
import { ManualClock } from '../../src/codec/index.js';
import { CombClOrdIdGenerator } from '../../src/kraken/clordid.js';
import { DEFAULT_ACCOUNTS, TARGET_COMP_IDS, startKrakenSimulator, type SimulatorHandle, type SimulatorOptions } from '../../src/sim/index.js';
import { TestClient, type LogonOptions, type Msg } from './client.js';

/** 2025-03-03 14:00:00 UTC. */
export const T0 = Date.UTC(2025, 2, 3, 14, 0, 0) * 1000;

export const ALICE = DEFAULT_ACCOUNTS[0]!;
export const BOB = DEFAULT_ACCOUNTS[1]!;
const cred = (id: string) => ({ senderCompID: id, apiKey: `${id.toLowerCase()}-key`, apiSecret: Buffer.from(`${id}-secret`).toString('base64') });
export const CAROL = { name: 'carol', spot: cred('CAROL'), derivatives: cred('CAROL_DRV') };
export const DAVE = { name: 'dave', spot: cred('DAVE'), derivatives: cred('DAVE_DRV') };
export const ACCOUNTS = [ALICE, BOB, CAROL, DAVE];

export const FREE_PORTS = { spotMd: 0, spotTrading: 0, derivMd: 0, derivTrading: 0, derivMdL3: 0, spotMdL3: 0 };

export interface Harness {
  sim: SimulatorHandle;
  clock: ManualClock;
  close(): Promise<void>;
  spot(who?: typeof ALICE, logon?: LogonOptions): Promise<TestClient>;
  deriv(who?: typeof ALICE, logon?: LogonOptions): Promise<TestClient>;
  comb(): string;
  /** A trade of 0.01 at px between Carol (resting seller) and Dave (IOC buyer): moves the last price. */
  print(px: string): Promise<void>;
}

export async function startHarness(options: SimulatorOptions = {}): Promise<Harness> {
  const clock = options.clock instanceof ManualClock ? options.clock : new ManualClock(T0);
  const sim = await startKrakenSimulator({ ports: FREE_PORTS, flow: { enabled: false }, tickMs: 20, accounts: ACCOUNTS, ...options, clock });
  const clients: TestClient[] = [];
  let seller: TestClient | undefined;
  let buyer: TestClient | undefined;
  const gen = new CombClOrdIdGenerator({ nowUs: () => clock.nowMicros() });
  const open = async (port: number, target: string, cred: { senderCompID: string; apiKey: string; apiSecret: string }, logon: LogonOptions = {}) => {
    const c = await TestClient.connect({ port, sender: cred.senderCompID, target, clock });
    clients.push(c);
    clock.advanceMs(1); // the nonce must increase per key
    c.logon({ apiKey: cred.apiKey, apiSecret: cred.apiSecret, ...logon });
    await c.waitFor((m) => m.type === 'A' || m.type === '5');
    return c;
  };
  return {
    sim,
    clock,
    close: async () => {
      for (const c of clients) c.close();
      await sim.close();
    },
    spot: (who = ALICE, logon) => open(sim.ports.spotTrading, TARGET_COMP_IDS.spotTrading, who.spot!, logon),
    deriv: (who = ALICE, logon) => open(sim.ports.derivTrading, TARGET_COMP_IDS.derivTrading, who.derivatives!, logon),
    comb: () => gen.next(),
    print: async (px: string) => {
      seller ??= await open(sim.ports.spotTrading, TARGET_COMP_IDS.spotTrading, CAROL.spot);
      buyer ??= await open(sim.ports.spotTrading, TARGET_COMP_IDS.spotTrading, DAVE.spot);
      const fs = seller.received.length;
      seller.send('D', nos({ id: nextId(), side: 2, qty: '0.01', price: px }));
      await seller.waitFor((m) => m.type === '8' && m.get(150) === '0', 5000, fs);
      const fb = buyer.received.length;
      buyer.send('D', nos({ id: nextId(), side: 1, qty: '0.01', price: px, tif: '3' }));
      await buyer.waitFor((m) => m.type === '8' && (m.get(39) === '2' || m.get(39) === '4'), 5000, fb);
      // Whatever the trade triggered is dispatched in the same turn; give the sockets a moment.
      await new Promise((r) => setTimeout(r, 20));
    },
  };
}

let clOrdSeq = 1_000_000;
/** A fresh Spot integer ClOrdID. */
export function nextId(): string {
  return String(++clOrdSeq);
}

export const TT = '20250303-14:00:00.000';

/** NewOrderSingle fields from a compact description. */
export function nos(f: { id: string; side?: 1 | 2; type?: string; qty: string; price?: string; stopPx?: string; tif?: string; symbol?: string; execInst?: string; extra?: [number, string][] }): [number, string][] {
  const out: [number, string][] = [[11, f.id]];
  if (f.execInst !== undefined) out.push([18, f.execInst]);
  out.push([38, f.qty], [40, f.type ?? '2']);
  if (f.price !== undefined) out.push([44, f.price]);
  out.push([54, String(f.side ?? 1)], [55, f.symbol ?? 'XBT/USD'], [59, f.tif ?? '1'], [60, TT]);
  if (f.stopPx !== undefined) out.push([99, f.stopPx]);
  for (const e of f.extra ?? []) out.push(e);
  return out;
}

/** "150/39 cum=.. leaves=.." summary of an ExecutionReport (LastQty@LastPx on fills). */
export function er(m: Msg): string {
  let s = `${m.get(150)}/${m.get(39)} cum=${m.get(14)} leaves=${m.get(151)}`;
  if (m.get(150) === 'F') s += ` last=${m.get(32)}@${m.get(31)} avg=${m.get(6)}`;
  return s;
}

/** Waits for `n` ExecutionReports after index `from` and summarises them. */
export async function ers(c: TestClient, n: number, from: number): Promise<string[]> {
  return (await c.waitCount('8', n, from)).map(er);
}
