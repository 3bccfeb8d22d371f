/**
 * Slow, obviously-correct FIX frame checker and builder for the fuzz oracles. The checker (checkFrame,
 * checksumOf) works on latin1 strings (one char per byte) with indexOf and regexes and shares no code
 * with src/codec on purpose, so a bug in the framer cannot hide behind the same bug here. The builders
 * (frame, refix) only make inputs and use the codec's re-framing: whatever they build, checkFrame judges
 * with its own BodyLength and CheckSum arithmetic.
 */
import { frameBody, reframe } from '../../src/codec/index.js';


export const SOH = '\x01';

export interface RefFrame {
  ok: boolean;
  reason: string;
  /** [tag, value] of every field, BeginString, BodyLength and CheckSum included. */
  fields: [number, string][];
}

export interface RefOptions {
  /** LENGTH tag -> DATA tag whose byte count it gives (values of DATA tags may contain SOH). */
  dataTagOfLength?: ArrayLike<number>;
  /** 'strict': tags are [1-9][0-9]*; 'quickfix': also leading zeros and a leading '-'. */
  tagSyntax?: 'strict' | 'quickfix';
}

export function latin1(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

export function checksumOf(text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i);
  return sum % 256;
}

/** Checks one complete frame: `8=FIX.4.4`, BodyLength, the fields, MsgType third, CheckSum. */
export function checkFrame(bytes: Uint8Array, options: RefOptions = {}): RefFrame {
  const s = latin1(bytes);
  const fail = (reason: string): RefFrame => ({ ok: false, reason, fields: [] });
  const head = /^8=FIX\.4\.4\x019=(\d+)\x01/.exec(s);
  if (head === null) return fail('does not start with 8=FIX.4.4|9=<digits>|');
  const bodyStart = head[0].length;
  const bodyLength = Number(head[1]);
  const trailerAt = bodyStart + bodyLength;
  if (s.length !== trailerAt + 7) return fail(`length ${s.length} but BodyLength ${bodyLength} says ${trailerAt + 7}`);
  if (bodyLength === 0 || s[trailerAt - 1] !== SOH) return fail('body does not end with SOH');
  const trailer = s.slice(trailerAt);
  if (!/^10=\d\d\d\x01$/.test(trailer)) return fail(`trailer is ${JSON.stringify(trailer)}`);
  const declared = Number(trailer.slice(3, 6));
  const actual = checksumOf(s.slice(0, trailerAt));
  if (declared !== actual) return fail(`CheckSum ${declared} but bytes sum to ${actual}`);

  const tagPattern = options.tagSyntax === 'quickfix' ? /^-?\d+$/ : /^[1-9]\d*$/;
  const dataTags = options.dataTagOfLength;
  const fields: [number, string][] = [];
  let p = 0;
  let dataTag = 0;
  let dataLen = -1;
  while (p < trailerAt) {
    const eq = s.indexOf('=', p);
    if (eq < 0 || eq >= trailerAt) return fail(`field at ${p} has no '='`);
    const tagText = s.slice(p, eq);
    if (!tagPattern.test(tagText)) return fail(`bad tag ${JSON.stringify(tagText)} at ${p}`);
    const tag = Number(tagText);
    let end: number;
    if (tag === dataTag && dataLen >= 0 && eq + 1 + dataLen < trailerAt) {
      end = eq + 1 + dataLen;
      if (s[end] !== SOH) return fail(`data field ${tag} longer than its length`);
    } else {
      end = s.indexOf(SOH, eq + 1);
    }
    fields.push([tag, s.slice(eq + 1, end)]);
    dataTag = 0;
    dataLen = -1;
    if (dataTags && tag > 0 && tag < dataTags.length && dataTags[tag]) {
      dataTag = dataTags[tag]!;
      dataLen = /^\d{1,9}$/.test(s.slice(eq + 1, end)) ? Number(s.slice(eq + 1, end)) : -1;
    }
    p = end + 1;
  }
  if (fields.length < 3 || fields[2]![0] !== 35) return fail('third field is not MsgType');
  fields.push([10, trailer.slice(3, 6)]);
  return { ok: true, reason: '', fields };
}

/** Builds a frame from body text (`|` or SOH separated, no 8/9/10) with correct BodyLength and CheckSum. */
export function frame(body: string, beginString = 'FIX.4.4'): Buffer {
  return frameBody(Buffer.from(beginString, 'latin1'), Buffer.from(body.replace(/\|/g, SOH), 'latin1'));
}

/**
 * Recomputes BodyLength and CheckSum of something shaped like a message (`8=...|` first); a missing
 * 9 or 10 is added, as the QuickFIX test runner does. Anything else comes back unchanged (a copy).
 */
export function refix(bytes: Uint8Array): Buffer {
  return reframe(bytes, { addMissing: true }) ?? Buffer.from(bytes);
}
