/**
 * Fault campaign (issue 9, first slice): a raw FIX client (test/sim/client.ts) talks to the Kraken
 * simulator THROUGH the seeded fault proxy; after each scenario the client's view of its orders is
 * reconciled against the venue's own record (ExecutionReports replayed on a 141=N reconnect,
 * OrderStatusRequest, simulator stats). Each scenario runs with three seeds; a summary table goes to
 * stdout. The simulator has no handle on its order book, so "the venue's record" is what it answers.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TARGET_COMP_IDS } from '../../../src/sim/index.js';
import { TestClient, type Msg } from '../../sim/client.js';
import { ALICE, nextId, nos, startHarness, type Harness } from '../../sim/harness.js';
import { Prng } from '../prng.js';
import { FaultProxy, type Scenario } from '../proxy.js';

/**
 * Seeds: KFIX_CAMPAIGN_SEEDS (comma-separated integers) x KFIX_CAMPAIGN_RUNS, as test/fault/engine does
 * (run r of seed s uses s + 7919 r); `npm run soak` sets them. Default: three fixed seeds.
 */
const SEEDS = ((env = process.env): number[] => {
  const seeds = (env.KFIX_CAMPAIGN_SEEDS ?? '11,4242,90001').split(',').filter((x) => x.trim() !== '').map((x) => Number(x.trim()));
  const runs = Number(env.KFIX_CAMPAIGN_RUNS ?? 1);
  if (seeds.length === 0 || !seeds.every(Number.isInteger)) throw new Error(`KFIX_CAMPAIGN_SEEDS must be comma-separated integers, got ${JSON.stringify(env.KFIX_CAMPAIGN_SEEDS)}`);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`KFIX_CAMPAIGN_RUNS must be an integer >= 1, got ${JSON.stringify(env.KFIX_CAMPAIGN_RUNS)}`);
  const out: number[] = [];
  for (let r = 0; r < runs; r++) for (const s of seeds) out.push(s + 7919 * r);
  return out;
})();
const CRED = ALICE.spot!;

interface Row { scenario: string; seeds: number; survived: number; lost: number; duplicates: number; execsLost: number }
const table = new Map<string, Row>();
/** One line per case: what the seed actually did (so a reader can see the fault bit). */
const details: string[] = [];
function record(scenario: string, ok: boolean, lost: number, duplicates: number, execsLost: number): void {
  const r = table.get(scenario) ?? { scenario, seeds: 0, survived: 0, lost: 0, duplicates: 0, execsLost: 0 };
  r.seeds++;
  if (ok) r.survived++;
  r.lost += lost;
  r.duplicates += duplicates;
  r.execsLost += execsLost;
  table.set(scenario, r);
}

let h: Harness | undefined;
let proxy: FaultProxy | undefined;
const clients: TestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await proxy?.close();
  await h?.close();
  proxy = undefined;
  h = undefined;
});
afterAll(() => {
  const rows = [...table.values()];
  const pad = (s: string | number, n: number) => String(s).padEnd(n);
  const lines = [
    `${pad('scenario', 26)}${pad('seeds survived', 16)}${pad('orders lost', 13)}${pad('duplicates', 12)}executions lost`,
    ...rows.map((r) => `${pad(r.scenario, 26)}${pad(`${r.survived}/${r.seeds}`, 16)}${pad(r.lost, 13)}${pad(r.duplicates, 12)}${r.execsLost}`),
  ];
  console.log(`\nfault campaign\n${lines.join('\n')}\n\n${details.join('\n')}\n`);
});

async function setup(scenario: Scenario): Promise<{ h: Harness; proxy: FaultProxy }> {
  h = await startHarness({ seed: scenario.seed });
  proxy = await FaultProxy.start({ upstreamPort: h.sim.ports.spotTrading, scenario, idleTimeoutMs: 10_000 });
  return { h, proxy };
}

/** Connects through the proxy and logs on; `seq` continues a previous connection (141=N) when given. */
async function connect(seq?: number): Promise<TestClient> {
  const c = await TestClient.connect({ port: proxy!.port, sender: CRED.senderCompID, target: TARGET_COMP_IDS.spotTrading, clock: h!.clock });
  clients.push(c);
  h!.clock.advanceMs(1); // the nonce must increase per key
  if (seq !== undefined) c.seq = seq;
  c.logon({ apiKey: CRED.apiKey, apiSecret: CRED.apiSecret, reset: seq === undefined });
  await c.waitFor((m) => m.type === 'A' || m.type === '5');
  return c;
}

/** Answers any ResendRequest from the venue with one SequenceReset-GapFill (our app messages are not resent as-is). */
function gapFillResends(c: TestClient, from: number): void {
  for (let i = from; i < c.received.length; i++) {
    const m = c.received[i]!;
    if (m.type !== '2') continue;
    const begin = Number(m.get(7));
    c.send('4', [[123, 'Y'], [36, c.seq]], begin);
  }
}

