/**
 * Fuzz target: one input through FixFramer twice (whole, and in a random chunking), checked by
 * oracles that do not trust the framer: nothing thrown, each push prompt, buffer bounded, every
 * delivered message byte-identical to the stream at its offset and valid by the reference checker
 * (BodyLength, CheckSum, fields), every byte accounted for exactly once (delivered, skipped by an
 * error, or still buffered), the same messages whatever the chunking, and a valid message appended
 * after the garbage always delivered (resync 'scan').
 */
import { FixFramer, FRAMING_ERROR_NAMES, type FixDictionary, type FramerHandler, type FramingError, type MessageView } from '../../src/codec/index.js';
import type { Prng } from '../fault/prng.js';
import { SENTINEL } from './corpus.js';
import { checkFrame, latin1 } from './reference.js';

export interface FramerConfig {
  maxMessageSize: number;
  resync: 'scan' | 'quickfix';
  tagSyntax: 'strict' | 'quickfix';
}

export interface Violation {
  oracle: string;
  detail: string;
}

export interface CaseResult {
  violations: Violation[];
  messages: number;
  /** Framing error codes seen (with repeats). */
  errorCodes: number[];
  /** Pushes over the budget: [ms, bytes]. */
  slowPushes: [number, number][];
  maxPushMs: number;
  /** The two chunkings used, as chunk lengths (for the crash report). */
  chunkings: number[][];
}

interface Event {
  kind: 'message' | 'error';
  offset: number;
  length: number;
  code: number;
}

/** Random chunk lengths covering n bytes: whole, byte-by-byte, tiny, medium or a few cuts. */
export function randomChunking(rng: Prng, n: number): number[] {
  const sizes: number[] = [];
  // Tiny chunks of a huge input cost ~1 framing error per byte (see the report): keep them to smaller inputs.
  const strategy = n <= 4096 && rng.chance(0.15) ? 'bytes' : rng.pick(n <= 32768 ? ['tiny', 'small', 'medium', 'cuts'] : ['small', 'medium', 'medium', 'cuts']);
  if (strategy === 'cuts') {
    const cuts = new Set<number>();
    for (let k = rng.range(1, 4); k > 0; k--) cuts.add(rng.int(n + 1));
    let prev = 0;
    for (const c of [...cuts].sort((a, b) => a - b).concat(n)) {
      if (c > prev) sizes.push(c - prev);
      prev = Math.max(prev, c);
    }
    return sizes;
  }
  const max = strategy === 'bytes' ? 1 : strategy === 'tiny' ? 8 : strategy === 'small' ? 64 : 4096;
  for (let left = n; left > 0;) {
    const k = Math.min(left, rng.range(1, max));
    sizes.push(k);
    left -= k;
  }
  return sizes;
}

class Collector implements FramerHandler {
  events: Event[] = [];
  violations: Violation[] = [];
  stream: Buffer = Buffer.alloc(0);
  base = 0;
  cfg: FramerConfig | null = null;
  constructor(private readonly dataTagOfLength: Int32Array) {}

  onMessage(view: MessageView): void {
    this.events.push({ kind: 'message', offset: view.streamOffset, length: view.length, code: 0 });
    try {
      this.check(view);
    } catch (err) {
      this.violations.push({ oracle: 'oracle-crash', detail: String((err as Error).stack ?? err) });
    }
  }

  onError(e: FramingError): void {
    this.events.push({ kind: 'error', offset: e.frameOffset, length: e.skipped, code: e.code });
    if (FRAMING_ERROR_NAMES[e.code] === undefined) this.violations.push({ oracle: 'error-code', detail: `unknown code ${e.code}` });
    if (!(e.byteOffset >= e.frameOffset) || typeof e.detail !== 'string' || e.detail.length === 0) {
      this.violations.push({ oracle: 'error-shape', detail: JSON.stringify(e) });
    }
  }

  private check(view: MessageView): void {
    const bytes = view.buffer.subarray(view.start, view.start + view.length);
    const at = view.streamOffset - this.base;
    const expected = this.stream.subarray(at, at + view.length);
    if (at < 0 || !Buffer.from(bytes).equals(expected)) {
      this.violations.push({ oracle: 'stream-offset', detail: `message at stream offset ${at} differs from the input there: ${show(bytes)} vs ${show(expected)}` });
    }
    const ref = checkFrame(bytes, { dataTagOfLength: this.dataTagOfLength, tagSyntax: this.cfg!.tagSyntax });
    if (!ref.ok) {
      this.violations.push({ oracle: 'reference', detail: `delivered but invalid (${ref.reason}): ${show(bytes)}` });
      return;
    }
    const got = view.toFields();
    if (JSON.stringify(got) !== JSON.stringify(ref.fields)) {
      this.violations.push({ oracle: 'fields', detail: `view ${JSON.stringify(got)} vs reference ${JSON.stringify(ref.fields)}` });
    }
    const mt = ref.fields[2]![1];
    const code = mt.length === 1 ? mt.charCodeAt(0) : mt.length === 2 ? mt.charCodeAt(0) * 256 + mt.charCodeAt(1) : -1;
    if (view.msgTypeCode !== code) this.violations.push({ oracle: 'msgtype', detail: `msgTypeCode ${view.msgTypeCode} for 35=${mt}` });
  }
}

