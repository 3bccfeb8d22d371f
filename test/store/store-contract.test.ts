/**
 * One behavioural suite run over both stores: the memory store is the reference the session's
 * tests use, so the journal must be indistinguishable from it through the MessageStore interface.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createMemoryStore, openJournalStore, type MessageStore } from '../../src/store/index.js';
import { bytesOf, removeDir, replayAll, tempDir } from './helpers.js';

interface Harness {
  name: string;
  make(startMicros: number): MessageStore;
}

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length > 0) removeDir(dirs.pop()!);
});

const harnesses: Harness[] = [
  { name: 'memory', make: (micros) => createMemoryStore({ sessionStartMicros: micros }) },
  {
    name: 'journal',
    make: (micros) => {
      const dir = tempDir('contract');
      dirs.push(dir);
      return openJournalStore({ dir, sessionId: 'FIX.4.4:S->T', sessionStartMicros: micros, fsync: { kind: 'none' } });
    },
  },
];

describe.each(harnesses)('$name store contract', ({ make }) => {
  it('starts at 1/1 with the given session start', () => {
    const s = make(1_700_000_000_000_000);
    expect(s.nextSenderMsgSeqNum()).toBe(1);
    expect(s.nextTargetMsgSeqNum()).toBe(1);
    expect(s.sessionStartMicros()).toBe(1_700_000_000_000_000);
    expect(replayAll(s)).toEqual([]);
    s.close();
  });

  it('copies the bytes in and advances the sender seq', () => {
    const s = make(0);
    const buf = bytesOf('xxHELLOyy');
    s.recordOutbound(1, buf, 2, 5, true);
    buf.fill(0); // caller reuses its buffer
    expect(s.nextSenderMsgSeqNum()).toBe(2);
    expect(replayAll(s)).toEqual([[1, 'HELLO']]);
    s.close();
  });

  it('admin messages consume a seq but are not replayable', () => {
    const s = make(0);
    s.recordOutbound(1, bytesOf('A'), 0, 1, true);
    s.recordOutbound(2, bytesOf('HB'), 0, 2, false);
    s.recordOutbound(3, bytesOf('C'), 0, 1, true);
    expect(s.nextSenderMsgSeqNum()).toBe(4);
    expect(replayAll(s)).toEqual([
      [1, 'A'],
      [3, 'C'],
    ]);
    s.close();
  });

  it('replays inclusive ranges ascending; end 0 means to the last; out-of-range is clamped', () => {
    const s = make(0);
    for (let seq = 1; seq <= 10; seq++) s.recordOutbound(seq, bytesOf(`m${seq}`), 0, `m${seq}`.length, true);
    expect(replayAll(s, 3, 5).map(([q]) => q)).toEqual([3, 4, 5]);
    expect(replayAll(s, 8, 0).map(([q]) => q)).toEqual([8, 9, 10]);
    expect(replayAll(s, 0, 2).map(([q]) => q)).toEqual([1, 2]);
    expect(replayAll(s, 9, 500).map(([q]) => q)).toEqual([9, 10]);
    expect(replayAll(s, 6, 5)).toEqual([]);
    expect(replayAll(s, 11, 0)).toEqual([]);
    s.close();
  });

  it('crosses index chunk boundaries and keeps large messages intact', () => {
    const s = make(0);
    for (let seq = 1; seq <= 3000; seq++) s.recordOutbound(seq, bytesOf(`msg-${seq}`), 0, `msg-${seq}`.length, true);
    const big = Buffer.alloc(200_000, 0x41);
    big[0] = 0x42;
    big[big.length - 1] = 0x43;
    s.recordOutbound(3001, big, 0, big.length, true);
    const got = replayAll(s, 1020, 1030);
    expect(got.map(([q, t]) => `${q}:${t}`)).toEqual(
      Array.from({ length: 11 }, (_, i) => `${1020 + i}:msg-${1020 + i}`),
    );
    const last = replayAll(s, 3001, 0);
    expect(last).toHaveLength(1);
    expect(Buffer.from(last[0][1], 'latin1').equals(big)).toBe(true);
    s.close();
  });

  it('rewinding the sender seq forgets the messages at and above it', () => {
    const s = make(0);
    for (let seq = 1; seq <= 5; seq++) s.recordOutbound(seq, bytesOf(`old${seq}`), 0, 4, true);
    s.setNextSenderMsgSeqNum(3);
    expect(s.nextSenderMsgSeqNum()).toBe(3);
    expect(replayAll(s).map(([q]) => q)).toEqual([1, 2]);
    s.recordOutbound(3, bytesOf('new3'), 0, 4, true);
    expect(replayAll(s)).toEqual([
      [1, 'old1'],
      [2, 'old2'],
      [3, 'new3'],
    ]);
    s.close();
  });

  it('a forward jump of the sender seq keeps earlier messages and stores later ones', () => {
    const s = make(0);
    s.recordOutbound(1, bytesOf('one'), 0, 3, true);
    s.setNextSenderMsgSeqNum(1_000_000_000);
    s.recordOutbound(1_000_000_000, bytesOf('big'), 0, 3, true);
    expect(s.nextSenderMsgSeqNum()).toBe(1_000_000_001);
    expect(replayAll(s)).toEqual([
      [1, 'one'],
      [1_000_000_000, 'big'],
    ]);
    s.close();
  });

  it('tracks the target seq', () => {
    const s = make(0);
    for (let seq = 2; seq <= 100; seq++) s.setNextTargetMsgSeqNum(seq);
    expect(s.nextTargetMsgSeqNum()).toBe(100);
    s.setNextTargetMsgSeqNum(7);
    expect(s.nextTargetMsgSeqNum()).toBe(7);
    s.flush();
    s.close();
  });

  it('reset drops messages and restarts both seqs at 1', () => {
    const s = make(5);
    for (let seq = 1; seq <= 20; seq++) s.recordOutbound(seq, bytesOf('m'), 0, 1, true);
    s.setNextTargetMsgSeqNum(33);
    s.reset(1234);
    expect(s.nextSenderMsgSeqNum()).toBe(1);
    expect(s.nextTargetMsgSeqNum()).toBe(1);
    expect(s.sessionStartMicros()).toBe(1234);
    expect(replayAll(s)).toEqual([]);
    s.recordOutbound(1, bytesOf('after'), 0, 5, true);
    expect(replayAll(s)).toEqual([[1, 'after']]);
    s.close();
  });

  it('rejects bad input with RangeError and leaves state unchanged', () => {
    const s = make(0);
    s.recordOutbound(1, bytesOf('ok'), 0, 2, true);
    const buf = bytesOf('abc');
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 31, Infinity]) {
      expect(() => s.recordOutbound(bad, buf, 0, 3, true)).toThrow(RangeError);
      expect(() => s.setNextSenderMsgSeqNum(bad)).toThrow(RangeError);
      expect(() => s.setNextTargetMsgSeqNum(bad)).toThrow(RangeError);
    }
    expect(() => s.recordOutbound(2, buf, 2, 2, true)).toThrow(RangeError);
    expect(() => s.recordOutbound(2, buf, -1, 1, true)).toThrow(RangeError);
    expect(() => s.replay(-1, 0, () => {})).toThrow(RangeError);
    expect(() => s.reset(Number.NaN)).toThrow(RangeError);
    expect(s.nextSenderMsgSeqNum()).toBe(2);
    expect(s.nextTargetMsgSeqNum()).toBe(1);
    expect(replayAll(s)).toEqual([[1, 'ok']]);
    s.close();
  });

  it('refuses use after close', () => {
    const s = make(0);
    s.close();
    expect(() => s.recordOutbound(1, bytesOf('x'), 0, 1, true)).toThrow(/closed/);
    expect(() => s.replay(1, 0, () => {})).toThrow(/closed/);
    s.close(); // idempotent
  });
});

type Op =
  | { k: 'send'; store: boolean; text: string }
  | { k: 'sender'; seq: number }
  | { k: 'target'; seq: number }
  | { k: 'reset'; micros: number }
  | { k: 'flush' }
  | { k: 'replay'; begin: number; end: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ k: fc.constant('send' as const), store: fc.boolean(), text: fc.string({ minLength: 1, maxLength: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('sender' as const), seq: fc.integer({ min: 1, max: 60 }) }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('target' as const), seq: fc.integer({ min: 1, max: 200 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('reset' as const), micros: fc.integer({ min: 0, max: 1e9 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('flush' as const) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('replay' as const), begin: fc.integer({ min: 0, max: 60 }), end: fc.integer({ min: 0, max: 60 }) }) },
);

describe('journal matches the memory store on random operation sequences', () => {
  it('same observations, also after reopening the journal', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), fc.integer({ min: 1, max: 8 }), (ops, lag) => {
        const dir = tempDir('model');
        try {
          const mem = createMemoryStore({ sessionStartMicros: 9 });
          const open = () =>
            openJournalStore({ dir, sessionId: 'FIX.4.4:M->N', sessionStartMicros: 9, fsync: { kind: 'none' }, targetSeqMaxLag: lag });
          let jr = open();
          const observe = (s: MessageStore) => [s.nextSenderMsgSeqNum(), s.nextTargetMsgSeqNum(), s.sessionStartMicros(), replayAll(s)];
          for (const op of ops) {
            for (const s of [mem, jr]) {
              switch (op.k) {
                case 'send': {
                  const b = Buffer.from(op.text, 'utf8');
                  s.recordOutbound(s.nextSenderMsgSeqNum(), b, 0, b.length, op.store);
                  break;
                }
                case 'sender':
                  s.setNextSenderMsgSeqNum(op.seq);
                  break;
                case 'target':
                  s.setNextTargetMsgSeqNum(op.seq);
                  break;
                case 'reset':
                  s.reset(op.micros);
                  break;
                case 'flush':
                  s.flush();
                  break;
                case 'replay':
                  break;
              }
            }
            if (op.k === 'replay') expect(replayAll(jr, op.begin, op.end)).toEqual(replayAll(mem, op.begin, op.end));
            expect(observe(jr)).toEqual(observe(mem));
          }
          jr.close(); // close flushes the coalesced target seq
          jr = open();
          expect(jr.recovery.cut).toBeNull();
          expect(observe(jr)).toEqual(observe(mem));
          jr.close();
        } finally {
          removeDir(dir);
        }
      }),
      { numRuns: 60 },
    );
  });
});
