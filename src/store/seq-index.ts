/**
 * MsgSeqNum -> (position, length) of stored outbound messages.
 *
 * Chunked rather than one dense array because an operator can jump the sequence number (e.g. to
 * 10^9) and a dense array would have to span the gap; chunked rather than a Map per entry so the
 * steady-state append touches two typed arrays and a cached chunk, allocating once per CHUNK
 * messages. Positions are file offsets in the journal and byte offsets in the memory store.
 */

const CHUNK_BITS = 10;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;

class Chunk {
  readonly positions = new Float64Array(CHUNK);
  /** 0 = no stored message at this seq (stored messages are never empty). */
  readonly lengths = new Int32Array(CHUNK);
  count = 0;
}

export class SeqIndex {
  private chunks = new Map<number, Chunk>();
  private lastKey = -1;
  private lastChunk: Chunk | null = null;
  /** Upper bound of the highest seq present; 0 when empty. */
  private maxSeq = 0;

  set(seq: number, position: number, length: number): void {
    const c = this.chunkFor(seq >>> CHUNK_BITS, true)!;
    const i = seq & MASK;
    if (c.lengths[i] === 0) c.count++;
    c.positions[i] = position;
    c.lengths[i] = length;
    if (seq > this.maxSeq) this.maxSeq = seq;
  }

  /** Length of the message stored at seq, 0 if none. */
  lengthOf(seq: number): number {
    const c = this.chunkFor(seq >>> CHUNK_BITS, false);
    return c === null ? 0 : c.lengths[seq & MASK];
  }

  positionOf(seq: number): number {
    const c = this.chunkFor(seq >>> CHUNK_BITS, false);
    return c === null ? -1 : c.positions[seq & MASK];
  }

  /** Forgets every entry with seq >= from (the sequence was rewound; those numbers will be reused). */
  truncateFrom(from: number): void {
    if (from > this.maxSeq) return;
    const firstKey = from >>> CHUNK_BITS;
    for (const [key, c] of this.chunks) {
      if (key < firstKey) continue;
      const startIdx = key === firstKey ? from & MASK : 0;
      for (let i = startIdx; i < CHUNK; i++) {
        if (c.lengths[i] !== 0) {
          c.lengths[i] = 0;
          c.count--;
        }
      }
      if (c.count === 0) this.chunks.delete(key);
    }
    this.lastKey = -1;
    this.lastChunk = null;
    this.maxSeq = from - 1;
  }

  clear(): void {
    this.chunks.clear();
    this.lastKey = -1;
    this.lastChunk = null;
    this.maxSeq = 0;
  }

  /** Number of stored messages (for tests and diagnostics). */
  size(): number {
    let n = 0;
    for (const c of this.chunks.values()) n += c.count;
    return n;
  }

  /**
   * Calls visit for each stored seq in [begin, end], ascending. Sorting the chunk keys keeps a
   * replay over a huge, mostly empty range proportional to what is stored.
   */
  forEachInRange(begin: number, end: number, visit: (seq: number, position: number, length: number) => void): void {
    if (end < begin) return;
    const keys = Array.from(this.chunks.keys()).sort((a, b) => a - b);
    const firstKey = begin >>> CHUNK_BITS;
    const lastKey = end >>> CHUNK_BITS;
    for (const key of keys) {
      if (key < firstKey) continue;
      if (key > lastKey) break;
      const c = this.chunks.get(key)!;
      const base = key << CHUNK_BITS;
      const from = Math.max(begin - base, 0);
      const to = Math.min(end - base, MASK);
      for (let i = from; i <= to; i++) {
        const len = c.lengths[i];
        if (len !== 0) visit(base + i, c.positions[i], len);
      }
    }
  }

  private chunkFor(key: number, create: boolean): Chunk | null {
    if (key === this.lastKey) return this.lastChunk;
    let c = this.chunks.get(key);
    if (c === undefined) {
      if (!create) return null;
      c = new Chunk();
      this.chunks.set(key, c);
    }
    this.lastKey = key;
    this.lastChunk = c;
    return c;
  }
}
