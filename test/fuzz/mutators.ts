/**
 * Mutators for FIX byte streams, each a pure function of (PRNG, input, corpus). Generic byte-level
 * ones (flips, inserts, deletes, duplicated ranges, splices) plus FIX-aware ones aimed at the
 * framer's decisions: BodyLength and CheckSum digits, huge numbers, endless messages, field floods,
 * DATA fields whose length lies, `8=FIX` inside a body, odd tags. After mutating, BodyLength and
 * CheckSum are often recomputed so the input gets past the frame checks into field decoding.
 */
import type { Prng } from '../fault/prng.js';
import { latin1, refix, SOH } from './reference.js';

export type Mutator = (rng: Prng, input: Buffer, corpus: readonly Buffer[]) => Buffer;

const INTERESTING = [0x01, 0x3d, 0x38, 0x39, 0x30, 0x31, 0x00, 0xff, 0x2d, 0x20, 0x7c, 0x46, 0x0a];

function pos(rng: Prng, input: Buffer, extra = 0): number {
  return rng.int(input.length + extra);
}

/** Byte offsets of SOH+1 (field starts) in input, and 0. */
function fieldStarts(s: string): number[] {
  const out = [0];
  for (let i = 0; i < s.length - 1; i++) if (s.charCodeAt(i) === 1) out.push(i + 1);
  return out;
}

function replaceField(rng: Prng, input: Buffer, tag: number | null, value: () => string): Buffer {
  const s = latin1(input);
  const starts = fieldStarts(s);
  let at: number;
  if (tag === null) {
    at = rng.pick(starts);
  } else {
    at = starts.find((p) => s.startsWith(`${tag}=`, p)) ?? -1;
    if (at < 0) return input;
  }
  const eq = s.indexOf('=', at);
  let end = s.indexOf(SOH, at);
  if (eq < 0 || (end >= 0 && eq > end)) return input;
  if (end < 0) end = s.length;
  return Buffer.from(s.slice(0, eq + 1) + value() + s.slice(end), 'latin1');
}

function digits(rng: Prng, n: number): string {
  let out = String(1 + rng.int(9));
  while (out.length < n) out += String(rng.int(10));
  return out;
}

