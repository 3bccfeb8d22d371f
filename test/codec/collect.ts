/** Test helper: runs bytes through a FixFramer and keeps copies of what it delivered. */
import { FixFramer, getDictionary, type FramerOptions, type FramingError, type MessageView } from '../../src/codec/index.js';

export interface Delivered {
  streamOffset: number;
  bytes: string; // latin1
  fields: [number, string][];
  msgTypeCode: number;
}

export class Collector {
  readonly messages: Delivered[] = [];
  readonly errors: FramingError[] = [];
  maxBuffered = 0;
  readonly framer: FixFramer;

  constructor(options: FramerOptions = {}) {
    this.framer = new FixFramer(getDictionary(), options);
  }

  onMessage(v: MessageView): void {
    this.messages.push({
      streamOffset: v.streamOffset,
      bytes: Buffer.from(v.buffer.subarray(v.start, v.start + v.length)).toString('latin1'),
      fields: v.toFields(),
      msgTypeCode: v.msgTypeCode,
    });
  }

  onError(e: FramingError): void {
    this.errors.push(e);
  }

  push(chunk: Uint8Array): this {
    this.framer.push(chunk, this);
    this.maxBuffered = Math.max(this.maxBuffered, this.framer.bufferedBytes());
    return this;
  }

  /** Pushes `data` cut at the given offsets. */
  pushChunks(data: Uint8Array, cuts: number[]): this {
    let prev = 0;
    for (const c of [...cuts].sort((a, b) => a - b)) {
      if (c <= prev || c >= data.length) continue;
      this.push(data.subarray(prev, c));
      prev = c;
    }
    return this.push(data.subarray(prev));
  }
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export const bytes = (s: string): Uint8Array => Buffer.from(s.replace(/\|/g, '\x01'), 'latin1');
