/**
 * One direction of a proxied connection: bytes from `src` pass through the fault stages of the
 * scenario and are written to `dst`. Stages run in a fixed order so a seed means the same thing
 * every time: cut/drop/swallow (byte and message counts) -> corrupt -> split -> duplicate -> reorder ->
 * timing (delay, stall) -> write. Each rule draws from its own PRNG stream, so adding a rule does
 * not change what another rule does.
 */
import type { Socket } from 'node:net';
import { Boundary, FixBoundaryScanner } from './fix-boundary.js';
import { deriveSeed, Prng } from './prng.js';
import type { CorruptRule, DelayRule, FaultKind, FaultRule, ReorderRule, SplitRule, StallRule } from './scenario.js';

export interface DirCounters {
  bytesIn: number;
  bytesOut: number;
  chunksIn: number;
  chunksOut: number;
  /** Messages whose `8=FIX` passed the cut stage. */
  messagesIn: number;
}

export function emptyDirCounters(): DirCounters {
  return { bytesIn: 0, bytesOut: 0, chunksIn: 0, chunksOut: 0, messagesIn: 0 };
}

/** What a pipe needs from the connection that owns it. */
export interface PipeHost {
  now(): number;
  fault(kind: FaultKind, dir: 'up' | 'down', offset: number | undefined, detail: string): void;
  /** Closes both sides; `mode` 'end' sends FIN after what was written, 'reset' sends RST. */
  closePair(reason: string, mode: 'end' | 'reset'): void;
  activity(): void;
}

interface Queued {
  data: Buffer;
  due: number;
}

interface RuleRng<R> {
  rule: R;
  rng: Prng;
}

export class Pipe {
  readonly counters = emptyDirCounters();
  private readonly scanner = new FixBoundaryScanner();
  /** Stream offset at which this direction stops and the connection closes (Infinity: never). */
  private cutAt = Infinity;
  private cutReset = false;
  private cutReason = '';
  /** Message index -> bytes of it to forward before closing. */
  private readonly messageCuts = new Map<number, { k: number; reset: boolean; kind: 'drop' | 'cut' }>();
  /** Message indexes removed whole (the connection stays up). */
  private readonly swallow = new Set<number>();
  /** Inside a swallowed message: its bytes so far in the current chunk start here (-1: not swallowing). */
  private swallowFrom = -1;
  /** Outside a message, a possible `8=FIX` prefix is held back so a cut can still fall before it. */
  private held: Buffer = Buffer.alloc(0);
  private cutting = false;
  private srcEnded = false;
  private done = false;

