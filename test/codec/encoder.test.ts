/**
 * The encoder against a string-building model written independently of it (Date for timestamps,
 * String() for numbers, a plain byte loop for the CheckSum). The encoder fuses the CheckSum into its
 * writes, caches timestamps per second and writes constants as packed words, so every value kind, tag
 * width, header shape and buffer position is exercised and compared byte for byte.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checksum, FixEncoder, formatUtcTimestamp, msgTypeCode, TimestampWriter, type TimestampPrecision } from '../../src/codec/index.js';
import { loadNativeHelper } from '../../src/codec/native.js';

// 1900-01-01 .. 2199-12-31, in µs.
const MIN_MICROS = Date.UTC(1900, 0, 1) * 1000;
const MAX_MICROS = Date.UTC(2199, 11, 31, 23, 59, 59, 999) * 1000 + 999;

function modelTimestamp(micros: number, precision: TimestampPrecision): string {
  const ms = Math.floor(micros / 1000);
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const head = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 19)}`;
  const frac = micros - Math.floor(micros / 1_000_000) * 1_000_000;
  if (precision === 0) return head;
  if (precision === 3) return `${head}.${String(Math.floor(frac / 1000)).padStart(3, '0')}`;
  return `${head}.${String(frac).padStart(6, '0')}`;
}

function modelDecimal(m: number, scale: number): string {
  const sign = m < 0 ? '-' : '';
  let digits = String(Math.abs(m));
  if (scale <= 0) return sign + digits + '0'.repeat(-scale);
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  return `${sign}${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
}

type Field =
  | { kind: 'int'; tag: number; value: number }
  | { kind: 'char'; tag: number; code: number }
  | { kind: 'str'; tag: number; text: string }
  | { kind: 'bytes'; tag: number; data: Uint8Array; off: number; len: number }
  | { kind: 'decimal'; tag: number; mantissa: number; scale: number }
  | { kind: 'ts'; tag: number; micros: number; precision: TimestampPrecision };

// Every tag width the encoder distinguishes: 1-4 digits (table) and 5+ digits (computed).
const arbTag = fc.oneof(
  fc.integer({ min: 1, max: 9 }), fc.integer({ min: 10, max: 99 }), fc.integer({ min: 100, max: 999 }),
  fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 10000, max: 2 ** 31 - 1 }),
);
const arbMicros = fc.oneof(
  fc.integer({ min: MIN_MICROS, max: MAX_MICROS }),
  // Near second, minute, day and year boundaries, where the per-second cache must refill.
  fc.tuple(fc.integer({ min: 0, max: 200 * 365 * 86_400 }), fc.integer({ min: -3, max: 3 })).map(([s, d]) => s * 1_000_000 + d),
);
const arbPrintable = fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, 'x'));
const arbField: fc.Arbitrary<Field> = fc.oneof(
  fc.record({ kind: fc.constant('int' as const), tag: arbTag, value: fc.oneof(fc.integer(), fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: -99, max: 99 })) }),
  fc.record({ kind: fc.constant('char' as const), tag: arbTag, code: fc.integer({ min: 0x21, max: 0x7e }) }),
  fc.record({ kind: fc.constant('str' as const), tag: arbTag, text: arbPrintable }),
  fc.record({ kind: fc.constant('bytes' as const), tag: arbTag, data: fc.uint8Array({ maxLength: 40 }).map((a) => a.map((x) => (x === 1 ? 2 : x))), off: fc.nat(), len: fc.nat() })
    .map((f) => {
      const off = f.off % (f.data.length + 1);
      return { ...f, off, len: f.len % (f.data.length - off + 1) };
    }),
  fc.record({
    kind: fc.constant('decimal' as const), tag: arbTag,
    mantissa: fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: -1000, max: 1000 })),
    scale: fc.integer({ min: -4, max: 12 }),
  }),
  fc.record({ kind: fc.constant('ts' as const), tag: arbTag, micros: arbMicros, precision: fc.constantFrom(0 as const, 3 as const, 6 as const) }),
);

function write(enc: FixEncoder, f: Field): void {
  switch (f.kind) {
    case 'int': enc.int(f.tag, f.value); break;
    case 'char': enc.char(f.tag, f.code); break;
    case 'str': enc.str(f.tag, f.text); break;
    case 'bytes':
      if (f.off === 0 && f.len === f.data.length) enc.bytes(f.tag, f.data);
      else enc.bytes(f.tag, f.data, f.off, f.len);
      break;
    case 'decimal': enc.decimal(f.tag, f.mantissa, f.scale); break;
    case 'ts': enc.timestamp(f.tag, f.micros, f.precision); break;
  }
}

function modelValue(f: Field): string {
  switch (f.kind) {
    case 'int': return String(f.value);
    case 'char': return String.fromCharCode(f.code);
    case 'str': return f.text;
    case 'bytes': return Buffer.from(f.data.subarray(f.off, f.off + f.len)).toString('latin1');
    case 'decimal': return modelDecimal(f.mantissa, f.scale);
    case 'ts': return modelTimestamp(f.micros, f.precision);
  }
}

function modelMessage(body: string, beginString = 'FIX.4.4'): string {
  const head = `8=${beginString}\x019=${body.length}\x01${body}`;
  let sum = 0;
  for (let i = 0; i < head.length; i++) sum += head.charCodeAt(i);
  return `${head}10=${String(sum & 0xff).padStart(3, '0')}\x01`;
}

const text = (enc: FixEncoder) => Buffer.from(enc.message()).toString('latin1');

describe('encoder against a string model', () => {
  it('random headers and fields: same bytes, BodyLength and CheckSum', () => {
    const arbCompID = fc.string({ minLength: 1, maxLength: 24 }).map((s) => s.replace(/[^\x21-\x7e]/g, 'C'));
    fc.assert(fc.property(
      arbCompID, arbCompID,
      fc.oneof(fc.constantFrom('0', 'D', '8', 'A', 'AE', 'BE', 'x'), fc.stringMatching(/^[A-Za-z0-9]{1,2}$/)),
      fc.integer({ min: 1, max: 2 ** 31 - 1 }), arbMicros, fc.constantFrom(0 as const, 3 as const, 6 as const),
      fc.array(arbField, { maxLength: 25 }),
      (sender, target, msgType, seq, micros, precision, fields) => {
        const enc = new FixEncoder({ senderCompID: sender, targetCompID: target, timestampPrecision: precision, native: null });
        // Twice through the same encoder: the second message must not depend on leftovers of the first.
        for (let round = 0; round < 2; round++) {
          enc.begin(msgTypeCode(msgType), seq + round, micros + round);
          for (const f of fields) write(enc, f);
          const len = enc.finish();
          const header = `35=${msgType}\x0134=${seq + round}\x0149=${sender}\x0152=${modelTimestamp(micros + round, precision)}\x0156=${target}\x01`;
          const body = header + fields.map((f) => `${f.tag}=${modelValue(f)}\x01`).join('');
          expect(text(enc)).toBe(modelMessage(body));
          expect(len).toBe(enc.message().length);
        }
      }), { numRuns: 1500 });
  });

  it('beginRaw messages, including every field kind at every alignment', () => {
    const enc = new FixEncoder({ senderCompID: 'S', targetCompID: 'T', native: null });
    fc.assert(fc.property(fc.array(arbField, { minLength: 0, maxLength: 30 }), (fields) => {
      enc.beginRaw();
      for (const f of fields) write(enc, f);
      enc.finish();
      expect(text(enc)).toBe(modelMessage(fields.map((f) => `${f.tag}=${modelValue(f)}\x01`).join('')));
    }), { numRuns: 1500 });
  });

  it('CheckSum equals the plain byte sum of the message for any content', () => {
    const enc = new FixEncoder({ senderCompID: 'KRAKEN-TRD', targetCompID: 'CLIENT01' });
    fc.assert(fc.property(fc.array(arbField, { maxLength: 20 }), fc.integer({ min: 1, max: 1e9 }), (fields, seq) => {
      enc.begin(0x44, seq, 1_736_937_045_123_456);
      for (const f of fields) write(enc, f);
      enc.finish();
      const m = enc.message();
      const cks = Number(Buffer.from(m.subarray(m.length - 4, m.length - 1)).toString('latin1'));
      expect(cks).toBe(checksum(m, 0, m.length - 7));
    }), { numRuns: 500 });
  });

  it('non-ASCII str chars: the byte kept is the low 8 bits, and the CheckSum counts that byte', () => {
    const enc = new FixEncoder({ senderCompID: 'S', targetCompID: 'T' });
    enc.beginRaw().str(58, 'caf\u00e9 \u20ac').finish();
    const m = enc.message();
    const v = text(enc).indexOf('\x0158=') + 4;
    expect(Array.from(m.subarray(v, v + 6))).toEqual([0x63, 0x61, 0x66, 0xe9, 0x20, 0x20ac & 0xff]);
    expect(Number(Buffer.from(m.subarray(m.length - 4, m.length - 1)).toString('latin1'))).toBe(checksum(m, 0, m.length - 7));
  });

  it('setCompIDs and a non-default BeginString change the header and its CheckSum', () => {
    const enc = new FixEncoder({ senderCompID: 'A', targetCompID: 'B', beginString: 'FIXT.1.1' });
    enc.setCompIDs('SENDER-LONGER-THAN-BEFORE', 'T');
    enc.begin(msgTypeCode('A'), 7, 0).int(98, 0).finish();
    expect(text(enc)).toBe(modelMessage('35=A\x0134=7\x0149=SENDER-LONGER-THAN-BEFORE\x0152=19700101-00:00:00.000\x0156=T\x0198=0\x01', 'FIXT.1.1'));
  });

  it('BodyLength of 1 to 5 digits', () => {
    const enc = new FixEncoder({ senderCompID: 'S', targetCompID: 'T', capacity: 200_000 });
    for (const n of [0, 1, 5, 90, 95, 994, 995, 9_990, 99_990]) {
      enc.beginRaw().str(58, 'x'.repeat(n)).finish();
      expect(text(enc)).toBe(modelMessage(`58=${'x'.repeat(n)}\x01`));
    }
  });

  it('the timestamp cache follows time forwards, backwards and across midnight', () => {
    const enc = new FixEncoder({ senderCompID: 'S', targetCompID: 'T' });
    const day = Date.UTC(2024, 1, 29) * 1000; // leap day
    const times = [day - 1, day, day + 999_999, day + 1_000_000, day - 1_000_001, day + 86_399_999_999, day + 86_400_000_000, day + 5];
    for (const t of times) {
      for (const p of [0, 3, 6] as const) {
        enc.beginRaw().timestamp(60, t, p).finish();
        expect(text(enc)).toBe(modelMessage(`60=${modelTimestamp(t, p)}\x01`));
      }
    }
  });

  it('odd inputs give a message, not an exception: NaN time, fractional µs, huge seq', () => {
    const enc = new FixEncoder({ senderCompID: 'S', targetCompID: 'T' });
    expect(() => enc.begin(0x44, 1, Number.NaN).finish()).not.toThrow();
    enc.begin(0x44, 2 ** 40, 1_700_000_000_000_000.5).finish();
    expect(text(enc)).toBe(modelMessage(`35=D\x0134=${2 ** 40}\x0149=S\x0152=20231114-22:13:20.000\x0156=T\x01`));
  });

  it('a value past the capacity is a RangeError and the encoder stays usable', () => {
    const enc = new FixEncoder({ senderCompID: 'S', targetCompID: 'T', capacity: 128 });
    expect(() => enc.beginRaw().str(58, 'x'.repeat(200))).toThrow(RangeError);
    expect(() => enc.beginRaw().bytes(58, new Uint8Array(200))).toThrow(RangeError);
    expect(() => enc.beginRaw().decimal(44, 1, 500)).toThrow(RangeError);
    expect(() => { enc.beginRaw(); for (let i = 0; i < 100; i++) enc.int(34, 1); }).toThrow(RangeError);
    enc.begin(0x30, 1, 0).finish();
    expect(text(enc)).toBe(modelMessage('35=0\x0134=1\x0149=S\x0152=19700101-00:00:00.000\x0156=T\x01'));
  });

  it('a BeginString too long for the reserved prefix is refused at construction', () => {
    expect(() => new FixEncoder({ senderCompID: 'S', targetCompID: 'T', beginString: 'X'.repeat(40) })).toThrow(RangeError);
  });

  const native = loadNativeHelper();
  it.runIf(native !== null)('the native trailer (a second pass over the bytes) agrees with the fused CheckSum', () => {
    const fused = new FixEncoder({ senderCompID: 'S', targetCompID: 'T', native: null });
    const withNative = new FixEncoder({ senderCompID: 'S', targetCompID: 'T', native });
    fc.assert(fc.property(fc.array(arbField, { maxLength: 15 }), (fields) => {
      for (const enc of [fused, withNative]) {
        enc.begin(0x38, 9, 1_700_000_000_123_456);
        for (const f of fields) write(enc, f);
        enc.finish();
      }
      expect(text(withNative)).toBe(text(fused));
    }), { numRuns: 300 });
  });
});

describe('TimestampWriter', () => {
  it('matches Date formatting at every precision, in any buffer and at any offset', () => {
    const w = new TimestampWriter();
    const bufs = [new Uint8Array(64), new Uint8Array(new ArrayBuffer(80), 7, 60)];
    fc.assert(fc.property(arbMicros, fc.constantFrom(0 as const, 3 as const, 6 as const), fc.nat({ max: 30 }), fc.nat({ max: 1 }), (micros, p, off, which) => {
      const buf = bufs[which]!;
      buf.fill(0xaa);
      const end = w.write(buf, off, micros, p);
      const expected = modelTimestamp(micros, p);
      expect(Buffer.from(buf.subarray(off, end)).toString('latin1')).toBe(expected);
      // Nothing outside [off, end) is touched.
      expect(buf.subarray(0, off).every((x) => x === 0xaa)).toBe(true);
      expect(buf.subarray(end).every((x) => x === 0xaa)).toBe(true);
      let sum = 0;
      for (let i = 0; i < expected.length; i++) sum += expected.charCodeAt(i);
      expect(w.sum).toBe(sum);
      expect(formatUtcTimestamp(micros, p)).toBe(expected);
    }), { numRuns: 3000 });
  });
});