export const MUTATORS: Record<string, Mutator> = {
  bitFlip(rng, input) {
    if (input.length === 0) return input;
    const out = Buffer.from(input);
    for (let n = rng.range(1, 8); n > 0; n--) out[rng.int(out.length)]! ^= 1 << rng.int(8);
    return out;
  },
  byteSet(rng, input) {
    if (input.length === 0) return input;
    const out = Buffer.from(input);
    out[rng.int(out.length)] = rng.chance(0.7) ? rng.pick(INTERESTING) : rng.int(256);
    return out;
  },
  insertBytes(rng, input) {
    const at = pos(rng, input, 1);
    const bytes = Buffer.from(Array.from({ length: rng.range(1, 16) }, () => (rng.chance(0.6) ? rng.pick(INTERESTING) : rng.int(256))));
    return Buffer.concat([input.subarray(0, at), bytes, input.subarray(at)]);
  },
  deleteRange(rng, input) {
    if (input.length === 0) return input;
    const at = pos(rng, input);
    const n = rng.range(1, 32);
    return Buffer.concat([input.subarray(0, at), input.subarray(at + n)]);
  },
  duplicateRange(rng, input) {
    if (input.length === 0) return input;
    const from = pos(rng, input);
    const range = input.subarray(from, from + rng.range(1, 64));
    const at = pos(rng, input, 1);
    const times = rng.chance(0.9) ? 1 : rng.range(2, 50);
    return Buffer.concat([input.subarray(0, at), ...Array.from({ length: times }, () => range), input.subarray(at)]);
  },
  splice(rng, input, corpus) {
    const other = rng.pick(corpus);
    return Buffer.concat([input.subarray(0, pos(rng, input, 1)), other.subarray(pos(rng, other))]);
  },
  concat(rng, input, corpus) {
    const parts = [input];
    for (let n = rng.range(1, 4); n > 0; n--) parts.push(rng.pick(corpus));
    return Buffer.concat(rng.chance(0.5) ? parts : parts.reverse());
  },
  bodyLength(rng, input) {
    return replaceField(rng, input, 9, () => {
      const s = latin1(input);
      const m = /\x019=(\d+)\x01/.exec(s);
      const v = m ? Number(m[1]) : 50;
      switch (rng.int(8)) {
        case 0: return String(Math.max(0, v + rng.range(-5, 5)));
        case 1: return '0';
        case 2: return digits(rng, rng.range(6, 12));
        case 3: return '000' + v;
        case 4: return '-' + v;
        case 5: return '';
        case 6: return v + 'x';
        default: return String(rng.int(70000));
      }
    });
  },
  checksum(rng, input) {
    return replaceField(rng, input, 10, () => rng.pick([digits(rng, 3), String(rng.int(10)), '1234', 'abc', '', '2561', '-01', ' 12']));
  },
  hugeNumber(rng, input) {
    return replaceField(rng, input, rng.chance(0.5) ? null : rng.pick([34, 9, 38, 44, 108, 7, 16, 36, 95, 146, 268]), () =>
      rng.pick([digits(rng, rng.range(10, 400)), '1e308', '-0', '9007199254740993', '-' + digits(rng, 30), '0.' + '0'.repeat(rng.range(1, 200)) + '1']));
  },
  endless(rng, input) {
    const n = rng.range(1, 200_000);
    const filler = Buffer.alloc(n, rng.pick([0x41, 0x3d, 0x39, 0x38, 0x30]));
    switch (rng.int(4)) {
      case 0: return Buffer.concat([Buffer.from('8=FIX.4.4\x019=', 'latin1'), filler]);
      case 1: return Buffer.concat([Buffer.from('8=FIX', 'latin1'), filler]);
      case 2: return Buffer.concat([input.subarray(0, pos(rng, input, 1)), filler]);
      default: return Buffer.concat([Buffer.from(`8=FIX.4.4\x019=${rng.range(10, 70000)}\x0135=D\x01`, 'latin1'), filler]);
    }
  },
  manyFields(rng, input) {
    const n = rng.chance(0.5) ? rng.range(1000, 1100) : rng.range(1, 3000);
    const field = rng.pick(['58=x\x01', '269=0\x01', '1=\x01', '5000=ab\x01']);
    const s = latin1(input);
    const at = s.indexOf('\x0110=');
    const cut = at < 0 ? s.length : at + 1;
    return Buffer.from(s.slice(0, cut) + field.repeat(n) + s.slice(cut), 'latin1');
  },
  dataField(rng, input) {
    const len = rng.range(0, 40);
    const data = Array.from({ length: rng.range(0, 40) }, () => rng.pick(['\x01', '8=FIX', '10=', 'a', '=', '\x0110=000\x01'])).join('').slice(0, 60);
    const declared = rng.chance(0.5) ? data.length : len;
    const pair = rng.pick([[95, 96], [90, 91], [93, 89], [212, 213], [354, 355]]);
    const field = rng.chance(0.8) ? `${pair[0]}=${declared}\x01${pair[1]}=${data}\x01` : `${pair[1]}=${data}\x01${pair[0]}=${declared}\x01`;
    const s = latin1(input);
    const starts = fieldStarts(s).filter((p) => p > 0);
    const at = starts.length > 3 ? rng.pick(starts.slice(3)) : s.length;
    return Buffer.from(s.slice(0, at) + field + s.slice(at), 'latin1');
  },
  embedBegin(rng, input, corpus) {
    const s = latin1(input);
    const at = pos(rng, input, 1);
    const inner = rng.chance(0.5) ? latin1(rng.pick(corpus)) : rng.pick(['8=FIX.4.4\x01', '8=FIX', '8=FIXT.1.1\x019=5\x01', '8=FIX.4.4\x019=0\x0110=000\x01']);
    return Buffer.from(s.slice(0, at) + (rng.chance(0.5) ? SOH : '') + inner + s.slice(at), 'latin1');
  },
  oddTag(rng, input) {
    const s = latin1(input);
    const starts = fieldStarts(s);
    const at = rng.pick(starts);
    const eq = s.indexOf('=', at);
    if (eq < 0) return input;
    const tag = rng.pick(['0', '-1', '01', '', '4294967297', '2147483648', '99999999999', '1a', '=', ' 35', '35 ', '-', '-0', '8', '9', '10', '35', '16383', '16384', '65536']);
    return Buffer.from(s.slice(0, at) + tag + s.slice(eq), 'latin1');
  },
  sohChange(rng, input) {
    const s = latin1(input);
    const sohs: number[] = [];
    for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 1) sohs.push(i);
    if (sohs.length === 0) return input;
    const at = rng.pick(sohs);
    const by = rng.pick(['', '|', '\x01\x01', '\x00', '\n']);
    return Buffer.from(s.slice(0, at) + by + s.slice(at + 1), 'latin1');
  },
  truncate(rng, input) {
    return input.subarray(0, pos(rng, input));
  },
  beginString(rng, input) {
    const s = latin1(input);
    if (!s.startsWith('8=')) return input;
    const end = s.indexOf(SOH);
    const v = rng.pick(['FIX.4.2', 'FIXT.1.1', 'FIX.4.44', '', 'FIX.4.4.4.4.4.4.4.4.4.4.4', 'FIX', 'FIX.4.', 'fix.4.4']);
    return Buffer.from('8=' + v + (end < 0 ? '' : s.slice(end)), 'latin1');
  },
  repeatStream(rng, input, corpus) {
    const parts: Buffer[] = [];
    for (let n = rng.range(2, 30); n > 0; n--) parts.push(rng.chance(0.8) ? rng.pick(corpus) : input);
    return Buffer.concat(parts);
  },
};

export const MUTATOR_NAMES = Object.keys(MUTATORS);

export interface Mutation {
  input: Buffer;
  /** Mutators applied, in order (for the crash report). */
  applied: string[];
}

/** One fuzz input: a corpus message, 1-4 stacked mutations, often re-framed so it parses deeper. */
export function mutate(rng: Prng, corpus: readonly Buffer[]): Mutation {
  let input = rng.pick(corpus);
  const applied: string[] = [];
  for (let n = rng.chance(0.6) ? 1 : rng.range(2, 4); n > 0; n--) {
    const name = rng.pick(MUTATOR_NAMES);
    applied.push(name);
    input = MUTATORS[name]!(rng, input, corpus);
  }
  if (rng.chance(0.5) && !applied.includes('endless')) {
    input = refix(input);
    applied.push('refix');
  }
  // Bound the size (endless can reach 200 KB already); a huge input says nothing more.
  if (input.length > 400_000) input = input.subarray(0, 400_000);
  return { input, applied };
}
