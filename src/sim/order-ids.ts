/**
 * OrderIDs as the client sees them: Spot uses the matching engine's Kraken-style ids
 * (`OKWUQF-YPJM2-DTAJHH`); Derivatives a UUID (§4.6 [ASSUME]) whose last 14 hex digits carry the order
 * key and whose first 16 are a keyed hash of it, so a typo or a foreign id does not decode.
 */
import type { MatchingEngine } from './matching/index.js';

function mix(x: number, k: number): number {
  let h = Math.imul(x ^ k, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hex(v: number, width: number): string {
  return v.toString(16).padStart(width, '0');
}

export class DerivativesOrderIds {
  constructor(private readonly seed: number) {}

  encode(key: number): string {
    const hi = Math.floor(key / 2 ** 28);
    const lo = key % 2 ** 28;
    const a = mix(lo, this.seed ^ 0x5bd1e995);
    const b = mix(hi ^ a, this.seed);
    const tail = key.toString(16).padStart(15, '0'); // keys are < 2^53: 14 hex digits
    // 8-4-4-4-12 with version 4 and variant 8: aaaaaaaa-bbbb-4bbb-8ttt-tttttttttttt (15 tail digits).
    const hb = hex(b, 8);
    return `${hex(a, 8)}-${hb.slice(0, 4)}-4${hb.slice(4, 7)}-8${tail.slice(0, 3)}-${tail.slice(3)}`;
  }

  /** The key of an id made by encode, or -1. */
  decode(id: string): number {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/.test(id)) return -1;
    const key = parseInt(id.slice(20, 23) + id.slice(24), 16);
    if (!Number.isSafeInteger(key)) return -1;
    return this.encode(key) === id ? key : -1;
  }
}

/** Both venues' OrderID codecs in one place. */
export class OrderIds {
  readonly derivatives: DerivativesOrderIds;
  constructor(
    private readonly engine: MatchingEngine,
    seed: number,
  ) {
    this.derivatives = new DerivativesOrderIds(seed);
  }

  encode(key: number, spot: boolean): string {
    return spot ? this.engine.orderIdOf(key) : this.derivatives.encode(key);
  }

  decode(id: string, spot: boolean): number {
    return spot ? this.engine.keyOfOrderId(id) : this.derivatives.decode(id);
  }
}
