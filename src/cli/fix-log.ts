/**
 * FIX message logs in the usual one-message-per-line form (`<UTC time> <IN|OUT> 8=FIX.4.4|9=...|10=...|`),
 * with secrets masked before anything reaches the disk: the logon Password (554, Kraken's signature) and
 * raw data fields. Written from the main thread or a logging thread, never from the hot path.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { FixFramer, formatUtcTimestamp, getDictionary, reframe, type FramingError, type MessageView } from '../codec/index.js';
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
  const fields = splitFields(text);
  let masked = false;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.tag < 0 || !MASKED_TAGS.has(f.tag)) continue;
    f.value = '****';
    f.raw = null;
    masked = true;
    // A DATA field's length travels in the field before it: it must describe the mask, not the secret.
    const prev = fields[i - 1];
    if (prev !== undefined && prev.tag > 0 && DATA_TAG_OF_LENGTH[prev.tag] === f.tag) {
      prev.value = '4';
      prev.raw = null;
    }
  }
  const joined = (sep: string): string => fields.map((f) => f.raw ?? `${f.tag}=${f.value}`).join(sep);
  if (!masked) return joined('|');
  // Only a complete frame is re-framed: a truncated or garbled message stays as it came.
  const maskedMsg = Buffer.from(joined('\x01'), 'latin1');
  return (reframe(maskedMsg) ?? maskedMsg).toString('latin1').replaceAll('\x01', '|');
}

const DATA_TAG_OF_LENGTH = getDictionary({ kraken: true }).dataTagOfLength;

interface Field {
  /** -1: not a `tag=value` field. */
  tag: number;
  value: string;
  /** The field's bytes as they came, or null once changed. */
  raw: string | null;
}

/**
 * Fields split at SOH, except that a DATA field (RawData, SecureData...) takes exactly the length its
 * LENGTH field declared, SOH bytes included: split naively, the part after an SOH inside a secret would
 * be logged as if it were another field.
 */
function splitFields(text: string): Field[] {
  const out: Field[] = [];
  let dataTag = 0;
  let dataLen = -1;
  let p = 0;
  while (p <= text.length) {
    const eq = text.indexOf('=', p);
    let soh = text.indexOf('\x01', p);
    if (soh < 0) soh = text.length;
    const tag = eq > p && eq < soh ? Number(text.slice(p, eq)) : NaN;
    if (!Number.isInteger(tag) || tag <= 0) {
      out.push({ tag: -1, value: '', raw: text.slice(p, soh) });
      dataTag = 0;
      p = soh + 1;
      continue;
    }
    let end = soh;
    const dataEnd = eq + 1 + dataLen;
    if (tag === dataTag && dataLen >= 0 && (dataEnd === text.length || text[dataEnd] === '\x01')) end = dataEnd;
    out.push({ tag, value: text.slice(eq + 1, end), raw: text.slice(p, end) });
    dataTag = tag < DATA_TAG_OF_LENGTH.length ? DATA_TAG_OF_LENGTH[tag]! : 0;
    dataLen = dataTag !== 0 ? Number(text.slice(eq + 1, end)) : -1;
    if (!Number.isInteger(dataLen)) dataLen = -1;
    p = end + 1;
  }
  return out;
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