const ers = (c: TestClient, from = 0): Msg[] => c.received.slice(from).filter((m) => m.type === '8');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** OrderID (37) per ClOrdID from every ExecutionReport the given clients received. */
function orderIds(...cs: TestClient[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of cs) for (const m of ers(c)) if (m.get(11) !== undefined && m.get(37) !== undefined) out.set(m.get(11)!, m.get(37)!);
  return out;
}

/**
 * Sends H (37 is required by the venue) for each order whose OrderID we know and returns the
 * ClOrdIDs the venue still reports open. Orders we never got an OrderID for are checked through
 * the simulator's counters instead.
 */
async function openAtVenue(c: TestClient, known: Map<string, string>, only?: readonly string[]): Promise<string[]> {
  const from = c.received.length;
  const ids = (only ?? [...known.keys()]).filter((id) => known.has(id));
  for (const id of ids) c.send('H', [[11, nextId()], [37, known.get(id)!], [41, id], [54, '1'], [55, 'XBT/USD']]);
  // Every H gets exactly one answer: 8/150=I (open) or j (unknown order).
  const deadline = Date.now() + 5000;
  const answered = () => c.received.slice(from).filter((m) => (m.type === '8' && m.get(150) === 'I') || m.type === 'j').length;
  while (answered() < ids.length && Date.now() < deadline) await sleep(10);
  expect(answered()).toBe(ids.length);
  return c.received.slice(from).filter((m) => m.type === '8' && m.get(150) === 'I').map((m) => m.get(11) ?? m.get(41) ?? '?');
}

/** Buys far below any price so nothing trades: every accepted order rests until cancelled. */
const restingBuy = (id: string, i: number) => nos({ id, qty: '0.01', price: String(30000 + i) });

