/**
 * Random FIX messages built from the dictionary, for the codec's property tests: any message type,
 * values valid for each field type, repeating groups (delimiter first, nested up to depth 3) and DATA
 * fields that contain SOH, preceded by their length field. fast-check draws a seed; a small PRNG expands
 * it into a message, so failures are reproducible from the reported seed.
 */
import fc from 'fast-check';
import {
  FieldType, FixEncoder, formatDecimal, formatUtcTimestamp, getDictionary, msgTypeCode,
  type FixDictionary, type GroupDef, type MessageDef, type SectionDef, type TimestampPrecision,
} from '../../src/codec/index.js';

export type GenValue =
  | { kind: 'str'; text: string }
  | { kind: 'int'; value: number }
  | { kind: 'char'; code: number }
  | { kind: 'decimal'; mantissa: number; scale: number }
  | { kind: 'ts'; micros: number; precision: TimestampPrecision }
  | { kind: 'bytes'; bytes: Uint8Array };

export interface GenField { tag: number; value: GenValue }

/** A top-level group whose extent is unambiguous, so countInstances must find `count` instances. */
export interface GenGroup { countTag: number; count: number }

export interface GenMessage {
  msgType: string;
  seqNum: number;
  sendingTime: number;
  body: GenField[];
  groups: GenGroup[];
}

export const SENDER = 'KFIX-TEST';
export const TARGET = 'KRAKEN-SIM';

/** mulberry32: tiny, deterministic, good enough for shaping test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MIN_MICROS = 0;
const MAX_MICROS = Date.UTC(2199, 11, 31, 23, 59, 59, 999) * 1000 + 999;

function int(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

function printable(r: () => number, min: number, max: number): string {
  const n = int(r, min, max);
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(int(r, 0x20, 0x7e));
  return s;
}

function pad(v: number, w: number): string {
  return String(v).padStart(w, '0');
}

/** LENGTH tag of each DATA tag in the dictionary. */
function lengthTags(dict: FixDictionary): Map<number, number> {
  const m = new Map<number, number>();
  dict.dataTagOfLength.forEach((dataTag, lenTag) => { if (dataTag !== 0) m.set(dataTag, lenTag); });
  return m;
}

export function randomValue(dict: FixDictionary, tag: number, r: () => number): GenValue {
  const type = dict.fieldType(tag);
  const enums = dict.enumValues(tag);
  if (enums && enums.size > 0 && r() < 0.7 && type !== FieldType.MULTIPLEVALUESTRING) {
    const values = [...enums.keys()];
    const v = values[int(r, 0, values.length - 1)]!;
    return v.length === 1 && type === FieldType.CHAR ? { kind: 'char', code: v.charCodeAt(0) } : { kind: 'str', text: v };
  }
  switch (type) {
    case FieldType.CHAR: return { kind: 'char', code: int(r, 0x21, 0x7e) };
    case FieldType.BOOLEAN: return { kind: 'char', code: r() < 0.5 ? 0x59 : 0x4e };
    case FieldType.INT: return { kind: 'int', value: int(r, -1_000_000, 2_000_000_000) };
    case FieldType.SEQNUM: case FieldType.LENGTH: case FieldType.NUMINGROUP:
      return { kind: 'int', value: int(r, 0, 2_000_000_000) };
    case FieldType.DAYOFMONTH: return { kind: 'int', value: int(r, 1, 31) };
    case FieldType.FLOAT: case FieldType.QTY: case FieldType.PRICE: case FieldType.PRICEOFFSET:
    case FieldType.AMT: case FieldType.PERCENTAGE: {
      const digits = int(r, 1, 15);
      const mantissa = Math.floor(r() * 10 ** digits) * (r() < 0.2 ? -1 : 1);
      return { kind: 'decimal', mantissa, scale: int(r, 0, 10) };
    }
    case FieldType.UTCTIMESTAMP: {
      const precision = ([0, 3, 6] as const)[int(r, 0, 2)]!;
      return { kind: 'ts', micros: int(r, MIN_MICROS, MAX_MICROS), precision };
    }
    case FieldType.UTCTIMEONLY:
      return { kind: 'str', text: `${pad(int(r, 0, 23), 2)}:${pad(int(r, 0, 59), 2)}:${pad(int(r, 0, 59), 2)}.${pad(int(r, 0, 999), 3)}` };
    case FieldType.UTCDATEONLY: case FieldType.LOCALMKTDATE:
      return { kind: 'str', text: `${pad(int(r, 1970, 2199), 4)}${pad(int(r, 1, 12), 2)}${pad(int(r, 1, 28), 2)}` };
    case FieldType.MONTHYEAR: return { kind: 'str', text: `${pad(int(r, 1970, 2199), 4)}${pad(int(r, 1, 12), 2)}` };
    case FieldType.CURRENCY: return { kind: 'str', text: printable(r, 3, 3).replace(/ /g, 'X') };
    default: return { kind: 'str', text: printable(r, 1, 16) };
  }
}

function randomData(r: () => number, withSoh: boolean): Uint8Array {
  const n = int(r, 1, 40);
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = withSoh && r() < 0.2 ? 0x01 : int(r, 0x02, 255);
  return b;
}

class Builder {
  readonly lenOf: Map<number, number>;
  constructor(readonly dict: FixDictionary, readonly r: () => number, readonly density: number, readonly dataWithSoh: boolean) {
    this.lenOf = lengthTags(dict);
  }

