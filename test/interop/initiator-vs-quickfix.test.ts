// Issue 3's must-show (a): our initiator (FixSession + supervised transport + durable journal) against a
// QuickFIX C++ acceptor with data-dictionary validation on (test/peers/quickfix/qf-peer.cpp, FIX44.xml).
// 1,000 NewOrderSingles, each answered by an ExecutionReport, with a connection loss in the middle that
// is made deterministic by a proxy between us:
//   C1..C300    delivered normally (all acknowledged)
//   C301..C400  reach QuickFIX, but its ExecutionReports are black-holed   -> we must ResendRequest
//   C401..C500  black-holed on the way to QuickFIX                        -> QuickFIX must ResendRequest
//   cut: both sockets destroyed; the supervisor reconnects (no ResetSeqNumFlag), both sides resend
//   C501..C1000 sent after the reconnect
// Then: every ClOrdID arrived exactly once on each side; the resends, and only they, carry PossDupFlag=Y.
import { performance } from 'node:perf_hooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { startInitiator, type InitiatorEvent, type InitiatorSupervisor } from '../../src/transport/index.js';
import type { JournalStore } from '../../src/store/index.js';
import { buildQuickfix } from '../at/qf-peer.js';
import {
  SKIP_INTEROP, Tally, cleanupsAfterEach, ids, journalSession, peerTally, quickfixAcceptorBehindProxy, sendNewOrderSingle, sortIds, tempDir, tick, until,
  warnIfSkipped,
} from './helpers.js';

warnIfSkipped('interop: initiator vs QuickFIX');

const cleanups = cleanupsAfterEach();

describe.skipIf(SKIP_INTEROP)('our initiator against a QuickFIX acceptor', () => {
  beforeAll(() => buildQuickfix(['qf-peer']), 180_000);

  it('1,000 orders across a cut connection: reconnect, resend both ways, nothing lost or doubled', async () => {
    const { peer, proxy } = await quickfixAcceptorBehindProxy(cleanups);

    const dir = tempDir(cleanups, 'kfix-interop-a-');
    const ours = new Tally();
    const sessionEvents: string[] = [];
    const { session, store } = journalSession({
      role: 'initiator',
      sender: 'CLIENT',
      target: 'SRV',
      dir,
      application: {
        onAppMessage: (_s, view, possDup) => {
          if (view.getString(35) === '8') ours.add(view.getString(11) ?? '?', possDup);
        },
        onEvent: (_s, e) => { if (e.kind !== 'state') sessionEvents.push(`${e.kind}: ${e.text}`); },
      },
    });
    cleanups.push(() => (store as JournalStore).close());
    const events: InitiatorEvent[] = [];
    const sup: InitiatorSupervisor = startInitiator({
      session,
      endpoints: [{ host: '127.0.0.1', port: proxy.port }],
      reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
      logonTimeoutMs: 5000,
      onEvent: (e) => events.push(e),
    });
    cleanups.push(() => sup.stop({ logout: false }));
    const diag = () => `session: ${sessionEvents.slice(-15).join(' | ')}\ninitiator: ${JSON.stringify(events.slice(-6))}\npeer: ${peer.lines.filter((l) => !l.startsWith('APP')).slice(-15).join(' | ')}`;

    await sup.whenLoggedOn(10_000);
    const sendRange = async (from: number, to: number) => {
      for (let i = from; i <= to; ) {
        if (!session.isLoggedOn) {
          await sup.whenLoggedOn(15_000);
          continue;
        }
        for (let k = 0; k < 25 && i <= to; k++, i++) sendNewOrderSingle(session, `C${i}`);
        await tick();
      }
    };
    const t0 = performance.now();

    await sendRange(1, 300);
    await until(() => ours.distinct === 300, 'ERs for C1..C300', 15_000, diag);
    const tPhase1 = performance.now() - t0;

    proxy.hold('down');
    await sendRange(301, 400);
    await peer.waitFor(/^APP D \d+ C400 N$/, 15_000);

    proxy.hold('up');
    await sendRange(401, 500);
    await until(() => proxy.discarded.up.includes('\x0111=C500\x01'), 'C500 to be black-holed', 5000, diag);
    expect(peerTally(peer, 'D').total('C401')).toBe(0);

    const tCut = performance.now();
    proxy.cut();
    await until(() => events.filter((e) => e.kind === 'logged-on').length === 2, 'the reconnect', 15_000, diag);
    const reconnectMs = performance.now() - tCut;
    // New orders wait for the replay of the black-holed ones: sent earlier, they race QuickFIX's
    // ResendRequest, and QuickFIX then takes them from the replay (PossDup) instead of live.
    await peer.waitFor(/^APP D \d+ C500 Y$/, 15_000);
    await sendRange(501, 1000);

    const all = ids('C', 1, 1000);
    await until(() => ours.distinct === 1000, 'ERs for all 1,000 orders', 30_000, () => `missing ${ours.missing(all).slice(0, 10)}\n${diag()}`);
    const totalMs = performance.now() - t0;
    await until(() => peerTally(peer, 'D').distinct === 1000, 'the peer to print 1,000 orders', 10_000, diag);

    const dropsBeforeLogout = events.filter((e) => e.kind === 'disconnected').length;
    await sup.stop({ text: 'done' });
    await peer.waitFor(/^LOGOUT$/, 10_000);

    // Our side: each order's ExecutionReport exactly once; QuickFIX resent (PossDupFlag=Y) exactly the black-holed ones.
    expect(ours.missing(all)).toEqual([]);
    expect(ours.duplicates()).toEqual([]);
    expect(sortIds(ours.possDupIds())).toEqual(ids('C', 301, 400));
    // Peer side: each order once; we resent from the journal exactly the black-holed ones.
    const theirs = peerTally(peer, 'D');
    expect(theirs.missing(all)).toEqual([]);
    expect(theirs.duplicatesAsNew()).toEqual([]);
    expect(theirs.duplicates()).toEqual([]);
    expect(sortIds(theirs.possDupIds())).toEqual(ids('C', 401, 500));
    // Reconnected without a sequence reset and without QuickFIX complaining.
    expect(peer.lines.filter((l) => /^ADMIN_(IN|OUT) 3 /.test(l) || /too low|ERROR/i.test(l))).toEqual([]);
    expect(peer.lines.some((l) => /^ADMIN_OUT 2 /.test(l))).toBe(true);
    expect(sessionEvents.some((e) => e.startsWith('gap: MsgSeqNum too high'))).toBe(true);
    expect(dropsBeforeLogout).toBe(1);
    expect(proxy.accepted).toBe(2);

    console.log(
      `[interop a] 1,000 NewOrderSingle->ExecutionReport round trips with QuickFIX: ${totalMs.toFixed(0)} ms total ` +
        `(first 300 clean: ${tPhase1.toFixed(0)} ms), reconnect after cut: ${reconnectMs.toFixed(0)} ms`,
    );
  }, 60_000);
});
