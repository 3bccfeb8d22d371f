/** Byte constants of the FIX tag=value syntax. */
export const SOH = 0x01;
export const EQUALS = 0x3d;
export const DIGIT_0 = 0x30;
export const DIGIT_9 = 0x39;
export const DOT = 0x2e;
export const MINUS = 0x2d;
export const PIPE = 0x7c;

/** ASCII bytes of a string known to be ASCII (config values, CompIDs); not for per-message use. */
export function asciiBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) throw new Error(`non-ASCII character in ${JSON.stringify(s)}`);
    out[i] = c;
  }
  return out;
}

/** Decodes ASCII bytes to a string; used only on demand (logging, tests, rare paths). */
export function asciiString(buf: Uint8Array, off: number, len: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + off, len).toString('latin1');
}

/** Packs a 1- or 2-character MsgType into an integer so the hot path dispatches on numbers. */
export function msgTypeCode(msgType: string): number {
  return msgType.length === 1 ? msgType.charCodeAt(0) : msgType.charCodeAt(0) * 256 + msgType.charCodeAt(1);
}
