// The W / X hot path: one pass over the NoMDEntries (268) fields of a MessageView, by field index, applying each
// entry to its book straight from the message's byte ranges. No strings, no objects, no closures per message:
// entry fields land in numeric registers on this object, books are found by comparing bytes, and per-message
// state lives on the (preallocated) MdSymbolBook objects.
//
// Group boundaries: an entry starts at the group's delimiter (279 in X, 269 in W) or at a second 269 within one
// entry (an entry that omitted 279). The group ends at the first tag that is a top-level field of the message
// or a trailer field; any other tag (one the dictionary does not list in the group, such as 278 in W or a
// future Kraken tag) stays inside the entry and is skipped. Ending at "first unknown tag" instead would silently
// drop the rest of the entries, which a book can only notice later as a checksum mismatch.

import { Tag } from '../../codec/dictionary/index.js';
import type { FixDictionary, MessageView } from '../../codec/index.js';
import { BookStatus, MDEntryType, parseScaledInto } from '../../book/index.js';
import type { MdSubscription } from './subscription.js';
import type { MdSymbolBook } from './symbol-book.js';
import type { MdHandler, MdStats, MdTrade } from './types.js';

const T_SYMBOL = Tag.Symbol;
const T_NO_MD_ENTRIES = Tag.NoMDEntries;
const T_ENTRY_TYPE = Tag.MDEntryType;
const T_PX = Tag.MDEntryPx;
const T_SIZE = Tag.MDEntrySize;
const T_TIME = Tag.MDEntryTime;
const T_ENTRY_ID = Tag.MDEntryID;
const T_ACTION = Tag.MDUpdateAction;
const T_ORD_TYPE = Tag.OrdType;
const T_AGGRESSOR = Tag.AggressorSide;
const T_CHECKSUM = Tag.BookChecksum;
const TRADE = MDEntryType.Trade;

/** Stop table: 1 where a tag ends the 268 group of this message type. */
function stopTable(dictionary: FixDictionary, msgType: string): Uint8Array {
  const def = dictionary.message(msgType);
  const group = def?.groups.get(T_NO_MD_ENTRIES);
  const stop = new Uint8Array(dictionary.maxTag + 1);
  for (const t of dictionary.trailer.fields) stop[t] = 1;
  if (def !== undefined) for (const t of def.fields) if (group === undefined || !group.allTags.has(t)) stop[t] = 1;
  // Kraken's entry tags, whatever the dictionary's group lists.
  for (const t of [T_ENTRY_TYPE, T_PX, T_SIZE, T_TIME, T_ENTRY_ID, T_ACTION, T_ORD_TYPE, T_AGGRESSOR, T_CHECKSUM, 5060, 5273]) stop[t] = 0;
  stop[T_NO_MD_ENTRIES] = 1;
  return stop;
}

/** What run() found wrong with the message itself (book breaks are reported on the books). */
export const WalkResult = { Ok: 0, NoBook: 1, Malformed: 2 } as const;
export type WalkResult = (typeof WalkResult)[keyof typeof WalkResult];

export class MdWalker {
  private readonly wStop: Uint8Array;
  private readonly xStop: Uint8Array;
  private gen = 0;

  // Entry registers: the fields of the entry being read (offsets into the message buffer; len 0 = absent).
  private eAction = -1;
  private eType = -1;
  private eIdOff = 0;
  private eIdLen = 0;
  private ePxOff = 0;
  private ePxLen = 0;
  private eQtyOff = 0;
  private eQtyLen = 0;
  private eSymOff = 0;
  private eSymLen = 0;
  private eCsOff = 0;
  private eCsLen = 0;
  private eTimeOff = 0;
  private eTimeLen = 0;
  private eAggr = 0;
  private eOrdType = 0;

  constructor(dictionary: FixDictionary) {
    this.wStop = stopTable(dictionary, 'W');
    this.xStop = stopTable(dictionary, 'X');
  }

