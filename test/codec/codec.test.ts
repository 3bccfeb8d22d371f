/** Unit and property tests of the codec's value types, encoder envelope and framing error reports. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checksum, compareDecimal, daysFromCivil, Decimal, FixEncoder, formatDecimal, formatUtcTimestamp,
  FramingErrorCode, msgTypeCode, parseDecimal, parseDecimalString, parseUtcTimestamp,
} from '../../src/codec/index.js';
import { bytes, Collector } from './collect.js';

const b = (s: string) => Buffer.from(s, 'latin1');

describe('exact decimals', () => {
  it('format then parse round-trips mantissa and scale exactly', () => {
    fc.assert(fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 18 }), (m, scale) => {
      const text = formatDecimal(m, scale);
      const d = parseDecimalString(text)!;
      expect(d).toBeDefined();
      expect(d.mantissa).toBe(m === 0 ? 0 : m);
      expect(d.scale).toBe(scale);
      expect(formatDecimal(d.mantissa, d.scale)).toBe(text);
    }), { numRuns: 2000 });
  });

  it('parse then format preserves the text of canonical decimals', () => {
    fc.assert(fc.property(fc.stringMatching(/^-?[1-9][0-9]{0,8}(\.[0-9]{1,6})?$/), (text) => {
      const d = parseDecimalString(text)!;
      expect(formatDecimal(d.mantissa, d.scale)).toBe(text);
    }));
  });

  it('the encoder writes decimals byte for byte like formatDecimal', () => {
    const enc = new FixEncoder({ senderCompID: 'S', targetCompID: 'T' });
    fc.assert(fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 12 }), (m, scale) => {
      enc.beginRaw().decimal(44, m, scale).finish();
      const text = Buffer.from(enc.message()).toString('latin1');
      expect(text).toContain(`\x0144=${formatDecimal(m, scale)}\x0110=`.slice(1));
    }), { numRuns: 500 });
  });

  it('rejects malformed and imprecise values', () => {
    const d = new Decimal();
    for (const bad of ['', '-', '.', '1.2.3', '1e5', '12a', '+1', '99999999999999999']) {
      expect(parseDecimal(b(bad), 0, bad.length, d), bad).toBe(false);
    }
    expect(parseDecimal(b('0.000001'), 0, 8, d)).toBe(true);
    expect([d.mantissa, d.scale]).toEqual([1, 6]);
    expect(compareDecimal(150, 2, 15, 1)).toBe(0);
    expect(compareDecimal(1, 0, 999, 3)).toBe(1);
  });
});

describe('UTCTimestamp', () => {
  const MAX = Date.UTC(2399, 11, 31, 23, 59, 59, 999) * 1000 + 999;

  it('format then parse round-trips at µs, ms and s precision', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: MAX }), fc.constantFrom(0 as const, 3 as const, 6 as const), (micros, precision) => {
      const text = formatUtcTimestamp(micros, precision);
      const unit = precision === 0 ? 1_000_000 : precision === 3 ? 1000 : 1;
      expect(parseUtcTimestamp(b(text), 0, text.length)).toBe(Math.floor(micros / unit) * unit);
    }), { numRuns: 3000 });
  });

  it('agrees with Date for every day across leap years', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: Math.floor(MAX / 86_400_000_000) }), fc.integer({ min: 0, max: 86_399_999 }), (day, ms) => {
      const millis = day * 86_400_000 + ms;
      const iso = new Date(millis).toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
      const fix = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 23)}`;
      expect(formatUtcTimestamp(millis * 1000, 3)).toBe(fix);
      expect(parseUtcTimestamp(b(fix), 0, fix.length)).toBe(millis * 1000);
    }), { numRuns: 2000 });
  });

  it('handles leap days and rejects impossible dates', () => {
    const ok = ['20240229-23:59:59.999999', '20000229-00:00:00', '19700101-00:00:00.000', '21000228-12:00:00.5'];
    for (const t of ok) expect(Number.isNaN(parseUtcTimestamp(b(t), 0, t.length)), t).toBe(false);
    expect(parseUtcTimestamp(b('20240229-00:00:00.000001'), 0, 24)).toBe(daysFromCivil(2024, 2, 29) * 86_400_000_000 + 1);
    const bad = ['20230229-00:00:00', '21000229-00:00:00', '20240431-00:00:00', '20241301-00:00:00', '20240101-24:00:00',
      '20240101-00:60:00', '20240101 00:00:00', '20240101-00:00:00.', '20240101-00:00:00.1234567890', '2024010-00:00:00'];
    for (const t of bad) expect(Number.isNaN(parseUtcTimestamp(b(t), 0, t.length)), t).toBe(true);
  });
});

describe('encoder envelope', () => {
  it('BodyLength counts from after 9=..| to before 10=, CheckSum is the byte sum mod 256', () => {
    const enc = new FixEncoder({ senderCompID: 'KFIX', targetCompID: 'KRAKEN' });
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 9999 }), fc.string({ minLength: 1, maxLength: 300 }).map((s) => s.replace(/[^\x20-\x7e]/g, 'x'))), { maxLength: 40 }),
      fc.integer({ min: 1, max: 2 ** 31 - 1 }), (fields, seq) => {
        enc.begin(msgTypeCode('AE'), seq, 1_700_000_000_000_000);
        for (const [tag, v] of fields) enc.str(tag, v);
        enc.finish();
        const w = Buffer.from(enc.message()).toString('latin1');
        const lenEnd = w.indexOf('\x01', 12);
        const trailer = w.length - 7;
        expect(Number(w.slice(12, lenEnd))).toBe(trailer - lenEnd - 1);
        expect(w.slice(trailer, trailer + 3)).toBe('10=');
        expect(Number(w.slice(trailer + 3, trailer + 6))).toBe(checksum(enc.message(), 0, trailer));
        expect(w).toContain(`\x0135=AE\x0134=${seq}\x0149=KFIX\x0152=20231114-22:13:20.000\x0156=KRAKEN\x01`);
      }), { numRuns: 300 });
  });

  it('refuses to overflow its capacity with a RangeError', () => {
    const enc = new FixEncoder({ senderCompID: 'S', targetCompID: 'T', capacity: 256 });
    expect(() => enc.begin(68, 1, 0).str(58, 'x'.repeat(1000))).toThrow(RangeError);
  });

  it('checksum matches a naive sum for any bytes and range', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(), fc.nat(), (a, x, y) => {
      const s = Math.min(x, y) % (a.length + 1), e = Math.max(x, y) % (a.length + 1);
      let n = 0;
      for (let i = Math.min(s, e); i < Math.max(s, e); i++) n += a[i]!;
      expect(checksum(a, Math.min(s, e), Math.max(s, e))).toBe(n & 0xff);
    }));
  });
});

function frame(body: string): string {
  const head = `8=FIX.4.4\x019=${body.length}\x01`;
  const text = head + body;
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i);
  return `${text}10=${String(sum & 0xff).padStart(3, '0')}\x01`;
}

describe('framing errors', () => {
  const hb = frame('35=0\x0149=A\x0156=B\x0134=1\x0152=20240101-00:00:00\x01');

  const cases: [string, string, number][] = [
    ['garbage before a message', 'xyz' + hb, FramingErrorCode.GARBAGE],
    ['wrong BeginString', hb.replace('FIX.4.4', 'FIX.4.2').replace(/10=\d{3}/, (m) => `10=${String((Number(m.slice(3)) - 2 + 256) % 256).padStart(3, '0')}`), FramingErrorCode.BEGIN_STRING],
    ['BodyLength not a number', hb.replace('9=', '9=x'), FramingErrorCode.BODY_LENGTH],
    ['BodyLength too short', hb.replace(/9=(\d+)/, (_, n) => `9=${Number(n) - 1}`), FramingErrorCode.BODY_LENGTH],
    ['CheckSum wrong', hb.replace(/10=\d{3}/, (m) => `10=${String((Number(m.slice(3)) + 1) % 256).padStart(3, '0')}`), FramingErrorCode.CHECKSUM],
    ['CheckSum not digits', hb.replace(/10=\d{3}/, '10=0x1'), FramingErrorCode.CHECKSUM],
    ['tag with leading zero', frame('35=0\x01049=A\x01'), FramingErrorCode.TAG_SYNTAX],
    ['non-numeric tag', frame('35=0\x01AB=A\x01'), FramingErrorCode.TAG_SYNTAX],
    ['empty tag', frame('35=0\x01=A\x01'), FramingErrorCode.TAG_SYNTAX],
    ['MsgType not third', frame('49=A\x0135=0\x01'), FramingErrorCode.MSGTYPE_POSITION],
    ['too large', '8=FIX.4.4\x019=70000\x01', FramingErrorCode.MESSAGE_TOO_LARGE],
  ];
  for (const [name, text, code] of cases) {
    it(`${name} -> ${code}, and the next message still arrives`, () => {
      const c = new Collector().push(b(text + hb));
      expect(c.errors[0]?.code, JSON.stringify(c.errors)).toBe(code);
      expect(c.messages.at(-1)?.bytes).toBe(hb);
    });
  }

  it('reports stream offsets of the bad frame and of the wrong byte', () => {
    const bad = hb.replace(/10=\d{3}/, '10=999');
    const c = new Collector().push(b(hb)).push(b(bad + hb));
    expect(c.errors).toHaveLength(1);
    expect(c.errors[0]!.frameOffset).toBe(hb.length);
    expect(c.errors[0]!.byteOffset).toBe(hb.length + bad.length - 4);
    expect(c.errors[0]!.skipped).toBe(bad.length);
    expect(c.messages.map((m) => m.streamOffset)).toEqual([0, hb.length + bad.length]);
  });

  it('a message cut short by the next one is TRUNCATED and the next one delivered (scan)', () => {
    const cut = hb.slice(0, 30);
    // While the cut frame still waits for bytes, the next `8=FIX.` ends it.
    const c = new Collector().push(b(cut)).push(b(hb.slice(0, 20))).push(b(hb.slice(20)));
    expect(c.errors.map((e) => e.code)).toEqual([FramingErrorCode.TRUNCATED]);
    expect(c.errors[0]!.skipped).toBe(30);
    expect(c.messages.map((m) => m.streamOffset)).toEqual([30]);
  });

  it("'quickfix' resync swallows the next message after a too-long BodyLength, like QuickFIX", () => {
    const long = hb.replace(/9=(\d+)/, (_, n) => `9=${Number(n) + 5}`);
    const c = new Collector({ resync: 'quickfix' }).push(b(long + hb + hb));
    expect(c.errors[0]!.code).toBe(FramingErrorCode.BODY_LENGTH);
    expect(c.messages).toHaveLength(1);
  });

  it("tagSyntax 'quickfix' passes odd tags to the session instead of garbling the frame", () => {
    const c = new Collector({ tagSyntax: 'quickfix' }).push(b(frame('35=0\x0149=A\x01-1=x\x01007=y\x01')));
    expect(c.errors).toEqual([]);
    expect(c.messages[0]!.fields.slice(2, -1)).toEqual([[35, '0'], [49, 'A'], [-1, 'x'], [7, 'y']]);
  });

  it('a DATA field may contain SOH and `8=FIX` when its length field precedes it', () => {
    const data = 'a\x01b\x018=FIX.4.4\x01c';
    const c = new Collector().push(b(frame(`35=A\x0198=0\x01108=30\x0195=${data.length}\x0196=${data}\x01`)));
    expect(c.errors).toEqual([]);
    expect(c.messages[0]!.fields.find(([t]) => t === 96)![1]).toBe(data);
  });

  it('a DATA field longer than its length field is a TAG_SYNTAX error', () => {
    const c = new Collector().push(b(frame('35=A\x0195=2\x0196=abc\x01')));
    expect(c.errors[0]!.code).toBe(FramingErrorCode.TAG_SYNTAX);
  });

  it('more fields than the view holds is TOO_MANY_FIELDS, not a crash', () => {
    const c = new Collector({ maxFields: 8 }).push(b(frame('35=0\x01' + '58=x\x01'.repeat(20))));
    expect(c.errors[0]!.code).toBe(FramingErrorCode.TOO_MANY_FIELDS);
  });

  it('the view is addressable by tag, including tags above the indexed range', () => {
    const c = new Collector();
    let got: unknown[] = [];
    c.framer.push(bytes(frame('35=8\x0134=7\x0144=-12.50\x0120000=big\x0160=20240229-12:00:00.123456\x01')), {
      onError: (e) => { throw new Error(e.detail); },
      onMessage: (v) => {
        const d = new Decimal();
        v.getDecimal(44, d);
        got = [v.msgTypeCode, v.getInt(34), d.mantissa, d.scale, v.getString(20000), v.getTimestampMicros(60) % 1_000_000, v.getChar(35), v.has(11)];
      },
    });
    expect(got).toEqual([0x38, 7, -1250, 2, 'big', 123456, 0x38, false]);
  });
});