export function show(b: Uint8Array, max = 300): string {
  const s = latin1(b).replace(/\x01/g, '|');
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…(${s.length} bytes)` : s);
}

interface Pooled {
  framer: FixFramer;
  fed: number;
}

export class FramerTarget {
  private readonly pool = new Map<string, Pooled>();
  private readonly collector: Collector;

  constructor(
    private readonly dictionary: FixDictionary,
    private readonly pushBudgetMs = 50,
  ) {
    this.collector = new Collector(dictionary.dataTagOfLength);
  }

  private framerFor(cfg: FramerConfig, fresh: boolean): Pooled {
    const key = `${cfg.maxMessageSize}|${cfg.resync}|${cfg.tagSyntax}`;
    let p = fresh ? undefined : this.pool.get(key);
    if (p === undefined) {
      p = { framer: new FixFramer(this.dictionary, { maxMessageSize: cfg.maxMessageSize, resync: cfg.resync, tagSyntax: cfg.tagSyntax }), fed: 0 };
      if (!fresh) this.pool.set(key, p);
    }
    return p;
  }

  /** Runs the input (plus SOH and the sentinel) whole and in the given or a random chunking. */
  run(input: Buffer, cfg: FramerConfig, rng: Prng, options: { fresh?: boolean; chunking?: number[] } = {}): CaseResult {
    const stream = Buffer.concat([input, Buffer.from([1]), SENTINEL]);
    const result: CaseResult = { violations: [], messages: 0, errorCodes: [], slowPushes: [], maxPushMs: 0, chunkings: [] };
    const chunkings = [[stream.length], options.chunking ?? randomChunking(rng, stream.length)];
    const runs: Event[][] = [];
    for (const sizes of chunkings) {
      result.chunkings.push(sizes);
      runs.push(this.once(stream, sizes, cfg, options.fresh ?? false, result));
    }
    const key = (evs: Event[]) => evs.filter((e) => e.kind === 'message').map((e) => `${e.offset}+${e.length}`).join(',');
    const [a, b] = [key(runs[0]!), key(runs[1]!)];
    if (a !== b) result.violations.push({ oracle: 'chunking', detail: `messages whole: [${a}] vs chunked: [${b}]` });
    if (cfg.resync === 'scan') {
      const want = `${input.length + 1}+${SENTINEL.length}`;
      for (const [i, evs] of runs.entries()) {
        if (!key(evs).split(',').includes(want)) {
          result.violations.push({ oracle: 'sentinel', detail: `valid message after the input not delivered (${i === 0 ? 'whole' : 'chunked'})` });
        }
      }
    }
    return result;
  }

  private once(stream: Buffer, sizes: number[], cfg: FramerConfig, fresh: boolean, result: CaseResult): Event[] {
    const pooled = this.framerFor(cfg, fresh);
    const framer = pooled.framer;
    const c = this.collector;
    framer.reset();
    c.events = [];
    c.violations = result.violations;
    c.stream = stream;
    c.base = pooled.fed;
    c.cfg = cfg;
    let off = 0;
    for (const n of sizes) {
      const chunk = stream.subarray(off, off + n);
      off += n;
      const t0 = performance.now();
      try {
        framer.push(chunk, c);
      } catch (err) {
        result.violations.push({ oracle: 'exception', detail: String((err as Error).stack ?? err) });
        break;
      }
      const ms = performance.now() - t0;
      if (ms > result.maxPushMs) result.maxPushMs = ms;
      if (ms > this.pushBudgetMs) result.slowPushes.push([ms, n]);
      const held = framer.bufferedBytes();
      if (!(held >= 0 && held <= framer.capacity)) {
        result.violations.push({ oracle: 'memory', detail: `bufferedBytes ${held} outside [0, ${framer.capacity}]` });
      }
    }
    pooled.fed += stream.length;
    // Every byte exactly once: each message or error starts where the previous one ended.
    let at = c.base;
    for (const e of c.events) {
      if (e.offset !== at || e.length <= 0) {
        result.violations.push({ oracle: 'accounting', detail: `${e.kind}${e.code ? ` ${FRAMING_ERROR_NAMES[e.code]}` : ''} at ${e.offset - c.base} (length ${e.length}) but the previous event ended at ${at - c.base}` });
        break;
      }
      at += e.length;
    }
    if (at - c.base + framer.bufferedBytes() !== off && result.violations.every((v) => v.oracle !== 'accounting')) {
      result.violations.push({ oracle: 'accounting', detail: `events cover ${at - c.base} bytes and ${framer.bufferedBytes()} are buffered, of ${off} pushed` });
    }
    for (const e of c.events) {
      if (e.kind === 'message') result.messages++;
      else result.errorCodes.push(e.code);
      e.offset -= c.base; // relative to this stream, so runs can be compared
    }
    return c.events;
  }
}

/** A random framer configuration, mostly the production one. */
export function randomConfig(rng: Prng): FramerConfig {
  const quickfix = rng.chance(0.2);
  return {
    maxMessageSize: rng.chance(0.7) ? 65536 : rng.pick([256, 1024, 4096]),
    resync: quickfix ? 'quickfix' : 'scan',
    tagSyntax: quickfix || rng.chance(0.1) ? 'quickfix' : 'strict',
  };
}
