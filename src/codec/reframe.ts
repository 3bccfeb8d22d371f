/**
 * Re-framing: writing a message again with BodyLength (9) and CheckSum (10) recomputed, after its field
 * values were changed (masked secrets in logs) or for tools and tests that build messages from text.
 * Off the hot path (it allocates and copies; the encoder computes 9 and 10 without either): written for
 * clarity. Bytes in, bytes out, SOH (0x01) separators only; MsgType, tags and values are never looked at.
 */
import { checksum } from './checksum.js';

const SOH = 0x01;
const NO_BYTES = new Uint8Array(0);
const SOH_ONLY = new Uint8Array([SOH]);

export interface ReframeOptions {
  /**
   * false (the default): only a complete frame is re-framed, i.e. `8=<v><SOH>9=<v><SOH><body><SOH>10=<v><SOH>`
   * with at least one body field; anything else gives null.
   * true: anything that starts with `8=<v><SOH>` is framed, as the QuickFIX test runner does: a 9 right
   * after the 8 and a 10 as the last field are replaced when present and added when missing, and a body
   * without its final SOH gets one.
   */
  readonly addMissing?: boolean;
}

/**
 * Frames a body: `8=<beginString><SOH>9=<BodyLength><SOH><body>10=<CheckSum><SOH>`. The body is the
 * fields between 9 and 10 (MsgType first, for a valid message) and is copied as it is; when it does not
 * end with SOH (an empty body included) one is appended and counted in BodyLength. Throws a RangeError
 * when beginString contains SOH, as the result would not be one message.
 */
export function frameBody(beginString: Uint8Array, body: Uint8Array): Buffer {
  if (beginString.includes(SOH)) throw new RangeError('frameBody: BeginString (8) must not contain SOH');
  const closeBody = body.length === 0 || body[body.length - 1] !== SOH ? SOH_ONLY : NO_BYTES;
  const bodyLength = body.length + closeBody.length;
  const out = Buffer.concat([
    Buffer.from('8=', 'latin1'),
    beginString,
    Buffer.from(`\x019=${bodyLength}\x01`, 'latin1'),
    body,
    closeBody,
    Buffer.from('10=000\x01', 'latin1'),
  ]);
  // The CheckSum covers every byte before `10=`: those are all written by now.
  const trailerAt = out.length - 7;
  out.write(String(checksum(out, 0, trailerAt)).padStart(3, '0'), trailerAt + 3, 'latin1');
  return out;
}

/**
 * Writes a message again with BodyLength (9) and CheckSum (10) recomputed: BeginString and every body
 * byte are kept, in their order, so 8, 9 and the first body field (35 in a valid message) stay first.
 * Returns a new buffer, or null when the input is not a message in the sense of `options.addMissing`
 * (empty input and input not starting with `8=<v><SOH>` are null in both modes). The input is not changed.
 */
export function reframe(message: Uint8Array, options: ReframeOptions = {}): Buffer | null {
  const msg = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  const addMissing = options.addMissing === true;
  // BeginString: `8=` up to the first SOH.
  if (!startsWithAt(msg, 0, '8=')) return null;
  const beginEnd = msg.indexOf(SOH);
  if (beginEnd < 0) return null;

  let bodyStart = beginEnd + 1;
  const lengthEnd = startsWithAt(msg, bodyStart, '9=') ? msg.indexOf(SOH, bodyStart) : -1;
  if (lengthEnd >= 0) bodyStart = lengthEnd + 1;
  else if (!addMissing) return null;

  // CheckSum: the last field when it is `10=`, behind an SOH that belongs to the body (without addMissing
  // the message must also end with SOH).
  const endsWithSoh = msg.length > 0 && msg[msg.length - 1] === SOH;
  const lastFieldEnd = endsWithSoh ? msg.length - 1 : msg.length;
  const sohBeforeLast = msg.lastIndexOf(SOH, lastFieldEnd - 1);
  let bodyEnd = msg.length;
  if (sohBeforeLast >= bodyStart && startsWithAt(msg, sohBeforeLast + 1, '10=')) bodyEnd = sohBeforeLast + 1;
  else if (!addMissing) return null;
  if (!addMissing && !endsWithSoh) return null;

  return frameBody(msg.subarray(2, beginEnd), msg.subarray(bodyStart, bodyEnd));
}

function startsWithAt(msg: Buffer, at: number, text: string): boolean {
  if (at + text.length > msg.length) return false;
  for (let i = 0; i < text.length; i++) if (msg[at + i] !== text.charCodeAt(i)) return false;
  return true;
}
