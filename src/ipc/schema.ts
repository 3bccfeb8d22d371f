/**
 * The binary record schema shared by the hot-path worker and strategy workers, declared once.
 *
 * Every record is: a 40-byte header, a fixed part (one layout per record type, offsets below), then an
 * overflow area holding the variable parts (ClOrdID, symbol, Text ...) as [u16 length][bytes] entries.
 * Each variable field has a u16 slot in the fixed part holding the entry's offset from the record start
 * (0 = absent). Records are 8-byte aligned, so f64 fields are read through a Float64Array without
 * DataView; all multi-byte values use the platform's byte order (both ends share one machine).
 *
 * Prices and quantities are exact decimals: a mantissa (f64 holding a safe integer) plus an i8 scale
 * (value = mantissa / 10^scale), never binary floating point. FIX enumerations are stored as the FIX
 * char code (ExecType '0' -> 0x30) so no mapping table sits between the codec and the schema; book
 * sides/actions use the numeric codes of src/book (MDEntryType 0/1, MDUpdateAction 0/1/2).
 */

export type FieldKind =
  | 'u8' // unsigned byte
  | 'i8' // signed byte
  | 'char' // FIX char code (u8)
  | 'u16'
  | 'u32'
  | 'f64'
  | 'mantissa' // f64 holding a safe integer; needs a sibling `<name>Scale` field of kind 'scale'
  | 'scale' // i8, the power of ten dividing the mantissa
  | 'var'; // u16 offset (from record start) of a [u16 len][bytes] overflow entry; 0 = absent

export const FIELD_SIZE: Readonly<Record<FieldKind, number>> = {
  u8: 1, i8: 1, char: 1, u16: 2, u32: 4, f64: 8, mantissa: 8, scale: 1, var: 2,
};

export type FieldTable = Readonly<Record<string, readonly [FieldKind, number]>>;

export interface RecordDef {
  readonly type: number;
  /** Bytes from record start to the overflow area (header included). Multiple of 8 (zeroed as f64s). */
  readonly fixedSize: number;
  readonly fields: FieldTable;
}

export const HEADER_SIZE = 40;
export const RECORD_ALIGN = 8;
/** Var-field offsets are u16, so no record may be longer than this (also bounded by queue capacity). */
export const MAX_RECORD_SIZE = 65528;

/** Header fields, common to every record type. */
export const HEADER = {
  recordType: ['u16', 0],
  flags: ['u16', 2],
  /** Total record bytes (header + fixed + overflow + padding to 8). */
  length: ['u32', 4],
  seqLo: ['u32', 8],
  seqHi: ['u32', 12],
  /** Monotonic ns (see clock.ts): socket read that delivered the bytes, parse end, queue commit. */
  tSocketRead: ['f64', 16],
  tParseDone: ['f64', 24],
  tEnqueued: ['f64', 32],
} as const satisfies FieldTable;

/** Record-level flags (header `flags`). */
export const RecordFlag = {
  /** FIX PossDupFlag(43)=Y on the source message. */
  PossDup: 1,
  /** Replayed from the journal (resend), not live. */
  Replay: 2,
  /** Last record of a multi-record FIX message (e.g. the final MD entry of one W/X). */
  LastInMessage: 4,
} as const;

/** Type codes. 0 is reserved for ring padding; events < 16 <= commands. */
export const RecordType = {
  Padding: 0,
  ExecutionReport: 1,
  BookUpdate: 2,
  Trade: 3,
  SessionStatus: 4,
  Reject: 5,
  Place: 16,
  Cancel: 17,
  Amend: 18,
  MassCancel: 19,
  Status: 20,
} as const;
export type RecordType = (typeof RecordType)[keyof typeof RecordType];

