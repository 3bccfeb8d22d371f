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

const DATA_LENGTH_TAGS = '(?:90|93|95|212|348|350|352|354|356|358|360|362|364|445|618|621)';
const DATA_WITH_BEGIN = new RegExp(`${DATA_LENGTH_TAGS}=\\d+\\x01\\d+=[^]*\\x018=FIX`);

export const KNOWN_ISSUES: readonly KnownIssue[] = [
  {
    id: 'F1',
    summary: 'DATA value containing SOH 8=FIX is dropped as TRUNCATED when the frame arrives in pieces',
    matches: (v, input) => (v.oracle === 'chunking' || v.oracle === 'sentinel') && DATA_WITH_BEGIN.test(latin1(input)),
  },
  {
    id: 'F2',
    summary: 'tags above 2^31-1 wrap in the Int32 tag array (4294967331 is delivered as 35)',
    matches: (v, input) => v.oracle === 'fields' && /(^|\x01)-?\d{10}=/.test(latin1(input)),
  },
  {
    id: 'F3',
    summary: 'a frame cut right after 9=N<SOH> holds the next message back until N more bytes arrive',
    matches: (v, input) => v.oracle === 'sentinel' && /(^|\x01)9=\d*$/.test(latin1(input)),
  },
  {
    id: 'F4',
    summary: 'an incomplete frame is cut at the first SOH 8=FIX, skipping a message that starts with a bare 8=FIX before it',
    matches: (v, input) => (v.oracle === 'chunking' || v.oracle === 'sentinel') && /[^\x01]8=FIX/.test(latin1(input)),
  },
  {
    id: 'F5',
    summary: 'a frame with a wrong BeginString and a bad field swallows the valid messages inside its declared length',
    matches: (v, input) => (v.oracle === 'chunking' || v.oracle === 'sentinel') && /(^|\x01)8=(?!FIX\.4\.4\x01)[^\x01]*\x019=/.test(latin1(input)),
  },
  {
    id: 'S1',
    summary: 'session: ResendRequest with BeginSeqNo/EndSeqNo above 2^53 throws RangeError out of onBytes',
    matches: (v) => v.oracle === 'session-exception' && v.detail.includes('replay: begin and end must be non-negative integers'),
  },
];

/** The known issue a violation is an instance of, or undefined when it is new. */
export function classify(v: Violation, input: Uint8Array): string | undefined {
  return KNOWN_ISSUES.find((k) => k.matches(v, input))?.id;
}
