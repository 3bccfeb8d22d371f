// Contracts of the Kraken market-data client (./client.ts): subscription specs, the subscription life cycle
// (an enum + transition table), the handler the owner implements, the reused trade record, events and errors.

import type { BookStatus } from '../../book/index.js';
import type { MarketDepth } from '../fix/requests.js';
import type { MdSubscription } from './subscription.js';
import type { MdSymbolBook } from './symbol-book.js';

export type MdLevel = 'L2' | 'L3';

export interface MdSubscribeSpec {
  readonly symbols: readonly string[];
  /** 264: 0 = full book (L2 capped at 1000 by Kraken). */
  readonly depth: MarketDepth;
  /** 266: defaults to the client's level (the port decides what Kraken serves). */
  readonly level?: MdLevel;
  /** Ask for trades (269=2) too; L2 only (Kraken rejects L3 + trades). */
  readonly trades?: boolean;
  /**
   * Decimals per symbol when the instrument table does not know the symbol yet (tests, tools). Normally the
   * InstrumentList (y) provides 2349/5010 and the subscription waits for it.
   */
  readonly decimals?: Readonly<Record<string, { readonly priceDecimals: number; readonly qtyDecimals: number }>>;
}

/**
 * Life cycle of one subscription. The handle survives MDReqID changes (resubscribe, reconnect): the books a
 * strategy holds stay the same objects.
 */
export const SubState = {
  /** Wants data; nothing outstanding (session down, or waiting for the instrument list). */
  Pending: 0,
  /** V (263=1) sent with the current MDReqID; waiting for the snapshot. */
  Requested: 1,
  /** At least one snapshot applied. */
  Live: 2,
  /** Kraken answered Y: terminal until the owner subscribes again. */
  Rejected: 3,
  /** Too many consistency breaks in a row (see maxResubscribesPerMinute): terminal, data looks unusable. */
  Failed: 4,
  /** Unsubscribed by the owner: terminal. */
  Closed: 5,
} as const;
export type SubState = (typeof SubState)[keyof typeof SubState];
export const SUB_STATE_NAMES = ['Pending', 'Requested', 'Live', 'Rejected', 'Failed', 'Closed'] as const;

const S = SubState;
/** Allowed successors per state. Requested -> Requested is a resubscribe before the first snapshot. */
export const SUB_TRANSITIONS: readonly (readonly SubState[])[] = [
  /* Pending   */ [S.Requested, S.Failed, S.Closed, S.Pending],
  /* Requested */ [S.Live, S.Requested, S.Pending, S.Rejected, S.Failed, S.Closed],
  /* Live      */ [S.Live, S.Requested, S.Pending, S.Rejected, S.Failed, S.Closed],
  /* Rejected  */ [S.Closed],
  /* Failed    */ [S.Closed],
  /* Closed    */ [],
];

export function canSubTransition(from: SubState, to: SubState): boolean {
  return SUB_TRANSITIONS[from]!.includes(to);
}

/** 281 MDReqRejReason texts (spec §7). */
export const MD_REJECT_REASONS: Readonly<Record<string, string>> = {
  '0': 'unknown symbol',
  '1': 'duplicate MDReqID',
  '4': 'unsupported SubscriptionRequestType',
  '5': 'unsupported MarketDepth',
  '6': 'unsupported MDUpdateType',
  '8': 'unsupported MDEntryType',
  A: 'unsupported scope',
  B: 'L3 not available',
  C: 'trades not available on this request',
};

/**
 * One trade entry (269=2), reused for every trade: valid only during onTrade. Price and qty are scaled
 * integers (10^priceDecimals, 10^qtyDecimals) kept in a typed array so nothing is boxed; byte ranges point into
 * the message buffer.
 */
export class MdTrade {
  symbol = '';
  mdReqID = '';
  priceDecimals = 0;
  qtyDecimals = 0;
  /** [0] price, [1] qty (scaled); -1 when the field was missing or malformed. */
  readonly values = new Float64Array(2);
  /** 2446 AggressorSide: 1 buy, 2 sell, 0 absent. */
  aggressorSide = 0;
  /** 40 taker OrdType: 1 market, 2 limit, 0 absent. */
  takerOrdType = 0;
  buffer: Uint8Array = new Uint8Array(0);
  /** 278 MDEntryID (trade id) and 273 MDEntryTime, as byte ranges of buffer (len 0 = absent). */
  idOff = 0;
  idLen = 0;
  timeOff = 0;
  timeLen = 0;

