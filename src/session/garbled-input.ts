/**
 * How much garbled input a logged-on peer may send before we stop parsing it: a fixed window counting
 * framing errors and skipped bytes (limits in GarbledInputLimit). A healthy peer sends none; a flood
 * exceeds it within a read or two.
 */
import type { GarbledInputLimit } from './types.js';

export class GarbledInputWindow {
  private windowStart = 0;
  private errors = 0;
  private bytes = 0;

  constructor(readonly limit: GarbledInputLimit) {}

  /** A new connection starts a fresh window. */
  reset(nowMicros: number): void {
    this.windowStart = nowMicros;
    this.errors = 0;
    this.bytes = 0;
  }

  /** Counts one framing error; returns why to cut the peer off, or null while within the limit. */
  add(nowMicros: number, skipped: number, detail: string): string | null {
    const limit = this.limit;
    if (nowMicros - this.windowStart >= limit.windowMs * 1000) this.reset(nowMicros);
    this.errors++;
    this.bytes += skipped;
    if (this.errors <= limit.maxErrors && this.bytes <= limit.maxBytes) return null;
    return `garbled input: ${this.errors} framing errors, ${this.bytes} bytes skipped within ${limit.windowMs} ms (last: ${detail})`;
  }
}
