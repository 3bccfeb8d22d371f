/**
 * Market-data ports (4000/4002 L2, 4005/4004 L3; spec §7): CompID-only sessions, MarketDataRequest V ->
 * MarketDataSnapshotFullRefresh W, then MarketDataIncrementalRefresh X after every engine batch that
 * touched the symbol, MarketDataRequestReject Y for bad requests. SecurityListRequest x and (Spot)
 * TradingSessionStatusRequest g are answered here too.
 *
 * L2 increments are a diff of the subscriber's published top-N levels against the book after the batch
 * (deletes first, then new levels and size changes), so a depth-capped client book never overflows;
 * a level pushed out of depth is deleted with its size (271 > 0), a removed one with 271=0. L3 relays
 * the engine's order events one for one. Bid/offer entries carry 5041 for the book after the message.
 */
import { getDictionary, type Clock, type MessageView } from '../../codec/index.js';
import type { Venue } from '../../kraken/types.js';
import { FixSession, type SessionApplication } from '../../session/index.js';
import type { Exchange, InstrumentRt, MdListener } from '../exchange.js';
import { ErrorWindow } from '../limits.js';
import { M, MD_STRIDE, MdKind, Side, type MdEvents } from '../matching/index.js';
import type { RefData } from '../refdata.js';
import { RingStore } from '../ring-store.js';
import type { SimStats } from '../stats.js';
import { TEXT } from '../config.js';
import { refusingSession } from '../trading.js';
import { MT, SRR, firstMissing, missingText, sendBusinessReject, sendSessionReject } from '../wire.js';
import { bookChecksum, forEachOrder, isoNanos, timeOnly, topLevels } from './book-view.js';
import { writeSnapshot, type L2View } from './snapshot.js';

export type MdLevel = 'L2' | 'L3';
const DEPTHS = new Set([0, 1, 10, 25, 100, 500, 1000]);
const L2_MAX_DEPTH = 1000;

export class Subscription implements L2View {
  bidPx: number[] = [];
  bidQty: number[] = [];
  askPx: number[] = [];
  askQty: number[] = [];
  constructor(
    readonly session: FixSession,
    readonly mdReqID: string,
    readonly rt: InstrumentRt,
    /** Levels per side (L3: every level). */
    readonly depth: number,
    readonly trades: boolean,
  ) {}
}

export interface MdPortOptions {
  venue: Venue;
  level: MdLevel;
  targetCompID: string;
  compIDs: readonly string[];
  clock: Clock;
  maxLatencySec: number;
  errorRateLimitPerSec: number;
  onEvent?: (compID: string, kind: string, text: string) => void;
}

export class MdPort {
  readonly sessions = new Map<string, FixSession>();
  readonly subs: Subscription[] = [];
  private readonly errors = new Map<FixSession, ErrorWindow>();
  // Scratch for L2 diffs.
  private readonly px: number[] = [];
  private readonly qty: number[] = [];

  constructor(
    readonly o: MdPortOptions,
    private readonly exchange: Exchange,
    private readonly refData: RefData,
    private readonly stats: SimStats,
  ) {
    const application: SessionApplication = {
      onAppMessage: (s, v) => {
        try {
          this.onAppMessage(s, v);
        } catch (err) {
          o.onEvent?.(s.targetCompID, 'error', (err as Error).stack ?? String(err));
          if (s.isLoggedOn) sendBusinessReject(s, v, 0, 'EGeneral:Internal error', 262);
        }
      },
      onLogon: () => void this.stats.logons++,
      onLogout: (s, reason) => {
        this.unsubscribeAll(s);
        o.onEvent?.(s.targetCompID, 'logout', reason);
      },
      onEvent: (s, e) => {
        if (e.kind === 'reject-sent') this.countError(s);
        o.onEvent?.(s.targetCompID, e.kind, e.text);
      },
    };
    for (const compID of o.compIDs) {
      const session = new FixSession({
        role: 'acceptor',
        senderCompID: o.targetCompID,
        targetCompID: compID,
        dictionary: getDictionary({ kraken: true }),
        store: new RingStore(0, o.clock.nowMicros()),
        clock: o.clock,
        // Market data is never replayed: a gap is filled, the client resubscribes.
        resendPolicy: 'gap-fill-all',
        validation: { enabled: false },
        maxLatencySec: o.maxLatencySec,
        maxMessageSize: 1 << 20,
        application,
      });
      this.sessions.set(compID, session);
      this.errors.set(session, new ErrorWindow(o.errorRateLimitPerSec));
    }
  }

