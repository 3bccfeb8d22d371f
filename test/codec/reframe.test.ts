/**
 * reframe / frameBody: the output must be what our own framer accepts and what the fuzz reference's
 * independent checker (its own BodyLength and CheckSum arithmetic) accepts, byte for byte from the input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FramingErrorCode, frameBody, reframe } from '../../src/codec/index.js';
import { checkFrame } from '../fuzz/reference.js';
import { Collector } from './collect.js';

const b = (s: string): Buffer => Buffer.from(s.replace(/\|/g, '\x01'), 'latin1');
const text = (buf: Buffer | null): string | null => (buf === null ? null : buf.toString('latin1').replace(/\x01/g, '|'));
/** RawDataLength (95) -> RawData (96), so the reference checker reads SOH inside RawData as data. */
const DATA_TAGS = Object.assign(new Array<number>(100).fill(0), { 95: 96 });

/** A stale frame: BodyLength and CheckSum are from before a value was changed. */
const STALE = '8=FIX.4.4|9=26|35=A|554=SIGNATURE|34=1|10=123|';

function parse(msg: Uint8Array): Collector {
  return new Collector().push(msg);
}

describe('reframe', () => {
  it('gives a changed message the exact BodyLength and CheckSum (computed by hand)', () => {
    // Body `35=A|554=****|34=1|` is 5 + 9 + 5 = 19 bytes; the bytes before `10=` sum to 67 mod 256.
    expect(text(reframe(b('8=FIX.4.4|9=26|35=A|554=****|34=1|10=123|')))).toBe('8=FIX.4.4|9=19|35=A|554=****|34=1|10=067|');
    // Body `35=A|554=SIGNATURE|34=1|` is 5 + 14 + 5 = 24 bytes.
    expect(text(reframe(b(STALE)))).toMatch(/^8=FIX\.4\.4\|9=24\|35=A\|554=SIGNATURE\|34=1\|10=\d{3}\|$/);
    expect(checkFrame(reframe(b(STALE))!)).toMatchObject({ ok: true });
  });

  it('output is accepted by FixFramer and by the reference checker, values unchanged', () => {
    for (const value of ['', 'x', '****', 'a much longer value than the original one']) {
      const out = reframe(b(`8=FIX.4.4|9=26|35=A|34=1|49=C|52=20240101-00:00:00|56=K|554=${value}|10=000|`));
      expect(out).not.toBeNull();
      const c = parse(out!);
      expect(c.errors.map((e) => e.detail)).toEqual([]);
      expect(c.messages).toHaveLength(1);
      expect(c.messages[0]!.bytes).toBe(out!.toString('latin1'));
      expect(c.messages[0]!.fields.find(([tag]) => tag === 554)).toEqual([554, value]);
      expect(checkFrame(out!)).toMatchObject({ ok: true, reason: '' });
    }
  });

  it('a longer or shorter value moves BodyLength by the difference', () => {
    const bodyLength = (m: Buffer) => Number(/\x019=(\d+)\x01/.exec(m.toString('latin1'))![1]);
    const base = reframe(b('8=FIX.4.4|9=0|35=0|58=abcdef|10=000|'))!;
    expect(bodyLength(base)).toBe('35=0|58=abcdef|'.length);
    expect(bodyLength(reframe(b('8=FIX.4.4|9=0|35=0|58=abcdefghijk|10=000|'))!)).toBe(bodyLength(base) + 5);
    expect(bodyLength(reframe(b('8=FIX.4.4|9=0|35=0|58=a|10=000|'))!)).toBe(bodyLength(base) - 5);
    // A longer BodyLength text (9=999 -> 9=2) does not count: it is outside the body.
    expect(text(reframe(b('8=FIX.4.4|9=999|35=0|58=abcdef|10=000|')))).toBe(text(base));
  });

  it('keeps the header order 8, 9, 35 and every body byte in place', () => {
    const out = reframe(b('8=FIX.4.4|9=1|35=D|11=ID1|55=BTC/USD|10=999|'))!;
    const ref = checkFrame(out);
    expect(ref.ok).toBe(true);
    expect(ref.fields.map(([tag]) => tag)).toEqual([8, 9, 35, 11, 55, 10]);
    expect(out.toString('latin1')).toMatch(/^8=FIX\.4\.4\x019=\d+\x0135=D\x0111=ID1\x0155=BTC\/USD\x0110=\d{3}\x01$/);
  });

  it('keeps SOH, `10=` and bytes 0x80-0xff inside a RawData value exactly', () => {
    const raw = '\x01\xff\x80\x0110=1\x01';
    const out = reframe(b(`8=FIX.4.4|9=0|35=A|98=0|108=30|95=${raw.length}|96=`.replace(/\|/g, '\x01') + raw + '\x0110=000\x01'))!;
    const ref = checkFrame(out, { dataTagOfLength: DATA_TAGS });
    expect(ref).toMatchObject({ ok: true });
    expect(ref.fields.find(([tag]) => tag === 96)).toEqual([96, raw]);
    const c = parse(out);
    expect(c.errors).toEqual([]);
    expect(c.messages[0]!.fields.find(([tag]) => tag === 96)).toEqual([96, raw]);
  });

  it('reads a view at an offset into a larger buffer and leaves the input as it was', () => {
    const whole = b(`xxxx${STALE}yyyy`);
    const copy = Buffer.from(whole);
    const view = new Uint8Array(whole.buffer, whole.byteOffset + 4, STALE.length);
    expect(text(reframe(view))).toBe(text(reframe(b(STALE))));
    expect(whole.equals(copy)).toBe(true);
  });

  it('is idempotent on a correct frame', () => {
    const once = reframe(b(STALE))!;
    expect(reframe(once)!.equals(once)).toBe(true);
  });

  it('without addMissing, anything but a complete frame is null (never a throw)', () => {
    for (const bad of [
      '', // empty
      '35=0|49=A|10=000|', // no 8=
      '9=5|8=FIX.4.4|35=0|10=000|', // 8 not first
      '8=FIX.4.4', // no SOH at all
      '8=FIX.4.4|35=0|10=000|', // no 9
      '8=FIX.4.4|9=5|35=0|', // no 10
      '8=FIX.4.4|9=5|35=0|10=000', // no final SOH
      '8=FIX.4.4|9=5|10=000|', // no body field
    ]) {
      expect(reframe(b(bad)), JSON.stringify(bad)).toBeNull();
    }
  });

  it('MsgType is not checked: a body without 35 first is framed as it is and the framer reports it', () => {
    const out = reframe(b('8=FIX.4.4|9=5|49=A|56=B|10=000|'))!;
    expect(text(out)).toMatch(/^8=FIX\.4\.4\|9=10\|49=A\|56=B\|10=\d{3}\|$/);
    const c = parse(out);
    expect(c.messages).toEqual([]);
    expect(c.errors.map((e) => e.code)).toEqual([FramingErrorCode.MSGTYPE_POSITION]);
  });
});

