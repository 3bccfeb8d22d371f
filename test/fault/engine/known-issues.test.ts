// Found by the engine fault campaign (issue 9): a message of the replay itself lost on a live
// connection used to leave the session in ResendInProgress for good (later messages only queued, no new
// ResendRequest, heartbeats kept the link up). The session now asks again from the expected MsgSeqNum
// when the sequence has not moved for resendTimeoutMs (src/session/session.ts checkResendProgress).
// Recovering also exposed that messages queued above the gap were views of the engine's reused read
// buffer (Buffer#slice), so they were overwritten before the gap was filled (src/session/inbound-queue.ts).
import { afterEach, expect, it } from 'vitest';
import { DEFAULT_ACCOUNTS } from '../../../src/sim/index.js';
import { ALICE, Rig, until } from './rig.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

it('recovers when a message of the replay is lost as well (asks again after no progress)', async () => {
  // Down message 5 (an ExecutionReport) is lost; message 6 reveals the gap; the replay of 5 comes next
  // (7, or 8 if one live report slipped in before it) and is lost too.
  rig = await Rig.start({
    scenario: { name: 'gap-in-replay', seed: 1, rules: [{ kind: 'swallow', dir: 'down', conn: 0, messages: [5, 7, 8] }] },
    sim: { accounts: DEFAULT_ACCOUNTS.map((a) => ({ ...a, tier: 'pro' as const })) },
    params: { orders: 8, intervalMs: 80, cancelEvery: 0 },
  });
  await rig.drive(8);
  const venueReports = () => rig!.sim.executions(ALICE.senderCompID).length;
  await until(() => venueReports() >= 8, 'the venue to acknowledge every order');
  await until(() => rig!.engine!.health().session === 'Active' && rig!.log().reports.length >= venueReports(), 'the session to recover every report', 12_000);
  expect(rig.proxy.counters().faults.swallow).toBeGreaterThanOrEqual(2);
}, 20_000);
