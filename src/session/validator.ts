/**
 * Dictionary validation of one inbound message, in QuickFIX's order so the first problem reported
 * is the one its acceptance tests expect: structure (header, body, trailer) -> MsgType -> required
 * tags -> per field: repeated, empty, data format, enum value, defined tag, allowed in this message,
 * NumInGroup count. Everything it needs is precomputed per dictionary; a valid message costs a few
 * typed-array lookups per field and allocates nothing (multi-character enum values aside).
 */
import { FieldType, UNKNOWN_FIELD, parseUtcTimestamp } from '../codec/index.js';
import type { FixDictionary, GroupDef, MessageDef, MessageView } from '../codec/index.js';
import { RejectReason } from './reject.js';

export interface ValidatorOptions {
  checkFieldsHaveValues?: boolean;
  checkFieldsOutOfOrder?: boolean;
  checkUserDefinedFields?: boolean;
}

const USER_MIN = 5000;
const SOH = 0x01;
const SPACE = 0x20;

interface CompiledMessage {
  def: MessageDef;
  requiredSorted: Int32Array;
}

/** Enum of one tag: single-character values in a 128-bit mask, longer ones in a set. */
interface CompiledEnum {
  mask: Uint32Array;
  strings: Set<string> | null;
  multi: boolean;
}

export class MessageValidator {
  /** SessionRejectReason of the last failure, -1 when valid. */
  reason = -1;
  /** RefTagID of the last failure, 0 when none applies. */
  refTag = 0;

  private readonly checkValues: boolean;
  private readonly checkOrder: boolean;
  private readonly checkUserDefined: boolean;
  private readonly messages = new Map<number, CompiledMessage>();
  private readonly headerRequired: Int32Array;
  private readonly trailerRequired: Int32Array;
  private readonly headerTag: Uint8Array;
  private readonly trailerTag: Uint8Array;
  private readonly enums: (CompiledEnum | undefined)[];
  private readonly seen: Uint32Array;
  private generation = 0;

  constructor(private readonly dictionary: FixDictionary, options: ValidatorOptions = {}) {
    this.checkValues = options.checkFieldsHaveValues ?? true;
    this.checkOrder = options.checkFieldsOutOfOrder ?? true;
    this.checkUserDefined = options.checkUserDefinedFields ?? true;
    const maxTag = dictionary.maxTag;
    this.headerTag = new Uint8Array(maxTag + 1);
    this.trailerTag = new Uint8Array(maxTag + 1);
    for (let t = 1; t <= maxTag; t++) {
      if (dictionary.isHeaderTag(t)) this.headerTag[t] = 1;
      if (dictionary.isTrailerTag(t)) this.trailerTag[t] = 1;
    }
    this.headerRequired = Int32Array.from(dictionary.header.required).sort();
    this.trailerRequired = Int32Array.from(dictionary.trailer.required).sort();
    for (const def of dictionary.allMessages()) {
      const code = def.msgType.length === 1 ? def.msgType.charCodeAt(0) : def.msgType.charCodeAt(0) * 256 + def.msgType.charCodeAt(1);
      this.messages.set(code, { def, requiredSorted: Int32Array.from(def.required).sort() });
    }
    this.enums = new Array(maxTag + 1);
    for (let t = 1; t <= maxTag; t++) {
      const values = dictionary.enumValues(t);
      if (!values || values.size === 0) continue;
      const mask = new Uint32Array(4);
      let strings: Set<string> | null = null;
      for (const v of values.keys()) {
        if (v.length === 1 && v.charCodeAt(0) < 128) mask[v.charCodeAt(0) >>> 5]! |= 1 << (v.charCodeAt(0) & 31);
        else (strings ??= new Set()).add(v);
      }
      this.enums[t] = { mask, strings, multi: dictionary.fieldType(t) === FieldType.MULTIPLEVALUESTRING };
    }
    this.seen = new Uint32Array(maxTag + 1);
  }

  /** The dictionary definition of a MsgType code, if any. */
  messageDef(msgTypeCode: number): MessageDef | undefined {
    return this.messages.get(msgTypeCode)?.def;
  }

