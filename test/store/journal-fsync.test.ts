/**
 * Fsync policies: counts fdatasync calls (JournalStore.syncCount) with an injected clock, and
 * checks every policy leaves a journal that reopens to the same state.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openJournalStore, type FsyncPolicy, type JournalStore } from '../../src/store/index.js';
import { makeMessage } from './fixtures/messages.js';
import { removeDir, replayAll, tempDir } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length > 0) removeDir(dirs.pop()!);
});

let clock = 0;
function open(fsync: FsyncPolicy, dir = tempDir('fsync')): JournalStore {
  if (!dirs.includes(dir)) dirs.push(dir);
  return openJournalStore({ dir, sessionId: 'FIX.4.4:F->S', fsync, nowMs: () => clock, targetSeqMaxLag: 4 });
}
function send(s: JournalStore, count: number): void {
  for (let i = 0; i < count; i++) {
    const seq = s.nextSenderMsgSeqNum();
    const m = makeMessage(1, seq);
    s.recordOutbound(seq, m, 0, m.length, true);
  }
}

describe('fsync policies', () => {
  it("'every' syncs once per append, including admin messages and seq changes", () => {
    const s = open({ kind: 'every' });
    send(s, 10);
    s.recordOutbound(11, new Uint8Array(0), 0, 0, false);
    s.setNextSenderMsgSeqNum(20);
    expect(s.syncCount).toBe(12);
    s.close();
  });

  it("'batch' syncs after maxMessages appends", () => {
    clock = 0;
    const s = open({ kind: 'batch', maxMessages: 4, maxDelayMs: 1e9 });
    send(s, 10);
    expect(s.syncCount).toBe(2);
    s.flush();
    expect(s.syncCount).toBe(3);
    s.flush(); // nothing new: no extra sync
    expect(s.syncCount).toBe(3);
    s.close();
  });

  it("'batch' syncs once maxDelayMs has passed, on the next append or on poll()", () => {
    clock = 1000;
    const s = open({ kind: 'batch', maxMessages: 1000, maxDelayMs: 2 });
    send(s, 3);
    clock += 1.5;
    send(s, 1);
    expect(s.syncCount).toBe(0);
    clock += 0.5; // 2 ms after the first unsynced append
    send(s, 1);
    expect(s.syncCount).toBe(1);
    send(s, 1);
    s.poll();
    expect(s.syncCount).toBe(1);
    clock += 5;
    s.poll();
    expect(s.syncCount).toBe(2);
    s.poll(); // nothing unsynced
    expect(s.syncCount).toBe(2);
    s.close();
  });

  it("'none' never syncs by itself; flush and close do", () => {
    const s = open({ kind: 'none' });
    send(s, 50);
    expect(s.syncCount).toBe(0);
    s.flush();
    expect(s.syncCount).toBe(1);
    send(s, 1);
    s.close();
    expect(s.syncCount).toBe(2);
  });

  it('inbound seq updates never force a sync by themselves', () => {
    const s = open({ kind: 'every' });
    for (let seq = 2; seq <= 40; seq++) s.setNextTargetMsgSeqNum(seq);
    expect(s.syncCount).toBe(0);
    s.flush();
    expect(s.syncCount).toBe(1);
    s.close();
  });

  it.each<FsyncPolicy>([{ kind: 'every' }, { kind: 'batch', maxMessages: 7, maxDelayMs: 1 }, { kind: 'none' }])(
    'policy %o reopens to the same state',
    (policy) => {
      const dir = tempDir('fsync-reopen');
      const s = open(policy, dir);
      send(s, 100);
      s.setNextTargetMsgSeqNum(55);
      const before = replayAll(s);
      s.close();
      const r = open(policy, dir);
      expect(r.nextSenderMsgSeqNum()).toBe(101);
      expect(r.nextTargetMsgSeqNum()).toBe(55);
      expect(replayAll(r)).toEqual(before);
      r.close();
    },
  );

  it('rejects malformed policies', () => {
    const dir = tempDir('fsync-bad');
    dirs.push(dir);
    const bad = [{ kind: 'sometimes' }, { kind: 'batch', maxMessages: 0, maxDelayMs: 1 }, { kind: 'batch', maxMessages: 4, maxDelayMs: -1 }];
    for (const p of bad) {
      expect(() => openJournalStore({ dir, sessionId: 'X', fsync: p as FsyncPolicy })).toThrow(RangeError);
    }
  });
});