  private readonly corrupt: (RuleRng<CorruptRule> & { flips: number })[] = [];
  private readonly splits: (RuleRng<SplitRule> & { left: number })[] = [];
  private readonly dups: RuleRng<{ probability: number }>[] = [];
  private readonly reorders: RuleRng<ReorderRule>[] = [];
  private readonly delays: RuleRng<DelayRule>[] = [];
  private readonly stalls: (StallRule & { fired: boolean })[] = [];
  /** Bytes after the cut stage (the offsets corruption and split positions refer to). */
  private passed = 0;
  private reorderHeld: Buffer | null = null;
  private reorderTimer: NodeJS.Timeout | null = null;
  private readonly queue: Queued[] = [];
  private lastDue = 0;
  private stallUntil = 0;
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    readonly dir: 'up' | 'down',
    rules: readonly FaultRule[],
    seed: number,
    conn: number,
    private readonly src: Socket,
    private readonly dst: Socket,
    private readonly host: PipeHost,
  ) {
    rules.forEach((rule, i) => {
      const rng = new Prng(deriveSeed(seed, conn, dir === 'up' ? 1 : 2, i));
      switch (rule.kind) {
        case 'drop':
          if (rule.atBytes !== undefined && rule.atBytes < this.cutAt) {
            this.cutAt = rule.atBytes;
            this.cutReset = rule.reset ?? false;
            this.cutReason = `drop at byte ${rule.atBytes}`;
          }
          if (rule.atMessage !== undefined) this.addMessageCut(rule.atMessage, 0, rule.reset ?? false, 'drop');
          break; // atMs is the connection's business (both directions at once)
        case 'cut':
          this.addMessageCut(rule.message, rule.afterBytes, rule.reset ?? false, 'cut');
          break;
        case 'swallow':
          for (const m of rule.messages) this.swallow.add(m);
          break;
        case 'corrupt':
          this.corrupt.push({ rule, rng, flips: 0 });
          break;
        case 'split':
          this.splits.push({ rule, rng, left: 0 });
          break;
        case 'duplicate':
          this.dups.push({ rule, rng });
          break;
        case 'reorder':
          this.reorders.push({ rule, rng });
          break;
        case 'delay':
          this.delays.push({ rule, rng });
          break;
        case 'stall':
          this.stalls.push({ ...rule, fired: false });
          if (rule.atBytes === undefined) {
            const t = setTimeout(() => this.startStall(this.stalls[this.stalls.length - 1]!), rule.atMs ?? 0);
            this.timers.push(t);
          }
          break;
      }
    });
  }

  private addMessageCut(message: number, k: number, reset: boolean, kind: 'drop' | 'cut'): void {
    const prev = this.messageCuts.get(message);
    if (prev === undefined || k < prev.k) this.messageCuts.set(message, { k, reset, kind });
  }

  onData(chunk: Buffer): void {
    if (this.cutting || this.done) return;
    this.host.activity();
    this.counters.bytesIn += chunk.length;
    this.counters.chunksIn++;
    const forward = this.cutStage(chunk);
    if (forward.length > 0) this.afterCut(forward);
    if (this.cutting) {
      this.src.pause();
      this.releaseReorder();
    }
    this.flush();
  }

  /** The source half-closed: forward what is queued, then half-close the destination. */
  onEnd(): void {
    this.srcEnded = true;
    if (!this.cutting && this.held.length > 0) {
      const rest = this.held;
      this.held = Buffer.alloc(0);
      this.afterCut(rest);
    }
    this.releaseReorder();
    this.flush();
  }

  /** Stops all timers; the connection is going away. */
  dispose(): void {
    this.done = true;
    for (const t of this.timers) clearTimeout(t);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.reorderTimer) clearTimeout(this.reorderTimer);
    this.queue.length = 0;
  }

  /** Truncates at the first cut point; holds back a possible `8=FIX` prefix when messages are cut. */
  private cutStage(chunk: Buffer): Buffer {
    const heldLen = this.held.length;
    const data = heldLen > 0 ? Buffer.concat([this.held, chunk]) : chunk;
    const base = this.scanner.offset - heldLen;
    const scanner = this.scanner;
    /** [from, to) ranges of `data` that belong to swallowed messages. */
    let drops: number[] | null = null;
    if (this.swallowFrom >= 0) this.swallowFrom = 0;
    for (let i = heldLen; i < data.length; i++) {
      if (base + i >= this.cutAt) break;
      const r = scanner.step(data[i]!);
      if (r === Boundary.START) {
        this.counters.messagesIn++;
        const cut = this.messageCuts.get(scanner.messages);
        if (cut !== undefined && scanner.messageStart + cut.k < this.cutAt) {
          this.cutAt = scanner.messageStart + cut.k;
          this.cutReset = cut.reset;
          this.cutReason = cut.kind === 'drop' ? `drop at message ${scanner.messages}` : `cut message ${scanner.messages} after ${cut.k} bytes`;
        }
        if (this.swallow.has(scanner.messages)) {
          // The `8=FI` before this byte is in `data`: the prefix was held back (see below).
          this.swallowFrom = Math.max(0, scanner.messageStart - base);
          this.host.fault('swallow', this.dir, scanner.messageStart, `message ${scanner.messages} swallowed`);
        }
      } else if (r === Boundary.END && this.swallowFrom >= 0) {
        (drops ??= []).push(this.swallowFrom, i + 1);
        this.swallowFrom = -1;
      }
    }
    let end = data.length;
    if (this.cutAt <= base + data.length) {
      this.cutting = true;
      this.held = Buffer.alloc(0);
      const kind: FaultKind = this.cutReason.startsWith('cut') ? 'cut' : 'drop';
      this.host.fault(kind, this.dir, this.cutAt, this.cutReason);
      end = Math.max(0, this.cutAt - base);
    } else {
      const hold = (this.messageCuts.size > 0 || this.swallow.size > 0) && !scanner.inMessage && !this.srcEnded ? scanner.prefix : 0;
      this.held = hold > 0 ? Buffer.from(data.subarray(data.length - hold)) : Buffer.alloc(0);
      end = data.length - hold;
    }
    if (this.swallowFrom >= 0) (drops ??= []).push(this.swallowFrom, data.length);
    return drops === null ? data.subarray(0, end) : without(data, end, drops);
  }

  private afterCut(data: Buffer): void {
    const start = this.passed;
    this.passed += data.length;
    if (this.corrupt.length > 0) data = this.corruptStage(data, start);
    for (const piece of this.splitStage(data)) {
      const copies = this.dups.some((d) => d.rng.chance(d.rule.probability)) ? 2 : 1;
      if (copies === 2) this.host.fault('duplicate', this.dir, undefined, `${piece.length} bytes sent twice`);
      for (let c = 0; c < copies; c++) this.reorderStage(piece);
    }
  }

  private corruptStage(data: Buffer, start: number): Buffer {
    let out: Buffer | null = null;
    for (const c of this.corrupt) {
      const skip = c.rule.skipBytes ?? 0;
      const max = c.rule.maxFlips ?? Infinity;
      for (let i = 0; i < data.length; i++) {
        // One draw per byte, whatever the chunking, so the flipped offsets depend only on the seed.
        const flip = c.rng.chance(c.rule.probability);
        const mask = 1 + c.rng.int(255);
        if (!flip || start + i < skip || c.flips >= max) continue;
        out ??= Buffer.from(data);
        const before = out[i]!;
        out[i] = before ^ mask;
        c.flips++;
        this.host.fault('corrupt', this.dir, start + i, `0x${before.toString(16)} -> 0x${out[i]!.toString(16)}`);
      }
    }
    return out ?? data;
  }

  /** Piece boundaries are drawn in stream order, so they fall at the same offsets for the same seed. */
  private splitStage(data: Buffer): Buffer[] {
    if (this.splits.length === 0) return [data];
    let pieces = [data];
    for (const s of this.splits) {
      const next: Buffer[] = [];
      for (const p of pieces) {
        let off = 0;
        while (off < p.length) {
          if (s.left === 0) s.left = s.rng.range(s.rule.minBytes ?? 1, s.rule.maxBytes ?? 16);
          const n = Math.min(s.left, p.length - off);
          next.push(p.subarray(off, off + n));
          s.left -= n;
          off += n;
        }
      }
      if (next.length > pieces.length) this.host.fault('split', this.dir, undefined, `${data.length} bytes in ${next.length} pieces`);
      pieces = next;
    }
    return pieces;
  }

  private reorderStage(piece: Buffer): void {
    if (this.reorderHeld !== null) {
      const held = this.reorderHeld;
      this.reorderHeld = null;
      if (this.reorderTimer) clearTimeout(this.reorderTimer);
      this.reorderTimer = null;
      this.host.fault('reorder', this.dir, undefined, `${piece.length}-byte chunk sent before the ${held.length}-byte one`);
      this.enqueue(piece);
      this.enqueue(held);
      return;
    }
    const r = this.reorders.find((o) => o.rng.chance(o.rule.probability));
    if (r !== undefined && !this.cutting && !this.srcEnded) {
      this.reorderHeld = piece;
      this.reorderTimer = setTimeout(() => {
        this.reorderTimer = null;
        this.releaseReorder();
        this.flush();
      }, r.rule.holdMs ?? 20);
      return;
    }
    this.enqueue(piece);
  }

  private releaseReorder(): void {
    if (this.reorderHeld === null) return;
    const held = this.reorderHeld;
    this.reorderHeld = null;
    if (this.reorderTimer) clearTimeout(this.reorderTimer);
    this.reorderTimer = null;
    this.enqueue(held);
  }

  private enqueue(piece: Buffer): void {
    const now = this.host.now();
    let due = now;
    for (const d of this.delays) {
      const jitter = d.rule.jitterMs ? d.rng.next() * d.rule.jitterMs : 0;
      due = Math.max(due, now + d.rule.ms + jitter);
    }
    if (this.delays.length > 0) this.host.fault('delay', this.dir, undefined, `${piece.length} bytes held ${(due - now).toFixed(1)} ms`);
    for (const s of this.splits) if (s.rule.gapMs) due = Math.max(due, this.lastDue + s.rule.gapMs);
    const before = this.counters.bytesOut + this.queuedBytes();
    for (const st of this.stalls) {
      if (!st.fired && st.atBytes !== undefined && before + piece.length > st.atBytes) {
        // Split at the trigger so exactly atBytes bytes go before the stall.
        const head = Math.max(0, st.atBytes - before);
        if (head > 0) this.push(piece.subarray(0, head), due);
        piece = piece.subarray(head);
        this.startStall(st);
      }
    }
    due = Math.max(due, this.lastDue, this.stallUntil);
    this.push(piece, due);
  }

  private push(data: Buffer, due: number): void {
    if (data.length === 0) return;
    this.lastDue = Math.max(this.lastDue, due);
    this.queue.push({ data, due: Math.max(due, this.lastDue) });
  }

  private queuedBytes(): number {
    let n = 0;
    for (const q of this.queue) n += q.data.length;
    return n;
  }

  private startStall(st: StallRule & { fired: boolean }): void {
    if (st.fired || this.done) return;
    st.fired = true;
    this.stallUntil = Math.max(this.stallUntil, this.host.now() + st.ms);
    this.host.fault('stall', this.dir, this.counters.bytesOut, `forwarding stopped for ${st.ms} ms`);
    this.flush();
  }

  private flush(): void {
    if (this.done) return;
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    const now = this.host.now();
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      const wait = Math.max(head.due, this.stallUntil) - now;
      if (wait > 0) {
        this.flushTimer = setTimeout(() => {
          this.flushTimer = null;
          this.flush();
        }, Math.ceil(wait));
        return;
      }
      this.queue.shift();
      this.counters.bytesOut += head.data.length;
      this.counters.chunksOut++;
      this.host.activity();
      if (!this.dst.write(head.data) && !this.cutting) {
        this.src.pause();
        this.dst.once('drain', () => {
          if (!this.cutting && !this.done) this.src.resume();
        });
      }
    }
    if (this.reorderHeld !== null) return;
    if (this.cutting) this.host.closePair(this.cutReason, this.cutReset ? 'reset' : 'end');
    else if (this.srcEnded && !this.dst.writableEnded) this.dst.end();
  }
}

/** data[0, end) minus the [from, to) ranges (ascending, non-overlapping). */
function without(data: Buffer, end: number, drops: number[]): Buffer {
  const keep: Buffer[] = [];
  let at = 0;
  for (let k = 0; k < drops.length; k += 2) {
    const from = Math.min(drops[k]!, end);
    if (from > at) keep.push(data.subarray(at, from));
    at = Math.max(at, drops[k + 1]!);
  }
  if (end > at) keep.push(data.subarray(at, end));
  return Buffer.concat(keep);
}