  /** Fields of one section in dictionary order; returns top-level groups that can be counted reliably. */
  section(sec: SectionDef, out: GenField[], depth: number, skipFirst: boolean, groupsOut: GenGroup[] | null): void {
    const r = this.r;
    const dataLengthTags = new Set<number>();
    for (const t of sec.order) { const d = this.dict.dataTagOfLength[t] ?? 0; if (d !== 0 && sec.fields.has(d)) dataLengthTags.add(t); }
    const pendingGroups: { g: GroupDef; count: number; at: number }[] = [];
    sec.order.forEach((tag, idx) => {
      if (skipFirst && idx === 0) return;
      const group = sec.groups.get(tag);
      if (group) {
        if (depth >= 3 || r() >= this.density * 1.5) return;
        const count = int(r, 1, 3);
        out.push({ tag, value: { kind: 'int', value: count } });
        for (let k = 0; k < count; k++) {
          out.push({ tag: group.delimiter, value: randomValue(this.dict, group.delimiter, r) });
          this.section(group, out, depth + 1, true, null);
        }
        pendingGroups.push({ g: group, count, at: out.length });
        return;
      }
      const type = this.dict.fieldType(tag);
      if (dataLengthTags.has(tag)) return; // written with its DATA field
      if (type === FieldType.DATA) {
        const lenTag = this.lenOf.get(tag);
        if (lenTag === undefined || !sec.fields.has(lenTag) || r() >= this.density * 2) return;
        const bytes = randomData(r, this.dataWithSoh);
        out.push({ tag: lenTag, value: { kind: 'int', value: bytes.length } });
        out.push({ tag, value: { kind: 'bytes', bytes } });
        return;
      }
      if (r() < this.density) out.push({ tag, value: randomValue(this.dict, tag, r) });
    });
    if (groupsOut) {
      for (const pg of pendingGroups) {
        // Countable only if nothing after the group could be read as part of it.
        const after = out.slice(pg.at);
        if (after.length > 0 && pg.g.allTags.has(after[0]!.tag)) continue;
        groupsOut.push({ countTag: pg.g.countTag, count: pg.count });
      }
    }
  }
}

/** `dataWithSoh: false` keeps SOH out of DATA values (for peers that cannot parse them). */
export function buildMessage(dict: FixDictionary, def: MessageDef, seed: number, dataWithSoh = true): GenMessage {
  const r = prng(seed);
  const density = [0.05, 0.2, 0.5][int(r, 0, 2)]!;
  const b = new Builder(dict, r, density, dataWithSoh);
  const body: GenField[] = [];
  const groups: GenGroup[] = [];
  b.section(def, body, 0, false, groups);
  return { msgType: def.msgType, seqNum: int(r, 1, 2_000_000_000), sendingTime: int(r, MIN_MICROS, MAX_MICROS), body, groups };
}

export function allMessageDefs(dict: FixDictionary = getDictionary()): MessageDef[] {
  return [...dict.allMessages()];
}

/** A random message of a random type of the Kraken profile dictionary. */
export function arbMessage(dict: FixDictionary = getDictionary()): fc.Arbitrary<GenMessage> {
  const defs = allMessageDefs(dict);
  return fc.record({ i: fc.nat({ max: defs.length - 1 }), seed: fc.integer() })
    .map(({ i, seed }) => buildMessage(dict, defs[i]!, seed));
}

/** Encodes with the codec's encoder; returns a copy of the bytes. */
export function encodeMessage(enc: FixEncoder, m: GenMessage): Uint8Array {
  enc.begin(msgTypeCode(m.msgType), m.seqNum, m.sendingTime);
  for (const f of m.body) writeField(enc, f);
  enc.finish();
  return enc.message().slice();
}

export function writeField(enc: FixEncoder, f: GenField): void {
  const v = f.value;
  switch (v.kind) {
    case 'str': enc.str(f.tag, v.text); break;
    case 'int': enc.int(f.tag, v.value); break;
    case 'char': enc.char(f.tag, v.code); break;
    case 'decimal': enc.decimal(f.tag, v.mantissa, v.scale); break;
    case 'ts': enc.timestamp(f.tag, v.micros, v.precision); break;
    case 'bytes': enc.bytes(f.tag, v.bytes); break;
  }
}

/** The value as the bytes on the wire (latin1 string). */
export function wireText(v: GenValue): string {
  switch (v.kind) {
    case 'str': return v.text;
    case 'int': return String(v.value);
    case 'char': return String.fromCharCode(v.code);
    case 'decimal': return formatDecimal(v.mantissa, v.scale);
    case 'ts': return formatUtcTimestamp(v.micros, v.precision);
    case 'bytes': return Buffer.from(v.bytes).toString('latin1');
  }
}

/** Expected [tag, value] list between BodyLength and CheckSum (header as FixEncoder.begin writes it). */
export function expectedFields(m: GenMessage, sender = SENDER, target = TARGET): [number, string][] {
  return [
    [35, m.msgType], [34, String(m.seqNum)], [49, sender],
    [52, formatUtcTimestamp(m.sendingTime, 3)], [56, target],
    ...m.body.map((f): [number, string] => [f.tag, wireText(f.value)]),
  ];
}

export function newEncoder(): FixEncoder {
  return new FixEncoder({ senderCompID: SENDER, targetCompID: TARGET, capacity: 1 << 20 });
}