  lookup(theirSender: string, theirTarget: string): FixSession {
    const s = theirTarget === this.o.targetCompID ? this.sessions.get(theirSender) : undefined;
    if (s !== undefined) return s;
    const text = theirTarget !== this.o.targetCompID ? TEXT.wrongTarget : TEXT.unknownCompID;
    return refusingSession(theirSender, theirTarget, this.o.clock, this.o.maxLatencySec, text, () => {
      this.stats.logonRefused(text);
      this.o.onEvent?.(theirSender, 'logon-refused', text);
    });
  }

  countError(s: FixSession): void {
    this.stats.rejects++;
    const w = this.errors.get(s);
    if (w === undefined || !s.isLoggedOn || !w.record(this.o.clock.nowMicros())) return;
    this.stats.errorRateDisconnects++;
    s.logout(TEXT.errorRate);
    s.disconnect(TEXT.errorRate);
  }

  private unsubscribeAll(s: FixSession): void {
    for (let i = this.subs.length - 1; i >= 0; i--) if (this.subs[i]!.session === s) this.subs.splice(i, 1);
  }

  private onAppMessage(s: FixSession, view: MessageView): void {
    this.exchange.advance();
    switch (view.msgTypeCode) {
      case MT.MarketDataRequest:
        this.onRequest(s, view);
        return;
      case MT.SecurityListRequest:
        this.refData.securityList(s, view, this.o.venue);
        return;
      default:
        // Derivatives has no TradingSessionStatus (§4.9).
        if (view.msgTypeCode === MT.TradingSessionStatusRequest && this.o.venue === 'spot') {
          this.refData.tradingSessionStatus(s, view);
          return;
        }
        sendBusinessReject(s, view, 3, 'Unsupported Message Type', 262);
        this.countError(s);
    }
  }

  private reject(s: FixSession, view: MessageView, reason: string, text: string): void {
    const enc = s.beginMessage(MT.MdReject);
    const i = view.indexOf(262);
    enc.bytes(262, view.buffer, view.offsets[i]!, view.lengths[i]!);
    enc.str(58, text);
    enc.str(281, reason);
    s.send();
    this.stats.mdRejects++;
    this.countError(s);
  }

