// QuickFIX acceptance-test script format: line parsing, <TIME>/<FILE:> substitution, BodyLength and
// CheckSum insertion ("fixify") and the fields.fmt comparison. Pure functions, no I/O except <FILE:>.
// Semantics follow ../shared/quickfix-at/README.md, which mirrors QuickFIX's Ruby runner
// (test/Reflector.rb, test/Comparator.rb); where the two differ the README wins (whole-value
// comparison, no silent Ruby quirks). Strings are latin1 so string length == byte length.

import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

export const SOH = '\x01';

export type StepKind = 'send' | 'expect' | 'connect' | 'disconnect' | 'waitDisconnect' | 'waitConnect' | 'comment' | 'syntaxError';

export interface Step {
  kind: StepKind;
  /** Connection number: the digit after the letter, 1 when absent. */
  cid: number;
  /** 1-based line number in the script. */
  line: number;
  /** Everything after the letter (and the `N,` connection prefix), not yet substituted. */
  body: string;
}

/** Classifies one script line (without its newline). Returns null for empty lines. */
export function parseLine(text: string, line: number): Step | null {
  const raw = text.endsWith('\r') ? text.slice(0, -1) : text;
  if (raw.length === 0) return null;
  const letter = raw[0];
  if (letter === '#') return { kind: 'comment', cid: 1, line, body: raw.slice(1) };
  let cid = 1;
  let body = raw.slice(1);
  if (/^[IEie]\d,/.test(raw)) {
    cid = raw.charCodeAt(1) - 48;
    body = raw.slice(3);
  }
  switch (letter) {
    case 'I':
      return { kind: 'send', cid, line, body };
    case 'E':
      return { kind: 'expect', cid, line, body };
    case 'i':
      if (body === 'CONNECT') return { kind: 'connect', cid, line, body };
      if (body === 'DISCONNECT') return { kind: 'disconnect', cid, line, body };
      return { kind: 'syntaxError', cid, line, body: raw };
    case 'e':
      if (body === 'CONNECT') return { kind: 'waitConnect', cid, line, body };
      if (body === 'DISCONNECT') return { kind: 'waitDisconnect', cid, line, body };
      return { kind: 'syntaxError', cid, line, body: raw };
    default:
      return { kind: 'syntaxError', cid, line, body: raw };
  }
}

/** Splits a script into steps (empty lines dropped, comments kept so line numbers stay obvious). */
export function parseScript(text: string): Step[] {
  const steps: Step[] = [];
  const lines = text.split('\n');
  // A trailing newline yields one empty final element; parseLine drops it.
  for (let i = 0; i < lines.length; i++) {
    const step = parseLine(lines[i], i + 1);
    if (step !== null) steps.push(step);
  }
  return steps;
}

/** `YYYYMMDD-HH:MM:SS` in UTC, the form scripts use for <TIME>. */
export function formatUtcSeconds(date: Date): string {
  const p2 = (n: number) => (n < 10 ? '0' : '') + n;
  return (
    date.getUTCFullYear().toString().padStart(4, '0') +
    p2(date.getUTCMonth() + 1) +
    p2(date.getUTCDate()) +
    '-' +
    p2(date.getUTCHours()) +
    ':' +
    p2(date.getUTCMinutes()) +
    ':' +
    p2(date.getUTCSeconds())
  );
}

/**
 * Replaces <TIME>, <TIME+n>, <TIME-n> (seconds) and <FILE:path> (trimmed file contents; relative
 * paths resolve against baseDir, the script's directory). Throws a clear Error for a missing file.
 */