  /** True when valid; otherwise `reason` and `refTag` say why. */
  validate(view: MessageView): boolean {
    this.reason = -1;
    this.refTag = 0;
    const last = view.count - 1; // CheckSum
    // 1. Structure: header fields first, then body, then trailer.
    if (this.checkOrder) {
      let section = 0; // 0 header, 1 body, 2 trailer
      for (let i = 3; i < last; i++) {
        const t = view.tags[i]!;
        if (this.isHeader(t)) {
          if (section !== 0) return this.fail(RejectReason.TAG_OUT_OF_ORDER, t);
        } else if (this.isTrailer(t)) {
          section = 2;
        } else {
          if (section === 2) return this.fail(RejectReason.TAG_OUT_OF_ORDER, t);
          section = 1;
        }
      }
    }
    // 2. MsgType known to the dictionary.
    const compiled = this.messages.get(view.msgTypeCode);
    if (compiled === undefined) return this.fail(RejectReason.INVALID_MSGTYPE, 0);
    // 3. Required tags, lowest tag number first (QuickFIX keeps them in ordered sets).
    if (!this.hasAll(view, this.headerRequired) || !this.hasAll(view, this.trailerRequired) || !this.hasAll(view, compiled.requiredSorted)) return false;
    // 4. Fields: header and trailer first (as QuickFIX iterates them), then the body with its groups.
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) { this.seen.fill(0); this.generation = 1; }
    for (let i = 3; i < last; i++) {
      const t = view.tags[i]!;
      if (this.isHeader(t) || this.isTrailer(t)) {
        if (!this.checkField(view, i, t, true)) return false;
      }
    }
    const def = compiled.def;
    let i = 3;
    while (i < last) {
      const t = view.tags[i]!;
      if (this.isHeader(t) || this.isTrailer(t)) { i++; continue; }
      if (!this.checkField(view, i, t, true)) return false;
      if (!this.checkUserDefined && t >= USER_MIN) { i++; continue; }
      if (!this.dictionary.isDefined(t)) return this.fail(RejectReason.INVALID_TAG_NUMBER, t);
      if (!def.fields.has(t)) return this.fail(RejectReason.TAG_NOT_DEFINED_FOR_MESSAGE, t);
      const group = def.groups.get(t);
      i = group === undefined ? i + 1 : this.checkGroup(view, i, group, last);
      if (i < 0) return false;
    }
    return true;
  }

  private isHeader(t: number): boolean {
    return t > 0 && t < this.headerTag.length && this.headerTag[t] === 1;
  }

  private isTrailer(t: number): boolean {
    return t > 0 && t < this.trailerTag.length && this.trailerTag[t] === 1;
  }

  private hasAll(view: MessageView, required: Int32Array): boolean {
    for (let k = 0; k < required.length; k++) {
      if (view.indexOf(required[k]!) < 0) return this.fail(RejectReason.REQUIRED_TAG_MISSING, required[k]!);
    }
    return true;
  }

  /**
   * Walks the instances of the group whose NumInGroup is at index `at`; returns the index after
   * the group, or -1 on failure. Instances start at the delimiter; the group ends at the first tag
   * that does not belong to it.
   */
  private checkGroup(view: MessageView, at: number, group: GroupDef, last: number): number {
    const declared = view.intAt(at);
    let instances = 0;
    let i = at + 1;
    // Tags repeat legitimately across instances: track repeats within one instance only.
    let instanceStart = i;
    while (i < last) {
      const t = view.tags[i]!;
      if (!group.allTags.has(t)) break;
      if (t === group.delimiter) { instances++; instanceStart = i; }
      else if (instances === 0) break; // a group field before any delimiter ends the group (QuickFIX)
      if (!this.checkField(view, i, t, false)) return -1;
      for (let k = instanceStart; k < i; k++) {
        if (view.tags[k] === t && t !== group.delimiter) return this.failIdx(RejectReason.TAG_APPEARS_MORE_THAN_ONCE, t);
      }
      const nested = group.groups.get(t);
      if (nested !== undefined) {
        i = this.checkGroup(view, i, nested, last);
        if (i < 0) return -1;
      } else {
        i++;
      }
    }
    if (declared !== instances) return this.failIdx(RejectReason.INCORRECT_NUMINGROUP_COUNT, group.countTag);
    return i;
  }

  /** Repeated (top level only), empty, data format and enum value of field i. */
  private checkField(view: MessageView, i: number, t: number, topLevel: boolean): boolean {
    if (topLevel && t > 0 && t < this.seen.length) {
      if (this.seen[t] === this.generation) return this.fail(RejectReason.TAG_APPEARS_MORE_THAN_ONCE, t);
      this.seen[t] = this.generation;
    }
    const len = view.lengths[i]!;
    if (len === 0) {
      if (this.checkValues) return this.fail(RejectReason.TAG_WITHOUT_VALUE, t);
      return true;
    }
    const type = this.dictionary.fieldType(t);
    if (type === UNKNOWN_FIELD) return true;
    if (!validFormat(view.buffer, view.offsets[i]!, len, type)) return this.fail(RejectReason.INCORRECT_DATA_FORMAT, t);
    const e = this.enums[t];
    if (e !== undefined && !enumOk(e, view, i)) return this.fail(RejectReason.VALUE_INCORRECT, t);
    return true;
  }

  private fail(reason: number, tag: number): false {
    this.reason = reason;
    this.refTag = tag;
    return false;
  }

  private failIdx(reason: number, tag: number): number {
    this.reason = reason;
    this.refTag = tag;
    return -1;
  }
}