  private onRequest(s: FixSession, view: MessageView): void {
    const missing = firstMissing(view, [262, 263]);
    if (missing !== 0) {
      sendSessionReject(s, view, SRR.RequiredTagMissing, missing, missingText(missing));
      this.countError(s);
      return;
    }
    const mdReqID = view.getString(262)!;
    const sub = view.getInt(263);
    if (sub === 2) {
      for (let i = this.subs.length - 1; i >= 0; i--) {
        const x = this.subs[i]!;
        if (x.session === s && x.mdReqID === mdReqID) this.subs.splice(i, 1);
      }
      return;
    }
    if (sub !== 1) return this.reject(s, view, '4', `Unsupported SubscriptionRequestType: ${view.getString(263)}`);
    if (!view.has(264)) {
      sendSessionReject(s, view, SRR.RequiredTagMissing, 264, missingText(264));
      this.countError(s);
      return;
    }
    const depth = view.getInt(264);
    if (!DEPTHS.has(depth)) return this.reject(s, view, '5', `Unsupported MarketDepth: ${view.getString(264)}`);
    if (view.has(265) && view.getInt(265) !== 1) return this.reject(s, view, '6', `Unsupported MDUpdateType: ${view.getString(265)}`);
    const aggregated = view.getChar(266);
    const l3 = this.o.level === 'L3';
    if (!l3 && aggregated === 0x4e) return this.reject(s, view, 'B', 'L3 market data is not available on this port');
    if (l3 && aggregated === 0x59) return this.reject(s, view, 'A', 'Aggregated book is not available on this port');
    let bid = false;
    let offer = false;
    let trade = false;
    const symbols: string[] = [];
    for (let i = 0; i < view.count; i++) {
      const t = view.tags[i]!;
      if (t === 269) {
        const v = view.stringAt(i);
        if (v === '0') bid = true;
        else if (v === '1') offer = true;
        else if (v === '2') trade = true;
        else return this.reject(s, view, '8', `Unsupported MDEntryType: ${v}`);
      } else if (t === 55) symbols.push(view.stringAt(i));
    }
    if (trade && l3) return this.reject(s, view, 'C', 'Trades are not available on an L3 subscription');
    if (!bid || !offer) return this.reject(s, view, '8', 'Bids and offers must be requested together');
    if (symbols.length === 0) {
      sendSessionReject(s, view, SRR.RequiredTagMissing, 55, missingText(55));
      this.countError(s);
      return;
    }
    const rts: InstrumentRt[] = [];
    for (const sym of symbols) {
      const rt = this.exchange.instrument(this.o.venue, sym);
      if (rt === undefined) return this.reject(s, view, '0', `MarketData subscription failed due to unsupported symbol: ${sym}`);
      rts.push(rt);
    }
    if (this.subs.some((x) => x.session === s && x.mdReqID === mdReqID)) return this.reject(s, view, '1', `Duplicate MDReqID: ${mdReqID}`);
    const levels = l3 ? Number.MAX_SAFE_INTEGER : depth === 0 ? L2_MAX_DEPTH : depth;
    for (const rt of rts) {
      const x = new Subscription(s, mdReqID, rt, levels, trade);
      this.subs.push(x);
      writeSnapshot(s, this.exchange, x, l3);
      this.stats.mdMessages++;
    }
  }

  /** One X per subscription whose instrument the batch touched. */
  publish(md: MdEvents, touched: Uint8Array): void {
    for (const x of this.subs) {
      if (touched[x.rt.id] === 0 || !x.session.isLoggedOn) continue;
      if (this.o.level === 'L3') this.publishL3(x, md);
      else this.publishL2(x, md);
    }
  }

  private publishL3(x: Subscription, md: MdEvents): void {
    const e = this.exchange.engine;
    const inst = x.rt.inst;
    const spot = x.rt.venue === 'spot';
    const d = md.data;
    let n = 0;
    for (let i = 0; i < md.count; i++) {
      const b = i * MD_STRIDE;
      if (d[b + M.Instrument] === inst.id && d[b + M.Kind] !== MdKind.Trade) n++;
    }
    if (n === 0) return;
    const checksum = bookChecksum(e, inst, true);
    const s = x.session;
    const enc = s.beginMessage(MT.Incremental);
    enc.str(262, x.mdReqID).str(55, inst.symbol).int(268, n);
    for (let i = 0; i < md.count; i++) {
      const b = i * MD_STRIDE;
      const kind = d[b + M.Kind]!;
      if (d[b + M.Instrument] !== inst.id || kind === MdKind.Trade) continue;
      enc.int(279, kind === MdKind.Add ? 0 : kind === MdKind.Modify ? 1 : 2);
      enc.char(269, d[b + M.Side] === Side.Buy ? 0x30 : 0x31);
      enc.str(278, this.exchange.ids.encode(d[b + M.Ref]!, spot));
      enc.decimal(270, d[b + M.Price]! * inst.tickUnits, inst.priceDecimals);
      enc.decimal(271, d[b + M.Qty]! * inst.lotUnits, inst.qtyDecimals);
      const time = d[b + M.Time]!;
      enc.str(273, timeOnly(time));
      enc.str(5060, isoNanos(time));
      if (kind !== MdKind.Delete) enc.str(5273, isoNanos(d[b + M.QueueTime]!));
      enc.int(5041, checksum);
    }
    s.send();
    this.stats.mdMessages++;
  }

