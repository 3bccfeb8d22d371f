import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32 } from '../../src/store/index.js';
import { crc32Update } from '../../src/codec/crc32.js';

describe('crc32', () => {
  it('matches the IEEE check value and edge cases', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(Buffer.from('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });

  it('agrees with zlib and chains across split points', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(), (bytes, cut) => {
        const whole = crc32(bytes);
        const at = bytes.length === 0 ? 0 : cut % (bytes.length + 1);
        expect(crc32Update(crc32(bytes, 0, at), bytes, at, bytes.length)).toBe(whole);
        expect(whole).toBe(zlib.crc32(bytes));
      }),
      { numRuns: 300 },
    );
  });
});