function enumOk(e: CompiledEnum, view: MessageView, i: number): boolean {
  const buf = view.buffer;
  const off = view.offsets[i]!;
  const len = view.lengths[i]!;
  if (!e.multi) return oneValueOk(e, view, buf, off, len);
  let start = off;
  const end = off + len;
  for (let p = off; p <= end; p++) {
    if (p === end || buf[p] === SPACE) {
      if (p > start && !oneValueOk(e, view, buf, start, p - start)) return false;
      start = p + 1;
    }
  }
  return true;
}

function oneValueOk(e: CompiledEnum, view: MessageView, buf: Uint8Array, off: number, len: number): boolean {
  if (len === 1) {
    const c = buf[off]!;
    return c < 128 && (e.mask[c >>> 5]! & (1 << (c & 31))) !== 0;
  }
  if (e.strings === null) return false;
  return e.strings.has(Buffer.from(buf.buffer, buf.byteOffset + off, len).toString('latin1'));
}

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

/** Syntax of a value of a FIX type, as QuickFIX's converters accept it. */
export function validFormat(buf: Uint8Array, off: number, len: number, type: number): boolean {
  const end = off + len;
  switch (type) {
    case FieldType.INT:
    case FieldType.LENGTH:
    case FieldType.NUMINGROUP:
    case FieldType.SEQNUM:
    case FieldType.DAYOFMONTH: {
      let p = off;
      if (buf[p] === 0x2d) p++;
      if (p === end) return false;
      for (; p < end; p++) if (!isDigit(buf[p]!)) return false;
      return true;
    }
    case FieldType.FLOAT:
    case FieldType.QTY:
    case FieldType.PRICE:
    case FieldType.PRICEOFFSET:
    case FieldType.AMT:
    case FieldType.PERCENTAGE: {
      let p = off;
      if (buf[p] === 0x2d) p++;
      let digits = 0;
      let dot = false;
      for (; p < end; p++) {
        const b = buf[p]!;
        if (isDigit(b)) digits++;
        else if (b === 0x2e && !dot) dot = true;
        else return false;
      }
      return digits > 0;
    }
    case FieldType.CHAR:
      return len === 1 && buf[off] !== SOH;
    case FieldType.BOOLEAN:
      return len === 1 && (buf[off] === 0x59 || buf[off] === 0x4e);
    case FieldType.UTCTIMESTAMP: {
      const micros = parseUtcTimestamp(buf, off, len);
      return micros === micros; // not NaN
    }
    case FieldType.UTCTIMEONLY:
      return validTimeOnly(buf, off, len);
    case FieldType.UTCDATEONLY: {
      if (len !== 8) return false;
      for (let p = off; p < end; p++) if (!isDigit(buf[p]!)) return false;
      return true;
    }
    default:
      return true;
  }
}

function validTimeOnly(buf: Uint8Array, off: number, len: number): boolean {
  if (len < 8 || buf[off + 2] !== 0x3a || buf[off + 5] !== 0x3a) return false;
  for (const k of [0, 1, 3, 4, 6, 7]) if (!isDigit(buf[off + k]!)) return false;
  if (len === 8) return true;
  if (buf[off + 8] !== 0x2e || len === 9) return false;
  for (let p = off + 9; p < off + len; p++) if (!isDigit(buf[p]!)) return false;
  return true;
}

