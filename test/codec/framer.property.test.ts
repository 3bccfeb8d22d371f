/**
 * Property tests of the codec: encode -> frame round trips for random dictionary messages, chunking
 * independence, and recovery from corruption.
 *
 * "Later valid message" (the 'scan' guarantee): a message whose bytes reach the framer untouched and
 * that starts at or after the end of every corrupted region before it. In the corruption property every
 * untouched message qualifies (corruptions stay inside their own message or in a gap between messages)
 * and the stream ends with an untouched sentinel, so a frame left waiting for bytes is resolved.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal, FramingErrorCode, getDictionary, parseUtcTimestamp } from '../../src/codec/index.js';
import { arbMessage, buildMessage, encodeMessage, expectedFields, newEncoder, type GenMessage } from './arbitraries.js';
import { Collector, concat } from './collect.js';

const dict = getDictionary();
const enc = newEncoder();

function sumBytes(s: string, from: number, to: number): number {
  let x = 0;
  for (let i = from; i < to; i++) x += s.charCodeAt(i);
  return x & 0xff;
}

/** Independent check of BeginString, BodyLength and CheckSum of one encoded message. */
function checkEnvelope(wire: string): void {
  expect(wire.startsWith('8=FIX.4.4\x019=')).toBe(true);
  const lenEnd = wire.indexOf('\x01', 12);
  const bodyLen = Number(wire.slice(12, lenEnd));
  const trailer = wire.length - 7;
  expect(wire.slice(trailer)).toMatch(/^10=\d{3}\x01$/);
  expect(bodyLen).toBe(trailer - (lenEnd + 1));
  expect(Number(wire.slice(trailer + 3, trailer + 6))).toBe(sumBytes(wire, 0, trailer));
}

function checkTypedValues(c: Collector, m: GenMessage, wire: Uint8Array): void {
  // Typed getters read back exactly what was written, on the live view.
  const f = c.framer;
  const d = new Decimal();
  let checked = 0;
  f.push(wire, {
    onError: (e) => { throw new Error(e.detail); },
    onMessage: (v) => {
      for (const field of m.body) {
        if (v.indexOf(field.tag) < 0) continue;
        // Only the first occurrence is addressable by tag.
        const first = m.body.find((x) => x.tag === field.tag)!;
        if (first !== field) continue;
        const val = field.value;
        if (val.kind === 'decimal') {
          expect(v.getDecimal(field.tag, d)).toBe(true);
          expect([d.mantissa, d.scale]).toEqual([val.mantissa === 0 ? 0 : val.mantissa, val.scale]);
          checked++;
        } else if (val.kind === 'ts') {
          const unit = val.precision === 0 ? 1_000_000 : val.precision === 3 ? 1000 : 1;
          expect(v.getTimestampMicros(field.tag)).toBe(Math.floor(val.micros / unit) * unit);
          checked++;
        } else if (val.kind === 'int') {
          expect(v.getInt(field.tag)).toBe(val.value);
          checked++;
        }
      }
      for (const g of m.groups) {
        const def = [...dict.message(m.msgType)!.groups.values()].find((x) => x.countTag === g.countTag)!;
        expect(v.countInstances(def, v.groupStart(g.countTag))).toBe(g.count);
        expect(v.findInGroup(def, v.groupStart(g.countTag), g.count - 1, def.delimiter)).toBeGreaterThan(0);
      }
    },
  });
  expect(checked).toBeGreaterThanOrEqual(0);
}

describe('encode then parse (random dictionary messages)', () => {
  it('every message type, groups and DATA with SOH survive unchanged', () => {
    fc.assert(fc.property(arbMessage(dict), (m) => {
      const wire = encodeMessage(enc, m);
      checkEnvelope(Buffer.from(wire).toString('latin1'));
      const c = new Collector().push(wire);
      expect(c.errors).toEqual([]);
      expect(c.messages).toHaveLength(1);
      const got = c.messages[0]!;
      expect(got.fields.slice(2, -1)).toEqual(expectedFields(m));
      expect(got.fields[0]).toEqual([8, 'FIX.4.4']);
      expect(got.fields.at(-1)![0]).toBe(10);
      checkTypedValues(c, m, wire);
    }), { numRuns: 400 });
  });

  it('covers every message type of the dictionary at least once', () => {
    const seen = new Set<string>();
    for (const def of dict.allMessages()) {
      for (let seed = 0; seed < 3; seed++) {
        const m = buildMessage(dict, def, seed * 7919 + def.msgType.charCodeAt(0));
        const c = new Collector().push(encodeMessage(enc, m));
        expect(c.errors).toEqual([]);
        expect(c.messages[0]!.fields.slice(2, -1)).toEqual(expectedFields(m));
        seen.add(def.msgType);
      }
    }
    expect(seen.size).toBe([...dict.allMessages()].length);
  });
});


