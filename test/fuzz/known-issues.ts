/**
 * Signatures of framer bugs already reported (framer-findings.test.ts F1-F3), so the fuzzers keep
 * failing on anything new while those wait for a fix in src/codec. Remove an entry once its
 * finding test passes: the fuzzers then check that case again.
 */
import type { Violation } from './framer-target.js';
import { latin1 } from './reference.js';

export interface KnownIssue {
  id: string;
  summary: string;
  matches(v: Violation, input: Uint8Array): boolean;
}


// F1-F6 and S1 are fixed (their finding tests pass), so the fuzzers check those shapes again.
export const KNOWN_ISSUES: readonly KnownIssue[] = [];

/** The known issue a violation is an instance of, or undefined when it is new. */
export function classify(v: Violation, input: Uint8Array): string | undefined {
  return KNOWN_ISSUES.find((k) => k.matches(v, input))?.id;
}