  /**
   * Applies one W (snapshot=true) or X to the subscription's books. Afterwards every book of `sub` whose
   * touchedGen === lastGen took part; its `error` is Ok or the status that broke it.
   */
  run(view: MessageView, sub: MdSubscription, snapshot: boolean, h: MdHandler, stats: MdStats, trade: MdTrade): WalkResult {
    const gen = ++this.gen;
    this.clearEntry();
    const books = sub.books;
    const buf = view.buffer;
    const tags = view.tags;
    const offs = view.offsets;
    const lens = view.lengths;
    const n = view.count;
    const countIdx = view.indexOf(T_NO_MD_ENTRIES);

    // The message-level symbol: a 55 before the group (Kraken's layout), else the only book.
    let dflt: MdSymbolBook | null = null;
    const symIdx = view.indexOf(T_SYMBOL);
    if (symIdx >= 0 && (countIdx < 0 || symIdx < countIdx)) {
      dflt = findBook(books, buf, offs[symIdx]!, lens[symIdx]!);
      if (dflt === null) return WalkResult.NoBook;
    } else if (books.length === 1) {
      dflt = books[0]!;
    }
    // A snapshot always (re)starts its book, even an empty one (268=0 or absent).
    if (snapshot && dflt !== null) this.begin(dflt, gen, true);
    if (countIdx < 0) return snapshot && dflt !== null ? WalkResult.Ok : WalkResult.Malformed;

    const stop = snapshot ? this.wStop : this.xStop;
    const delim = snapshot ? T_ENTRY_TYPE : T_ACTION;
    const stopLen = stop.length;
    let open = false;
    let result: WalkResult = WalkResult.Ok;
    for (let i = countIdx + 1; i < n; i++) {
      const t = tags[i]!;
      if (t < stopLen && stop[t] === 1) break;
      if (t === delim || (t === T_ENTRY_TYPE && this.eType >= 0)) {
        if (open) this.flush(books, dflt, gen, snapshot, buf, h, stats, trade, sub);
        this.clearEntry();
        open = true;
      } else if (!open) {
        result = WalkResult.Malformed; // a group field before any delimiter
        break;
      }
      const off = offs[i]!;
      const len = lens[i]!;
      switch (t) {
        case T_ACTION:
          this.eAction = len === 1 ? buf[off]! - 0x30 : -1;
          break;
        case T_ENTRY_TYPE:
          this.eType = len === 1 ? buf[off]! - 0x30 : 99;
          break;
        case T_PX:
          this.ePxOff = off;
          this.ePxLen = len;
          break;
        case T_SIZE:
          this.eQtyOff = off;
          this.eQtyLen = len;
          break;
        case T_ENTRY_ID:
          this.eIdOff = off;
          this.eIdLen = len;
          break;
        case T_SYMBOL:
          this.eSymOff = off;
          this.eSymLen = len;
          break;
        case T_CHECKSUM:
          this.eCsOff = off;
          this.eCsLen = len;
          break;
        case T_TIME:
          this.eTimeOff = off;
          this.eTimeLen = len;
          break;
        case T_AGGRESSOR:
          this.eAggr = len === 1 ? buf[off]! - 0x30 : 0;
          break;
        case T_ORD_TYPE:
          this.eOrdType = len === 1 ? buf[off]! - 0x30 : 0;
          break;
        default:
          break;
      }
    }
    if (open) this.flush(books, dflt, gen, snapshot, buf, h, stats, trade, sub);
    return result;
  }

  /** Generation of the last run (books with touchedGen === lastGen took part in it). */
  get lastGen(): number {
    return this.gen;
  }

  private clearEntry(): void {
    this.eAction = -1;
    this.eType = -1;
    this.eIdLen = 0;
    this.ePxLen = 0;
    this.eQtyLen = 0;
    this.eSymLen = 0;
    this.eCsLen = 0;
    this.eTimeLen = 0;
    this.eAggr = 0;
    this.eOrdType = 0;
  }

