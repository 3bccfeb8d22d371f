// Reference data arriving on the MD session: InstrumentList y into the book-side instrument table (decimals and
// status, what books need) and, when given, the order-entry table; TradingSessionStatus h into market state.
// Off the hot path: strings and small objects are fine here.

import { Tag } from '../../codec/dictionary/index.js';
import type { MessageView } from '../../codec/index.js';
import type { InstrumentListEntryFields, MdInstrumentTable } from '../../book/index.js';
import { decodeSecurityList, decodeTradingSessionStatus, forEachInstance } from '../fix/decode.js';
import type { InstrumentTable } from '../instruments.js';
import type { Result, Venue } from '../types.js';

export interface SecurityListApplied {
  /** Entries accepted into the book-side table. */
  readonly added: number;
  /** Why other entries (or the whole message) were not usable. */
  readonly errors: string[];
  readonly lastFragment: boolean;
}

type MutableEntry = { -readonly [K in keyof InstrumentListEntryFields]: InstrumentListEntryFields[K] };

/**
 * The book-side table takes only what books need, so an entry the order-entry model refuses (e.g. no 562) still
 * gets a book; the order-entry table gets decodeSecurityList's validated instruments.
 */
export function applySecurityList(view: MessageView, venue: Venue, md: MdInstrumentTable, orderEntry: InstrumentTable | null): SecurityListApplied {
  const errors: string[] = [];
  let added = 0;
  const group = view.dictionary.message('y')?.groups.get(Tag.NoRelatedSym);
  const countIndex = view.groupStart(Tag.NoRelatedSym);
  if (group !== undefined && countIndex >= 0) {
    forEachInstance(view, group, countIndex, (from, to) => {
      const f: MutableEntry = { symbol: '', qtyDecimals: '', priceDecimals: '' };
      for (let i = from; i < to; i++) {
        const t = view.tags[i]!;
        if (t === Tag.Symbol) f.symbol = view.stringAt(i);
        else if (t === Tag.MinTradeVol) f.minQtyIncrement = view.stringAt(i);
        else if (t === Tag.QtyDecimals) f.qtyDecimals = view.stringAt(i);
        else if (t === Tag.QtyMin) f.qtyMin = view.stringAt(i);
        else if (t === Tag.QtyMax) f.qtyMax = view.stringAt(i);
        else if (t === Tag.MinimumCost) f.minimumCost = view.stringAt(i);
        else if (t === Tag.PriceDecimals) f.priceDecimals = view.stringAt(i);
        else if (t === Tag.TickSize) f.tickSize = view.stringAt(i);
        else if (t === Tag.InstrumentStatus) f.status = view.stringAt(i);
      }
      const e = md.upsertFields(f);
      if (e === undefined) added++;
      else errors.push(e);
    });
  }
  const decoded = decodeSecurityList(view, venue);
  if (!decoded.ok) errors.push(decoded.error.message);
  else if (orderEntry !== null) for (const inst of decoded.value.instruments) orderEntry.add(inst);
  return { added, errors, lastFragment: decoded.ok ? decoded.value.lastFragment : true };
}

export interface MarketStateApplied {
  readonly tradingSessionID: string;
  /** 340 as received (101 cancel_only and 102 post_only are Kraken's). */
  readonly status: number;
  /** False when the value is not one Kraken documents (the table keeps the previous state). */
  readonly known: boolean;
}

export function applyTradingSessionStatus(view: MessageView, md: MdInstrumentTable, orderEntry: InstrumentTable | null): Result<MarketStateApplied, string> {
  const d = decodeTradingSessionStatus(view);
  if (!d.ok) return { ok: false, error: d.error.message };
  const v = d.value;
  const known = md.setTradingSessionStatus(v.tradingSessionID, v.statusCode);
  if (orderEntry !== null && v.state !== null) orderEntry.spotSessionState = v.state;
  return { ok: true, value: { tradingSessionID: v.tradingSessionID, status: v.statusCode, known } };
}
