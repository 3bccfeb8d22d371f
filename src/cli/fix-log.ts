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

/**
 * Renders a message with `|` separators and masked secrets (allocates; logging path only). When a value
 * was masked, BodyLength and CheckSum are recomputed, so the line is still a valid FIX message that
 * `kfix decode` and other tools read without a framing error.
 */
export function maskedFixLine(msg: Uint8Array): string {
  const text = Buffer.from(msg.buffer, msg.byteOffset, msg.byteLength).toString('latin1');
  const fields = text.split('\x01');
  let masked = false;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const eq = f.indexOf('=');
    if (eq > 0 && MASKED_TAGS.has(Number(f.slice(0, eq)))) {
      fields[i] = `${f.slice(0, eq)}=****`;
      masked = true;
    }
  }
  if (masked) refix(fields);
  return fields.join('|');
}

/** New BodyLength and CheckSum for fields split on SOH (the last element is the empty string after the final SOH). */
function refix(fields: string[]): void {
  const cs = fields.length - 2;
  if (cs < 3 || fields[fields.length - 1] !== '' || !fields[1]!.startsWith('9=') || !fields[cs]!.startsWith('10=')) return;
  const body = `${fields.slice(2, cs).join('\x01')}\x01`;
  fields[1] = `9=${body.length}`;
  const head = `${fields[0]}\x01${fields[1]}\x01`;
  let sum = 0;
  for (let i = 0; i < head.length; i++) sum += head.charCodeAt(i);
  for (let i = 0; i < body.length; i++) sum += body.charCodeAt(i);
  fields[cs] = `10=${String(sum & 0xff).padStart(3, '0')}`;
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
