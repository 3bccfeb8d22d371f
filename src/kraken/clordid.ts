// ClOrdID generation and validation (spec §4.12).
// Kraken checks that ClOrdIDs increase within a session and (per a production client) that the embedded
// timestamp is near its clock. So ids are `max(now, last + 1)` and never go backwards, not even across a
// restart with the wall clock stepped back: a persisted high-water mark is always ahead of every issued id.

import { randomFillSync } from 'node:crypto';
import { CLORDID_INTEGER_MAX_DIGITS, CLORDID_TIMESTAMP_WINDOW_MS } from './assumptions.js';
import type { HighWaterStore } from './highwater.js';
import { type Result, type Venue, err, ok } from './types.js';

export type ClOrdIdFormat = 'integer' | 'comb-uuid';

/** Wall clock in microseconds since the Unix epoch (needs sub-ms resolution; integer not required). */
export type WallClockUs = () => number;

export function systemWallClockUs(): number {
  return (performance.timeOrigin + performance.now()) * 1000;
}

/** Max COMB timestamp: 48 bits of 10-µs units (year ~2059). */
const COMB_TIME_MAX = 2 ** 48 - 1;

interface GeneratorOptions {
  readonly nowUs?: WallClockUs;
  /** Persistence for the high-water mark; without it monotonicity holds only within this process. */
  readonly store?: HighWaterStore;
  /**
   * How far ahead of the last issued id the persisted mark is placed (in the generator's units),
   * so the store is written about once per lease instead of once per id. After a crash the next id
   * starts at the mark, i.e. at most one lease ahead of the clock — keep it far below the ±120 s window.
   */
  readonly lease?: number;
}

/** Shared core: a strictly increasing integer sequence that tracks a clock and persists a lease. */
class MonotonicSequence {
  #last: number;
  #persisted: number;
  readonly #store: HighWaterStore | undefined;
  readonly #lease: number;
  readonly #max: number;

  constructor(store: HighWaterStore | undefined, lease: number, max: number) {
    this.#store = store;
    this.#lease = lease;
    this.#max = max;
    const mark = store?.load() ?? 0;
    // Everything issued before the restart is <= mark, so continuing from mark keeps ids increasing.
    this.#last = mark;
    this.#persisted = mark;
  }