const arbStream = fc.array(arbMessage(dict), { minLength: 1, maxLength: 8 })
  .map((ms) => ms.map((m) => encodeMessage(enc, m)));

describe('chunking', () => {
  it('random cuts deliver exactly what whole delivery does', () => {
    fc.assert(fc.property(arbStream, fc.array(fc.nat(), { maxLength: 30 }), (wires, cutsRaw) => {
      const data = concat(wires);
      const whole = new Collector().push(data);
      expect(whole.errors).toEqual([]);
      expect(whole.messages.map((m) => m.bytes)).toEqual(wires.map((w) => Buffer.from(w).toString('latin1')));
      const cuts = cutsRaw.map((c) => c % (data.length + 1));
      const pieces = new Collector().pushChunks(data, cuts);
      expect(pieces.errors).toEqual([]);
      expect(pieces.messages).toEqual(whole.messages);
      expect(pieces.framer.bufferedBytes()).toBe(0);
    }), { numRuns: 200 });
  });

  it('one byte at a time', () => {
    fc.assert(fc.property(arbStream, (wires) => {
      const data = concat(wires);
      const whole = new Collector().push(data);
      const c = new Collector();
      for (let i = 0; i < data.length; i++) c.push(data.subarray(i, i + 1));
      expect(c.errors).toEqual([]);
      expect(c.messages).toEqual(whole.messages);
    }), { numRuns: 25 });
  });
});

type Corruption =
  | { kind: 'none' }
  | { kind: 'flip'; positions: number[]; masks: number[] }
  | { kind: 'truncate'; at: number }
  | { kind: 'garbage'; bytes: number[] };

const arbCorruption: fc.Arbitrary<Corruption> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Corruption>({ kind: 'none' }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('flip' as const), positions: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), masks: fc.array(fc.integer({ min: 1, max: 255 }), { minLength: 3, maxLength: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  // Random bytes with fragments of a message start (never a whole `8=FIX...|9=n|` header).
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('garbage' as const), bytes: fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x38, 0x3d, 0x46, 0x01)), { minLength: 1, maxLength: 40 }) }) },
);

interface Built { data: Uint8Array; untouched: { offset: number; bytes: string }[]; corruptedStarts: number[] }

function buildCorruptStream(wires: Uint8Array[], corruptions: Corruption[], sentinel: Uint8Array): Built {
  const parts: Uint8Array[] = [];
  const untouched: { offset: number; bytes: string }[] = [];
  const corruptedStarts: number[] = [];
  let offset = 0;
  const add = (b: Uint8Array) => { parts.push(b); offset += b.length; };
  wires.forEach((w, i) => {
    const c = corruptions[i] ?? { kind: 'none' };
    if (c.kind === 'garbage') {
      corruptedStarts.push(offset);
      add(Uint8Array.from(c.bytes));
    }
    if (c.kind === 'flip') {
      const b = w.slice();
      // One flipped byte per message: a single changed byte always changes the CheckSum, whereas two flips can
      // cancel out in the mod-256 sum and leave a valid (but different) message the framer rightly delivers.
      if (c.positions.length > 0) b[c.positions[0]! % b.length] ^= c.masks[0]!;
      if (Buffer.compare(Buffer.from(b), Buffer.from(w)) !== 0) corruptedStarts.push(offset);
      else untouched.push({ offset, bytes: Buffer.from(w).toString('latin1') });
      add(b);
    } else if (c.kind === 'truncate') {
      corruptedStarts.push(offset);
      // Keep the CheckSum field out, so following garbage cannot complete the message by chance.
      add(w.subarray(0, Math.max(1, c.at % Math.max(1, w.length - 7))));
    } else {
      untouched.push({ offset, bytes: Buffer.from(w).toString('latin1') });
      add(w);
    }
  });
  untouched.push({ offset, bytes: Buffer.from(sentinel).toString('latin1') });
  add(sentinel);
  return { data: concat(parts), untouched, corruptedStarts };
}

