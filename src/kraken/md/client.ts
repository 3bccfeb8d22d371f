// KrakenMdClient: market data over one Kraken MD session (spec §7, §4.8, §4.9).
// Outbound: MarketDataRequest V subscribe (263=1) / unsubscribe (263=2, same MDReqID), InstrumentListRequest x,
// TradingSessionStatusRequest g, through the FixSender port. Inbound: onMessage(view) applies W / X to one
// preallocated L2Book or L3Book per symbol per subscription (walker.ts: one pass, byte ranges, no allocation),
// surfaces trades, answers any book break with unsubscribe + resubscribe under a new MDReqID, and feeds
// InstrumentList y / TradingSessionStatus h into the instrument tables and market state.
// Owns no socket, timer or sequence number; the session profile (../session) calls onLogon / onSessionLost.

import { type FixDictionary, type MessageView, getDictionary, msgTypeCode } from '../../codec/index.js';
import { BookStatus, MdInstrumentTable, bookStatusName } from '../../book/index.js';
import { Tag } from '../../codec/dictionary/index.js';
import type { InstrumentTable } from '../instruments.js';
import type { FixMessagePlan, Result, Venue } from '../types.js';
import type { FixSender } from '../fix/client-types.js';
import { MSG_TYPE_CODE, writePlan } from '../fix/encode.js';
import {
  type SecurityListScope,
  marketDataRequestPlan,
  securityListRequestPlan,
  tradingSessionStatusRequestPlan,
} from '../fix/requests.js';
import { applySecurityList, applyTradingSessionStatus } from './reference.js';
import { MdSubscription } from './subscription.js';
import { type BookDecimals, type BookSettings, MdSymbolBook, buildBooks, decimalsFor } from './symbol-book.js';
import {
  MD_REJECT_REASONS,
  type MdError,
  type MdEvent,
  type MdHandler,
  type MdLevel,
  MdStats,
  type MdSubscribeSpec,
  MdTrade,
  SubState,
} from './types.js';
import { MdWalker, WalkResult } from './walker.js';

const MT_W = msgTypeCode('W');
const MT_X = msgTypeCode('X');
const MT_Y = msgTypeCode('Y');
const MT_MD_REQUEST = MSG_TYPE_CODE.MarketDataRequest;

export interface KrakenMdClientOptions {
  readonly sender: FixSender;
  readonly venue: Venue;
  /** What this session's port serves (4000/4002 L2, 4004/4005 L3); subscriptions default to it. */
  readonly level?: MdLevel;
  readonly dictionary?: FixDictionary;
  /** Book-side instrument data (decimals) and market state; created when omitted. */
  readonly instruments?: MdInstrumentTable;
  /** Order-entry instrument table to keep in sync from the same InstrumentList (e.g. the KrakenClient's). */
  readonly orderEntryInstruments?: InstrumentTable;
  readonly handler?: MdHandler;
  /** Verify 5041 (default true) every checksumInterval-th message carrying one (default 1 = all). */
  readonly verifyChecksum?: boolean;
  readonly checksumInterval?: number;
  /** L3 order slots per book (default 50 000). */
  readonly l3MaxOrders?: number;
  /** Levels per side kept for depth 0 (default 1000, Kraken's L2 cap). */
  readonly fullDepthLevels?: number;
  /** MDReqID / InstrumentReqID prefix; default unique per client instance so ids never repeat across restarts. */
  readonly idPrefix?: string;
  /** Breaks per subscription per minute before giving up (default 20). */
  readonly maxResubscribesPerMinute?: number;
  /** On logon: InstrumentListRequest scope (default 'all'), or false to skip. */
  readonly instrumentListOnLogon?: SecurityListScope | false;
  /** On logon: TradingSessionStatusRequest g (default true on Spot; Kraken has no g/h on Derivatives). */
  readonly tradingSessionStatusOnLogon?: boolean;
  /** Wall clock, ms (break-rate window). Default Date.now. */
  readonly nowMs?: () => number;
}

export interface MdRecoveryCounts {
  readonly instrumentRequests: number;
  readonly tradingSessionRequests: number;
  readonly subscriptions: number;
}

let instanceCounter = 0;

