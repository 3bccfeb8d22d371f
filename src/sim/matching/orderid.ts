/**
 * Kraken Spot style OrderIDs (`OKWUQF-YPJM2-DTAJHH`: 6-5-6 characters of A-Z2-7), derived deterministically
 * from the engine's order key and a seed, and decodable back to the key (so OrderID lookups need no map).
 *
 * Layout (85 bits): a 20-bit check value, then the 64-bit output of a 4-round Feistel permutation of the key.
 * The permutation makes consecutive keys look unrelated; the check value rejects typos and foreign ids.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ALPHA_CODES = new Uint8Array(32);
for (let i = 0; i < 32; i++) ALPHA_CODES[i] = ALPHABET.charCodeAt(i);
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < 32; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

export const ORDER_ID_LENGTH = 19;

function mix(x: number, k: number): number {
  let h = Math.imul(x ^ k, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function splitmix32(state: number): number {
  let z = (state + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class OrderIdCodec {
  private readonly k = new Uint32Array(6);
  private readonly digits = new Uint8Array(17);
  private readonly bytes = new Uint8Array(ORDER_ID_LENGTH);

  constructor(seed: number) {
    let s = seed >>> 0;
    for (let i = 0; i < 6; i++) {
      s = splitmix32(s + i * 0x632be5ab);
      this.k[i] = s;
    }
  }

  /** Writes the 19-byte OrderID for `key` (0 <= key < 2^53) into buf at off. */
  write(key: number, buf: Uint8Array, off: number): void {
    let l = Math.floor(key / 4294967296) >>> 0;
    let r = key >>> 0;
    const k = this.k;
    for (let i = 0; i < 4; i++) {
      const t = r;
      r = (l ^ mix(r, k[i])) >>> 0;
      l = t;
    }
    const c = mix(l ^ mix(r, k[4]), k[5]) & 0xfffff;
    const d = this.digits;
    d[0] = (c >>> 15) & 31;
    d[1] = (c >>> 10) & 31;
    d[2] = (c >>> 5) & 31;
    d[3] = c & 31;
    d[4] = l >>> 28;
    d[5] = (l >>> 23) & 31;
    d[6] = (l >>> 18) & 31;
    d[7] = (l >>> 13) & 31;
    d[8] = (l >>> 8) & 31;
    d[9] = (l >>> 3) & 31;
    d[10] = ((l & 7) << 2) | (r >>> 30);
    d[11] = (r >>> 25) & 31;
    d[12] = (r >>> 20) & 31;
    d[13] = (r >>> 15) & 31;
    d[14] = (r >>> 10) & 31;
    d[15] = (r >>> 5) & 31;
    d[16] = r & 31;
    let o = off;
    for (let i = 0; i < 17; i++) {
      if (i === 6 || i === 11) buf[o++] = 0x2d;
      buf[o++] = ALPHA_CODES[d[i]];
    }
  }

  encode(key: number): string {
    this.write(key, this.bytes, 0);
    return String.fromCharCode.apply(null, this.bytes as unknown as number[]);
  }

  /** The key an OrderID encodes, or -1 if it is not one of ours. */
  decode(id: string): number {
    if (id.length !== ORDER_ID_LENGTH || id.charCodeAt(6) !== 0x2d || id.charCodeAt(12) !== 0x2d) return -1;
    const d = this.digits;
    let j = 0;
    for (let i = 0; i < ORDER_ID_LENGTH; i++) {
      if (i === 6 || i === 12) continue;
      const ch = id.charCodeAt(i);
      const v = ch < 128 ? DECODE[ch] : -1;
      if (v < 0) return -1;
      d[j++] = v;
    }
    if (d[4] > 15) return -1;
    const c = (d[0] << 15) | (d[1] << 10) | (d[2] << 5) | d[3];
    let l = ((d[4] << 28) | (d[5] << 23) | (d[6] << 18) | (d[7] << 13) | (d[8] << 8) | (d[9] << 3) | (d[10] >>> 2)) >>> 0;
    let r = (((d[10] & 3) << 30) | (d[11] << 25) | (d[12] << 20) | (d[13] << 15) | (d[14] << 10) | (d[15] << 5) | d[16]) >>> 0;
    const k = this.k;
    if ((mix(l ^ mix(r, k[4]), k[5]) & 0xfffff) !== c) return -1;
    for (let i = 3; i >= 0; i--) {
      const t = l;
      l = (r ^ mix(l, k[i])) >>> 0;
      r = t;
    }
    if (l >= 0x200000) return -1; // keys are < 2^53
    return l * 4294967296 + r;
  }
}