describe('corruption', () => {
  const sentinel = encodeMessage(enc, { msgType: '0', seqNum: 1, sendingTime: 0, body: [], groups: [] });

  it("'scan' never throws, delivers every untouched message and reports every corrupted one", () => {
    fc.assert(fc.property(arbStream, fc.array(arbCorruption, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }),
      (wires, corruptions, cutsRaw) => {
        const built = buildCorruptStream(wires, corruptions, sentinel);
        const c = new Collector();
        c.pushChunks(built.data, cutsRaw.map((x) => x % (built.data.length + 1)));
        expect(c.messages.map((m) => ({ offset: m.streamOffset, bytes: m.bytes }))).toEqual(built.untouched);
        // Each corrupted region's first byte lies in the range some error reported as skipped.
        for (const start of built.corruptedStarts) {
          const covered = c.errors.some((e) => e.frameOffset <= start && start < e.frameOffset + Math.max(1, e.skipped));
          expect(covered, `corruption at ${start} not reported: ${JSON.stringify(c.errors)}`).toBe(true);
        }
        if (built.corruptedStarts.length > 0) expect(c.errors.length).toBeGreaterThan(0);
        expect(c.framer.bufferedBytes()).toBe(0);
        for (const e of c.errors) expect(Object.values(FramingErrorCode)).toContain(e.code);
      }), { numRuns: 300 });
  });

  it("'quickfix' resync never throws or hangs and delivers only valid frames", () => {
    fc.assert(fc.property(arbStream, fc.array(arbCorruption, { maxLength: 8 }), (wires, corruptions) => {
      const built = buildCorruptStream(wires, corruptions, sentinel);
      const c = new Collector({ resync: 'quickfix', tagSyntax: 'quickfix' });
      c.push(built.data);
      const valid = new Set(built.untouched.map((u) => u.bytes));
      for (const m of c.messages) expect(valid.has(m.bytes)).toBe(true);
      expect(c.framer.bufferedBytes()).toBeLessThanOrEqual(c.framer.capacity);
    }), { numRuns: 150 });
  });
});

describe('bounded memory and time', () => {
  const small = { maxMessageSize: 4096 };

  it('an endless body without SOH is dropped, the buffer never exceeds its capacity', () => {
    const c = new Collector(small);
    c.push(Buffer.from('8=FIX.4.4\x019=4000\x0135=0\x01112=', 'latin1'));
    const junk = Buffer.alloc(1000, 0x41);
    for (let i = 0; i < 200; i++) c.push(junk);
    expect(c.maxBuffered).toBeLessThanOrEqual(c.framer.capacity);
    expect(c.errors.length).toBeGreaterThan(0);
    expect(c.framer.bufferedBytes()).toBeLessThanOrEqual(4);
  });

  it('a huge BodyLength is rejected at once, without waiting for the bytes', () => {
    const c = new Collector(small);
    c.push(Buffer.from('8=FIX.4.4\x019=9999999\x0135=0\x01', 'latin1'));
    expect(c.errors[0]!.code).toBe(FramingErrorCode.MESSAGE_TOO_LARGE);
    const before = c.errors.length;
    c.push(Buffer.from('8=FIX.4.4\x019=99999999\x01', 'latin1'));
    expect(c.errors[before]!.code).toBe(FramingErrorCode.BODY_LENGTH);
    expect(c.framer.bufferedBytes()).toBeLessThanOrEqual(8);
  });

  it('endless garbage keeps at most a possible `8=FI` prefix', () => {
    const c = new Collector(small);
    const junk = Buffer.alloc(10_000, 0x7a);
    for (let i = 0; i < 100; i++) c.push(junk);
    expect(c.maxBuffered).toBeLessThanOrEqual(4);
  });

  it('a maximal pending frame fed one byte at a time is not rescanned (linear time)', () => {
    for (const resync of ['scan', 'quickfix'] as const) {
      const c = new Collector({ maxMessageSize: 60_000, resync });
      c.push(Buffer.from('8=FIX.4.4\x019=59990\x0135=0\x01', 'latin1'));
      const one = Buffer.from('a');
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < 59_000; i++) c.push(one);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      expect(c.framer.bufferedBytes()).toBeGreaterThan(59_000);
      expect(c.maxBuffered).toBeLessThanOrEqual(c.framer.capacity);
      // Quadratic rescanning would be ~1.7e9 byte comparisons (tens of seconds); linear is milliseconds.
      expect(ms).toBeLessThan(20_000);
    }
  });

  it('quickfix resync gives up on a frame without a CheckSum field after maxMessageSize', () => {
    const c = new Collector({ maxMessageSize: 2000, resync: 'quickfix' });
    c.push(Buffer.from('8=FIX.4.4\x019=10\x0135=0\x01', 'latin1'));
    for (let i = 0; i < 100; i++) c.push(Buffer.alloc(100, 0x41));
    expect(c.errors.some((e) => e.code === FramingErrorCode.BODY_LENGTH)).toBe(true);
    expect(c.maxBuffered).toBeLessThanOrEqual(c.framer.capacity);
  });
});

describe('typed values from random messages', () => {
  it('UTCTimestamp values parse back to the written microseconds', () => {
    fc.assert(fc.property(arbMessage(dict), (m) => {
      for (const f of m.body) {
        if (f.value.kind !== 'ts') continue;
        const text = Buffer.from(expectedFields(m).find(([t]) => t === f.tag)![1], 'latin1');
        expect(Number.isNaN(parseUtcTimestamp(text, 0, text.length))).toBe(false);
      }
    }), { numRuns: 100 });
  });
});