/** The table both sides agree on. Edit offsets here only; validateSchema() runs at module load. */
export const SCHEMA = {
  ExecutionReport: {
    type: RecordType.ExecutionReport,
    fixedSize: 136,
    fields: {
      price: ['mantissa', 40],
      orderQty: ['mantissa', 48],
      cumQty: ['mantissa', 56],
      leavesQty: ['mantissa', 64],
      avgPx: ['mantissa', 72],
      lastPx: ['mantissa', 80],
      lastQty: ['mantissa', 88],
      /** TransactTime(60) as ms since the Unix epoch (fractional ms allowed). */
      transactTimeMs: ['f64', 96],
      instrumentId: ['u32', 104],
      priceScale: ['scale', 108],
      orderQtyScale: ['scale', 109],
      cumQtyScale: ['scale', 110],
      leavesQtyScale: ['scale', 111],
      avgPxScale: ['scale', 112],
      lastPxScale: ['scale', 113],
      lastQtyScale: ['scale', 114],
      execType: ['char', 116],
      ordStatus: ['char', 117],
      side: ['char', 118],
      ordType: ['char', 119],
      timeInForce: ['char', 120],
      clOrdID: ['var', 122],
      orderID: ['var', 124],
      execID: ['var', 126],
      text: ['var', 128],
      symbol: ['var', 130],
      origClOrdID: ['var', 132],
    },
  },
  BookUpdate: {
    type: RecordType.BookUpdate,
    fixedSize: 80,
    fields: {
      price: ['mantissa', 40],
      qty: ['mantissa', 48],
      /** L3 order id when numeric (0 = none / L2). */
      orderId: ['f64', 56],
      instrumentId: ['u32', 64],
      /** L2 level index (0 = best), 0xffff when not applicable. */
      level: ['u16', 68],
      /** MDEntryType(269): 0 bid, 1 offer. */
      side: ['u8', 70],
      /** MDUpdateAction(279): 0 new, 1 change, 2 delete. */
      action: ['u8', 71],
      priceScale: ['scale', 72],
      qtyScale: ['scale', 73],
    },
  },
  Trade: {
    type: RecordType.Trade,
    fixedSize: 80,
    fields: {
      price: ['mantissa', 40],
      qty: ['mantissa', 48],
      tradeTimeMs: ['f64', 56],
      instrumentId: ['u32', 64],
      /** Side(54) of the aggressor as a FIX char, 0 when unknown. */
      aggressorSide: ['char', 68],
      priceScale: ['scale', 69],
      qtyScale: ['scale', 70],
      tradeId: ['var', 72],
    },
  },
  SessionStatus: {
    type: RecordType.SessionStatus,
    fixedSize: 64,
    fields: {
      /** Last MsgSeqNum(34) received / sent. */
      msgSeqNumIn: ['f64', 40],
      msgSeqNumOut: ['f64', 48],
      sessionIndex: ['u16', 56],
      /** SessionState below. */
      state: ['u8', 58],
      /** SessionEvent below: what made the state change. */
      event: ['u8', 59],
      text: ['var', 60],
    },
  },
  Reject: {
    type: RecordType.Reject,
    fixedSize: 72,
    fields: {
      refSeqNum: ['f64', 40],
      /** SessionRejectReason(373), BusinessRejectReason(380) or CxlRejReason(102), per msgType. */
      rejectReason: ['u32', 48],
      refTagID: ['u32', 52],
      /** MsgType(35) of the reject itself: '3', 'j' or '9'. */
      msgType: ['char', 56],
      /** CxlRejResponseTo(434) for '9'. */
      cxlRejResponseTo: ['char', 57],
      ordStatus: ['char', 58],
      clOrdID: ['var', 60],
      origClOrdID: ['var', 62],
      orderID: ['var', 64],
      text: ['var', 66],
      refMsgType: ['var', 68],
    },
  },
  Place: {
    type: RecordType.Place,
    fixedSize: 104,
    fields: {
      price: ['mantissa', 40],
      orderQty: ['mantissa', 48],
      stopPx: ['mantissa', 56],
      displayQty: ['mantissa', 64],
      /** ExpireTime(126) as ms since the Unix epoch, 0 = none. */
      expireTimeMs: ['f64', 72],
      instrumentId: ['u32', 80],
      priceScale: ['scale', 84],
      orderQtyScale: ['scale', 85],
      stopPxScale: ['scale', 86],
      displayQtyScale: ['scale', 87],
      side: ['char', 88],
      ordType: ['char', 89],
      timeInForce: ['char', 90],
      /** StpMode below. */
      stpMode: ['u8', 91],
      /** OrderFlag bits below (ExecInst 18 on the wire). */
      orderFlags: ['u16', 92],
      clOrdID: ['var', 94],
      symbol: ['var', 96],
    },
  },
  Cancel: {
    type: RecordType.Cancel,
    fixedSize: 56,
    fields: {
      instrumentId: ['u32', 40],
      side: ['char', 44],
      clOrdID: ['var', 46],
      origClOrdID: ['var', 48],
      orderID: ['var', 50],
      symbol: ['var', 52],
    },
  },
  Amend: {
    type: RecordType.Amend,
    fixedSize: 88,
    fields: {
      price: ['mantissa', 40],
      orderQty: ['mantissa', 48],
      displayQty: ['mantissa', 56],
      instrumentId: ['u32', 64],
      priceScale: ['scale', 68],
      orderQtyScale: ['scale', 69],
      displayQtyScale: ['scale', 70],
      side: ['char', 71],
      ordType: ['char', 72],
      timeInForce: ['char', 73],
      clOrdID: ['var', 74],
      origClOrdID: ['var', 76],
      orderID: ['var', 78],
      symbol: ['var', 80],
    },
  },
  MassCancel: {
    type: RecordType.MassCancel,
    fixedSize: 56,
    fields: {
      /** 0 with massCancelRequestType '7' = all instruments. */
      instrumentId: ['u32', 40],
      /** MassCancelRequestType(530): '1' by security, '7' all orders. */
      massCancelRequestType: ['char', 44],
      /** Side(54) filter, 0 = both. */
      side: ['char', 45],
      clOrdID: ['var', 46],
      symbol: ['var', 48],
    },
  },
  Status: {
    type: RecordType.Status,
    fixedSize: 56,
    fields: {
      instrumentId: ['u32', 40],
      side: ['char', 44],
      clOrdID: ['var', 46],
      orderID: ['var', 48],
      symbol: ['var', 50],
    },
  },
} as const satisfies Readonly<Record<string, RecordDef>>;

