import { describe, expect, it } from 'vitest';
import { lastRolloverMicros, SessionState } from '../../src/session/index.js';
import { Harness } from './helpers.js';

const ROLLOVER = { hourUtc: 22, minuteUtc: 0 };

describe('daily rollover (Kraken 22:00 UTC)', () => {
  it('computes the latest 22:00 at or before now', () => {
    const at = (iso: string) => Date.parse(iso) * 1000;
    expect(lastRolloverMicros(at('2024-05-14T21:59:59Z'), ROLLOVER)).toBe(at('2024-05-13T22:00:00Z'));
    expect(lastRolloverMicros(at('2024-05-14T22:00:00Z'), ROLLOVER)).toBe(at('2024-05-14T22:00:00Z'));
    expect(lastRolloverMicros(at('2024-05-15T03:00:00Z'), ROLLOVER)).toBe(at('2024-05-14T22:00:00Z'));
  });

  it('crossing 22:00 while logged on: Logout, disconnect, both sequence numbers back to 1', () => {
    const h = new Harness({ rollover: ROLLOVER, heartBtIntSec: 30 }).logon(30);
    h.recv('35=1|34=2|112=x');
    h.take();
    // T0 is 12:00 UTC: 10 hours to go. Keep the peer alive with heartbeats.
    for (let k = 0; k < 1199; k++) { h.clock.advanceMs(30_000); h.recv(`35=0|34=${3 + k}`); h.session.onTimer(); }
    expect(h.session.state).toBe(SessionState.Active);
    h.take();
    h.advance(31_000, 1000);
    const out = h.take();
    expect(out[out.length - 1]).toMatch(/^35=5\|34=\d+\|58=Session rollover$/);
    expect(h.session.state).toBe(SessionState.Disconnected);
    expect(h.store.nextSenderMsgSeqNum()).toBe(1);
    expect(h.store.nextTargetMsgSeqNum()).toBe(1);
    expect(h.events.some((e) => e.kind === 'rollover')).toBe(true);
  });

  it('a store last used before the rollover is reset when the next connection starts', () => {
    const h = new Harness({ rollover: ROLLOVER, role: 'initiator' });
    h.store.setNextSenderMsgSeqNum(50);
    h.store.setNextTargetMsgSeqNum(60);
    h.clock.advanceMs(11 * 3600_000); // 23:00, the store's epoch began at 12:00
    h.connect();
    expect(h.take()).toEqual(['35=A|34=1|98=0|108=30']);
  });
});