export class KrakenMdClient {
  readonly venue: Venue;
  readonly level: MdLevel;
  readonly instruments: MdInstrumentTable;
  readonly orderEntryInstruments: InstrumentTable | null;
  readonly stats = new MdStats();
  readonly subscriptions: MdSubscription[] = [];
  readonly #sender: FixSender;
  readonly #handler: MdHandler;
  readonly #walker: MdWalker;
  readonly #trade = new MdTrade();
  readonly #bookSettings: BookSettings;
  readonly #prefix: string;
  readonly #maxBreaks: number;
  readonly #instrumentScope: SecurityListScope | false;
  readonly #tssOnLogon: boolean;
  readonly #nowMs: () => number;
  #nextId = 0;
  #nextSubId = 0;
  /** Last subscription matched by 262: consecutive messages almost always hit the same one. */
  #last: MdSubscription | null = null;

  constructor(o: KrakenMdClientOptions) {
    this.venue = o.venue;
    this.level = o.level ?? 'L2';
    this.instruments = o.instruments ?? new MdInstrumentTable();
    this.orderEntryInstruments = o.orderEntryInstruments ?? null;
    this.#sender = o.sender;
    this.#handler = o.handler ?? {};
    this.#walker = new MdWalker(o.dictionary ?? getDictionary({ kraken: true }));
    const interval = o.checksumInterval ?? 1;
    if (!Number.isInteger(interval) || interval < 1) throw new RangeError(`checksumInterval must be an integer >= 1, got ${interval}`);
    this.#bookSettings = {
      verifyChecksum: o.verifyChecksum ?? true,
      checksumInterval: interval,
      l3MaxOrders: o.l3MaxOrders ?? 50_000,
      fullDepthLevels: o.fullDepthLevels ?? 1000,
    };
    this.#prefix = o.idPrefix ?? `kfx${Date.now().toString(36)}${(instanceCounter++).toString(36)}-`;
    if (/[\x00-\x20\x7f-\uffff]/.test(this.#prefix)) throw new RangeError('idPrefix must be printable ASCII without spaces');
    this.#maxBreaks = o.maxResubscribesPerMinute ?? 20;
    this.#instrumentScope = o.instrumentListOnLogon ?? 'all';
    this.#tssOnLogon = o.tradingSessionStatusOnLogon ?? o.venue === 'spot';
    this.#nowMs = o.nowMs ?? Date.now;
  }

  // ---------------------------------------------------------------- subscriptions

  /**
   * Subscribes (snapshot + incremental updates). Sent now when the session is logged on and every symbol's
   * decimals are known; otherwise the subscription waits (Pending) and goes out on logon / instrument list.
   */
  subscribe(spec: MdSubscribeSpec): Result<MdSubscription, MdError> {
    const level = spec.level ?? this.level;
    const check = marketDataRequestPlan({ ...spec, mdReqID: 'x', subscribe: true, level });
    if (!check.ok) return { ok: false, error: { code: 'INVALID_REQUEST', message: check.error.message } };
    if (new Set(spec.symbols).size !== spec.symbols.length) {
      return { ok: false, error: { code: 'INVALID_REQUEST', message: 'duplicate symbol in one subscription' } };
    }
    const sub = new MdSubscription(++this.#nextSubId, spec, level);
    this.subscriptions.push(sub);
    this.#buildBooks(sub);
    if (sub.books.length > 0 && this.#loggedOn()) this.#sendSubscribe(sub, 'subscribe');
    return { ok: true, value: sub };
  }

  /** Unsubscribes (263=2 with the current MDReqID when one is outstanding); the handle becomes Closed. */
  unsubscribe(sub: MdSubscription): Result<void, MdError> {
    if (sub.state === SubState.Closed) return { ok: false, error: { code: 'CLOSED', message: `subscription ${sub.id} is already closed` } };
    const outstanding = sub.state === SubState.Requested || sub.state === SubState.Live;
    let error: MdError | null = null;
    if (outstanding && this.#loggedOn()) error = this.#sendUnsubscribe(sub);
    sub.transition(SubState.Closed);
    const i = this.subscriptions.indexOf(sub);
    if (i >= 0) this.subscriptions.splice(i, 1);
    if (this.#last === sub) this.#last = null;
    return error === null ? { ok: true, value: undefined } : { ok: false, error };
  }

  /** The book of `symbol` from the first wanted subscription holding it. */
  book(symbol: string): MdSymbolBook | undefined {
    for (const s of this.subscriptions) {
      if (!s.wanted) continue;
      const b = s.book(symbol);
      if (b !== undefined) return b;
    }
    return undefined;
  }

  // ---------------------------------------------------------------- session life cycle

  /**
   * After every (re)logon, rollover included: subscriptions died with the old connection (§7), so re-request
   * the instrument list and market state and resubscribe everything wanted under new MDReqIDs.
   */
  onLogon(): MdRecoveryCounts {
    let instrumentRequests = 0;
    let tradingSessionRequests = 0;
    let subscriptions = 0;
    if (this.#instrumentScope !== false && this.requestInstruments(this.#instrumentScope).ok) instrumentRequests++;
    if (this.#tssOnLogon && this.requestTradingSessionStatus().ok) tradingSessionRequests++;
    for (const sub of [...this.subscriptions]) {
      if (!sub.wanted) continue;
      if (sub.books.length === 0) this.#buildBooks(sub);
      if (sub.books.length > 0 && this.#sendSubscribe(sub, 'logon')) subscriptions++;
    }
    return { instrumentRequests, tradingSessionRequests, subscriptions };
  }

  /** The connection is gone: every wanted subscription is Pending again and its books wait for a snapshot. */
  onSessionLost(): void {
    for (const sub of this.subscriptions) {
      if (!sub.wanted) continue;
      sub.transition(SubState.Pending);
      for (const b of sub.books) b.clear();
    }
    this.#last = null;
  }

  /**
   * Unsubscribes and resubscribes every active subscription under new MDReqIDs (e.g. after an inbound MsgSeqNum
   * gap: if Kraken gap-fills instead of replaying W/X, the books silently miss updates that a top-10 checksum
   * may never see). Returns how many were resubscribed.
   */
  resubscribeAll(): number {
    if (!this.#loggedOn()) return 0;
    let n = 0;
    for (const sub of [...this.subscriptions]) {
      if (sub.state !== SubState.Requested && sub.state !== SubState.Live) continue;
      this.#sendUnsubscribe(sub);
      if (this.#sendSubscribe(sub, 'resubscribe')) n++;
    }
    this.stats.gapResubscribes += n;
    return n;
  }

  /** InstrumentListRequest x (Kraken sends y on the MD session). Returns the 320 used. */
  requestInstruments(scope: SecurityListScope = 'all', symbol?: string): Result<string, MdError> {
    const id = `${this.#prefix}il${++this.#nextId}`;
    const p = securityListRequestPlan({ securityReqID: id, scope, symbol });
    if (!p.ok) return { ok: false, error: { code: 'INVALID_REQUEST', message: p.error.message } };
    const e = this.#send(MSG_TYPE_CODE.SecurityListRequest, p.value);
    return e === null ? { ok: true, value: id } : { ok: false, error: e };
  }

  /** TradingSessionStatusRequest g, snapshot + updates (Spot). Returns the 335 used. */
  requestTradingSessionStatus(tradingSessionID = 'SESSION'): Result<string, MdError> {
    const id = `${this.#prefix}ts${++this.#nextId}`;
    const p = tradingSessionStatusRequestPlan({ tradSesReqID: id, tradingSessionID, subscription: 'snapshot+updates' });
    if (!p.ok) return { ok: false, error: { code: 'INVALID_REQUEST', message: p.error.message } };
    const e = this.#send(MSG_TYPE_CODE.TradingSessionStatusRequest, p.value);
    return e === null ? { ok: true, value: id } : { ok: false, error: e };
  }

  // ---------------------------------------------------------------- inbound

  /** One application message from the MD session. Returns false for message types this client does not handle. */
  onMessage(view: MessageView): boolean {
    const mt = view.msgTypeCode;
    if (mt === MT_X) this.#onBookMessage(view, false);
    else if (mt === MT_W) this.#onBookMessage(view, true);
    else if (mt === MT_Y) this.#onReject(view);
    else if (mt === MSG_TYPE_CODE.SecurityList) this.#onSecurityList(view);
    else if (mt === MSG_TYPE_CODE.TradingSessionStatus) this.#onTradingSessionStatus(view);
    else return false;
    return true;
  }

  #onBookMessage(view: MessageView, snapshot: boolean): void {
    const stats = this.stats;
    stats.messages++;
    if (snapshot) stats.snapshots++;
    else stats.incrementals++;
    const sub = this.#findSub(view);
    if (sub === null) {
      stats.staleMessages++;
      return;
    }
    const walk = this.#walker.run(view, sub, snapshot, this.#handler, stats, this.#trade);
    if (walk === WalkResult.NoBook) {
      this.#decodeError(view, `symbol ${view.getString(Tag.Symbol)} is not part of subscription ${sub.mdReqID}`);
      return;
    }
    const gen = this.#walker.lastGen;
    const books = sub.books;
    const buf = view.buffer;
    let broken: MdSymbolBook | null = null;
    for (let k = 0; k < books.length; k++) {
      const b = books[k]!;
      if (b.touchedGen !== gen) continue;
      if (walk === WalkResult.Malformed && b.error === BookStatus.Ok) b.error = BookStatus.InvalidEntry;
      if (b.error === BookStatus.Ok) {
        const st = b.l2 !== null ? b.l2.endMessageChecksumBytes(buf, b.csOff, b.csLen) : b.l3!.endMessageChecksumBytes(buf, b.csOff, b.csLen);
        if (st !== BookStatus.Ok) b.error = st;
      }
      if (b.error !== BookStatus.Ok) {
        if (broken === null) broken = b;
        continue;
      }
      if (this.#handler.onBookUpdate !== undefined) this.#handler.onBookUpdate(b, snapshot);
    }
    if (walk === WalkResult.Malformed) stats.decodeErrors++;
    if (broken !== null) {
      this.#onBreak(sub, broken);
      return;
    }
    if (snapshot && sub.state === SubState.Requested) sub.transition(SubState.Live);
  }

  /** The subscription whose current MDReqID is this message's 262 (byte compare, no string). */
  #findSub(view: MessageView): MdSubscription | null {
    const i = view.indexOf(Tag.MDReqID);
    if (i < 0) return null;
    const buf = view.buffer;
    const off = view.offsets[i]!;
    const len = view.lengths[i]!;
    const last = this.#last;
    if (last !== null && last.matchesReqID(buf, off, len)) return last;
    const subs = this.subscriptions;
    for (let k = 0; k < subs.length; k++) {
      const s = subs[k]!;
      if ((s.state === SubState.Requested || s.state === SubState.Live) && s.matchesReqID(buf, off, len)) {
        this.#last = s;
        return s;
      }
    }
    return null;
  }

  /** A book broke: count it, then unsubscribe the old MDReqID and subscribe under a new one (or give up). */
  #onBreak(sub: MdSubscription, b: MdSymbolBook): void {
    const status = b.error;
    if (status === BookStatus.ChecksumMismatch) this.stats.checksumMismatches++;
    else this.stats.consistencyBreaks++;
    const now = this.#nowMs();
    const recent = sub.recentBreaksMs;
    recent.push(now);
    while (recent.length > 0 && recent[0]! <= now - 60_000) recent.shift();
    const oldID = sub.mdReqID;
    if (this.#loggedOn()) this.#sendUnsubscribe(sub);
    if (recent.length > this.#maxBreaks) {
      sub.lastError = `${recent.length} book breaks within a minute (last: ${bookStatusName(status)} on ${b.symbol})`;
      sub.transition(SubState.Failed);
      for (const x of sub.books) x.clear();
      this.#emit({ kind: 'subscription-failed', sub, message: sub.lastError });
      return;
    }
    this.stats.resubscribes++;
    sub.resubscribes++;
    const sent = this.#loggedOn() && this.#sendSubscribe(sub, 'resubscribe');
    if (!sent && sub.state !== SubState.Pending) sub.transition(SubState.Pending);
    this.#emit({
      kind: 'resubscribe',
      sub,
      symbol: b.symbol,
      status,
      statusName: bookStatusName(status),
      oldMDReqID: oldID,
      newMDReqID: sent ? sub.mdReqID : '',
    });
  }

  #onReject(view: MessageView): void {
    this.stats.rejects++;
    const id = view.getString(Tag.MDReqID) ?? '';
    const reason = view.getString(Tag.MDReqRejReason) ?? '';
    const sub = this.subscriptions.find((s) => s.mdReqID === id && (s.state === SubState.Requested || s.state === SubState.Live)) ?? null;
    const text = view.getString(Tag.Text);
    const reasonText = MD_REJECT_REASONS[reason] ?? (reason === '' ? 'no reason given' : `reason ${reason}`);
    if (sub !== null) {
      sub.lastError = `MarketDataRequestReject ${reason} (${reasonText})${text !== undefined ? `: ${text}` : ''}`;
      sub.transition(SubState.Rejected);
      for (const b of sub.books) b.clear();
      if (this.#last === sub) this.#last = null;
    }
    this.#emit({ kind: 'reject', sub, mdReqID: id, reason, reasonText, text });
  }

  #onSecurityList(view: MessageView): void {
    const r = applySecurityList(view, this.venue, this.instruments, this.orderEntryInstruments);
    this.#emit({ kind: 'instruments', added: r.added, errors: r.errors, lastFragment: r.lastFragment });
    // Subscriptions that were waiting for decimals.
    for (const sub of [...this.subscriptions]) {
      if (!sub.wanted || sub.books.length > 0) continue;
      this.#buildBooks(sub);
      if (sub.books.length > 0) {
        if (this.#loggedOn()) this.#sendSubscribe(sub, 'instruments');
      } else if (r.lastFragment) {
        for (const s of sub.symbols) if (this.#decimalsOf(sub, s) === null) this.#emit({ kind: 'unknown-instrument', sub, symbol: s });
      }
    }
  }

  #onTradingSessionStatus(view: MessageView): void {
    const r = applyTradingSessionStatus(view, this.instruments, this.orderEntryInstruments);
    if (!r.ok) this.#decodeError(view, r.error);
    else this.#emit({ kind: 'market-state', ...r.value });
  }

  // ---------------------------------------------------------------- outbound helpers

  #decimalsOf(sub: MdSubscription, symbol: string): BookDecimals | null {
    return decimalsFor(sub, symbol, this.instruments);
  }

  /** Books for every symbol, or none while a symbol's decimals are unknown. */
  #buildBooks(sub: MdSubscription): void {
    sub.books = buildBooks(sub, this.instruments, this.#bookSettings);
  }

  /** V 263=1 under a fresh MDReqID; books wait for the new snapshot. False when it could not be sent. */
  #sendSubscribe(sub: MdSubscription, cause: 'subscribe' | 'resubscribe' | 'logon' | 'instruments'): boolean {
    const id = `${this.#prefix}${++this.#nextId}`;
    const p = sub.requestPlan(id, true);
    if (!p.ok) {
      this.#emit({ kind: 'send-failed', sub, message: p.error.message });
      return false;
    }
    for (const b of sub.books) b.clear();
    const e = this.#send(MT_MD_REQUEST, p.value);
    if (e !== null) {
      if (sub.state !== SubState.Pending) sub.transition(SubState.Pending);
      this.#emit({ kind: 'send-failed', sub, message: e.message });
      return false;
    }
    sub.setMDReqID(id);
    sub.transition(SubState.Requested);
    this.#emit({ kind: 'subscribe-sent', sub, mdReqID: id, cause });
    return true;
  }

  /** V 263=2 with the current MDReqID (Kraken matches on it). */
  #sendUnsubscribe(sub: MdSubscription): MdError | null {
    if (sub.mdReqID === '') return null;
    const p = sub.requestPlan(sub.mdReqID, false);
    if (!p.ok) return { code: 'INVALID_REQUEST', message: p.error.message };
    const e = this.#send(MT_MD_REQUEST, p.value);
    if (e === null) this.#emit({ kind: 'unsubscribe-sent', sub, mdReqID: sub.mdReqID });
    else this.#emit({ kind: 'send-failed', sub, message: e.message });
    return e;
  }

  #send(msgType: number, plan: FixMessagePlan): MdError | null {
    if (!this.#loggedOn()) return { code: 'NOT_CONNECTED', message: 'market-data session is not logged on' };
    try {
      this.#sender.send(msgType, (enc) => writePlan(enc, plan));
      return null;
    } catch (e) {
      return { code: 'SEND_FAILED', message: e instanceof Error ? e.message : String(e) };
    }
  }

  #loggedOn(): boolean {
    return this.#sender.isLoggedOn?.() ?? true;
  }

  #decodeError(view: MessageView, message: string): void {
    this.stats.decodeErrors++;
    const mt = view.msgTypeCode;
    const msgType = mt > 255 ? String.fromCharCode(mt >>> 8, mt & 255) : String.fromCharCode(mt);
    this.#emit({ kind: 'decode-error', msgType, message });
  }

  #emit(e: MdEvent): void {
    this.#handler.onEvent?.(e);
  }
}