export type RecordName = keyof typeof SCHEMA;

/** Field name -> byte offset from record start, for one record type (header fields included). */
export type Offsets<R extends RecordDef> = { readonly [K in keyof R['fields'] | keyof typeof HEADER]: number };

function offsetsOf<R extends RecordDef>(def: R): Offsets<R> {
  const out: Record<string, number> = {};
  for (const [name, [, off]] of Object.entries(HEADER)) out[name] = off;
  for (const [name, [, off]] of Object.entries(def.fields)) out[name] = off;
  return Object.freeze(out) as Offsets<R>;
}

/** Offset maps used by the flyweights; short names because they appear on every accessor line. */
export const ER = offsetsOf(SCHEMA.ExecutionReport);
export const BU = offsetsOf(SCHEMA.BookUpdate);
export const TR = offsetsOf(SCHEMA.Trade);
export const SS = offsetsOf(SCHEMA.SessionStatus);
export const RJ = offsetsOf(SCHEMA.Reject);
export const PL = offsetsOf(SCHEMA.Place);
export const CX = offsetsOf(SCHEMA.Cancel);
export const AM = offsetsOf(SCHEMA.Amend);
export const MC = offsetsOf(SCHEMA.MassCancel);
export const ST = offsetsOf(SCHEMA.Status);

/** Indexed by record type code: fixed size and number of var fields (0 for unknown codes). */
export const FIXED_SIZE = new Uint16Array(256);
export const VAR_COUNT = new Uint8Array(256);
/** Var slot offsets per type, so a writer can zero them without knowing the type statically. */
const VAR_SLOTS: number[][] = [];
const TYPE_NAMES: string[] = [];

export function recordTypeName(type: number): string {
  return TYPE_NAMES[type] ?? `Unknown(${type})`;
}

export function varSlotsOf(type: number): readonly number[] {
  return VAR_SLOTS[type] ?? [];
}

/** Bytes to claim for a record of `type` whose variable fields total `varPayloadBytes` (without prefixes). */
export function recordSize(type: number, varPayloadBytes = 0): number {
  const fixed = FIXED_SIZE[type]!;
  if (fixed === 0) throw new RangeError(`recordSize: unknown record type ${type}`);
  // Each var entry: 2-byte length, and up to 1 byte of padding to keep the next prefix even.
  const raw = fixed + 3 * VAR_COUNT[type]! + varPayloadBytes;
  return (raw + RECORD_ALIGN - 1) & ~(RECORD_ALIGN - 1);
}

