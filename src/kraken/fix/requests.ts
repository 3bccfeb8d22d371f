// Field lists of Kraken's non-order requests (spec §4.8, §4.9, §7): SecurityListRequest `x` (Kraken's
// "InstrumentListRequest"), TradingSessionStatusRequest `g` and MarketDataRequest `V`. Same shape as the order
// builders in ../fields.ts: validated input -> FixMessagePlan, written by writePlan. Not hot path.

import { Tag } from '../../codec/dictionary/index.js';
import type { FixField, FixMessagePlan, Result } from '../types.js';

export interface RequestError {
  readonly code: 'INVALID_FIELD' | 'MISSING_FIELD' | 'CONFLICTING_INSTRUCTIONS';
  readonly field: string;
  readonly message: string;
}

function fail(code: RequestError['code'], field: string, message: string): { ok: false; error: RequestError } {
  return { ok: false, error: { code, field, message } };
}

function badText(v: unknown): boolean {
  return typeof v !== 'string' || v.length === 0 || v.length > 256 || /[\x00-\x1f\x7f-\uffff]/.test(v);
}

/** 263 values: Kraken's x takes 0/1/2; g takes 0/1; V takes 1/2. */
export type SubscriptionType = 'snapshot' | 'snapshot+updates' | 'unsubscribe';
const SUBSCRIPTION_CODE: Readonly<Record<SubscriptionType, string>> = { snapshot: '0', 'snapshot+updates': '1', unsubscribe: '2' };

// ---------------------------------------------------------------- SecurityListRequest x

/** 559: `symbol` = 0 (one pair), `security-type` = 1 (by 167), `all` = 4. */
export type SecurityListScope = 'symbol' | 'security-type' | 'all';
const SCOPE_CODE: Readonly<Record<SecurityListScope, string>> = { symbol: '0', 'security-type': '1', all: '4' };
export type KrakenSecurityType = 'CASH' | 'FUT' | 'OPT' | 'TS';

export interface SecurityListRequestSpec {
  readonly securityReqID: string;
  readonly scope: SecurityListScope;
  /** Required when scope = 'symbol'. */
  readonly symbol?: string;
  /** Required when scope = 'security-type'. */
  readonly securityType?: KrakenSecurityType;
  /** Omitted: Kraken's default (snapshot). */
  readonly subscription?: SubscriptionType;
}

export function securityListRequestPlan(s: SecurityListRequestSpec): Result<FixMessagePlan, RequestError> {
  if (badText(s.securityReqID)) return fail('INVALID_FIELD', 'securityReqID', 'securityReqID must be printable ASCII');
  if (!Object.prototype.hasOwnProperty.call(SCOPE_CODE, s.scope)) return fail('INVALID_FIELD', 'scope', `unknown scope ${JSON.stringify(s.scope)}`);
  const b: FixField[] = [
    [Tag.SecurityReqID, s.securityReqID],
    [Tag.SecurityListRequestType, SCOPE_CODE[s.scope]],
  ];
  if (s.scope === 'symbol') {
    if (badText(s.symbol)) return fail('MISSING_FIELD', 'symbol', 'scope symbol (559=0) needs a symbol');
    b.push([Tag.Symbol, s.symbol!]);
  } else if (s.symbol !== undefined) {
    return fail('CONFLICTING_INSTRUCTIONS', 'symbol', 'symbol is only sent with scope symbol (559=0)');
  }
  if (s.scope === 'security-type') {
    if (!['CASH', 'FUT', 'OPT', 'TS'].includes(s.securityType ?? '')) return fail('MISSING_FIELD', 'securityType', 'scope security-type (559=1) needs CASH, FUT, OPT or TS');
    b.push([Tag.SecurityType, s.securityType!]);
  } else if (s.securityType !== undefined) {
    return fail('CONFLICTING_INSTRUCTIONS', 'securityType', 'securityType is only sent with scope security-type (559=1)');
  }
  if (s.subscription !== undefined) {
    if (!Object.prototype.hasOwnProperty.call(SUBSCRIPTION_CODE, s.subscription)) return fail('INVALID_FIELD', 'subscription', 'unknown subscription type');
    b.push([Tag.SubscriptionRequestType, SUBSCRIPTION_CODE[s.subscription]]);
  }
  return { ok: true, value: { msgType: 'x', header: [], body: b } };
}