export function substitute(body: string, now: Date, baseDir: string): string {
  let out = body.replace(/<TIME([+-])(\d+)>/g, (_m, sign: string, n: string) => {
    const shifted = new Date(now.getTime() + (sign === '+' ? 1 : -1) * Number(n) * 1000);
    return formatUtcSeconds(shifted);
  });
  out = out.split('<TIME>').join(formatUtcSeconds(now));
  out = out.replace(/<FILE:([^>]*)>/g, (_m, path: string) => {
    const full = isAbsolute(path) ? path : resolve(baseDir, path);
    try {
      return readFileSync(full, 'latin1').trim();
    } catch (err) {
      throw new Error(`<FILE:${path}>: cannot read ${full}: ${(err as Error).message}`);
    }
  });
  return out;
}

/** Sum of bytes mod 256 as three digits (FIX CheckSum). */
export function checksum(text: string): string {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum = (sum + (text.charCodeAt(i) & 0xff)) & 0xff;
  return sum.toString().padStart(3, '0');
}

/**
 * Inserts BodyLength after `8=...SOH` when the message has no `SOH 9=` field, and appends CheckSum
 * when it has no trailing `SOH 10=...SOH`. Values the script wrote are kept (scripts send wrong
 * lengths and checksums on purpose). Text that does not start with `8=` is returned unchanged.
 */
export function fixify(message: string): string {
  const hasLength = /\x019=.*?\x01/.test(message);
  const head = /^8=.*?\x01/.exec(message);
  if (head === null) return message;
  let rest = message.slice(head[0].length);
  const trailer = /\x0110=.*\x01$/.exec(rest);
  let checksumField: string | null = null;
  if (trailer !== null) {
    checksumField = trailer[0].slice(1); // keep the SOH that ends the body with the body
    rest = rest.slice(0, trailer.index + 1);
  }
  const length = hasLength ? '' : `9=${rest.length}${SOH}`;
  if (checksumField === null) checksumField = `10=${checksum(head[0] + length + rest)}${SOH}`;
  return head[0] + length + rest + checksumField;
}

/** Tag -> regex for fields compared by pattern (fields.fmt). Lines are `tag=regex`. */
export function parseFieldPatterns(text: string): Map<number, RegExp> {
  const patterns = new Map<number, RegExp>();
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    if (line.trim().length === 0) continue;
    const eq = line.indexOf('=');
    const tag = Number(line.slice(0, eq));
    if (eq <= 0 || !Number.isInteger(tag)) throw new Error(`fields.fmt: bad line '${line}'`);
    patterns.set(tag, new RegExp(line.slice(eq + 1)));
  }
  return patterns;
}

function splitFields(message: string): string[] {
  const fields = message.split(SOH);
  while (fields.length > 0 && fields[fields.length - 1] === '') fields.pop();
  return fields;
}

function splitField(field: string): [string, string] {
  const eq = field.indexOf('=');
  return eq < 0 ? [field, ''] : [field.slice(0, eq), field.slice(eq + 1)];
}

/**
 * Compares an expected (already fixified) message with a received one. Returns null when they
 * match, else the reason. Same field count, same tags in order, equal values except for tags with
 * a pattern, whose received value must match it (unanchored, as QuickFIX's runner does).
 */
export function compareMessages(expected: string, received: string, patterns: Map<number, RegExp>): string | null {
  const left = splitFields(expected);
  const right = splitFields(received);
  if (left.length !== right.length) {
    return `Number of fields does not match (expected ${left.length}, received ${right.length})`;
  }
  for (let i = 0; i < left.length; i++) {
    const [lt, lv] = splitField(left[i]);
    const [rt, rv] = splitField(right[i]);
    if (lt !== rt) return `Expected field (${lt}) but found field (${rt})`;
    const pattern = patterns.get(Number(lt));
    if (pattern === undefined) {
      if (lv !== rv) return `Value in field (${lt}) should be (${lv}) but was (${rv})`;
    } else if (!pattern.test(rv)) {
      return `Field (${lt}) value (${rv}) does not match pattern /${pattern.source}/`;
    }
  }
  return null;
}

/** Printable form of a FIX message: SOH shown as '|'. */
export function display(message: string): string {
  return message.split(SOH).join('|');
}