/** Throws a descriptive error if the table is inconsistent (overlap, misalignment, missing scale ...). */
export function validateSchema(schema: Readonly<Record<string, RecordDef>> = SCHEMA): void {
  const types = new Set<number>();
  for (const [name, def] of Object.entries(schema)) {
    const where = `schema ${name}`;
    if (def.type <= 0 || def.type > 255) throw new Error(`${where}: type ${def.type} outside 1..255`);
    if (types.has(def.type)) throw new Error(`${where}: duplicate type code ${def.type}`);
    types.add(def.type);
    if (def.fixedSize % RECORD_ALIGN !== 0 || def.fixedSize < HEADER_SIZE) {
      throw new Error(`${where}: fixedSize ${def.fixedSize} must be a multiple of 8 and >= ${HEADER_SIZE}`);
    }
    const used = new Uint8Array(def.fixedSize);
    for (const [field, [kind, off]] of Object.entries(def.fields)) {
      const size = FIELD_SIZE[kind];
      if (off < HEADER_SIZE) throw new Error(`${where}.${field}: offset ${off} overlaps the header`);
      if (off % size !== 0) throw new Error(`${where}.${field}: offset ${off} not aligned to ${size}`);
      if (off + size > def.fixedSize) throw new Error(`${where}.${field}: ends past fixedSize ${def.fixedSize}`);
      for (let i = off; i < off + size; i++) {
        if (used[i]) throw new Error(`${where}.${field}: byte ${i} already used by another field`);
        used[i] = 1;
      }
      if (kind === 'mantissa') {
        const s = def.fields[`${field}Scale`];
        if (!s || s[0] !== 'scale') throw new Error(`${where}.${field}: mantissa without ${field}Scale`);
      }
    }
  }
}

validateSchema();
for (const [name, def] of Object.entries(SCHEMA) as [string, RecordDef][]) {
  FIXED_SIZE[def.type] = def.fixedSize;
  TYPE_NAMES[def.type] = name;
  const slots = Object.values(def.fields).filter(([k]) => k === 'var').map(([, off]) => off);
  VAR_COUNT[def.type] = slots.length;
  VAR_SLOTS[def.type] = slots;
}
TYPE_NAMES[RecordType.Padding] = 'Padding';

/** Human-readable layout table (docs, debugging, cross-language bindings). */
export function describeSchema(): string {
  const lines: string[] = [];
  const row = (n: string, k: string, o: number, s: number): string =>
    `  ${n.padEnd(22)} ${k.padEnd(9)} @${String(o).padStart(3)}  ${s}B`;
  lines.push(`Header (${HEADER_SIZE}B)`);
  for (const [n, [k, o]] of Object.entries(HEADER)) lines.push(row(n, k, o, FIELD_SIZE[k]));
  for (const [name, def] of Object.entries(SCHEMA) as [string, RecordDef][]) {
    lines.push(`${name} type=${def.type} fixed=${def.fixedSize}B`);
    const fields = Object.entries(def.fields).sort((a, b) => a[1][1] - b[1][1]);
    for (const [n, [k, o]] of fields) lines.push(row(n, k, o, FIELD_SIZE[k]));
  }
  return lines.join('\n');
}

// ---- enumerations carried in records (FIX char codes unless noted) ----

export const Side = { Buy: 0x31, Sell: 0x32 } as const;
export const MDEntryType = { Bid: 0, Offer: 1 } as const;
export const MDUpdateAction = { New: 0, Change: 1, Delete: 2 } as const;
/** Bits of Place.orderFlags; map to ExecInst(18) 'P' / 'E'. */
export const OrderFlag = { PostOnly: 1, ReduceOnly: 2 } as const;
/** Place.stpMode; non-zero values map to SelfTradePrevention(7928) value + 1 (Spot only). */
export const StpMode = { Unset: 0, CancelBoth: 1, CancelNewest: 2, CancelOldest: 3 } as const;
/** SessionStatus.state (numeric, not FIX). */
export const SessionState = {
  Disconnected: 0, Connecting: 1, LogonSent: 2, Active: 3, Resending: 4, LogoutSent: 5,
} as const;
/** SessionStatus.event (numeric, not FIX). */
export const SessionEvent = {
  None: 0, Connected: 1, LoggedOn: 2, LoggedOut: 3, Disconnected: 4, SequenceGap: 5, HeartbeatTimeout: 6,
} as const;
