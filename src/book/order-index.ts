/**
 * Order id (278 MDEntryID) -> order slot map for the L3 book, with no allocation per lookup/insert.
 *
 * The id bytes of slot s live in idBytes[s * maxIdLength ...]; the map is an open-addressing table
 * (linear probing, power-of-two size >= 2x slots, so load <= 0.5) holding slot + 1 (0 = empty), keyed
 * by FNV-1a of the id bytes. Deletion uses backward shifting instead of tombstones, so a long-running
 * feed with constant add/delete churn never degrades probe lengths.
 */

export class OrderIdIndex {
  readonly maxIdLength: number;
  private readonly idBytes: Uint8Array;
  private readonly idLen: Uint8Array;
  private readonly idHash: Int32Array;
  private readonly table: Int32Array;
  private readonly mask: number;
  private readonly scratch: Uint8Array;

  constructor(slots: number, maxIdLength: number) {
    if (!Number.isInteger(maxIdLength) || maxIdLength < 1 || maxIdLength > 255) {
      throw new RangeError(`maxIdLength must be 1..255, got ${maxIdLength}`);
    }
    this.maxIdLength = maxIdLength;
    this.idBytes = new Uint8Array(slots * maxIdLength);
    this.idLen = new Uint8Array(slots);
    this.idHash = new Int32Array(slots);
    let size = 16;
    while (size < slots * 2) size *= 2;
    this.table = new Int32Array(size);
    this.mask = size - 1;
    this.scratch = new Uint8Array(maxIdLength);
  }

  clear(): void {
    this.table.fill(0);
  }

  /** Slot holding id buf[off, off+len), or -1. */
  find(buf: Uint8Array, off: number, len: number, hash: number): number {
    const table = this.table;
    const mask = this.mask;
    const maxLen = this.maxIdLength;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const e = table[i];
      if (e === 0) return -1;
      const s = e - 1;
      if (this.idHash[s] === hash && this.idLen[s] === len) {
        const base = s * maxLen;
        let j = 0;
        while (j < len && this.idBytes[base + j] === buf[off + j]) j++;
        if (j === len) return s;
      }
    }
  }

  /** Records id bytes for `slot` and maps them. Caller guarantees the id is absent and len is valid. */
  insert(slot: number, buf: Uint8Array, off: number, len: number, hash: number): void {
    const base = slot * this.maxIdLength;
    for (let j = 0; j < len; j++) this.idBytes[base + j] = buf[off + j];
    this.idLen[slot] = len;
    this.idHash[slot] = hash;
    const table = this.table;
    const mask = this.mask;
    let i = hash & mask;
    while (table[i] !== 0) i = (i + 1) & mask;
    table[i] = slot + 1;
  }

  /** Unmaps `slot` (which must be mapped). */
  remove(slot: number): void {
    const table = this.table;
    const mask = this.mask;
    let i = this.idHash[slot] & mask;
    while (table[i] !== slot + 1) i = (i + 1) & mask;
    // Backward-shift: pull later entries of the probe run into the hole when their home allows it.
    table[i] = 0;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const e = table[j];
      if (e === 0) return;
      const home = this.idHash[e - 1] & mask;
      // Entry at j may move to hole i iff its home is not cyclically within (i, j].
      const inRange = i <= j ? home > i && home <= j : home > i || home <= j;
      if (!inRange) {
        table[i] = e;
        table[j] = 0;
        i = j;
      }
    }
  }

  /** The id of `slot` as a string (allocates; diagnostics and tests). */
  idString(slot: number): string {
    const base = slot * this.maxIdLength;
    return String.fromCharCode(...this.idBytes.subarray(base, base + this.idLen[slot]));
  }

  /** Copies an ASCII string into a reused scratch buffer; returns its length, or -1 if too long. */
  stringToScratch(id: string): number {
    const n = id.length;
    if (n > this.maxIdLength) return -1;
    for (let i = 0; i < n; i++) this.scratch[i] = id.charCodeAt(i) & 0xff;
    return n;
  }

  get scratchBuffer(): Uint8Array {
    return this.scratch;
  }
}

/** FNV-1a 32-bit over buf[off, off+len). */
export function hashId(buf: Uint8Array, off: number, len: number): number {
  let h = 0x811c9dc5 | 0;
  const end = off + len;
  for (let i = off; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  return h;
}