// ---------------------------------------------------------------- TradingSessionStatusRequest g

export interface TradingSessionStatusRequestSpec {
  readonly tradSesReqID: string;
  /** Kraken's examples use `SESSION`. */
  readonly tradingSessionID?: string;
  readonly subscription: 'snapshot' | 'snapshot+updates';
}

export function tradingSessionStatusRequestPlan(s: TradingSessionStatusRequestSpec): Result<FixMessagePlan, RequestError> {
  if (badText(s.tradSesReqID)) return fail('INVALID_FIELD', 'tradSesReqID', 'tradSesReqID must be printable ASCII');
  const id = s.tradingSessionID ?? 'SESSION';
  if (badText(id)) return fail('INVALID_FIELD', 'tradingSessionID', 'tradingSessionID must be printable ASCII');
  if (s.subscription !== 'snapshot' && s.subscription !== 'snapshot+updates') return fail('INVALID_FIELD', 'subscription', 'g takes snapshot or snapshot+updates');
  return {
    ok: true,
    value: {
      msgType: 'g',
      header: [],
      body: [
        [Tag.TradSesReqID, s.tradSesReqID],
        [Tag.TradingSessionID, id],
        [Tag.SubscriptionRequestType, SUBSCRIPTION_CODE[s.subscription]],
      ],
    },
  };
}

// ---------------------------------------------------------------- MarketDataRequest V

export const MARKET_DEPTHS = [0, 1, 10, 25, 100, 500, 1000] as const;
export type MarketDepth = (typeof MARKET_DEPTHS)[number];

export interface MarketDataRequestSpec {
  readonly mdReqID: string;
  readonly symbols: readonly string[];
  /** false = unsubscribe (263=2) with the same MDReqID. */
  readonly subscribe: boolean;
  /** 264: 0 = full book. */
  readonly depth: MarketDepth;
  /** 266: L2 aggregated (default) or L3 order-by-order. */
  readonly level?: 'L2' | 'L3';
  /** Ask for trades (269=2) as well as bids and offers (always both, §7). */
  readonly trades?: boolean;
}

export function marketDataRequestPlan(s: MarketDataRequestSpec): Result<FixMessagePlan, RequestError> {
  if (badText(s.mdReqID)) return fail('INVALID_FIELD', 'mdReqID', 'mdReqID must be printable ASCII');
  if (!Array.isArray(s.symbols) || s.symbols.length === 0) return fail('MISSING_FIELD', 'symbols', 'at least one symbol');
  for (const sym of s.symbols) if (badText(sym)) return fail('INVALID_FIELD', 'symbols', `bad symbol ${JSON.stringify(sym)}`);
  if (!(MARKET_DEPTHS as readonly number[]).includes(s.depth)) return fail('INVALID_FIELD', 'depth', `depth must be one of ${MARKET_DEPTHS.join(', ')}`);
  const l3 = s.level === 'L3';
  if (l3 && s.trades === true) return fail('CONFLICTING_INSTRUCTIONS', 'trades', 'Kraken rejects L3 (266=N) requests that include trades');
  const b: FixField[] = [
    [Tag.MDReqID, s.mdReqID],
    [Tag.SubscriptionRequestType, s.subscribe ? '1' : '2'],
    [Tag.MarketDepth, String(s.depth)],
    [Tag.MDUpdateType, '1'],
  ];
  if (s.level !== undefined) b.push([Tag.AggregatedBook, l3 ? 'N' : 'Y']);
  const types = s.trades === true ? ['0', '1', '2'] : ['0', '1'];
  b.push([Tag.NoMDEntryTypes, String(types.length)]);
  for (const t of types) b.push([Tag.MDEntryType, t]);
  b.push([Tag.NoRelatedSym, String(s.symbols.length)]);
  for (const sym of s.symbols) b.push([Tag.Symbol, sym]);
  return { ok: true, value: { msgType: 'V', header: [], body: b } };
}