describe('fault campaign: simulator through the seeded fault proxy', () => {
  /**
   * Where the connection dies, one variant per seed: 'down-after' (the venue booked the D, its ack is
   * dropped), 'up-before' (the D never leaves the proxy), 'up-cut' (the venue gets a seeded prefix
   * of the D, then the connection closes).
   */
  const VARIANTS = ['down-after', 'up-before', 'up-cut'] as const;
  SEEDS.forEach((seed, k) => {
    const variant = VARIANTS[k % VARIANTS.length]!;
    it(`disconnect mid-order (${variant}), reconnect 141=N and reconcile (seed ${seed})`, async () => {
      const rng = new Prng(seed);
      const before = rng.range(1, 4); // orders acknowledged before the fault
      const dropBefore = variant !== 'down-after';
      // Up message 1 is the Logon, 1+k the k-th D; down message 1 is the Logon, 1+k the k-th ack.
      const at = before + 2;
      const rule =
        variant === 'down-after'
          ? { kind: 'drop' as const, dir: 'down' as const, conn: 0, atMessage: at }
          : variant === 'up-before'
            ? { kind: 'drop' as const, dir: 'up' as const, conn: 0, atMessage: at }
            : { kind: 'cut' as const, dir: 'up' as const, conn: 0, message: at, afterBytes: rng.range(1, 120) };
      await setup({ name: 'disconnect-mid-order', seed, rules: [rule] });
      const c1 = await connect();
      const ids = Array.from({ length: before + 1 }, () => nextId());
      for (let i = 0; i < before; i++) {
        c1.send('D', restingBuy(ids[i]!, i));
        await c1.waitFor((m) => m.type === '8' && m.get(11) === ids[i]);
      }
      const uncertain = ids[before]!;
      c1.send('D', restingBuy(uncertain, before));
      await c1.waitClosed();
      const seenBefore = new Set(ers(c1).map((m) => `${m.get(11)}/${m.get(150)}`));
      const lastSeen = Math.max(...c1.received.map((m) => Number(m.get(34))));
      await sleep(30);
      const codAfterDrop = h!.sim.stats().codCancels;

      // Reconnect, continue sequence numbers, recover what we missed.
      const c2 = await connect(c1.seq);
      c2.send('2', [[7, lastSeen + 1], [16, 0]]);
      await sleep(150);
      gapFillResends(c2, 0);
      await c2.settle(80);
      const all = [...ers(c1), ...ers(c2)];
      // Cancel-on-disconnect (default): nothing of the first connection is open at the venue.
      const stillOpen = await openAtVenue(c2, orderIds(c1, c2), ids);
      // The uncertain order: resend it with PossResend; the venue must not book it twice.
      const fromResend = c2.received.length;
      c2.send('D', [...restingBuy(uncertain, before), [97, 'Y']]);
      await c2.waitFor((m) => (m.type === '8' || m.type === 'j') && (m.get(11) === uncertain || m.get(379) === uncertain || m.type === 'j'), 5000, fromResend);
      await c2.settle(50);
      const resendAnswers = c2.received.slice(fromResend);
      const everAccepted = new Set([...all, ...ers(c2, fromResend)].filter((m) => m.get(150) === '0').map((m) => m.get(11)));
      const newAcks = [...all, ...ers(c2, fromResend)].filter((m) => m.get(150) === '0' && m.get(11) === uncertain && m.get(43) !== 'Y').length;

      // Invariants.
      const lost = ids.filter((id) => !everAccepted.has(id)).length; // every ClOrdID ends acknowledged once
      const duplicates = Math.max(0, newAcks - 1);
      // Every accepted order of connection 1 must have its New and its COD cancel at the client.
      let execsLost = 0;
      for (const id of ids.slice(0, before + (dropBefore ? 0 : 1))) {
        const reports = new Set(all.map((m) => `${m.get(11)}/${m.get(150)}`));
        if (!reports.has(`${id}/0`) && !seenBefore.has(`${id}/0`)) execsLost++;
        if (![...all].some((m) => m.get(150) === '4' && (m.get(41) === id || m.get(11) === id))) execsLost++;
      }
      const ok = lost === 0 && duplicates === 0 && execsLost === 0 && stillOpen.length === 0;
      details.push(`disconnect-mid-order seed=${seed} ${variant} acked-before=${before} cod=${codAfterDrop} resend-answer=${resendAnswers.filter((m) => m.type === '8' || m.type === 'j').map((m) => (m.type === 'j' ? `j:${m.get(58)}` : `8:${m.get(150)}`)).join(',')}`);
      record(`disconnect-mid-order`, ok, lost, duplicates, execsLost);
      expect(codAfterDrop, 'cancel-on-disconnect count').toBe(before + (dropBefore ? 0 : 1));
      expect(stillOpen, 'open at venue after the disconnect').toEqual([]);
      expect(lost, 'orders lost').toBe(0);
      expect(duplicates, 'booked twice').toBe(0);
      expect(execsLost, `executions lost; replay: ${ers(c2).map((m) => m.raw).join('\n')}`).toBe(0);
      if (!dropBefore) expect(resendAnswers.some((m) => m.type === 'j'), 'a resent D for a booked ClOrdID is refused').toBe(true);
      else expect(newAcks, 'the resent D is booked exactly once').toBe(1);
      expect(proxy!.counters().faults[rule.kind]).toBe(1);
    }, 15_000);
  });

  for (const seed of SEEDS) {
    it(`byte splitting both ways + down-path delay during a burst of orders (seed ${seed})`, async () => {
      const N = 20;
      await setup({
        name: 'split-delay-burst',
        seed,
        rules: [
          // First seed: every byte its own chunk (a split at every position); the others seeded 1..7 / 1..5.
          { kind: 'split', dir: 'up', minBytes: 1, maxBytes: seed === SEEDS[0] ? 1 : 7 },
          { kind: 'split', dir: 'down', minBytes: 1, maxBytes: seed === SEEDS[0] ? 1 : 5 },
          { kind: 'delay', dir: 'down', ms: 1, jitterMs: 4 },
        ],
      });
      const c = await connect();
      const ids = Array.from({ length: N }, () => nextId());
      ids.forEach((id, i) => c.send('D', restingBuy(id, i)));
      await c.waitCount('8', N, 0, 10_000).catch(() => undefined);
      await c.settle(50);
      const acks = ers(c).filter((m) => m.get(150) === '0');
      const perId = new Map<string, number>();
      for (const m of acks) perId.set(m.get(11)!, (perId.get(m.get(11)!) ?? 0) + 1);
      const lost = ids.filter((id) => !perId.has(id)).length;
      const duplicates = [...perId.values()].reduce((s, n) => s + Math.max(0, n - 1), 0);
      const open = await openAtVenue(c, orderIds(c), ids);
      const execsLost = Math.max(0, h!.sim.stats().ordersReceived - acks.length);
      // Mass cancel everything, then nothing may stay open.
      const fromQ = c.received.length;
      c.send('q', [[11, nextId()], [60, '20250303-14:00:00.000'], [530, '7']]);
      await c.waitCount('8', N, fromQ, 5000).catch(() => undefined);
      const leftOpen = await openAtVenue(c, orderIds(c), ids);
      const ok = lost === 0 && duplicates === 0 && execsLost === 0 && open.length === N && leftOpen.length === 0;
      details.push(`split-delay-burst seed=${seed} orders=${N} acks=${acks.length} up-chunks=${proxy!.counters().up.chunksOut} down-chunks=${proxy!.counters().down.chunksOut}`);
      record('split-delay-burst', ok, lost, duplicates, execsLost);
      expect(lost).toBe(0);
      expect(duplicates).toBe(0);
      expect(execsLost).toBe(0);
      expect(open.length, 'the venue has every order open').toBe(N);
      expect(leftOpen).toEqual([]);
      expect(proxy!.counters().faults.split).toBeGreaterThan(0);
    }, 20_000);
  }

  for (const seed of SEEDS) {
    it(`corruption on the up path never books a garbled order; PossDup resend recovers (seed ${seed})`, async () => {
      const N = 15;
      await setup({ name: 'corrupt-up', seed, rules: [] });
      const c1 = await connect();
      // Corrupt only what follows the Logon.
      const skip = proxy!.counters().up.bytesIn;
      proxy!.setScenario({ name: 'corrupt-up', seed, rules: [{ kind: 'corrupt', dir: 'up', probability: 0.004, maxFlips: 4, skipBytes: skip }] });
      // setScenario applies to connections accepted from now on: reconnect so the rule acts.
      c1.close();
      await c1.waitClosed();
      await sleep(20);
      const c = await connect();
      const sent = new Map<string, [number, string][]>();
      const bySeq = new Map<number, [number, string][]>();
      for (let i = 0; i < N; i++) {
        const id = nextId();
        const f = restingBuy(id, i);
        sent.set(id, f);
        bySeq.set(c.seq, f);
        c.send('D', f);
      }
      await sleep(200);
      await c.settle(60);
      const ackedBeforeRecovery = ers(c).filter((m) => m.get(150) === '0').length;
      // Recovery: answer the venue's ResendRequest like an engine would, resending the D's with
      // PossDupFlag (43=Y) + OrigSendingTime. The corrupt rule's flip budget is spent by now.
      const answered = new Set<number>();
      for (let round = 0; round < 3; round++) {
        for (const m of c.received.filter((x) => x.type === '2')) {
          const begin = Number(m.get(7));
          if (answered.has(begin)) continue;
          answered.add(begin);
          for (let q = begin; q < c.seq; q++) {
            const f = bySeq.get(q);
            if (f !== undefined) c.send('D', [[43, 'Y'], [122, '20250303-14:00:00.000'], ...f], q);
            else c.send('4', [[43, 'Y'], [123, 'Y'], [36, q + 1]], q);
          }
        }
        await c.settle(60);
      }
      const acks = ers(c).filter((m) => m.get(150) === '0');
      // Never book a garbled order: every ack matches a ClOrdID we sent, with the fields we sent.
      let garbled = 0;
      for (const m of acks) {
        const f = sent.get(m.get(11) ?? '');
        const want = f && Object.fromEntries(f);
        if (!want || m.get(44) === undefined || Number(m.get(44)) !== Number(want[44]) || Number(m.get(38)) !== Number(want[38]) || m.get(54) !== want[54] || m.get(55) !== want[55]) garbled++;
      }
      const perId = new Map<string, number>();
      for (const m of acks) perId.set(m.get(11)!, (perId.get(m.get(11)!) ?? 0) + 1);
      const duplicates = [...perId.values()].reduce((s, n) => s + Math.max(0, n - 1), 0);
      // Cancel-on-disconnect: after we go away nothing is left open (checked from a clean connection).
      c.close();
      await c.waitClosed();
      await sleep(30);
      proxy!.setScenario({ name: 'clean', seed, rules: [] });
      const check = await connect();
      const open = await openAtVenue(check, orderIds(c), [...sent.keys()]);
      const lost = N - perId.size;
      const ok = garbled === 0 && duplicates === 0 && open.length === 0 && lost === 0;
      const flips = proxy!.counters().faults.corrupt;
      const answers = c.received.map((m) => m.type).join('');
      details.push(`corrupt-up seed=${seed} sent=${N} flips=${flips} acked-before-recovery=${ackedBeforeRecovery} acked=${acks.length} garbled-booked=${garbled} reject3=${answers.split('3').length - 1} j=${answers.split('j').length - 1} resendReq=${answers.split('2').length - 1} logout=${answers.includes('5')}`);
      record('corrupt-up', ok, lost, duplicates, 0);
      expect(flips, 'the seed corrupted something').toBeGreaterThan(0);
      expect(lost, 'orders never booked after the resend').toBe(0);
      expect(garbled, `acks not matching what was sent: ${acks.map((m) => m.raw).join('\n')}`).toBe(0);
      expect(duplicates).toBe(0);
      expect(open, 'open at the venue after disconnect').toEqual([]);
      expect(h!.sim.stats().codCancels).toBe(acks.length);
    }, 15_000);
  }
});
