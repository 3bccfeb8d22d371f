/**
 * `kfix decode`: pretty-prints FIX messages from a log, a journal dump or stdin, naming tags and enum
 * values from the dictionary and flagging frames whose BodyLength or CheckSum is wrong. Secret fields
 * (fix-log.ts MASKED_TAGS: the logon signature 554 and raw data) print as ****. It reuses the
 * production framer (scan mode) so what it reports is exactly what the engine would see.
 */
import { FixFramer, FRAMING_ERROR_NAMES, getDictionary, type FramingError, type MessageView } from '../codec/index.js';
import { MASKED_TAGS } from './fix-log.js';

export interface DecodeResult {
  text: string;
  messages: number;
  errors: number;
}

/**
 * Normalises a log: `|` or `^A` separators become SOH, and per line anything before `8=FIX` (log
 * timestamps, direction markers) and the line breaks are dropped. Lines without a message stay, so
 * the framer reports them as garbage.
 */
export function normaliseFixText(input: Buffer): Buffer {
  let text = input.toString('latin1');
  if (!text.includes('\x01')) text = text.replace(/\^A/g, '\x01').replace(/\|/g, '\x01');
  const lines = text.split(/\r?\n/).map((line) => {
    const at = line.indexOf('8=FIX');
    return at >= 0 ? line.slice(at) : line.trim();
  });
  return Buffer.from(lines.join(''), 'latin1');
}

export function decodeFix(input: Buffer, options: { kraken?: boolean } = {}): DecodeResult {
  const dictionary = getDictionary({ kraken: options.kraken ?? true });
  const framer = new FixFramer(dictionary, { maxMessageSize: 1 << 20 });
  const out: string[] = [];
  let messages = 0;
  let errors = 0;
  const describe = (view: MessageView) => {
    const msgType = view.getString(35) ?? '?';
    const def = dictionary.message(msgType);
    out.push(`--- ${def?.name ?? 'UnknownMsgType'} (35=${msgType}) at byte ${view.streamOffset}, ${view.length} bytes`);
    for (let i = 0; i < view.count; i++) {
      const tag = view.tags[i]!;
      // A raw capture or journal holds the logon signature: the printout masks it like the FIX logs do.
      const value = MASKED_TAGS.has(tag) ? '****' : view.stringAt(i);
      const name = dictionary.fieldName(tag) ?? '?';
      const enumName = dictionary.enumName(tag, value);
      out.push(`  ${String(tag).padStart(5)} ${name.padEnd(24)} ${value}${enumName ? `  (${enumName})` : ''}${name === '?' ? '  [tag not in dictionary]' : ''}`);
    }
  };
  framer.push(normaliseFixText(input), {
    onMessage(view) {
      messages++;
      describe(view);
    },
    onError(e: FramingError) {
      errors++;
      out.push(`!!! ${FRAMING_ERROR_NAMES[e.code]} at byte ${e.byteOffset} (frame at ${e.frameOffset}, ${e.skipped} bytes skipped): ${e.detail}`);
    },
  });
  if (framer.bufferedBytes() > 0) {
    errors++;
    out.push(`!!! INCOMPLETE: ${framer.bufferedBytes()} trailing bytes do not form a whole message`);
  }
  return { text: out.join('\n'), messages, errors };
}
