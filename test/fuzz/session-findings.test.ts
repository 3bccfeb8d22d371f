// Session bug found by the session fuzz target (session-target.ts), reduced to a minimal input.
// Fails until src/session (or src/store) handles it; this file only reports.
import { describe, expect, it } from 'vitest';
import { Harness } from '../session/helpers.js';

describe('session findings', () => {
  it('S1: a ResendRequest with a BeginSeqNo above 2^53 does not throw out of onBytes', () => {
    const h = new Harness().logon(30);
    h.take();
    // intAt() gives NaN for the 20-digit value; Resender.answer passes it to store.replay, whose
    // replayBounds throws RangeError("replay: begin and end must be non-negative integers, got NaN..0"),
    // which escapes FixSession.onBytes (the transport would crash). Expected: a session Reject
    // (373=6 Incorrect data format) or at least no exception.
    expect(() => h.recv('35=2|34=2|7=99999999999999999999|16=0')).not.toThrow();
  });
});
