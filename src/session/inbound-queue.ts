/**
 * Messages received above a sequence gap, kept (as copies of their bytes) until the gap is filled.
 * Bounded: past maxSize new arrivals are dropped, which is safe because the gap-fill logic will
 * request them again.
 */
import type { MessageView } from '../codec/index.js';

export class InboundQueue {
  private readonly bySeq = new Map<number, Uint8Array>();

  constructor(readonly maxSize: number) {}

  get size(): number {
    return this.bySeq.size;
  }

  /** Copies the message; false when the queue is full (the message is dropped). */
  add(seq: number, view: MessageView): boolean {
    if (this.bySeq.has(seq)) return true;
    if (this.bySeq.size >= this.maxSize) return false;
    // A real copy: on a Buffer (socket reads) .slice() is a view, and the engine reuses its read buffer.
    const copy = new Uint8Array(view.length);
    copy.set(view.buffer.subarray(view.start, view.start + view.length));
    this.bySeq.set(seq, copy);
    return true;
  }

  take(seq: number): Uint8Array | undefined {
    const bytes = this.bySeq.get(seq);
    if (bytes !== undefined) this.bySeq.delete(seq);
    return bytes;
  }

  /** Drops everything below seq (superseded by a SequenceReset or already processed). */
  dropBelow(seq: number): void {
    for (const s of this.bySeq.keys()) if (s < seq) this.bySeq.delete(s);
  }

  clear(): void {
    this.bySeq.clear();
  }
}
