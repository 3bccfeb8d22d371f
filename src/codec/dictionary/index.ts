/**
 * Runtime view of the generated FIX 4.4 dictionary: lookup tables for the parser (data fields, groups)
 * and for the session's validation. Built once per profile: plain FIX 4.4 (what the QuickFIX
 * acceptance tests expect) or FIX 4.4 plus Kraken's custom fields and values.
 */
import { FIELD_DEFS, HEADER_DEF, MESSAGE_DEFS, TRAILER_DEF } from './fix44.generated.js';

export * from './fix44.generated.js';

/** Field type codes, as emitted by scripts/gen-dictionary.ts. */
export const FieldType = {
  STRING: 0, CHAR: 1, INT: 2, LENGTH: 3, NUMINGROUP: 4, SEQNUM: 5, BOOLEAN: 6, FLOAT: 7, QTY: 8, PRICE: 9,
  PRICEOFFSET: 10, AMT: 11, PERCENTAGE: 12, UTCTIMESTAMP: 13, UTCTIMEONLY: 14, UTCDATEONLY: 15,
  LOCALMKTDATE: 16, MONTHYEAR: 17, MULTIPLEVALUESTRING: 18, DATA: 19, CURRENCY: 20, EXCHANGE: 21,
  COUNTRY: 22, DAYOFMONTH: 23,
} as const;
export const FIELD_TYPE_NAMES = Object.keys(FieldType);
export const UNKNOWN_FIELD = 255;

const REQUIRED = 1;
const KRAKEN = 2;
/** Required by FIX 4.4 but not by Kraken (the Kraken profile relaxes it). */
const KRAKEN_OPTIONAL = 4;

type RawEntry = readonly [number, number] | readonly [number, number, readonly RawEntry[]];

/** Fields and groups at one level of a message (the body, or one group instance). */
export interface SectionDef {
  /** Tags allowed directly at this level, including group count tags. */
  readonly fields: ReadonlySet<number>;
  /** Tags required at this level, in dictionary order. */
  readonly required: readonly number[];
  /** Groups at this level by their NumInGroup tag. */
  readonly groups: ReadonlyMap<number, GroupDef>;
  /** Dictionary order of the tags at this level (for order checks and pretty-printing). */
  readonly order: readonly number[];
}

export interface GroupDef extends SectionDef {
  readonly countTag: number;
  /** First field of every instance. */
  readonly delimiter: number;
  /** Every tag that may appear inside an instance, nested groups included: the group ends at the first other tag. */
  readonly allTags: ReadonlySet<number>;
}

export interface MessageDef extends SectionDef {
  readonly msgType: string;
  readonly name: string;
  readonly admin: boolean;
}

export interface DictionaryOptions {
  /** Include Kraken's custom fields, values and message members. */
  kraken: boolean;
}

export class FixDictionary {
  readonly maxTag: number;
  /** FieldType code per tag; UNKNOWN_FIELD where the tag is not defined. */
  readonly fieldTypes: Uint8Array;
  /** For a LENGTH tag, the DATA tag whose byte count it gives (0 when none). */
  readonly dataTagOfLength: Int32Array;
  readonly header: SectionDef;
  readonly trailer: SectionDef;
  private readonly names = new Map<number, string>();
  private readonly tagsByName = new Map<string, number>();
  private readonly enums = new Map<number, Map<string, string>>();
  private readonly messages = new Map<string, MessageDef>();

