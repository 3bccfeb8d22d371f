// The ROUND_TRIP bookkeeping: a sent ClOrdID is answered once; unknown, repeated or overwritten ids give no sample.
import { describe, expect, it } from 'vitest';
import { numericField, RoundTripTable } from '../../src/engine/round-trip.js';

describe('RoundTripTable', () => {
  it('gives the time since the command was written, once per ClOrdID', () => {
    const t = new RoundTripTable();
    const id = 17_000_000_000_000_01;
    t.sent(id, 1_000);
    expect(t.answered(id + 10, 5_000)).toBe(-1);
    expect(t.answered(id, 4_500)).toBe(3_500);
    expect(t.answered(id, 9_000)).toBe(-1);
  });

  it('loses (does not mismatch) a sample whose slot was reused by a later command', () => {
    const t = new RoundTripTable();
    t.sent(4096 * 3 + 5, 100);
    t.sent(4096 * 7 + 5, 200);
    expect(t.answered(4096 * 3 + 5, 1_000)).toBe(-1);
    expect(t.answered(4096 * 7 + 5, 1_000)).toBe(800);
  });

  it('reads numeric ClOrdIDs only', () => {
    const b = new TextEncoder().encode('x1700000000000001y12a');
    expect(numericField(b, 1, 16)).toBe(1700000000000001);
    expect(numericField(b, 18, 3)).toBe(-1);
    expect(numericField(b, 1, 0)).toBe(-1);
    expect(numericField(b, 0, 19)).toBe(-1);
  });
});
