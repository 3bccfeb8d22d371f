// Test support for the Kraken MD and recovery tests: Kraken-shaped messages built with the real FixEncoder,
// framed with the real FixFramer, plus a fake FixSender that records what the client sends, and slow string
// reference checksums (Kraken's recipe done literally).

import { FixEncoder, FixFramer, type MessageView, getDictionary, msgTypeCode } from '../../src/codec/index.js';
import { crc32String, formatScaled } from '../../src/book/index.js';
import type { BodyWriter, FixSender } from '../../src/kraken/fix/index.js';

export type Fields = readonly (readonly [number, string])[];

export const T0_MICROS = Date.UTC(2025, 2, 3, 14, 9, 32, 902) * 1000;

/** One finished message as a fresh copy. */
export function encode(msgType: string, fields: Fields, o: { seq?: number; sender?: string; target?: string; micros?: number } = {}): Uint8Array {
  const enc = new FixEncoder({ senderCompID: o.sender ?? 'KRAKEN-MD', targetCompID: o.target ?? 'CLIENT' });
  enc.begin(msgTypeCode(msgType), o.seq ?? 1, o.micros ?? T0_MICROS);
  for (const [t, v] of fields) enc.str(t, v);
  enc.finish();
  return enc.message().slice();
}

/** Frames `bytes` and calls visit with each view (valid only during the call). */
export function feedBytes(bytes: Uint8Array, visit: (v: MessageView) => void, framer = new FixFramer(getDictionary({ kraken: true }))): void {
  framer.push(bytes, {
    onMessage: visit,
    onError: (e) => {
      throw new Error(`framing: ${e.detail}`);
    },
  });
}

export function wireText(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1').replace(/\x01/g, '|');
}

/** Value of the first `tag` in a `|`-separated message text. */
export function field(text: string, tag: number): string | undefined {
  const m = new RegExp(`(?:^|\\|)${tag}=([^|]*)`).exec(text);
  return m?.[1];
}

export class FakeSender implements FixSender {
  readonly enc = new FixEncoder({ senderCompID: 'CLIENT', targetCompID: 'KRAKEN-MD' });
  readonly sent: string[] = [];
  seq = 1;
  loggedOn = true;
  send(msgType: number, writeBody: BodyWriter): number {
    if (!this.loggedOn) throw new Error('not logged on');
    this.enc.begin(msgType, this.seq, T0_MICROS);
    writeBody(this.enc);
    this.enc.finish();
    this.sent.push(wireText(this.enc.message()));
    return this.seq++;
  }
  isLoggedOn(): boolean {
    return this.loggedOn;
  }
  ofType(t: string): string[] {
    return this.sent.filter((s) => field(s, 35) === t);
  }
}

const part = (v: number, d: number) => formatScaled(v, d).replace('.', '').replace(/^0+/, '');

/** Kraken's L2 5041 on strings: asks ascending then bids descending, top 10, price then qty. */
export function slowL2Checksum(asks: [number, number][], bids: [number, number][], pd: number, qd: number): number {
  let s = '';
  for (const [p, q] of asks.slice(0, 10)) s += part(p, pd) + part(q, qd);
  for (const [p, q] of bids.slice(0, 10)) s += part(p, pd) + part(q, qd);
  return crc32String(s);
}

/** L3 variant ([ASSUME] in the spec): per level, every order in queue order contributes price then its qty. */
export function slowL3Checksum(asks: [number, number[]][], bids: [number, number[]][], pd: number, qd: number): number {
  let s = '';
  for (const [p, qs] of asks.slice(0, 10)) for (const q of qs) s += part(p, pd) + part(q, qd);
  for (const [p, qs] of bids.slice(0, 10)) for (const q of qs) s += part(p, pd) + part(q, qd);
  return crc32String(s);
}