  next(now: number): number {
    const t = Math.floor(now);
    const n = t > this.#last ? t : this.#last + 1;
    if (n > this.#max) throw new RangeError('ClOrdID sequence exhausted its numeric range');
    if (this.#store !== undefined && n > this.#persisted) {
      // Persist before handing the id out: a crash after this point still leaves mark >= n.
      const mark = Math.min(n + this.#lease, this.#max);
      this.#store.save(mark);
      this.#persisted = mark;
    }
    this.#last = n;
    return n;
  }

  get last(): number {
    return this.#last;
  }
}

/**
 * Spot integer ClOrdIDs: microsecond epoch, `max(now, last + 1)`, at most 18 digits
 * (JS safe integers cover microsecond epochs until the year 2255).
 */
export class IntegerClOrdIdGenerator {
  readonly format: ClOrdIdFormat = 'integer';
  readonly #seq: MonotonicSequence;
  readonly #nowUs: WallClockUs;
  constructor(options: GeneratorOptions = {}) {
    this.#nowUs = options.nowUs ?? systemWallClockUs;
    this.#seq = new MonotonicSequence(options.store, options.lease ?? 1_000_000, Number.MAX_SAFE_INTEGER);
  }
  next(): string {
    return String(this.#seq.next(this.#nowUs()));
  }
  get lastIssued(): number {
    return this.#seq.last;
  }
}

/**
 * Time-first COMB UUIDs (required on Derivatives, allowed on Spot): the first 48 bits are Unix time in
 * 10-µs units, then the RFC 4122 v4 version nibble and variant bits, the rest random. The 48-bit time is
 * itself kept strictly increasing, so ids sort by creation even above 100k ids/s (they run ahead of the
 * clock by the excess, which the lease bound also caps after a restart).
 */
export class CombClOrdIdGenerator {
  readonly format: ClOrdIdFormat = 'comb-uuid';
  readonly #seq: MonotonicSequence;
  readonly #nowUs: WallClockUs;
  readonly #random: (buf: Uint8Array) => void;
  /** Random bytes are drawn in blocks: one CSPRNG call per ~400 ids instead of one per id. */
  readonly #pool = new Uint8Array(4096);
  #poolPos = 4096;
  constructor(options: GeneratorOptions & { readonly random?: (buf: Uint8Array) => void } = {}) {
    this.#nowUs = options.nowUs ?? systemWallClockUs;
    this.#random = options.random ?? ((b) => void randomFillSync(b));
    this.#seq = new MonotonicSequence(options.store, options.lease ?? 100_000, COMB_TIME_MAX);
  }
  next(): string {
    const t = this.#seq.next(this.#nowUs() / 10);
    if (this.#poolPos + 10 > this.#pool.length) {
      this.#random(this.#pool);
      this.#poolPos = 0;
    }
    const r = this.#pool;
    const p = this.#poolPos;
    this.#poolPos = p + 10;
    const time = t.toString(16).padStart(12, '0');
    return (
      time.slice(0, 8) +
      '-' +
      time.slice(8, 12) +
      '-4' +
      hex2(r[p]!).slice(1) +
      hex2(r[p + 1]!) +
      '-' +
      hex2(0x80 | (r[p + 2]! & 0x3f)) +
      hex2(r[p + 3]!) +
      '-' +
      hex2(r[p + 4]!) + hex2(r[p + 5]!) + hex2(r[p + 6]!) + hex2(r[p + 7]!) + hex2(r[p + 8]!) + hex2(r[p + 9]!)
    );
  }
  /** Last issued time prefix, in 10-µs units. */
  get lastIssued(): number {
    return this.#seq.last;
  }
}

const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
function hex2(b: number): string {
  return HEX2[b]!;
}

// ---- parsing / validation ----

const INTEGER_RE = new RegExp(`^[1-9][0-9]{0,${CLORDID_INTEGER_MAX_DIGITS - 1}}$`);
const COMB_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export type ParsedClOrdId =
  | { readonly format: 'integer'; readonly value: bigint }
  | { readonly format: 'comb-uuid'; readonly timestamp10us: number; readonly epochUs: number };

export function parseClOrdId(id: string): ParsedClOrdId | null {
  if (typeof id !== 'string') return null;
  if (INTEGER_RE.test(id)) return { format: 'integer', value: BigInt(id) };
  if (COMB_RE.test(id)) {
    const t = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    return { format: 'comb-uuid', timestamp10us: t, epochUs: t * 10 };
  }
  return null;
}

/** Microseconds since the epoch embedded in a COMB ClOrdID, or null if `id` is not one. */
export function combTimestampUs(id: string): number | null {
  const p = parseClOrdId(id);
  return p !== null && p.format === 'comb-uuid' ? p.epochUs : null;
}

/** ISO-8601 UTC with 10-µs resolution, e.g. `9e58120f-182b-...` -> `2025-03-03T14:09:32.89771Z`. */
export function combTimestampIso(id: string): string | null {
  const us = combTimestampUs(id);
  if (us === null) return null;
  const ms = Math.floor(us / 1000);
  const frac5 = String(Math.floor((us % 1_000_000) / 10)).padStart(5, '0');
  return new Date(ms).toISOString().slice(0, 19) + '.' + frac5 + 'Z';
}

export type ClOrdIdErrorReason = 'FORMAT' | 'NOT_COMB_ON_DERIVATIVES' | 'TIMESTAMP_OUT_OF_WINDOW';

export interface ClOrdIdError {
  readonly code: 'CLORDID_INVALID';
  readonly reason: ClOrdIdErrorReason;
  readonly message: string;
}

export interface ClOrdIdCheckOptions {
  /** When given, a COMB timestamp must be within `windowMs` of this (Kraken's clock estimate). */
  readonly nowMs?: number;
  readonly windowMs?: number;
}

export function validateClOrdId(
  id: string,
  venue: Venue,
  options: ClOrdIdCheckOptions = {},
): Result<ParsedClOrdId, ClOrdIdError> {
  const parsed = parseClOrdId(id);
  if (parsed === null) {
    return err({
      code: 'CLORDID_INVALID',
      reason: 'FORMAT',
      message: `ClOrdID ${JSON.stringify(String(id).slice(0, 40))} is neither a positive integer (<= ${CLORDID_INTEGER_MAX_DIGITS} digits) nor a v4 COMB UUID`,
    });
  }
  if (venue === 'derivatives' && parsed.format !== 'comb-uuid') {
    return err({ code: 'CLORDID_INVALID', reason: 'NOT_COMB_ON_DERIVATIVES', message: `Derivatives require a COMB UUID ClOrdID, got integer ${id}` });
  }
  if (parsed.format === 'comb-uuid' && options.nowMs !== undefined) {
    const window = options.windowMs ?? CLORDID_TIMESTAMP_WINDOW_MS;
    const skewMs = parsed.epochUs / 1000 - options.nowMs;
    if (Math.abs(skewMs) > window) {
      return err({
        code: 'CLORDID_INVALID',
        reason: 'TIMESTAMP_OUT_OF_WINDOW',
        message: `ClOrdID ${id} timestamp is ${Math.round(skewMs)} ms from now (window ±${window} ms)`,
      });
    }
  }
  return ok(parsed);
}

/** A generator for the venue: Derivatives must use COMB UUIDs; Spot may use either (integer by default). */
export function clOrdIdGeneratorFor(
  venue: Venue,
  options: GeneratorOptions & { readonly spotFormat?: ClOrdIdFormat } = {},
): IntegerClOrdIdGenerator | CombClOrdIdGenerator {
  if (venue === 'derivatives' || options.spotFormat === 'comb-uuid') return new CombClOrdIdGenerator(options);
  return new IntegerClOrdIdGenerator(options);
}
