// The napi-rs helper must produce exactly the bytes the TypeScript path does; without a build it is absent
// and the encoder falls back, which is the state of a machine with no Rust.
import { describe, expect, it } from 'vitest';
import { FixEncoder, msgTypeCode } from '../../src/codec/index.js';
import { loadNativeHelper, nativeHelperIfEnabled } from '../../src/codec/native.js';

function encode(native: ReturnType<typeof loadNativeHelper>): Buffer {
  const enc = new FixEncoder({ senderCompID: 'CLIENT', targetCompID: 'KRAKEN-TRD', native });
  enc.begin(msgTypeCode('D'), 42, Date.UTC(2026, 10, 21, 12) * 1000).str(11, '1700000000000001').char(40, 0x32)
    .decimal(38, 125, 3).decimal(44, 8412345, 1).char(54, 0x31).str(55, 'XBT/USD').char(59, 0x31);
  enc.finish();
  return Buffer.from(enc.message());
}

describe('native helper', () => {
  it('KFIX_NATIVE=0 always means TypeScript', () => {
    expect(nativeHelperIfEnabled({ KFIX_NATIVE: '0' })).toBeNull();
  });

  const native = loadNativeHelper();
  it.runIf(native !== null)('writes the same CheckSum trailer as TypeScript', () => {
    expect(encode(native).toString('latin1')).toBe(encode(null).toString('latin1'));
  });
  it.runIf(native !== null)('refuses a range outside the buffer with an error, not a crash', () => {
    expect(() => native!.checksum(new Uint8Array(4), 2, 10)).toThrow(/range outside the buffer/);
  });
  it.runIf(native === null)('is absent without a build, and the encoder still works', () => {
    console.warn('native helper not built (run npm run build:native): TypeScript path only');
    expect(encode(null).toString('latin1')).toMatch(/10=\d{3}\x01$/);
  });
});