  constructor(readonly options: DictionaryOptions) {
    const include = (flags: number) => options.kraken || (flags & KRAKEN) === 0;
    let maxTag = 0;
    for (const [tag, , , flags] of FIELD_DEFS) if (include(flags) && tag > maxTag) maxTag = tag;
    this.maxTag = maxTag;
    this.fieldTypes = new Uint8Array(maxTag + 1).fill(UNKNOWN_FIELD);
    this.dataTagOfLength = new Int32Array(maxTag + 1);
    for (const [tag, name, type, flags, values] of FIELD_DEFS) {
      if (!include(flags)) continue;
      this.fieldTypes[tag] = type;
      this.names.set(tag, name);
      this.tagsByName.set(name, tag);
      const vals = values.filter(([, , f]) => include(f));
      if (vals.length > 0) this.enums.set(tag, new Map(vals.map(([v, n]) => [v, n])));
    }
    // Length fields are named after their data field (RawDataLength/RawData, EncodedTextLen/EncodedText).
    for (const [tag, name, type, flags] of FIELD_DEFS) {
      if (type !== FieldType.LENGTH || !include(flags)) continue;
      const dataTag = this.tagsByName.get(name.replace(/Len(gth)?$/, ''));
      if (dataTag !== undefined && this.fieldTypes[dataTag] === FieldType.DATA) this.dataTagOfLength[tag] = dataTag;
    }
    const required = (flags: number) => (flags & REQUIRED) !== 0 && !(options.kraken && (flags & KRAKEN_OPTIONAL) !== 0);
    this.header = section(HEADER_DEF as readonly RawEntry[], include, required);
    this.trailer = section(TRAILER_DEF as readonly RawEntry[], include, required);
    for (const [msgType, name, admin, entries] of MESSAGE_DEFS) {
      this.messages.set(msgType, { msgType, name, admin, ...section(entries as readonly RawEntry[], include, required) });
    }
  }

  isDefined(tag: number): boolean {
    return tag > 0 && tag <= this.maxTag && this.fieldTypes[tag] !== UNKNOWN_FIELD;
  }
  fieldType(tag: number): number {
    return tag > 0 && tag <= this.maxTag ? this.fieldTypes[tag]! : UNKNOWN_FIELD;
  }
  fieldName(tag: number): string | undefined {
    return this.names.get(tag);
  }
  tagOf(name: string): number | undefined {
    return this.tagsByName.get(name);
  }
  /** Enum values of a field (value -> name), or undefined when the field is not enumerated. */
  enumValues(tag: number): ReadonlyMap<string, string> | undefined {
    return this.enums.get(tag);
  }
  enumName(tag: number, value: string): string | undefined {
    return this.enums.get(tag)?.get(value);
  }
  message(msgType: string): MessageDef | undefined {
    return this.messages.get(msgType);
  }
  allMessages(): IterableIterator<MessageDef> {
    return this.messages.values();
  }
  isHeaderTag(tag: number): boolean {
    return this.header.fields.has(tag) || headerGroupTag(this.header, tag);
  }
  isTrailerTag(tag: number): boolean {
    return this.trailer.fields.has(tag);
  }
}

function headerGroupTag(header: SectionDef, tag: number): boolean {
  for (const g of header.groups.values()) if (g.allTags.has(tag)) return true;
  return false;
}

type FlagTest = (flags: number) => boolean;

function section(entries: readonly RawEntry[], include: FlagTest, isRequired: FlagTest): SectionDef {
  const fields = new Set<number>();
  const required: number[] = [];
  const order: number[] = [];
  const groups = new Map<number, GroupDef>();
  for (const e of entries) {
    const [tag, flags] = e;
    if (!include(flags)) continue;
    fields.add(tag);
    order.push(tag);
    if (isRequired(flags)) required.push(tag);
    if (e.length === 3) groups.set(tag, group(tag, e[2], include, isRequired));
  }
  return { fields, required, groups, order };
}

function group(countTag: number, entries: readonly RawEntry[], include: FlagTest, isRequired: FlagTest): GroupDef {
  const s = section(entries, include, isRequired);
  const allTags = new Set<number>(s.fields);
  for (const g of s.groups.values()) for (const t of g.allTags) allTags.add(t);
  return { ...s, countTag, delimiter: s.order[0]!, allTags };
}

const cache = new Map<boolean, FixDictionary>();

/** Shared dictionary instance per profile (building it walks every message once). */
export function getDictionary(options: DictionaryOptions = { kraken: true }): FixDictionary {
  let d = cache.get(options.kraken);
  if (!d) {
    d = new FixDictionary(options);
    cache.set(options.kraken, d);
  }
  return d;
}