  private publishL2(x: Subscription, md: MdEvents): void {
    const e = this.exchange.engine;
    const inst = x.rt.inst;
    const d = md.data;
    // Entries are collected first: 268 precedes them.
    const entries: L2Entry[] = [];
    if (x.trades) {
      for (let i = 0; i < md.count; i++) {
        const b = i * MD_STRIDE;
        if (d[b + M.Instrument] !== inst.id || d[b + M.Kind] !== MdKind.Trade) continue;
        entries.push({ action: 0, type: 2, price: d[b + M.Price]!, qty: d[b + M.Qty]!, time: d[b + M.Time]!, takerType: d[b + M.TakerOrdType]!, aggressor: d[b + M.Aggressor]!, tradeId: d[b + M.TradeId]! });
      }
    }
    const now = e.now;
    this.diffSide(x, Side.Buy, entries, now);
    this.diffSide(x, Side.Sell, entries, now);
    if (entries.length === 0) return;
    const checksum = bookChecksum(e, inst, false);
    const s = x.session;
    const enc = s.beginMessage(MT.Incremental);
    enc.str(262, x.mdReqID).str(55, inst.symbol).int(268, entries.length);
    for (const en of entries) {
      enc.int(279, en.action);
      enc.char(269, 0x30 + en.type);
      const px = inst.formatPrice(en.price);
      enc.str(278, en.type === 2 ? `T${en.tradeId}` : `${en.type === 0 ? 'B' : 'O'}${px}`);
      enc.str(270, px);
      enc.decimal(271, en.qty * inst.lotUnits, inst.qtyDecimals);
      enc.str(273, timeOnly(en.time));
      if (en.type === 2) {
        enc.char(40, en.takerType === 1 ? 0x31 : 0x32);
        enc.char(2446, 0x30 + en.aggressor);
      } else enc.int(5041, checksum);
    }
    s.send();
    this.stats.mdMessages++;
  }

  /** Appends the entries that turn the published side into the book's current top `depth` levels. */
  private diffSide(x: Subscription, side: Side, out: L2Entry[], now: number): void {
    const e = this.exchange.engine;
    const inst = x.rt.inst;
    const type = side === Side.Buy ? 0 : 1;
    const oldPx = side === Side.Buy ? x.bidPx : x.askPx;
    const oldQty = side === Side.Buy ? x.bidQty : x.askQty;
    const n = topLevels(e, inst.id, side, x.depth, this.px, this.qty);
    const sb = e.books[inst.id]!.sideOf(side);
    for (let i = 0; i < oldPx.length; i++) {
      const p = oldPx[i]!;
      if (this.px.indexOf(p) >= 0) continue;
      // Still in the book beyond our depth: delete with its size; gone from the book: size 0.
      const idx = sb.find(p);
      const left = idx >= 0 ? e.levels.vis[sb.levels[idx]!]! : 0;
      out.push({ action: 2, type, price: p, qty: left, time: now, takerType: 0, aggressor: 0, tradeId: 0 });
    }
    for (let i = 0; i < n; i++) {
      const p = this.px[i]!;
      const j = oldPx.indexOf(p);
      if (j < 0) out.push({ action: 0, type, price: p, qty: this.qty[i]!, time: now, takerType: 0, aggressor: 0, tradeId: 0 });
      else if (oldQty[j] !== this.qty[i]) out.push({ action: 1, type, price: p, qty: this.qty[i]!, time: now, takerType: 0, aggressor: 0, tradeId: 0 });
    }
    oldPx.length = 0;
    oldQty.length = 0;
    for (let i = 0; i < n; i++) {
      oldPx.push(this.px[i]!);
      oldQty.push(this.qty[i]!);
    }
  }
}

interface L2Entry {
  action: number;
  type: number;
  price: number;
  qty: number;
  time: number;
  takerType: number;
  aggressor: number;
  tradeId: number;
}

/** Routes each engine batch's public rows to every market-data port. */
export class MdFeed implements MdListener {
  readonly ports: MdPort[] = [];
  private touched: Uint8Array;

  constructor(instrumentCount: number) {
    this.touched = new Uint8Array(instrumentCount);
  }

  onMdEvents(md: MdEvents): void {
    if (this.ports.every((p) => p.subs.length === 0)) return;
    this.touched.fill(0);
    for (let i = 0; i < md.count; i++) this.touched[md.data[i * MD_STRIDE + M.Instrument]!] = 1;
    for (const p of this.ports) if (p.subs.length > 0) p.publish(md, this.touched);
  }
}

export { forEachOrder };
