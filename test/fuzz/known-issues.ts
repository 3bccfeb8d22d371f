/**
 * Signatures of framer behaviours already reported (framer-findings.test.ts), so the fuzzers keep
 * failing on anything new. Remove an entry once its finding test passes: the fuzzers then check that
 * case again.
 */
import type { Violation } from './framer-target.js';
import { latin1 } from './reference.js';

export interface KnownIssue {
  id: string;
  summary: string;
  matches(v: Violation, input: Uint8Array): boolean;
}


// F1-F6 and S1 are fixed (their finding tests pass), so the fuzzers check those shapes again. What is left
// is documented behaviour, not a bug: FramerOptions.resync 'scan' cuts a frame that is still arriving at
// the first `8=FIX.` inside it (a cut message followed by a new one looks exactly like that), so a message
// whose VALUE contains `8=FIX.` parses whole but is reported TRUNCATED when it arrives in pieces.
export const KNOWN_ISSUES: readonly KnownIssue[] = [
  {
    id: 'D1',
    summary: "documented 'scan' trade-off: a value containing 8=FIX. in a frame that arrives in pieces is cut as TRUNCATED",
    matches: (v, input) => (v.oracle === 'chunking' || v.oracle === 'sentinel') && /[^\x01]8=FIX\./.test(latin1(input)),
  },
];

/** The known issue a violation is an instance of, or undefined when it is new. */
export function classify(v: Violation, input: Uint8Array): string | undefined {
  return KNOWN_ISSUES.find((k) => k.matches(v, input))?.id;
}
