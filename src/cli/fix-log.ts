/**
 * FIX message logs in the usual one-message-per-line form (`<UTC time> <IN|OUT> 8=FIX.4.4|9=...|10=...|`),
 * with secrets masked before anything reaches the disk: the logon Password (554, Kraken's signature) and
 * raw data fields. Written from the main thread or a logging thread, never from the hot path.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { FixFramer, formatUtcTimestamp, getDictionary, type FramingError, type MessageView } from '../codec/index.js';
import type { WireTap } from '../transport/index.js';

/** Tags whose values never appear in logs. */
export const MASKED_TAGS: ReadonlySet<number> = new Set([554, 96, 91, 89, 925]);

/** Renders a message with `|` separators and masked secrets (allocates; logging path only). */
export function maskedFixLine(msg: Uint8Array): string {
  const text = Buffer.from(msg.buffer, msg.byteOffset, msg.byteLength).toString('latin1');
  const fields = text.split('\x01');
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const eq = f.indexOf('=');
    if (eq > 0 && MASKED_TAGS.has(Number(f.slice(0, eq)))) fields[i] = `${f.slice(0, eq)}=****`;
  }
  return fields.join('|');
}

export class FixMessageLog {
  private readonly out: WriteStream;
  constructor(path: string) {
    this.out = createWriteStream(path, { flags: 'a', mode: 0o640 });
  }
  write(direction: 'IN' | 'OUT', msg: Uint8Array, atMicros = Date.now() * 1000): void {
    this.out.write(`${formatUtcTimestamp(atMicros, 6)} ${direction} ${maskedFixLine(msg)}\n`);
  }
  /** A line that is not a message (garbled input, connection events). */
  note(text: string, atMicros = Date.now() * 1000): void {
    this.out.write(`${formatUtcTimestamp(atMicros, 6)} ${text}\n`);
  }
  close(): Promise<void> {
    return new Promise((resolve) => this.out.end(resolve));
  }
}

/**
 * A transport tap that writes one masked line per FIX message: inbound TCP chunks are re-framed (they
 * split messages anywhere); outbound writes are whole messages. Garbled inbound bytes are logged as such.
 */
export class FixLogTap implements WireTap {
  private readonly framer = new FixFramer(getDictionary({ kraken: true }), { maxMessageSize: 1 << 20 });
  private readonly handler = {
    onMessage: (view: MessageView) => this.log.write('IN', view.buffer.subarray(view.start, view.start + view.length)),
    onError: (e: FramingError) => this.log.note(`IN garbled bytes at ${e.frameOffset} (${e.skipped} bytes): ${e.detail}`),
  };
  constructor(private readonly log: FixMessageLog) {}
  inbound(chunk: Uint8Array): void {
    this.framer.push(chunk, this.handler);
  }
  outbound(bytes: Uint8Array, offset: number, length: number): void {
    this.log.write('OUT', bytes.subarray(offset, offset + length));
  }
}
