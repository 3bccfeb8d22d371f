// Regression tests for two codec fixes the QuickFIX acceptance tests depend on (see report).
import { describe, expect, it } from 'vitest';
import { FixFramer, FramingErrorCode, getDictionary, type FramingError } from '../../src/codec/index.js';
import { fix } from './helpers.js';

function frame(options: ConstructorParameters<typeof FixFramer>[1], ...chunks: Buffer[]) {
  const framer = new FixFramer(getDictionary({ kraken: false }), options);
  const messages: string[] = [];
  const errors: FramingError[] = [];
  for (const c of chunks) framer.push(c, { onMessage: (v) => messages.push(v.toString()), onError: (e) => errors.push(e) });
  return { messages, errors };
}

describe('framer: CheckSum field of the wrong length', () => {
  const bad = Buffer.from('8=FIX.4.4\x019=52\x0135=0\x0134=2\x014garbled9=TW\x0152=20240514-12:00:00\x0156=ISLD\x0110=0\x01', 'latin1');
  const good = fix('35=0|34=2|49=TW|52=20240514-12:00:00|56=ISLD');

  for (const resync of ['scan', 'quickfix'] as const) {
    it(`'10=0' ends at its SOH and does not swallow the next message (${resync})`, () => {
      const r = frame({ resync }, bad, good);
      expect(r.errors.map((e) => e.code)).toEqual([FramingErrorCode.CHECKSUM]);
      expect(r.errors[0]!.skipped).toBe(bad.length);
      expect(r.messages.length).toBe(1);
    });

    it(`same in one chunk (${resync})`, () => {
      const r = frame({ resync }, Buffer.concat([bad, good]));
      expect(r.messages.length).toBe(1);
    });
  }
});

describe("framer: tagSyntax 'quickfix'", () => {
  it('passes tags 0 and -1 through so the session can reject them', () => {
    const r = frame({ tagSyntax: 'quickfix' }, fix('35=0|34=2|49=TW|52=20240514-12:00:00|56=ISLD|0=HI|-1=HI'));
    expect(r.errors).toEqual([]);
    expect(r.messages[0]).toContain('|0=HI|-1=HI|');
  });

  it("'strict' still refuses them", () => {
    const r = frame({}, fix('35=0|34=2|49=TW|52=20240514-12:00:00|56=ISLD|0=HI'));
    expect(r.errors.map((e) => e.code)).toEqual([FramingErrorCode.TAG_SYNTAX]);
  });
});