  private begin(b: MdSymbolBook, gen: number, snapshot: boolean): void {
    b.touchedGen = gen;
    b.error = BookStatus.Ok;
    b.csLen = 0;
    let st: BookStatus;
    if (b.l2 !== null) st = snapshot ? b.l2.beginSnapshot() : b.l2.beginIncremental();
    else st = snapshot ? b.l3!.beginSnapshot() : b.l3!.beginIncremental();
    if (st !== BookStatus.Ok) b.error = st;
  }

  private flush(
    books: MdSymbolBook[],
    dflt: MdSymbolBook | null,
    gen: number,
    snapshot: boolean,
    buf: Uint8Array,
    h: MdHandler,
    stats: MdStats,
    trade: MdTrade,
    sub: MdSubscription,
  ): void {
    stats.entries++;
    let b = dflt;
    if (this.eSymLen > 0 && (b === null || !b.matches(buf, this.eSymOff, this.eSymLen))) {
      b = findBook(books, buf, this.eSymOff, this.eSymLen);
    }
    if (b === null) {
      stats.unknownSymbolEntries++;
      return;
    }
    if (this.eType === TRADE) {
      stats.trades++;
      if (h.onTrade !== undefined) this.emitTrade(b, buf, h, trade, sub);
      return;
    }
    if (b.touchedGen !== gen) this.begin(b, gen, snapshot);
    if (this.eCsLen > 0) {
      b.csOff = this.eCsOff;
      b.csLen = this.eCsLen;
    }
    if (b.error !== BookStatus.Ok) return; // already broken in this message: the rest cannot help
    let st: BookStatus;
    if (b.l2 !== null) {
      st = snapshot
        ? b.l2.applySnapshotEntryBytes(this.eType, buf, this.ePxOff, this.ePxLen, this.eQtyOff, this.eQtyLen)
        : b.l2.applyEntryBytes(this.eAction, this.eType, buf, this.ePxOff, this.ePxLen, this.eQtyOff, this.eQtyLen);
    } else {
      const l3 = b.l3!;
      st = snapshot
        ? l3.applySnapshotEntryBytes(this.eType, buf, this.eIdOff, this.eIdLen, this.ePxOff, this.ePxLen, this.eQtyOff, this.eQtyLen)
        : l3.applyEntryBytes(this.eAction, this.eType, buf, this.eIdOff, this.eIdLen, this.ePxOff, this.ePxLen, this.eQtyOff, this.eQtyLen);
    }
    if (st !== BookStatus.Ok) b.error = st;
  }

  private emitTrade(b: MdSymbolBook, buf: Uint8Array, h: MdHandler, trade: MdTrade, sub: MdSubscription): void {
    trade.symbol = b.symbol;
    trade.mdReqID = sub.mdReqID;
    trade.priceDecimals = b.priceDecimals;
    trade.qtyDecimals = b.qtyDecimals;
    const v = trade.values;
    if (parseScaledInto(buf, this.ePxOff, this.ePxLen, b.priceDecimals, v, 0) < 0) v[0] = -1;
    if (parseScaledInto(buf, this.eQtyOff, this.eQtyLen, b.qtyDecimals, v, 1) < 0) v[1] = -1;
    trade.aggressorSide = this.eAggr;
    trade.takerOrdType = this.eOrdType;
    trade.buffer = buf;
    trade.idOff = this.eIdOff;
    trade.idLen = this.eIdLen;
    trade.timeOff = this.eTimeOff;
    trade.timeLen = this.eTimeLen;
    h.onTrade!(trade);
  }
}

function findBook(books: MdSymbolBook[], buf: Uint8Array, off: number, len: number): MdSymbolBook | null {
  for (let k = 0; k < books.length; k++) if (books[k]!.matches(buf, off, len)) return books[k]!;
  return null;
}