  get price(): number {
    return this.values[0]!;
  }
  get qty(): number {
    return this.values[1]!;
  }
}

/** What the owner implements. All optional; called synchronously from onMessage. */
export interface MdHandler {
  /** A book finished a W (snapshot=true) or X consistently. Hot path: do not keep `book` beyond your needs. */
  onBookUpdate?(book: MdSymbolBook, snapshot: boolean): void;
  /** A trade entry (the record is reused). */
  onTrade?(trade: MdTrade): void;
  /** Everything off the hot path: rejects, resubscribes, instruments, market state, errors. */
  onEvent?(event: MdEvent): void;
}

export type MdErrorCode =
  | 'INVALID_REQUEST'
  | 'UNKNOWN_INSTRUMENT'
  | 'NOT_CONNECTED'
  | 'SEND_FAILED'
  | 'CLOSED';

export interface MdError {
  readonly code: MdErrorCode;
  readonly message: string;
}

export type MdEvent =
  /** A V 263=1 went out (first subscribe, resubscribe or recovery after logon). */
  | { readonly kind: 'subscribe-sent'; readonly sub: MdSubscription; readonly mdReqID: string; readonly cause: 'subscribe' | 'resubscribe' | 'logon' | 'instruments' }
  | { readonly kind: 'unsubscribe-sent'; readonly sub: MdSubscription; readonly mdReqID: string }
  /** Kraken refused a subscription (Y). `sub` null when the MDReqID is not ours (or no longer current). */
  | { readonly kind: 'reject'; readonly sub: MdSubscription | null; readonly mdReqID: string; readonly reason: string; readonly reasonText: string; readonly text: string | undefined }
  /** A book broke (sequence/consistency/checksum): unsubscribed the old MDReqID and subscribed a new one. */
  | { readonly kind: 'resubscribe'; readonly sub: MdSubscription; readonly symbol: string; readonly status: BookStatus; readonly statusName: string; readonly oldMDReqID: string; readonly newMDReqID: string }
  /** Too many breaks in the last minute: the subscription was unsubscribed and is now Failed. */
  | { readonly kind: 'subscription-failed'; readonly sub: MdSubscription; readonly message: string }
  | { readonly kind: 'send-failed'; readonly sub: MdSubscription | null; readonly message: string }
  /** InstrumentList y applied to the tables. */
  | { readonly kind: 'instruments'; readonly added: number; readonly errors: readonly string[]; readonly lastFragment: boolean }
  /** TradingSessionStatus h: market state for a TradingSessionID (340; 101/102 are Kraken's). */
  | { readonly kind: 'market-state'; readonly tradingSessionID: string; readonly status: number; readonly known: boolean }
  /** A symbol in a pending subscription is not in the complete instrument list. */
  | { readonly kind: 'unknown-instrument'; readonly sub: MdSubscription; readonly symbol: string }
  /** A message we could not use (missing 262/55, malformed group...). */
  | { readonly kind: 'decode-error'; readonly msgType: string; readonly message: string };

/** Monotonic counters (diagnostics, metrics). Plain numbers on one object: bumping them never allocates. */
export class MdStats {
  messages = 0;
  snapshots = 0;
  incrementals = 0;
  entries = 0;
  trades = 0;
  /** Resubscribes caused by a book break, all causes. */
  resubscribes = 0;
  checksumMismatches = 0;
  /** Breaks other than checksum (unknown level/order, crossed, bad numbers, no snapshot...). */
  consistencyBreaks = 0;
  rejects = 0;
  /** Subscriptions renewed by resubscribeAll (session sequence gaps). */
  gapResubscribes = 0;
  /** W/X for an MDReqID that is not current (e.g. still in flight after an unsubscribe). */
  staleMessages = 0;
  /** Entries for a symbol the subscription does not hold. */
  unknownSymbolEntries = 0;
  decodeErrors = 0;
}