describe('reframe with addMissing (the QuickFIX test runner and the fuzz reference)', () => {
  const add = (s: string) => text(reframe(b(s), { addMissing: true }));
  const framed = (body: string) => text(frameBody(b('FIX.4.4'), b(body)));

  it('adds a missing BodyLength, CheckSum or final SOH', () => {
    expect(add('8=FIX.4.4|35=0|49=A|10=000|')).toBe(framed('35=0|49=A|'));
    expect(add('8=FIX.4.4|9=3|35=0|49=A|')).toBe(framed('35=0|49=A|'));
    expect(add('8=FIX.4.4|35=0|49=A')).toBe(framed('35=0|49=A|'));
    expect(add('8=FIX.4.4|9=3|35=0|49=A|10=000')).toBe(framed('35=0|49=A|'));
  });

  it('a header alone gets a body of one SOH; no 8= or no SOH is still null', () => {
    expect(add('8=FIX.4.4|')).toBe('8=FIX.4.4|9=1||10=' + add('8=FIX.4.4|')!.slice(-4));
    expect(add('')).toBeNull();
    expect(add('35=0|49=A|')).toBeNull();
    expect(add('8=FIX.4.4')).toBeNull();
  });

  it('never throws and always starts with 8= and ends with a 3-digit CheckSum, for any bytes after 8=', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.string({ maxLength: 12 }), (tail, begin) => {
        const input = Buffer.concat([b(`8=${begin.replace(/\x01/g, '')}|`), tail]);
        const out = reframe(input, { addMissing: true })!;
        expect(out.toString('latin1')).toMatch(/^8=[^\x01]*\x019=\d+\x01[\s\S]*\x0110=\d{3}\x01$/);
        expect(reframe(input)).toSatisfy((strict: Buffer | null) => strict === null || strict.equals(out));
      }),
      { numRuns: 300 },
    );
  });
});

describe('frameBody', () => {
  it('frames any body so that the reference checker and FixFramer agree it is valid', () => {
    const field = fc.tuple(fc.constantFrom(11, 34, 49, 52, 56, 58, 112, 20000), fc.string({ minLength: 1, maxLength: 20 }).filter((v) => !v.includes('\x01')));
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Za-z]{1,3}$/), fc.array(field, { maxLength: 8 }), (msgType, fields) => {
        const body = [`35=${msgType}`, ...fields.map(([t, v]) => `${t}=${v}`)].join('\x01') + '\x01';
        const out = frameBody(b('FIX.4.4'), Buffer.from(body, 'latin1'));
        expect(checkFrame(out)).toMatchObject({ ok: true });
        const c = parse(out);
        expect(c.errors.map((e) => e.detail)).toEqual([]);
        expect(c.messages[0]!.bytes).toBe(out.toString('latin1'));
      }),
      { numRuns: 300 },
    );
  });

  it('appends the final SOH when missing and counts it', () => {
    expect(text(frameBody(b('FIX.4.4'), b('35=0|49=A')))).toBe(text(frameBody(b('FIX.4.4'), b('35=0|49=A|'))));
    expect(text(frameBody(b('FIX.4.4'), b('35=0|49=A|')))).toMatch(/^8=FIX\.4\.4\|9=10\|35=0\|49=A\|10=187\|$/);
  });

  it('refuses a BeginString containing SOH with a RangeError', () => {
    expect(() => frameBody(b('FIX.4.4|9=1'), b('35=0|'))).toThrow(RangeError);
  });
});
